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

// After a failed send, focus the summary of what needs another look, so a phone user starts
// there rather than at the top of a long page. Its links work without JavaScript; with it, a
// link also brings its whole question (legend included) into view.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    var input = link && document.getElementById(link.hash.slice(1));
    if (!input) return;
    event.preventDefault();
    (input.closest(".question") || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
