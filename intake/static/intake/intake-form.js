// Show the pregnancy questions only once "Are you pregnant?" is answered yes. Without
// JavaScript they are simply always shown, and the server ignores them unless pregnant is yes.
(function () {
  var form = document.querySelector("form[data-intake-form]");
  if (!form) return;
  var details = form.querySelectorAll("[data-pregnancy-detail]");
  function update() {
    var yes = form.querySelector('input[name="pregnant"][value="yes"]');
    var show = Boolean(yes && yes.checked);
    details.forEach(function (el) { el.hidden = !show; });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "pregnant") update();
  });
  update();
})();
