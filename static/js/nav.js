// The phone menu: a real button (aria-expanded) that shows and hides the nav. Without
// JavaScript the button stays hidden and the nav stays open, so every link is still reachable.
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  if (!button) return;
  var nav = document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  }
  nav.classList.add("collapsible");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
