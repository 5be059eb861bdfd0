// Offline use: the service worker (sw.js, written by the build) that caches the whole site.

import { container } from "./dom.mjs";

// Called once the calculator's first answer is on screen (so the precache mostly comes from the HTTP cache,
// not twice over the network, and never slows the first answer).
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !container.dataset.sw) return;
  navigator.serviceWorker.register(container.dataset.sw, { scope: container.dataset.swScope }).catch((error) => {
    console.info("calculator: offline support unavailable:", error.message); // the calculator itself works
  });
}
