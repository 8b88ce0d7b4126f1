/* The idle warning: shortly before a signed-in session would end for lack of activity, a dialog
   offers to stay signed in (a keep-alive POST); when the time is up the page reloads, and the
   server sends it to the sign-in page with a message. No inline script: the numbers come as
   data attributes on <body> (templates/base.html). */
(function () {
  var body = document.body;
  var left = parseInt(body.dataset.sessionSeconds, 10);
  var dialog = document.getElementById("session-warning");
  if (!left || !dialog) return;
  var idle = parseInt(body.dataset.sessionIdle, 10) || left;
  var warnBefore = parseInt(body.dataset.sessionWarning, 10) || 120;
  var countdown = dialog.querySelector("[data-session-countdown]");
  var warnTimer, endTimer, tick, endsAt;

  function minutesText(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds >= 90) return Math.round(seconds / 60) + " minutes";
    return seconds + " seconds";
  }
  function warn() {
    countdown.textContent = minutesText(endsAt - Date.now());
    if (typeof dialog.showModal === "function") dialog.showModal(); else dialog.open = true;
    tick = setInterval(function () { countdown.textContent = minutesText(endsAt - Date.now()); }, 15000);
  }
  function end() { window.location.reload(); }
  function schedule(seconds) {
    clearTimeout(warnTimer); clearTimeout(endTimer); clearInterval(tick);
    endsAt = Date.now() + seconds * 1000;
    warnTimer = setTimeout(warn, Math.max(0, seconds - warnBefore) * 1000);
    endTimer = setTimeout(end, seconds * 1000 + 1000);
  }
  function csrfToken() {
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  dialog.querySelector("[data-session-stay]").addEventListener("click", function () {
    fetch(body.dataset.keepAliveUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (!response.ok) { end(); return; }
      return response.text().then(function (text) {
        dialog.close();
        schedule(parseInt(text, 10) || idle);
      });
    }).catch(end);
  });
  // A request made by htmx (autosave, a search) is activity too.
  document.addEventListener("htmx:afterRequest", function () { if (!dialog.open) schedule(idle); });
  schedule(left);
})();
