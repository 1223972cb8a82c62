// ChoSo's service worker: the stall keeper's screens open with no connection. Pages are fetched
// from the network first and kept; when the network fails, the last copy is shown (the page then
// says "mất kết nối — đang chờ" and catches up when the connection returns). Styles, scripts and
// QR images are kept and served from the cache (pages name them by version: /app.css?v=…, so a
// new version is a new entry).
"use strict";
var CACHE = "choso-v3";
// Kept as they pass through (versioned URLs: a new version is a new entry); nothing is fetched
// ahead, so installing costs a phone on weak 4G no extra bytes.
var SHELL = ["/app.css", "/live.js", "/cashier.js", "/confirm.js", "/request.js", "/community.js", "/manifest.webmanifest", "/icon.svg"];

self.addEventListener("install", function (event) {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function keeperPage(url) { return /^\/stalls\/[^/]+\/(live|today)$/.test(url.pathname) || url.pathname === "/" || url.pathname === "/community"; }
function keptAsset(url) { return SHELL.indexOf(url.pathname) >= 0 || url.pathname === "/api/v1/qr/encode"; }

// A page that must open offline from its first visit (the team's phone app) names itself and its
// scripts once this worker is active: the first load happened before the worker controlled it.
self.addEventListener("message", function (event) {
  var urls = event.data && event.data.keep;
  if (!Array.isArray(urls)) return;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(function (u) {
      var url = new URL(u, self.location.origin);
      return url.origin === self.location.origin && (keeperPage(url) || keptAsset(url));
    }).map(function (u) {
      return fetch(u, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? cache.put(new Request(new URL(u, self.location.origin).href), response) : null;
      }).catch(function () { return null; });
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && keeperPage(url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (cached) { return cached || Response.error(); });
    }));
    return;
  }
  if (keptAsset(url)) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (cache) { cache.put(request, copy); }); }
        return response;
      });
    }));
  }
});
