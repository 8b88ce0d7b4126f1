// Drag-to-move on the time grid, as progressive enhancement: the "Move" link stays the way
// without JavaScript. A drop POSTs the new start and therapist to the visit's move URL, which
// calls the booking service's reschedule; a refusal is shown in words and the card goes back.
(function () {
  "use strict";
  var calendar = document.querySelector(".cal[data-can-move]");
  if (!calendar) return;
  var status = document.getElementById("move-status");
  var STEP = 15; // minutes: the grid free times fall on
  var dragged = null;
  var grabOffset = 0;

  function pixelsPerMinute() {
    return parseFloat(getComputedStyle(calendar).getPropertyValue("--ppm")) || 1;
  }

  function say(message, refused) {
    status.textContent = message;
    status.hidden = false;
    status.classList.toggle("refused", refused);
  }

  function refusal(body) {
    if (body.detail) return body.detail;
    var lines = [];
    Object.keys(body).forEach(function (key) {
      if (Array.isArray(body[key])) lines = lines.concat(body[key]);
    });
    return lines.join(" ") || "The visit could not be moved.";
  }

  calendar.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".visit[draggable=true]");
    if (!card) return;
    dragged = { card: card, parent: card.parentNode, next: card.nextSibling, top: card.style.getPropertyValue("--top") };
    grabOffset = event.clientY - card.getBoundingClientRect().top;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.visit);
    card.classList.add("dragging");
  });

  calendar.addEventListener("dragend", function () {
    if (dragged) dragged.card.classList.remove("dragging");
  });

  calendar.addEventListener("dragover", function (event) {
    var lane = dragged && event.target.closest(".cal-lane");
    if (!lane) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });

  calendar.addEventListener("dragenter", function (event) {
    var lane = dragged && event.target.closest(".cal-lane");
    calendar.querySelectorAll(".drop-target").forEach(function (el) {
      if (el !== lane) el.classList.remove("drop-target");
    });
    if (lane) lane.classList.add("drop-target");
  });

  function snapBack(move) {
    move.card.style.setProperty("--top", move.top);
    move.parent.insertBefore(move.card, move.next);
  }

  calendar.addEventListener("drop", function (event) {
    var lane = dragged && event.target.closest(".cal-lane");
    if (!lane) return;
    event.preventDefault();
    lane.classList.remove("drop-target");
    var move = dragged;
    dragged = null;
    var body = lane.querySelector(".cal-body");
    var y = event.clientY - body.getBoundingClientRect().top - grabOffset;
    var minutes = Math.max(0, Math.round(y / pixelsPerMinute() / STEP) * STEP);
    var start = new Date(Date.parse(lane.dataset.laneStart) + minutes * 60000);
    move.card.style.setProperty("--top", String(minutes));
    body.appendChild(move.card);
    move.card.classList.remove("dragging");
    var form = new FormData();
    form.append("slot", start.toISOString() + "|" + lane.dataset.therapist);
    say("Moving…", false);
    fetch(move.card.dataset.moveUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": calendar.dataset.csrf, Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
      })
      .then(function (result) {
        if (result.ok) {
          say(result.answer.detail, false);
          window.location.reload();
        } else {
          snapBack(move);
          say("Not moved: " + refusal(result.answer), true);
        }
      })
      .catch(function () {
        snapBack(move);
        say("Not moved: the clinic's server could not be reached.", true);
      });
  });
})();
