/* GSX Portal — the little the pages need beyond HTML and htmx. Everything works without it. */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  // The main menu's counts ("Open for inputs", "Open for signature") come after the page, so
  // that no page pays a query for them; without JavaScript the links work, without a number.
  var counts = document.querySelector("[data-menu-counts]");
  if (counts && window.fetch) {
    fetch(counts.getAttribute("data-menu-counts"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        ["inputs", "signature"].forEach(function (key) {
          var badge = document.getElementById("nav-count-" + key);
          if (badge && typeof data[key] === "number") badge.textContent = String(data[key]);
        });
      })
      .catch(function () { /* the menu stays without numbers */ });
  }

  // Copy buttons: <button data-copy="#id-of-input-or-element" data-copied="Copied">.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http fallback: select a temporary field and copy it.
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "absolute";
    field.style.left = "-9999px";
    document.body.appendChild(field);
    field.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(field); }
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = "value" in source ? source.value : (source.href || source.textContent);
    var status = button.parentNode.querySelector(".copy-status");
    copyText(text.trim()).then(function () {
      if (status) {
        status.textContent = button.getAttribute("data-copied") || "";
        window.setTimeout(function () { status.textContent = ""; }, 2500);
      }
    });
  });

  // Copy buttons are hidden until this script can make them work.
  function revealCopyButtons(root) {
    root.querySelectorAll("[data-copy][hidden]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    revealCopyButtons(document);
    // On a phone the filters start folded so the results show first; without this script, or
    // after an htmx swap (the user is busy filtering), they stay open.
    if (window.matchMedia("(max-width: 860px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
        if (details.getAttribute("data-active") === "0") details.open = false;
      });
    }
  });
  // Shared addresses carry only the filters that are set: a form marked data-omit-empty sends no
  // empty field, nor a field left at its data-default (the server redirects a plain submission
  // the same way, for browsers without this script).
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-omit-empty")) return;
    var data = event.detail.formData;
    var defaults = {};
    form.querySelectorAll("[data-default]").forEach(function (field) {
      if (field.value === field.getAttribute("data-default")) defaults[field.name] = true;
    });
    var kept = [];
    data.forEach(function (value, key) { if (value !== "" && !defaults[key]) kept.push([key, value]); });
    Array.from(new Set(Array.from(data.keys()))).forEach(function (key) { data.delete(key); });
    kept.forEach(function (pair) { data.append(pair[0], pair[1]); });
  });
  document.addEventListener("htmx:afterSettle", function (event) { revealCopyButtons(event.target); });
})();
