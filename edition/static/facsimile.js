/* The page image beside the text: a Leaflet map of the page's static IIIF tiles (level 0), which
   follows the reader. The page shown is the one whose page break (span.break[data-facs]) was last
   passed above the reading line; clicking a page marker shows its page (on a phone, over the text);
   the strip of thumbnails shows any page. Zoom and pan: mouse wheel and drag, + and − and the arrow
   keys when the image has the focus, two fingers on a touch screen (Leaflet's own handlers).
   Without JavaScript the first page's image and the links of the strip remain. */
(function () {
  "use strict";

  var NARROW = "(max-width: 63.99rem)";

  function start() {
    var pane = document.getElementById("ed-facsimile");
    var data = document.getElementById("ed-facsimile-data");
    if (!pane || !data || typeof L === "undefined") { return; }
    var pages = JSON.parse(data.textContent);
    if (!pages.length) { return; }
    var root = pane.getAttribute("data-root") || "";
    var viewer = pane.querySelector(".facsimile-viewer");
    var label = pane.querySelector(".facsimile-label");
    var prev = pane.querySelector(".facsimile-prev");
    var next = pane.querySelector(".facsimile-next");
    var close = pane.querySelector(".facsimile-close");
    var strip = pane.querySelectorAll(".facsimile-strip a[data-page]");
    var narrow = window.matchMedia(NARROW);
    var byFacs = Object.create(null);  // @facs -> page (no prototype: a facs="__proto__" is just a key)
    pages.forEach(function (page, i) { page.breaks.forEach(function (f) { if (!(f in byFacs)) { byFacs[f] = i; } }); });
    var breaks = Array.prototype.filter.call(document.querySelectorAll(".doc-text span.break[data-facs]"),
      function (b) { return b.getAttribute("data-facs") in byFacs; });

    viewer.innerHTML = "";
    var map = L.map(viewer, { crs: L.CRS.Simple, zoomSnap: 0.25, zoomDelta: 0.5, keyboard: true,
      keyboardPanDelta: 120, attributionControl: false, zoomControl: true, maxBoundsViscosity: 0.8 });
    var layer = null;
    var current = -1;

    // A IIIF tile layer: at zoom z (0 = the smallest scale, top = the full resolution) the tile at
    // column x, row y covers region x·t·s, y·t·s, min(t·s, rest) of the image, s = 2^(top − z),
    // as render/tiles.py wrote it.
    function tileLayer(page) {
      var top = Math.round(Math.log(page.scaleFactors[page.scaleFactors.length - 1]) / Math.LN2);
      var t = page.tile;
      var Layer = L.TileLayer.extend({
        getTileUrl: function (c) {
          var s = Math.pow(2, top - c.z);
          var x = c.x * t * s, y = c.y * t * s;
          if (x >= page.width || y >= page.height || x < 0 || y < 0) { return ""; }
          var w = Math.min(t * s, page.width - x), h = Math.min(t * s, page.height - y);
          var region = (w === page.width && h === page.height) ? "full" : [x, y, w, h].join(",");
          return root + page.service + "/" + region + "/" + Math.ceil(w / s) + "," + Math.ceil(h / s) + "/0/default.jpg";
        }
      });
      var l = new Layer("", { tileSize: t, minNativeZoom: 0, maxNativeZoom: top, minZoom: -3, maxZoom: top + 1,
        noWrap: true, bounds: bounds(page, top), keepBuffer: 1 });
      // a tile at the right or bottom edge is smaller than t: show it at its own size, not stretched
      l.on("tileloadstart", function (e) {
        var s = Math.pow(2, top - e.coords.z);
        var w = Math.min(t * s, page.width - e.coords.x * t * s), h = Math.min(t * s, page.height - e.coords.y * t * s);
        e.tile.style.width = Math.ceil(w / s) + "px";
        e.tile.style.height = Math.ceil(h / s) + "px";
      });
      l.top = top;
      return l;
    }
    function bounds(page, top) {
      return L.latLngBounds(map.unproject([0, page.height], top), map.unproject([page.width, 0], top));
    }

    function show(i, how) {
      if (i < 0 || i >= pages.length) { return; }
      if (i !== current) {
        var page = pages[i];
        if (layer) { map.removeLayer(layer); }
        layer = tileLayer(page);
        var b = bounds(page, layer.top);
        map.setMaxBounds(b.pad(0.5));
        layer.addTo(map);
        map.fitBounds(b, { animate: false });
        current = i;
        label.textContent = page.label + " (" + (i + 1) + "/" + pages.length + ")";
        viewer.setAttribute("aria-label", page.alt);
        viewer.setAttribute("data-page", String(i));
        Array.prototype.forEach.call(strip, function (a, k) {
          if (k === i) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
        });
        if (strip[i]) {  // the thumbnail in view in its strip (scrollIntoView would scroll the page too)
          var list = strip[i].parentNode.parentNode;
          list.scrollLeft = Math.max(0, strip[i].parentNode.offsetLeft - list.offsetLeft - list.clientWidth / 2);
        }
        breaks.forEach(function (b) { b.classList.toggle("facsimile-current", byFacs[b.getAttribute("data-facs")] === i); });
        prev.hidden = i === 0;
        next.hidden = i === pages.length - 1;
      }
      viewer.setAttribute("data-zoom", String(map.getZoom()));
    }
    map.on("zoomend", function () { viewer.setAttribute("data-zoom", String(map.getZoom())); });

    function open() {
      if (!narrow.matches) { return; }
      pane.classList.add("open");
      document.body.classList.add("facsimile-open");
      map.invalidateSize(false);
      if (current >= 0) { map.fitBounds(bounds(pages[current], layer.top), { animate: false }); }
      viewer.focus();
    }
    function shut() {
      if (!pane.classList.contains("open")) { return; }
      pane.classList.remove("open");
      document.body.classList.remove("facsimile-open");
      var b = breaks.filter(function (x) { return byFacs[x.getAttribute("data-facs")] === current; })[0];
      var marker = b && b.querySelector(".break-marker");
      if (marker) { marker.focus(); }
    }

    // Following the reader: the last page break above a line at a third of the window's height.
    function inView() {
      var line = window.innerHeight / 3;
      var found = 0;
      for (var k = 0; k < breaks.length; k++) {
        if (breaks[k].getBoundingClientRect().top <= line) { found = byFacs[breaks[k].getAttribute("data-facs")]; } else { break; }
      }
      return found;
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending || pane.classList.contains("open")) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; show(inView(), "scroll"); });
    }, { passive: true });

    breaks.forEach(function (b) {
      var marker = b.querySelector(".break-marker");
      if (!marker) { return; }
      marker.setAttribute("aria-controls", "ed-facsimile");
      marker.addEventListener("click", function (e) {
        show(byFacs[b.getAttribute("data-facs")], "click");
        if (narrow.matches) { e.preventDefault(); open(); }
      });
    });
    Array.prototype.forEach.call(strip, function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var i = Number(a.getAttribute("data-page"));
        show(i, "strip");
        var b = breaks.filter(function (x) { return byFacs[x.getAttribute("data-facs")] === i; })[0];
        if (b && !narrow.matches) { b.scrollIntoView({ block: "start" }); show(i, "strip"); }
      });
    });
    prev.addEventListener("click", function () { show(current - 1, "button"); });
    next.addEventListener("click", function () { show(current + 1, "button"); });
    close.addEventListener("click", shut);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { shut(); } });
    narrow.addEventListener("change", function () { if (!narrow.matches) { shut(); } map.invalidateSize(false); });
    window.addEventListener("resize", function () { map.invalidateSize(false); });

    show(inView(), "start");
  }

  document.addEventListener("DOMContentLoaded", start);
})();
