// The calculator's first steps, taken while the page is still being read (speed). A classic script
// in <head>, so it runs before the page's first layout (on a phone, a good part of a second for this page)
// and before its modules have loaded:
//   1. if page/capability.js (the script before this one) found nothing missing, start the worker as soon as the
//      page's first frame is on screen (or sooner, when the page's module asks), keeping what it says until
//      page/worker-client.mjs takes it over (window.calculatorWorker). The worker itself asks at once for every
//      file it needs before its first answer and feeds Pyodide from those very responses (worker.mjs), so each is
//      downloaded once whatever Cache-Control the server sends (a portal's no-store included) and the .wasm is
//      compiled while it streams;
//   2. ask at once for the page's own module (modulepreload, the <meta name="calculator-preload"> the build writes,
//      sitebuild/runtime.py calculator_preloads; one file, every page module joined by the build), before the
//      parser reaches its <script> at the end of the page.
// From a script, not <link> tags, so a browser that cannot run the calculator (no JavaScript, no WebAssembly,
// no module worker) downloads none of the runtime; page/capability.js then says what to do instead.
(function () {
  "use strict";
  // A worked example's link or leaflet QR code (#ex=<id>): its answer, computed when the site was built, is asked
  // for now, while the page is still being read, not once the page's module runs after the whole page is parsed;
  // page/prerender.mjs draws it. Asked for even where the calculator cannot run: that answer still shows.
  var answers = document.querySelector('meta[name="calculator-answers"]');
  var example = /(?:^#|&)ex=([^&]*)/.exec(location.hash);
  if (answers && example && typeof fetch === "function") {
    var pairs = (answers.content || "").split(" ");
    for (var j = 0; j + 1 < pairs.length; j += 2) {
      if (pairs[j] !== decodeURIComponent(example[1])) continue;
      window.calculatorEarlyAnswer = {
        url: pairs[j + 1],
        text: fetch(pairs[j + 1]).then(function (r) { return r.ok ? r.text() : null; })
                                  .catch(function () { return null; }),
      };
    }
  }
  var manifestElement = document.getElementById("calculator-manifest");
  var list = document.querySelector('meta[name="calculator-preload"]');
  var capability = window.calculatorCapability;
  if (!manifestElement || !capability || capability.missing.length) return;
  function modulepreload(hrefs) {
    for (var i = 0; i < hrefs.length; i++) {
      if (!hrefs[i]) continue;
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = hrefs[i];
      document.head.appendChild(link);
    }
  }
  var preloads = list ? (list.content || "").split(" ") : [];
  // A worked example's link or leaflet QR code (#ex=…): its answer, computed when the site was built, is what the
  // resident waits for (page/prerender.mjs), and nothing may share the link with it; main.mjs starts the worker.
  // The page's module draws that answer: asked for here, before the parser reaches its <script>.
  if (/(^#|&)ex=/.test(location.hash)) {
    modulepreload(preloads);
    return;
  }
  var manifestURL, manifest;
  try {
    manifestURL = new URL(manifestElement.getAttribute("data-url"), location.href).href;
    manifest = JSON.parse(manifestElement.textContent);
  } catch (error) {
    return; // page/worker-client.mjs starts the worker itself and reports the failure
  }
  // The worker once the page's first frame is on screen: started earlier, the runtime's compile (on the phone's
  // other cores, while the .wasm streams in) competes with the first layout and paint of this long page, and the
  // resident waits longer to see anything. page/worker-client.mjs calls start() itself if it runs first.
  var started = false;
  function start() {
    if (started) return;
    started = true;
    try {
      var worker = new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
      capability.watch(worker);
      var events = [];
      worker.onmessage = worker.onerror = function (event) {
        events.push(event);
      };
      // handOver: the offline copy is still to be made on this device (page/worker-client.mjs asks the same)
      worker.postMessage({ type: "start", manifest: manifest, base: manifestURL,
                           handOver: Boolean(navigator.serviceWorker && !navigator.serviceWorker.controller) });
      window.calculatorWorker = { worker: worker, events: events };
    } catch (error) {
      capability.refuse("module-worker"); // a browser that refuses to create a module worker at all
    }
  }
  window.calculatorStartWorker = start;
  if (typeof requestAnimationFrame === "function") {
    requestAnimationFrame(function () { setTimeout(start, 0); }); // the task after the first frame
  } else {
    setTimeout(start, 0);
  }
  modulepreload(preloads);
})();
