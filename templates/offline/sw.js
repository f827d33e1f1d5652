// The register's service worker: the worker's own registers of the day, kept on the phone so
// they open with no connection. Every other page goes to the network as usual and is never
// stored. What it keeps is deleted at sign-out, at the end of the meeting's day, and when a
// new version of this file arrives (its cache name changes and the old cache goes).
"use strict";

const CACHE = "register-" + {{ version|tojson }};
const PRECACHE = {{ precache|tojson }};
const SIGN_OUT = {{ sign_out|tojson }};
const REGISTER = /^\/meetings\/\d+\/register$/;
// Set by the server only on a register the phone may keep: its value is the end of the day.
const KEEP_UNTIL = "X-Offline-Keep-Until";
// Bumped at each sign-out: a copy whose fetch began before it is never kept.
let signOuts = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; })
        .map(function (name) { return caches.delete(name); }));
    })
    .then(dropExpired)
    .then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.waitUntil(dropExpired());
  if (request.mode === "navigate" && request.method === "POST" && url.pathname === SIGN_OUT) {
    event.respondWith(signOut(request));
  } else if (request.method !== "GET") {
    return;
  } else if (request.mode === "navigate" && REGISTER.test(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
  }
  // Anything else: not answered here, so the browser asks the network and nothing is kept.
});

// The register page asks to keep (or refresh) its copy after it opened or sent its taps.
self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (typeof data.keep !== "string" || !REGISTER.test(data.keep)) return;
  const before = signOuts;
  event.waitUntil(fetch(data.keep, {credentials: "same-origin", cache: "no-store"})
    .then(function (response) { return keep(data.keep, response, before); })
    .catch(function () { return false; })
    .then(function (kept) {
      if (event.source) event.source.postMessage({kept: data.keep, ok: kept});
    }));
});

async function networkFirst(request, path) {
  const before = signOuts;
  try {
    const response = await fetch(request);
    await keep(path, response.clone(), before);
    return response;
  } catch (offline) {
    const kept = await keptCopy(path);
    if (kept) return kept;
    throw offline;
  }
}

// Copies being stored right now: a sign-out waits for them, so that none outlives it.
const storing = new Set();

function keep(path, response, before) {
  const stored = storeCopy(path, response, before);
  const done = function () { storing.delete(stored); };
  storing.add(stored);
  stored.then(done, done);
  return stored;
}

async function storeCopy(path, response, before) {
  const until = Date.parse(response.headers.get(KEEP_UNTIL) || "");
  const itself = new URL(response.url || path, self.location.origin).pathname === path;
  if (before === signOuts && response.ok && response.type === "basic" && !response.redirected
      && itself && until > Date.now()) {
    const cache = await caches.open(CACHE);
    await cache.put(path, response);
    await precache(cache);
    if (before === signOuts) return true;
    await caches.delete(CACHE);  // signed out while it was being stored: it goes too
    return false;
  }
  // Signed out, not today, or not this worker's group: no copy stays (and opening the cache
  // to say so would make an empty one after a sign-out).
  if (await caches.has(CACHE)) await (await caches.open(CACHE)).delete(path);
  return false;
}

// After a sign-out the static files went with the rest: fetch them again with the register.
async function precache(cache) {
  const missing = [];
  for (const url of PRECACHE) {
    if (!(await cache.match(url))) missing.push(url);
  }
  if (missing.length) await cache.addAll(missing);
}

// Opening a cache makes it: read only one that exists, so that none is made after sign-out.
async function keptCopy(path) {
  if (!(await caches.has(CACHE))) return undefined;
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  if (!hit) return undefined;
  if (!(Date.parse(hit.headers.get(KEEP_UNTIL) || "") > Date.now())) {
    await cache.delete(path);
    return undefined;
  }
  return hit;
}

async function dropExpired() {
  if (!(await caches.has(CACHE))) return;
  const cache = await caches.open(CACHE);
  const requests = await cache.keys();
  await Promise.all(requests.map(function (request) {
    const path = new URL(request.url).pathname;
    return REGISTER.test(path) ? keptCopy(path) : null;
  }));
}

async function signOut(request) {
  signOuts += 1;
  try {
    return await fetch(request);
  } finally {
    // Signing out deletes every copy, whether or not the server could be reached; a copy
    // being stored as it began finishes first (and, seeing the sign-out, deletes itself).
    await Promise.allSettled(Array.from(storing));
    const names = await caches.keys();
    await Promise.all(names.map(function (name) { return caches.delete(name); }));
  }
}
