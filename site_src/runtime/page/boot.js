// The calculator's first steps, taken while the page is still being read (issue 9, speed). A classic script
// in <head>, so it runs before the page's first layout (on a phone, a good part of a second for this page)
// and before its modules have loaded:
//   1. ask at once for the page's modules and, once the page is painted, for every file the worker needs before its
//      first answer (the <meta name="calculator-preload"> the build writes, sitebuild/runtime.py calculator_preloads),
//      instead of one after another as each file names the next (main.mjs its imports; worker.mjs, load-rules.mjs,
//      pyodide.mjs, pyodide.asm.mjs, then the .wasm): on a rural link that chain costs about a second before the big
//      download starts;
//   2. start the worker, keeping what it says until page/worker-client.mjs takes it over (window.calculatorWorker).
// From a script, not <link> tags, so a browser that cannot run the calculator (no JavaScript, no WebAssembly,
// no module worker) downloads none of it; page/worker-client.mjs then says why.
(function () {
  "use strict";
  var manifestElement = document.getElementById("calculator-manifest");
  var list = document.querySelector('meta[name="calculator-preload"]');
  if (!manifestElement || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  // A worked example's link or leaflet QR code (#ex=…): its answer, computed when the site was built, is what the
  // resident waits for (page/prerender.mjs), and nothing may share the link with it; main.mjs starts the worker.
  if (/(^#|&)ex=/.test(location.hash)) return;
  var manifestURL, manifest;
  try {
    manifestURL = new URL(manifestElement.getAttribute("data-url"), location.href).href;
    manifest = JSON.parse(manifestElement.textContent);
  } catch (error) {
    return; // page/worker-client.mjs starts the worker itself and reports the failure
  }
  function modulepreload(hrefs) {
    for (var i = 0; i < hrefs.length; i++) {
      if (!hrefs[i]) continue;
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = hrefs[i];
      document.head.appendChild(link);
    }
  }
  // fetch(), not <link rel=preload>: the file lands in the HTTP cache for the worker's own request (the same URL and
  // mode, so one download), and the browser does not warn that this page never used what it preloaded. The body is
  // read as a Blob (kept by the browser, outside this page's memory and without a script step per chunk) and dropped.
  function download(hrefs) {
    for (var i = 0; i < hrefs.length; i++) {
      if (!hrefs[i]) continue;
      fetch(hrefs[i], { credentials: "same-origin" }).then(function (response) {
        return response.blob();
      }).catch(function () {}); // the worker's own request says what went wrong
    }
  }
  // The worker first: its script is the first request, and its start waits for the page's main thread, which is
  // about to be busy reading and laying out the page.
  try {
    var worker = new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
    var events = [];
    worker.onmessage = worker.onerror = function (event) {
      events.push(event);
    };
    worker.postMessage({ type: "start", manifest: manifest, base: manifestURL });
    window.calculatorWorker = { worker: worker, events: events };
  } catch (error) {
    return; // page/worker-client.mjs tries again and reports the failure
  }
  if (!list) return;
  modulepreload((list.getAttribute("data-modules") || "").split(" "));
  // The big files once the page has been painted: the page itself (its text, the form) comes first.
  requestAnimationFrame(function () {
    setTimeout(function () {
      download(list.content.split(" "));
    }, 0);
  });
})();
