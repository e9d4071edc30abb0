/* The web edition's small behaviours: the reading switch (edited / as in the source, remembered
   across pages), marking names and reported speech (remembered too), note popovers, and the citation's
   copy buttons and permalinks. Everything works without JavaScript: the edited reading is shown,
   note markers are ordinary links to the notes, the citations can be selected and downloaded. */
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
  function showPopover(link, body, after) {
    if (!body) {
      var note = document.getElementById(link.getAttribute("data-note"));
      body = note && note.querySelector(".note-body");
    }
    if (!body) { return; }
    hidePopover();
    popover = document.createElement("div");
    popover.className = "note-popover";
    popover.setAttribute("role", "tooltip");
    popover.id = "note-popover";
    var label = document.createElement("span");
    label.className = "note-popover-label";
    label.textContent = (link.getAttribute("data-letter") || link.textContent).trim() + " ";
    popover.appendChild(label);
    Array.prototype.forEach.call(body.childNodes, function (n) { popover.appendChild(n.cloneNode(true)); });
    if (after) { popover.appendChild(after); }
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

  // Apparatus letters: the entry (the source's reading) in a popover on hover, focus and tap; a tap
  // or Enter shows it rather than leaving the text, and the popover links to the apparatus list.
  function showEntry(link) {
    var entry = document.getElementById(link.getAttribute("data-app"));
    var body = entry && entry.querySelector(".app-entry");
    if (!body) { return; }
    var more = document.createElement("a");
    more.href = "#" + entry.id;
    more.className = "popover-more";
    more.textContent = " (in the apparatus)";
    more.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keeps the popover until the click
    more.addEventListener("click", function () { hidePopover(); });
    showPopover(link, body, more);
  }
  function initApparatus() {
    Array.prototype.forEach.call(document.querySelectorAll("a.app-ref[data-app]"), function (link) {
      link.addEventListener("mouseenter", function () { showEntry(link); });
      link.addEventListener("focus", function () { showEntry(link); });
      link.addEventListener("mouseleave", function () { if (document.activeElement !== link) { hidePopover(); } });
      link.addEventListener("blur", function () { window.setTimeout(function () {
        if (popover && !popover.contains(document.activeElement)) { hidePopover(); } }, 0); });
      link.addEventListener("click", function (e) { e.preventDefault(); showEntry(link); });
    });
    document.addEventListener("click", function (e) {
      if (popover && !popover.contains(e.target) && !(e.target.closest && e.target.closest("a.app-ref, a.note-ref"))) { hidePopover(); }
    });
  }

  // "Mark names", "Mark reported speech": data-show-names / data-show-said on <html>.
  var SHOW = "edition-show-";
  function stored(name) {
    try { return window.localStorage.getItem(SHOW + name) === "1"; } catch (e) { return false; }
  }
  function setShown(name, on, remember) {
    if (on) { root.setAttribute("data-show-" + name, ""); } else { root.removeAttribute("data-show-" + name); }
    if (remember) { try { window.localStorage.setItem(SHOW + name, on ? "1" : "0"); } catch (e) { /* private mode */ } }
  }
  ["names", "said"].forEach(function (name) { setShown(name, stored(name), false); });
  function initShow() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-show-switch]"), function (s) { s.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll("input[data-show]"), function (box) {
      var name = box.getAttribute("data-show");
      box.checked = stored(name);
      box.addEventListener("change", function () { setShown(name, box.checked, true); });
    });
  }

  // The citation: the permalink is the page's address when the edition declares no URL; a paragraph
  // in the address (#p12, after its ¶ was followed) gets a link of its own; copy buttons.
  function pageUrl() { return window.location.href.split("#")[0]; }
  function initCite() {
    var box = document.querySelector("[data-cite]");
    if (!box) { return; }
    var link = box.querySelector("[data-cite-url]");
    if (link && !link.hasAttribute("data-fixed")) {
      link.href = pageUrl();
      link.textContent = pageUrl();
      var text = box.querySelector("[data-cite-url-text]");
      if (text) { text.textContent = pageUrl() + "."; }
    }
    function paragraph() {
      var line = box.querySelector("[data-cite-paragraph]");
      var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      var isParagraph = target && /^p\d+$/.test(target.id);
      if (!line) { return; }
      line.hidden = !isParagraph;
      if (isParagraph) {
        var a = line.querySelector("[data-paragraph-url]");
        a.href = ((link && link.getAttribute("href")) || pageUrl()) + "#" + target.id;
        a.textContent = a.href;
      }
    }
    paragraph();
    window.addEventListener("hashchange", paragraph);
    Array.prototype.forEach.call(box.querySelectorAll("button.copy[data-copy]"), function (button) {
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        var source = box.querySelector(button.getAttribute("data-copy"));
        if (!source) { return; }
        var text = source.tagName === "A" ? source.href : source.textContent.replace(/\s+\n/g, "\n").trim();
        if (source.classList.contains("chicago")) { text = source.textContent.replace(/\s+/g, " ").trim(); }
        function done(ok) {
          button.textContent = ok ? "Copied" : "Press Ctrl+C to copy";
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { select(source); done(false); });
        } else {
          select(source);
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          done(ok);
        }
      });
    });
  }
  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // The home page's quick filter: every word typed must occur in a document's entry (number, title,
  // date, place, type, participants); years without a match are hidden.
  function initFilter() {
    var input = document.querySelector("input[data-filter]");
    if (!input) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-tools]"), function (t) { t.hidden = false; });
    var items = document.querySelectorAll("[data-filter-text]");
    var count = document.querySelector("[data-filter-count]");
    var none = document.querySelector("[data-filter-none]");
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var text = item.getAttribute("data-filter-text");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-filter-group]"), function (group) {
        group.hidden = !group.querySelector("[data-filter-text]:not([hidden])");
      });
      if (count) { count.textContent = words.length ? shown + " of " + items.length + " documents" : items.length + " documents"; }
      if (none) { none.hidden = shown > 0; }
    }
    input.addEventListener("input", apply);
    apply();
  }

  // On a phone the document's details (participants, source, licence ...) fold behind a button, so
  // that the text begins on the first screen; the button shows them.
  function initMeta() {
    var meta = document.querySelector(".doc-meta");
    if (!meta || !window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) { return; }
    meta.id = meta.id || "ed-doc-meta";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "meta-toggle";
    button.setAttribute("aria-controls", meta.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Show the document’s details";
    meta.hidden = true;
    meta.parentNode.insertBefore(button, meta);
    button.addEventListener("click", function () {
      meta.hidden = !meta.hidden;
      button.setAttribute("aria-expanded", meta.hidden ? "false" : "true");
      button.textContent = meta.hidden ? "Show the document’s details" : "Hide the document’s details";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMeta();
    initFilter();
    initSwitch();
    initShow();
    initNotes();
    initApparatus();
    initCite();
  });
})();
