// The register on a bad connection. Without this script every tap is a form post, as before.
// With it, a tap is put in a queue on the phone (localStorage) with an idempotency key, shown
// at once, and sent to the server as JSON when there is a connection; the server applies each
// key once, so sending again after a lost answer never counts twice. The queue holds ids and
// what was tapped, no names; it is kept until the server has it, even across a sign-in. The
// service worker (/sw.js) keeps this page so it opens with no connection: see the README,
// "What the phone keeps".
(function () {
  "use strict";
  var sync = document.getElementById("sync");
  if (!sync || !window.localStorage || !window.fetch) return;

  var QUEUE = "peer-groups-register-queue";
  var meeting = Number(sync.dataset.meeting);
  var status = sync.querySelector(".sync-status");
  var waiting = sync.querySelector(".sync-waiting");
  var signIn = sync.querySelector(".sync-sign-in");
  var notices = sync.querySelector(".sync-notices");
  var totalLine = document.querySelector(".register-total");
  var headcountOut = document.querySelector("output[data-headcount]");
  var sending = false;
  var signedOut = false;
  var warnedSignOut = false;

  // What the server said last (from the page, then from each answer).
  var base = {
    headcount: Number(headcountOut.dataset.headcount),
    total: Number(totalLine.dataset.total),
    closed: !!document.querySelector("[data-closed-notice]"),
    marks: {}
  };
  document.querySelectorAll("li.register-row[data-mark]").forEach(function (row) {
    base.marks[row.dataset.person] = row.dataset.mark === "" ? null : row.dataset.mark === "true";
  });

  function readAll() {
    try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (broken) { return []; }
  }
  function writeAll(taps) {
    if (taps.length) localStorage.setItem(QUEUE, JSON.stringify(taps));
    else localStorage.removeItem(QUEUE);
  }
  function mine() {
    return readAll().filter(function (tap) { return tap.meeting === meeting; });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function plural(name, count) {
    return sync.dataset[name + (count === 1 ? "One" : "Other")].replace("{n}", count);
  }

  // --- what the page shows: the server's last word with the waiting taps on top ---------
  function view() {
    var shown = {headcount: base.headcount, closed: base.closed, marks: Object.assign({}, base.marks)};
    mine().forEach(function (tap) {
      if (tap.kind === "mark" && tap.user_id in shown.marks) shown.marks[tap.user_id] = tap.present;
      if (tap.kind === "headcount") shown.headcount = Math.max(0, shown.headcount + tap.delta);
      if (tap.kind === "close") shown.closed = true;
    });
    var named = 0;
    Object.keys(shown.marks).forEach(function (id) {
      named += (shown.marks[id] === true ? 1 : 0) - (base.marks[id] === true ? 1 : 0);
    });
    shown.total = base.total + named + shown.headcount - base.headcount;
    return shown;
  }

  function render() {
    var shown = view();
    document.querySelectorAll("li.register-row[data-mark]").forEach(function (row) {
      var mark = shown.marks[row.dataset.person];
      var state = row.querySelector(".state");
      state.textContent = mark === true ? state.dataset.present
        : mark === false ? state.dataset.absent : state.dataset.unmarked;
      row.querySelectorAll("button[name=present]").forEach(function (button) {
        var on = (button.value === "1") === mark && mark !== null && mark !== undefined;
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("button-primary", on);
      });
    });
    headcountOut.textContent = shown.headcount;
    totalLine.textContent = totalLine.dataset.pattern.replace("{n}", shown.total);
    // Recording a spoken yes needs the server: not offered while there is no connection.
    document.querySelectorAll("a[data-tap=consent]").forEach(function (link) {
      link.hidden = shown.closed || !navigator.onLine;
    });
    if (shown.closed) closeOnPage();
    var count = mine().length;
    waiting.textContent = count ? plural("waiting", count) : "";
    signIn.hidden = !(signedOut && count);
    if (signedOut && count) status.textContent = sync.dataset.signedOut;
    else if (count && !navigator.onLine) status.textContent = sync.dataset.offline;
  }

  function closeOnPage() {
    document.querySelectorAll("form[data-tap], [data-open-only], a[data-tap]").forEach(function (node) {
      node.hidden = true;
    });
    if (!document.querySelector("[data-closed-notice]")) {
      var notice = document.createElement("p");
      notice.className = "notice";
      notice.dataset.closedNotice = "";
      notice.textContent = sync.dataset.closed;
      totalLine.insertAdjacentElement("afterend", notice);
    }
  }

  // --- a tap ----------------------------------------------------------------------------
  function queue(tap) {
    var taps = readAll();
    if (tap.kind === "mark") {
      // One waiting mark per person: the newest. Back to what the server has: none at all.
      taps = taps.filter(function (old) {
        return old.sending || !(old.meeting === meeting && old.kind === "mark" && old.user_id === tap.user_id);
      });
      var inFlight = taps.some(function (old) {
        return old.meeting === meeting && old.kind === "mark" && old.user_id === tap.user_id;
      });
      if (!inFlight && base.marks[tap.user_id] === tap.present) { writeAll(taps); return; }
    }
    tap.key = newKey();
    tap.meeting = meeting;
    tap.tapped_at = new Date().toISOString();
    taps.push(tap);
    writeAll(taps);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset.tap;
    if (!kind) return;
    event.preventDefault();
    var shown = view();
    if (shown.closed) return;
    if (kind === "mark") {
      var present = (event.submitter || form.querySelector("button")).value === "1";
      queue({kind: "mark", user_id: Number(form.dataset.person), present: present});
    } else if (kind === "headcount") {
      var delta = Number(form.dataset.delta);
      if (delta < 0 && shown.headcount === 0) return;
      queue({kind: "headcount", delta: delta});
    } else if (kind === "close") {
      queue({kind: "close"});
    }
    render();
    send();
  });

  // --- sending --------------------------------------------------------------------------
  function token(html) {
    var holder = html ? new DOMParser().parseFromString(html, "text/html") : document;
    var input = holder.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function post(taps, csrf) {
    return fetch(sync.dataset.tapsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({taps: taps.map(function (tap) {
        return {key: tap.key, kind: tap.kind, user_id: tap.user_id, present: tap.present,
                delta: tap.delta, tapped_at: tap.tapped_at};
      })})
    });
  }

  // A fresh token from the register itself; null when the session has ended.
  async function freshToken() {
    var page = await fetch(location.pathname, {credentials: "same-origin", cache: "no-store"});
    if (page.redirected || !page.ok) {
      if (page.redirected) signIn.href = page.url;
      return null;
    }
    return token(await page.text());
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  async function send() {
    var taps = mine();
    if (sending || !taps.length) { render(); return; }
    if (!navigator.onLine) { render(); return; }
    sending = true;
    markSending(taps, true);
    status.textContent = sync.dataset.sending;
    try {
      var answer = await post(taps, token());
      if (answer.status === 401 || answer.redirected || (!answer.ok && !isJson(answer))) {
        var fresh = await freshToken();
        if (fresh === null) { signedOut = true; return; }
        answer = await post(taps, fresh);
      }
      if (answer.status === 401 || answer.redirected) { signedOut = true; return; }
      if (!answer.ok) { status.textContent = sync.dataset.retry; return; }
      signedOut = false;
      settle(await answer.json());
      status.textContent = sync.dataset.sent;
      keepCopy();
    } catch (offline) {
      status.textContent = navigator.onLine ? sync.dataset.retry : sync.dataset.offline;
    } finally {
      markSending(taps, false);
      sending = false;
      render();
    }
  }

  function markSending(taps, on) {
    var keys = taps.map(function (tap) { return tap.key; });
    writeAll(readAll().map(function (tap) {
      if (keys.indexOf(tap.key) !== -1) { if (on) tap.sending = true; else delete tap.sending; }
      return tap;
    }));
  }

  // The server's answer: drop what it has, take its numbers, tell what it could not name.
  function settle(answer) {
    var done = answer.results.map(function (result) { return result.key; });
    writeAll(readAll().filter(function (tap) { return done.indexOf(tap.key) === -1; }));
    base.headcount = answer.headcount;
    base.total = answer.total;
    base.closed = answer.closed;
    Object.keys(base.marks).forEach(function (id) {
      base.marks[id] = id in answer.marks ? answer.marks[id] : null;
    });
    answer.results.forEach(function (result) {
      if (!result.message) return;
      var row = result.user_id && document.getElementById("person-" + result.user_id);
      var name = row ? row.querySelector(".who").textContent + ": " : "";
      var item = document.createElement("li");
      item.className = "flash flash-error";
      item.textContent = name + result.message;
      notices.appendChild(item);
      if (row && result.code === "no_consent_counted") unnamed(row);
    });
  }

  // Their consent is not in force: off the named list on this page too.
  function unnamed(row) {
    delete base.marks[row.dataset.person];
    row.removeAttribute("data-mark");
    row.querySelectorAll("form").forEach(function (form) { form.remove(); });
    row.querySelector(".state").textContent = sync.dataset.noConsent;
  }

  // --- the copy on the phone ------------------------------------------------------------
  function keepCopy() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    navigator.serviceWorker.controller.postMessage({keep: location.pathname});
  }

  function installWorker() {
    if (!navigator.serviceWorker || !window.isSecureContext) return;
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.kept === location.pathname && event.data.ok) {
        document.documentElement.dataset.offlineReady = "true";
      }
    });
    navigator.serviceWorker.register(sync.dataset.workerUrl, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!navigator.onLine) return;
      // This page came from the network before the worker ran: have it keep a copy now.
      var worker = navigator.serviceWorker.controller || registration.active;
      worker.postMessage({keep: location.pathname});
    }).catch(function () { /* no offline copy; the page works online */ });
  }

  // Signing out with taps still waiting: warn once; they stay and go after the next sign-in.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!/\/auth\/sign-out$/.test(form.getAttribute("action") || "")) return;
    var count = mine().length;
    if (count && !warnedSignOut) {
      event.preventDefault();
      warnedSignOut = true;
      status.textContent = plural("unsent", count);
      sync.scrollIntoView();
    }
  }, true);

  sync.hidden = false;
  markSending(readAll(), false);  // a page closed while sending: those go again
  status.textContent = navigator.onLine ? sync.dataset.ready : sync.dataset.offline;
  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  setInterval(function () { if (mine().length) send(); }, 15000);
  render();
  installWorker();
  send();
}());
