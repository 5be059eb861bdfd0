// Offline use: the service worker (sw.js, written by the build) that caches the whole site.

import { container } from "./dom.mjs";

// Called once the calculator's first answer is on screen (so the precache mostly comes from the HTTP cache,
// not twice over the network, and never slows the first answer).
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !container.dataset.sw) return dropHandOver();
  navigator.serviceWorker.register(container.dataset.sw, { scope: container.dataset.swScope }).catch((error) => {
    console.info("calculator: offline support unavailable:", error.message); // the calculator itself works
    dropHandOver();
  });
}

// The files worker.mjs handed over for an offline copy that will not be made (sw.js deletes them once it has them).
function dropHandOver() {
  if (self.caches) caches.delete("calc-handover").catch(() => {});
}
