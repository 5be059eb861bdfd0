// Runtime prefetch (speed): on a page other than the calculator, once it has loaded and the browser
// is idle, fetch the calculator's runtime (the list is in data-prefetch, written by the build from
// site.toml [runtime] prefetch) into the browser's HTTP cache, so that opening the calculator later
// starts Python without waiting for the download. Every file is content-addressed and served as
// immutable, so the cache may keep it. Not done:
//   - under Save-Data (the browser's data saver: navigator.connection.saveData),
//   - on a 2g or slow-2g connection (navigator.connection.effectiveType),
//   - when this runtime has been prefetched before on this device (localStorage), or storage is off,
//   - when the service worker already holds the site (it was installed by a calculator visit).
// <link rel="prefetch"> rather than fetch(): the browser fetches at its lowest priority and does not
// abort the download when the resident follows a link to another page.
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = (script && script.getAttribute("data-prefetch") || "").split(" ").filter(Boolean);
  if (!urls.length) return;
  var key = "qinyuan-prefetched";
  var runtime = urls[urls.length - 1].split("/").slice(0, -1).join("/"); // runtime/<content hash>

  function allowed() {
    var connection = navigator.connection;
    if (connection && (connection.saveData || /(^|-)2g$/.test(connection.effectiveType || ""))) return false;
    if (navigator.serviceWorker && navigator.serviceWorker.controller) return false;
    try {
      return localStorage.getItem(key) !== runtime;
    } catch (error) {
      return false; // no storage: we could not keep "never more than once"
    }
  }

  function decided(state) {
    document.documentElement.setAttribute("data-runtime-prefetch", state); // for the tests
  }

  function prefetch() {
    if (!allowed()) return decided("skipped");
    try {
      localStorage.setItem(key, runtime);
    } catch (error) {
      return decided("skipped");
    }
    for (var i = 0; i < urls.length; i++) {
      var link = document.createElement("link");
      link.rel = "prefetch";
      link.href = urls[i];
      document.head.appendChild(link);
    }
    decided("started");
  }

  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(prefetch, { timeout: 5000 });
    else window.setTimeout(prefetch, 2000);
  }

  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle);
})();
