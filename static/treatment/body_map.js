// The body map: a tap cycles a muscle between treated, tender and none; bony areas refuse
// pressure. The radio buttons below the picture stay the form's truth (and work without
// JavaScript); the picture only sets them and fires "change", which autosave listens to.
(function () {
  "use strict";
  const CYCLE = ["", "treated", "tender"];

  function setUp(map) {
    const status = map.querySelector(".body-map-status");
    const list = map.querySelector(".regions-list");
    let mode = "treat";
    if (list) list.open = false;

    function radio(region, value) {
      return map.querySelector('input[name="region_' + region + '"][value="' + value + '"]');
    }
    function current(region) {
      const checked = map.querySelector('input[name="region_' + region + '"]:checked');
      return checked ? checked.value : "";
    }
    function paint(region) {
      const shape = map.querySelector('[data-region="' + region + '"]');
      const value = current(region);
      shape.classList.remove("mark-treated", "mark-tender", "mark-avoid");
      if (value) shape.classList.add("mark-" + value);
      const label = shape.querySelector("title").textContent;
      shape.setAttribute("aria-label", label + (value ? ": " + value : ""));
      return label;
    }
    function say(text, refused, code) {
      status.textContent = text;
      if (code) {
        // The rule's code, in small type beside the plain words, for reference.
        const small = document.createElement("small");
        small.className = "code";
        small.textContent = code;
        status.append(" ", small);
      }
      status.classList.toggle("refused", !!refused);
    }
    function set(region, value) {
      const input = radio(region, value);
      input.checked = true;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      const label = paint(region);
      say(label + ": " + (value || "none"));
    }
    function refuse(shape, text, code) {
      shape.classList.add("refused");
      setTimeout(function () { shape.classList.remove("refused"); }, 600);
      say(text, true, code);
    }
    function tap(shape) {
      const region = shape.dataset.region;
      const label = shape.querySelector("title").textContent;
      const value = current(region);
      if (mode === "skin") {
        set(region, value === "avoid" ? "" : "avoid");
      } else if (shape.dataset.bony) {
        refuse(shape, label + ": no direct pressure on the spine or bony areas.", map.dataset.bonyCode);
      } else if (value === "avoid") {
        refuse(shape, label + " is affected skin: avoid it.", map.dataset.skinCode);
      } else {
        set(region, CYCLE[(CYCLE.indexOf(value) + 1) % CYCLE.length]);
      }
    }

    // A touch screen has no hover, so a <title> tooltip never shows: name the region beside
    // it on the picture when it is tapped or focused.
    const svg = map.querySelector(".body-map-svg");
    const name = document.createElementNS("http://www.w3.org/2000/svg", "text");
    name.setAttribute("class", "region-name");
    name.setAttribute("text-anchor", "middle");
    name.setAttribute("aria-hidden", "true");
    svg.appendChild(name);
    function showName(shape) {
      const box = shape.getBBox();
      name.textContent = shape.querySelector("title").textContent;
      name.setAttribute("x", String(box.x + box.width / 2));
      name.setAttribute("y", String(Math.max(box.y - 6, 16)));
    }

    map.querySelectorAll(".region").forEach(function (shape) {
      shape.addEventListener("click", function () { showName(shape); tap(shape); });
      shape.addEventListener("focus", function () { showName(shape); });
      shape.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          tap(shape);
        }
      });
    });
    map.querySelectorAll(".mode").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.dataset.mode;
        map.querySelectorAll(".mode").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        say(mode === "skin" ? "A tap marks or unmarks affected skin." : "A tap cycles treated, tender, none.");
      });
    });
    // The list may be used too; keep the picture in step with it.
    map.addEventListener("change", function (event) {
      const match = event.target.name && event.target.name.match(/^region_(.+)$/);
      if (match) paint(match[1]);
    });
  }

  document.querySelectorAll(".body-map.editable").forEach(setUp);
})();
