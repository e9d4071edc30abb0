/* The web edition's small behaviours: the reading switch (edited / as in the source, remembered
   across pages) and note popovers. Everything works without JavaScript: the edited reading is shown,
   and note markers are ordinary links to the notes. */
(function () {
  "use strict";
  var KEY = "edition-reading";
  var root = document.documentElement;

  function storedReading() {
    try { return window.localStorage.getItem(KEY) === "source" ? "source" : "edited"; } catch (e) { return "edited"; }
  }
  function setReading(value, remember) {
    root.setAttribute("data-reading", value);
    if (remember) { try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode */ } }
  }
  setReading(storedReading(), false);

  function initSwitch() {
    // the switch needs JavaScript, so it is shown only when JavaScript runs
    Array.prototype.forEach.call(document.querySelectorAll("[data-reading-switch]"), function (s) { s.hidden = false; });
    var radios = document.querySelectorAll("[data-reading-switch] input[name=reading]");
    Array.prototype.forEach.call(radios, function (radio) {
      radio.checked = radio.value === storedReading();
      radio.addEventListener("change", function () { if (radio.checked) { setReading(radio.value, true); } });
    });
  }

  // Note popovers: hovering or focusing a note marker shows the note next to it; a click still
  // follows the link to the note (and its back link returns), Escape closes the popover.
  var popover = null;
  function hidePopover() {
    if (popover) { popover.remove(); popover = null; }
  }
  function showPopover(link) {
    var note = document.getElementById(link.getAttribute("data-note"));
    var body = note && note.querySelector(".note-body");
    if (!body) { return; }
    hidePopover();
    popover = document.createElement("div");
    popover.className = "note-popover";
    popover.setAttribute("role", "tooltip");
    popover.id = "note-popover";
    var label = document.createElement("span");
    label.className = "note-popover-label";
    label.textContent = link.textContent.trim() + " ";
    popover.appendChild(label);
    Array.prototype.forEach.call(body.childNodes, function (n) { popover.appendChild(n.cloneNode(true)); });
    // ids must stay unique: the copy's ids are dropped
    Array.prototype.forEach.call(popover.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
    document.body.appendChild(popover);
    link.setAttribute("aria-describedby", "note-popover");
    var r = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20, window.scrollX + document.documentElement.clientWidth - popover.offsetWidth - 8));
    popover.style.left = left + "px";
    popover.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function initNotes() {
    Array.prototype.forEach.call(document.querySelectorAll("a.note-ref[data-note]"), function (link) {
      link.addEventListener("mouseenter", function () { showPopover(link); });
      link.addEventListener("focus", function () { showPopover(link); });
      link.addEventListener("mouseleave", hidePopover);
      link.addEventListener("blur", hidePopover);
      link.addEventListener("click", hidePopover);
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hidePopover(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSwitch();
    initNotes();
  });
})();
