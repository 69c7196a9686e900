// Selecting words in a part's text fills that part's "passage" field and its offset, so an input
// can be anchored to the passage (the server finds the quote again; the offset only disambiguates).
(function () {
  "use strict";
  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    var node = selection.anchorNode;
    var holder = node && (node.nodeType === 1 ? node : node.parentElement);
    var part = holder && holder.closest ? holder.closest(".part-text[data-part]") : null;
    if (!part || !part.contains(selection.focusNode)) { return; }
    var key = part.getAttribute("data-part");
    var quote = selection.toString();
    var range = selection.getRangeAt(0).cloneRange();
    range.selectNodeContents(part);
    range.setEnd(selection.getRangeAt(0).startContainer, selection.getRangeAt(0).startOffset);
    var field = document.querySelector('[data-quote-for="' + key + '"]');
    var offset = document.querySelector('[data-offset-for="' + key + '"]');
    if (!field) { return; }
    field.value = quote;
    if (offset) { offset.value = String(range.toString().length); }
    var details = field.closest("details");
    if (details) { details.open = true; }
  });
})();
