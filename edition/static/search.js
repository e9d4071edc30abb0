/* The search page: Pagefind's own UI, from the index built with the site (no CDN). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.protocol === "file:") {
      var note = document.querySelector("[data-file-note]");
      if (note) { note.hidden = false; }
    }
    if (typeof window.PagefindUI !== "function") { return; }
    // Result URLs are relative to the site's folder, wherever the site is served from.
    var base = new URL(".", window.location.href).pathname;
    // A large edition's index comes in shards (pagefind-2/, ...): Pagefind searches them as one.
    var element = document.querySelector("#search");
    var shards = ((element && element.getAttribute("data-merge")) || "").split(" ").filter(Boolean);
    // The order of the results: relevance, or the documents' dates (data-pagefind-sort="date", ISO),
    // kept in the address (?sort=date-asc) so that a changed order is one reload away.
    var params = new URLSearchParams(window.location.search);
    var order = params.get("sort") || "";
    var options = { element: "#search", baseUrl: base, showSubResults: true, showImages: false, resetStyles: false,
                    mergeIndex: shards.map(function (name) { return { bundlePath: base + name + "/" }; }) };
    if (order === "date-asc" || order === "date-desc") { options.sort = { date: order === "date-asc" ? "asc" : "desc" }; }
    new window.PagefindUI(options);
    var field = document.querySelector("#search input");
    if (field) { field.setAttribute("aria-labelledby", "ed-search-label"); }
    var sort = document.querySelector("[data-search-sort]");
    var select = document.getElementById("ed-search-sort");
    if (sort && select) {
      sort.hidden = false;
      select.value = order;
      select.addEventListener("change", function () {
        var next = new URLSearchParams();
        if (field && field.value) { next.set("q", field.value); }
        if (select.value) { next.set("sort", select.value); }
        window.location.search = next.toString();
      });
    }
    if (params.get("q")) {
      var input = document.querySelector("#search input");
      if (input) { input.value = params.get("q"); input.dispatchEvent(new Event("input", { bubbles: true })); }
    }
  });
})();
