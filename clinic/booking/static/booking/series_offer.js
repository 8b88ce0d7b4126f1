// "Book the plan's series": fill the repeat and count fields in place instead of reloading the
// page (the link's reload, which keeps working without JavaScript, would lose a chosen time).
document.addEventListener("click", (event) => {
  const offer = event.target.closest("[data-series-offer]");
  const form = offer && offer.closest("form");
  if (!form) return;
  event.preventDefault();
  form.elements.repeat.value = offer.dataset.repeat;
  form.elements.count.value = offer.dataset.count;
  const status = offer.parentElement.querySelector(".series-offer-status");
  if (status) status.textContent = "Series filled in: check the repeat and number of visits below.";
  form.elements.repeat.focus();
});
