// Selecting words inside summary paragraphs offers to promote them to a recommendation: the link
// carries the selected text and the paragraphs it spans to the promote form, which staff then edit.
// Without JavaScript the per-paragraph links and the tick boxes do the same job.
(function () {
  "use strict";
  var bar = document.getElementById("selection-bar");
  if (!bar) return;
  var link = bar.querySelector("a");
  var base = link.getAttribute("data-base");
  var LIMIT = 5000;

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var text = selection.toString().replace(/\s+/g, " ").trim();
    if (!text) return;
    var range = selection.getRangeAt(0);
    var params = new URLSearchParams();
    document.querySelectorAll("[data-paragraph]").forEach(function (paragraph) {
      if (range.intersectsNode(paragraph)) params.append("paragraphs", paragraph.getAttribute("data-paragraph"));
    });
    // A selection outside the paragraphs keeps the last offer: clicking the link must not lose it.
    if (!params.has("paragraphs")) return;
    params.set("text", text.slice(0, LIMIT));
    link.href = base + "?" + params.toString();
    bar.hidden = false;
  });
})();
