// Can this browser run the calculator? Asked before any byte of the runtime, so an old browser or in-app browser
// shows within a second what to do instead of a progress bar that never moves. A classic script in <head>, before
// page/boot.js, written for old engines (no arrow functions, no let): it must itself run where the calculator cannot.
//
// What Pyodide's start needs, each checked here (the README lists them against Pyodide's documented minimums):
//   WebAssembly                       typeof WebAssembly.validate
//   WebAssembly exception handling    WebAssembly.validate on a few-byte module with try … end (Chrome 95, Safari 15.2)
//   BigInt and BigInt64Array          Pyodide passes 64-bit integers to WebAssembly as BigInt (Chrome 85, Safari 15)
//   Worker, fetch, TextDecoder        the calculator runs in a Web Worker that downloads its files itself
//   a module worker                   worker.mjs posts {type: "alive"} before anything else; a browser without module
//                                     workers runs it as a classic script (a syntax error) or refuses to create it,
//                                     so an error before "alive" means "no module worker" (Chrome 80, Safari 15)
// window.calculatorCapability: {missing, watch(worker), refuse(reason)}; page/boot.js and page/worker-client.mjs
// use it, and page/worker-client.mjs calls refuse() for a start that fails later (out of memory, a crash).
(function () {
  "use strict";
  // (module (func (try (do)))): the legacy exception-handling opcode Pyodide's WebAssembly is built with.
  var TRY_MODULE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 6, 64, 11, 11];

  function missingFeatures() {
    var missing = [];
    if (typeof WebAssembly !== "object" || !WebAssembly || typeof WebAssembly.validate !== "function") {
      missing.push("webassembly");
    } else {
      var valid = false;
      try {
        valid = WebAssembly.validate(new Uint8Array(TRY_MODULE));
      } catch (error) {
        valid = false;
      }
      if (!valid) missing.push("wasm-exceptions");
    }
    if (typeof BigInt !== "function" || typeof BigInt64Array !== "function") missing.push("bigint");
    if (typeof Worker !== "function") missing.push("worker");
    if (typeof fetch !== "function" || typeof Promise !== "function" || typeof TextDecoder !== "function") {
      missing.push("fetch");
    }
    return missing;
  }

  var capability = { missing: missingFeatures(), refused: null };

  // As soon as the page's text is parsed ("interactive"), not at DOMContentLoaded: that waits for every module script
  // of the page to download and run first, and the message needs none of them.
  function whenParsed(action) {
    if (document.readyState !== "loading") return action();
    document.addEventListener("readystatechange", function parsed() {
      document.removeEventListener("readystatechange", parsed);
      action();
    });
  }

  // The message block of calculator.html, under the page's title: this browser cannot run the calculator, what to do
  // (another browser; in WeChat its "open in browser" item, shown only there) and the links to the explainer pages'
  // rate tables and worked examples.
  function show() {
    var block = document.getElementById("calculator-unsupported");
    if (!block) return;
    block.hidden = false;
    var wechat = block.querySelector("[data-wechat]");
    if (wechat) wechat.hidden = !/MicroMessenger/i.test(navigator.userAgent);
    // A calculator that stopped on this device after it had started (its worker gone: out of memory, killed): it may
    // run after a reload (the form comes back from the address), so the message offers one.
    var retry = block.querySelector("[data-retry]");
    if (retry) {
      retry.hidden = capability.refused !== "stopped";
      retry.querySelector("button").addEventListener("click", function () { location.reload(); });
    }
    var status = document.getElementById("calculator-status");
    if (status) {
      status.setAttribute("data-state", "failed");
      var bar = status.querySelector("progress");
      if (bar) bar.hidden = true;
      status.hidden = true; // the message above says it all
    }
    capability.shownAt = performance.now(); // the benchmark reads when the message appeared
    document.documentElement.setAttribute("data-calculator-unsupported", capability.refused);
  }

  capability.refuse = function (reason) {
    if (capability.refused) return;
    capability.refused = reason || "start";
    whenParsed(show);
  };

  // The worker's first words decide whether this browser has module workers.
  capability.watch = function (worker) {
    var alive = false;
    worker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "alive") alive = true;
    });
    worker.addEventListener("error", function () {
      // On a page the offline copy controls, this browser has run the calculator before: the copy is damaged, and
      // page/worker-client.mjs drops it and loads from the network.
      var offlineCopy = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (!alive && !offlineCopy) capability.refuse("module-worker");
    });
  };

  if (capability.missing.length) capability.refuse(capability.missing.join(" "));
  window.calculatorCapability = capability;
})();
