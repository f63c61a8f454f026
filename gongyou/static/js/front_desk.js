/* Front desk keyboard flow: type → Enter picks the first match (Esc: anonymous) → a number
   key 1–9 saves that service. The server does the work; this only moves focus and clicks. */
(function () {
  "use strict";

  var pickWhenLoaded = false;

  function byId(id) { return document.getElementById(id); }

  function isTyping(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName.toLowerCase();
    return tag === "textarea" || tag === "select" || el.isContentEditable ||
      (tag === "input" && !/^(button|submit|checkbox|radio|hidden)$/.test(el.type));
  }

  function focusServices() {
    var first = document.querySelector("#fd-services .service");
    if (first) { first.focus(); }
  }

  function choose(button) {
    var name = byId("fd-who-name");
    byId("fd-worker-id").value = button ? button.dataset.workerId : "";
    byId("fd-worker-label").value = button ? button.dataset.workerLabel : "";
    if (name) { name.textContent = button ? button.dataset.workerLabel : name.dataset.anonymous; }
    focusServices();
  }

  function anonymous() {
    var q = byId("fd-q");
    if (q) { q.value = ""; }
    var results = byId("fd-results");
    if (results) { results.innerHTML = ""; results.dataset.q = ""; }
    choose(null);
  }

  function chooseFirst() {
    var first = document.querySelector("#fd-results .pick");
    if (first) { choose(first); }
  }

  document.addEventListener("keydown", function (event) {
    if (!byId("fd-panel") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && target.id === "fd-q") {
      if (event.key === "Enter") {
        event.preventDefault();
        var q = target.value.trim();
        var results = byId("fd-results");
        if (!q) { anonymous(); return; }
        if (results && results.dataset.q === q && !target.classList.contains("htmx-request")) {
          chooseFirst();
        } else {
          pickWhenLoaded = true;
          window.htmx.trigger(target, "fd-search-now");
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        anonymous();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      var box = byId("fd-q");
      if (box) { box.focus(); box.select(); }
      return;
    }
    if (/^[1-9]$/.test(event.key) && !isTyping(target)) {
      var button = document.querySelector('#fd-services .service[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("#fd-results .pick");
    if (pick) {
      event.preventDefault();
      choose(pick);
      return;
    }
    if (event.target.closest && event.target.closest("#fd-anon")) {
      event.preventDefault();
      anonymous();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail && event.detail.elt;
    if (!swapped) { return; }
    if (swapped.id === "fd-results" && pickWhenLoaded) {
      pickWhenLoaded = false;
      var q = byId("fd-q");
      if (q && swapped.dataset.q === q.value.trim()) { chooseFirst(); }
    } else if (swapped.id === "fd-panel") {
      var box = byId("fd-q");
      if (box) { box.focus(); }
    }
  });
})();
