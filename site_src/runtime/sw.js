// Offline support. The build writes the cache name and the precache list (every page, every
// content-hashed asset, the calculator's runtime, each with the SHA-256 of its bytes) into this file,
// so each build is a new service worker with its own cache: it is installed whole, every file checked
// against its hash, then the old cache is deleted, and a page never mixes files of two builds.
const CACHE = __CACHE__;
const PRECACHE = __PRECACHE__; // [[site path, sha-256 hex], ...]
const PREFIX = "qinyuan-";
const HANDOVER = "calc-handover"; // worker.mjs's hand-over of the files it downloaded, deleted once installed

// Content-addressed files (runtime/<hash>/, runtime/pyodide-<version>/, static/<name>.<hash>.*) never
// change, so the browser's HTTP cache may supply them: the calculator has just downloaded them, and a
// slow connection must not pay twice. Pages are revalidated.
const VERSIONED = /\/(runtime\/[^/]+|static)\//;

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// One file into the cache only when its bytes are this build's (never a damaged copy): first as the HTTP
// cache may supply it, then once more straight from the server; a file that still differs fails the
// install, and the previous service worker (or none) stays in charge.
async function precacheOne(cache, [path, hash]) {
  // The calculator's worker handed over the runtime files a no-store server would have this worker download again
  // (worker.mjs, HANDOVER): checked against the hash like any other.
  const handed = VERSIONED.test(path) && (await caches.has(HANDOVER)) && (await (await caches.open(HANDOVER)).match(path));
  if (handed && (await sha256(await handed.clone().arrayBuffer())) === hash) {
    await cache.put(path, handed);
    return;
  }
  for (const mode of [VERSIONED.test(path) ? "default" : "no-cache", "reload"]) {
    const response = await fetch(new Request(path, { cache: mode }));
    if (response.ok && (await sha256(await response.clone().arrayBuffer())) === hash) {
      await cache.put(path, response);
      return;
    }
  }
  throw new Error(`${path} does not match this build`);
}

// Content-addressed files straight from this build's cache, without waking this script for each of them (the
// Service Worker Static Routing API, where the browser has it): a returning visit asks for twenty-odd of them at
// once, and each one through the fetch handler below waits its turn. A file not in the cache still comes
// from the network.
function addRoutes(event) {
  if (typeof event.addRoutes !== "function" || typeof URLPattern !== "function") return Promise.resolve();
  const scope = new URL(self.registration.scope).pathname;
  return event.addRoutes(["runtime/*", "static/*"].map((path) => ({
    condition: { urlPattern: new URLPattern({ pathname: scope + path }) },
    source: { cacheName: CACHE },
  }))).catch(() => {}); // a browser that refuses the routes still has the fetch handler
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    addRoutes(event).then(() => caches.open(CACHE))
      .then((cache) => Promise.all(PRECACHE.map((entry) => precacheOne(cache, entry))))
      .then(() => self.skipWaiting(), (error) => caches.delete(CACHE).then(() => { throw error; }))
      .finally(() => caches.delete(HANDOVER)),
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
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    // Pages: the network first (a fresh build shows at once), this build's copy when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) =>
          cache.match(request, { ignoreSearch: true }).then((hit) => hit || cache.match(__NOT_FOUND__)))),
    );
    return;
  }
  if (!VERSIONED.test(url.pathname)) {
    // Files whose name does not change with their content (qr/*.svg, examples.json, …): the network
    // first too, so an old worker never serves an old copy while a new build is online.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true })))
        .then((response) => response || Response.error()),
    );
    return;
  }
  // Content-addressed files: this build's cache first, then the network.
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request))),
  );
});
