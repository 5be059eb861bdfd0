// Offline support. The build writes the cache name and the precache list (every page, every
// content-hashed asset, the calculator's runtime) into this file, so each build is a new
// service worker with its own cache: it is installed whole, then the old cache is deleted,
// and a page never mixes files of two builds.
const CACHE = __CACHE__;
const PRECACHE = __PRECACHE__;
const PREFIX = "qinyuan-";

// Content-addressed files (runtime/<hash>/, runtime/pyodide-<version>/, static/<name>.<hash>.*) never
// change, so the browser's HTTP cache may supply them: the calculator has just downloaded them, and a
// slow connection must not pay twice. Pages are revalidated.
const VERSIONED = /\/(runtime\/[^/]+|static)\//;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) =>
        new Request(path, { cache: VERSIONED.test(path) ? "default" : "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  if (request.mode === "navigate") {
    // Pages: the network first (a fresh build shows at once), this build's copy when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) =>
          cache.match(request, { ignoreSearch: true }).then((hit) => hit || cache.match(__NOT_FOUND__)))),
    );
    return;
  }
  // Everything else is content-addressed: this build's cache first, then the network.
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request))),
  );
});
