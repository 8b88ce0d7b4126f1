/* Positions on the time grid come as data attributes, not style attributes, because the
   Content-Security-Policy forbids inline styles; setting them from here is allowed. */
(function () {
  var names = { top: "--top", len: "--len", height: "--height" };
  function place(root) {
    var found = Array.from(root.querySelectorAll("[data-top], [data-len], [data-height]"));
    if (root.dataset) found.push(root);
    found.forEach(function (el) {
      Object.keys(names).forEach(function (key) {
        if (el.dataset[key] !== undefined) el.style.setProperty(names[key], el.dataset[key]);
      });
    });
  }
  place(document);
  document.addEventListener("htmx:load", function (event) { place(event.target); });
})();
