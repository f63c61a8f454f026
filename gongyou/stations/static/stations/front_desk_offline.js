/* Front desk, offline: when the connection drops, visits are kept in this browser
   (localStorage, one queue per station) and sent to POST /api/v1/visits when it is back, each
   with the Idempotency-Key the page gave it, so a visit is never lost nor counted twice (a
   repeat of a key the server already has is answered with the first visit). A visit the server
   refuses (409 key used for a different visit, 422 invalid, e.g. older than 30 days) stays in
   the list as a conflict with the server's message until staff discard it or send it again:
   nothing is dropped or overwritten silently. */
(function () {
  "use strict";

  var root = document.getElementById("fd-offline");
  if (!root || !window.localStorage) { return; }
  var stationId = root.dataset.stationId;
  var apiUrl = root.dataset.api;
  var logUrl = root.dataset.logUrl;
  var storeKey = "gongyou.frontdesk.v1." + stationId;
  var text = {};
  var source = document.getElementById("fd-offline-text");
  Array.prototype.forEach.call(source ? source.content.querySelectorAll("[data-k]") : [], function (el) {
    text[el.dataset.k] = el.textContent.trim();
  });
  var pending = null;   // the visit of the service button just pressed
  var syncing = false;
  var timer = null;
  var RETRY_MS = 15000;

  function byId(id) { return document.getElementById(id); }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(storeKey, JSON.stringify(items)); }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function hhmm(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function setStatus(message, kind) {
    var status = byId("fd-status");
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    span.className = kind || "";
    span.textContent = message;
    status.appendChild(span);
  }

  function render() {
    var items = load();
    var waiting = items.filter(function (i) { return i.state !== "conflict"; });
    var conflicts = items.filter(function (i) { return i.state === "conflict"; });
    var online = navigator.onLine;
    root.hidden = online && items.length === 0;
    byId("fd-net").textContent = online ? (items.length ? text.online_pending : text.online) : text.offline;
    byId("fd-net").className = "fd-net " + (online ? "on" : "off");
    byId("fd-waiting-count").textContent = String(waiting.length);
    byId("fd-conflict-count").textContent = String(conflicts.length);
    fill(byId("fd-waiting"), waiting, false);
    fill(byId("fd-conflicts"), conflicts, true);
    byId("fd-conflict-block").hidden = conflicts.length === 0;
    byId("fd-send-now").hidden = !online || waiting.length === 0;
  }

  function fill(list, items, conflict) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.dataset.key = item.key;
      var what = document.createElement("span");
      what.textContent = hhmm(item.at) + " · " + item.service_label + " · " + (item.worker_label || text.anonymous);
      li.appendChild(what);
      if (conflict) {
        var why = document.createElement("span");
        why.className = "error";
        why.textContent = " — " + item.error;
        li.appendChild(why);
        li.appendChild(button(text.retry, "retry", item.key));
        li.appendChild(button(text.discard, "discard", item.key));
      }
      list.appendChild(li);
    });
  }

  function button(label, action, key) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.dataset.action = action;
    b.dataset.key = key;
    b.textContent = label;
    return b;
  }

  function enqueue(visit) {
    var items = load();
    if (!items.some(function (i) { return i.key === visit.key; })) {
      visit.state = "waiting";
      items.push(visit);
      save(items);
    }
    // The next visit gets a fresh key and starts anonymous, as after a save on the server.
    var keyInput = document.querySelector("#fd-form input[name=idempotency_key]");
    if (keyInput) { keyInput.value = newKey(); }
    var who = byId("fd-who-name");
    if (byId("fd-worker-id")) { byId("fd-worker-id").value = ""; }
    if (byId("fd-worker-label")) { byId("fd-worker-label").value = ""; }
    if (who) { who.textContent = who.dataset.anonymous; }
    var q = byId("fd-q");
    if (q) { q.value = ""; }
    setStatus(text.kept.replace("%(service)s", visit.service_label)
      .replace("%(who)s", visit.worker_label || text.anonymous).replace("%(time)s", hhmm(visit.at)), "ok");
    render();
    if (q) { q.focus(); }
    schedule(navigator.onLine ? 1000 : RETRY_MS);
  }

  function visitFrom(buttonEl) {
    var form = byId("fd-form");
    return {
      key: form.querySelector("input[name=idempotency_key]").value,
      station_id: Number(stationId),
      service: buttonEl.value,
      service_label: (buttonEl.querySelector("span") || buttonEl).textContent.trim(),
      worker_id: byId("fd-worker-id").value ? Number(byId("fd-worker-id").value) : null,
      worker_label: byId("fd-worker-label").value || "",
      at: new Date().toISOString()
    };
  }

  // A service button: offline, keep the visit here instead of posting it.
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest("#fd-services .service");
    if (!b) { return; }
    pending = visitFrom(b);
    if (!navigator.onLine) {
      event.preventDefault();
      event.stopImmediatePropagation();
      enqueue(pending);
      pending = null;
    }
  }, true);

  function isLog(event) {
    var config = event.detail && event.detail.requestConfig;
    return config && config.path === logUrl;
  }

  // Online as far as the browser knew, but the request never reached the server (or its
  // answer never came back): keep the visit; its key makes a resend safe either way.
  document.addEventListener("htmx:sendError", function (event) {
    if (isLog(event) && pending) { enqueue(pending); pending = null; return; }
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest(".fd-search")) { setStatus(text.search_offline, "error"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isLog(event) || !pending) { return; }
    var xhr = event.detail.xhr;
    if (xhr && (xhr.status === 502 || xhr.status === 503 || xhr.status === 504)) { enqueue(pending); }
    pending = null;
  });

  function messageOf(body, status) {
    if (!body || typeof body !== "object") { return text.refused + " (" + status + ")"; }
    var parts = [body.message || ""];
    Object.keys(body.fields || {}).forEach(function (k) {
      var m = body.fields[k].message;
      if (m && parts.indexOf(m) < 0) { parts.push(m); }
    });
    return parts.filter(Boolean).join(" ");
  }

  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(flush, ms);
  }

  function refreshToday() {
    var today = byId("today");
    if (today && window.htmx && today.getAttribute("hx-get")) {
      window.htmx.ajax("GET", today.getAttribute("hx-get"), { target: "#today", swap: "outerHTML" });
    }
  }

  function flush() {
    timer = null;
    if (syncing) { return; }
    var next = load().filter(function (i) { return i.state !== "conflict"; })[0];
    if (!next) { render(); return; }
    if (!navigator.onLine) { render(); schedule(RETRY_MS); return; }
    syncing = true;
    root.setAttribute("aria-busy", "true");
    fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": next.key,
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify({ station_id: next.station_id, service: next.service, worker_id: next.worker_id, at: next.at })
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      syncing = false;
      root.removeAttribute("aria-busy");
      var items = load();
      if (result.status === 201) {
        save(items.filter(function (i) { return i.key !== next.key; }));
        render();
        if (!load().some(function (i) { return i.state !== "conflict"; })) {
          setStatus(text.all_sent, "ok");
          refreshToday();
        }
        flush();
      } else if (result.status === 401 || result.status === 403) {
        setStatus(text.sign_in_again, "error");
        render();
      } else if (result.status >= 400 && result.status < 500) {
        items.forEach(function (i) {
          if (i.key === next.key) { i.state = "conflict"; i.error = messageOf(result.body, result.status); }
        });
        save(items);
        setStatus(text.conflict, "error");
        render();
        flush();
      } else {
        render();
        schedule(RETRY_MS);
      }
    }, function () {
      syncing = false;
      root.removeAttribute("aria-busy");
      render();
      schedule(RETRY_MS);
    });
  }

  root.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest("button");
    if (!b) { return; }
    if (b.id === "fd-send-now") { flush(); return; }
    var key = b.dataset.key;
    var items = load();
    if (b.dataset.action === "discard") {
      if (!window.confirm(text.confirm_discard)) { return; }
      save(items.filter(function (i) { return i.key !== key; }));
      setStatus(text.discarded, "");
    } else if (b.dataset.action === "retry") {
      items.forEach(function (i) { if (i.key === key) { i.state = "waiting"; delete i.error; } });
      save(items);
      schedule(0);
    }
    render();
  });

  window.addEventListener("online", function () { render(); schedule(0); });
  window.addEventListener("offline", function () { render(); });
  window.addEventListener("storage", function (event) { if (event.key === storeKey) { render(); } });
  window.gongyouFrontDesk = { flush: flush, queue: load };
  render();
  schedule(0);
})();
