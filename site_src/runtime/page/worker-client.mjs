// The rule module's side of the page: starts the worker that runs it in Pyodide, shows the loading
// progress, gives up with a plain message and the fallback links after a stall or a failure,
// and sends requests to it once it is ready.

import { manifest, manifestURL, params, ui } from "./dom.mjs";

// Stall timeout: the page gives up only after ?timeout=<seconds> (10-600,
// default 30; anything else is the default or the nearest bound) with NO progress at all: no byte
// received, no stage reached. A slow but moving download is never stopped.
function stallSeconds(value) {
  const n = value === null || value.trim() === "" ? NaN : Number(value);
  return Number.isFinite(n) ? Math.max(10, Math.min(600, Math.round(n))) : 30;
}
const STALL_MS = stallSeconds(params.get("timeout")) * 1000;
const RETRIED = "qinyuan-runtime-retried";

export const stats = { ready_ms: null, calculate_ms: [], bytes: 0, python: null, snapshot: null, snapshot_stored: null };

let worker = null;
let ready = false;
let sequence = 0;
const pending = new Map();
const expectedBytes = Object.values(manifest.transfer || {}).reduce((a, b) => a + b, 0);

export function isReady() {
  return ready;
}

function setStatus(text, state, fraction = null) {
  const status = document.getElementById("calculator-status");
  status.dataset.state = state;
  status.querySelector("[data-status-text]").textContent = text;
  const bar = status.querySelector("progress");
  bar.hidden = state !== "loading";
  if (fraction === null) bar.removeAttribute("value");
  else bar.value = Math.min(1, fraction);
}

// The loading progress in the status line; the one number the page writes itself (not a figure of the policy).
function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

// A damaged offline copy: a runtime file this device keeps (the service worker's cache, the memory snapshot)
// may be damaged. On the first failure of a page the offline copy controls, that copy is dropped and the
// page loads once more from the network (once per tab: a flag in sessionStorage); the service worker
// installs itself again, checked file by file, after the next successful start.
function retryFromNetwork() {
  try {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller || sessionStorage.getItem(RETRIED)) return false;
    sessionStorage.setItem(RETRIED, "1");
  } catch (error) {
    return false;
  }
  (async () => {
    try {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
      for (const key of await caches.keys()) {
        if (key.startsWith("qinyuan-") || key.startsWith("calc-snapshot-")) await caches.delete(key);
      }
    } finally {
      location.reload();
    }
  })();
  return true;
}

// page/capability.js: what this browser lacks, and the one message for a browser or device that cannot run the
// calculator (found before the start, or a start that failed on the device: out of memory, a crash).
const capability = window.calculatorCapability || { missing: [], refused: null, watch() {}, refuse() {} };

function fail(reason, detail) {
  ready = false;
  if (detail) console.warn("calculator:", detail);
  if (capability.refused) return; // page/capability.js has said what to do
  if (reason === "device" || reason === "no_wasm" || reason === "stopped") {
    capability.refuse(reason);
    return;
  }
  if (retryFromNetwork()) return;
  setStatus(ui[`failed_${reason}`] || ui.failed_load, "failed");
  document.getElementById("calculator-fallback").hidden = false;
}

// Starts the worker; onReady runs once the rule module answers.
export function startWorker(onReady) {
  if (capability.missing.length || capability.refused) {
    fail("no_wasm"); // nothing of the runtime is asked for
    return;
  }
  setStatus(`${ui.stage_progress} (0.0 / ${megabytes(expectedBytes)} MB)`, "loading", 0);
  let lastProgress = performance.now();
  let lastMark = "";
  let failed = false;
  const watchdog = setInterval(() => {
    if (!ready && !failed && performance.now() - lastProgress > STALL_MS) {
      clearInterval(watchdog);
      worker.terminate();
      failed = true;
      fail("timeout");
    }
  }, 1000);
  // page/boot.js started the worker while the page was being read (speed); what it said since is replayed below.
  window.calculatorStartWorker?.(); // page/boot.js's start, if the page's first frame has not come yet
  const early = window.calculatorWorker;
  window.calculatorWorker = null;
  try {
    worker = early ? early.worker : new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
  } catch (error) {
    clearInterval(watchdog);
    capability.refuse("module-worker"); // a browser that refuses to create a module worker at all
    return;
  }
  if (!early) capability.watch(worker); // an error before its first message: no module workers here
  let stopped = false; // this page ended the worker itself
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => {
    stopped = true;
    terminate();
  };
  watchLife(worker, () => {
    if (stopped || failed) return;
    clearInterval(watchdog);
    failed = true;
    fail("stopped", "the calculator's worker stopped");
  });
  worker.onmessageerror = () => {
    if (failed) return;
    clearInterval(watchdog);
    failed = true;
    worker.terminate();
    fail("load", "a message from the calculator's worker could not be read");
  };
  worker.onerror = (event) => {
    clearInterval(watchdog);
    failed = true;
    fail("load", event.message);
  };
  worker.onmessage = ({ data }) => {
    if (data.type === "alive") {
      lastProgress = performance.now();
    } else if (data.type === "stage" && !ready && !failed) { // (replayed early messages may follow a failure)
      const mark = `${data.stage} ${data.moved} ${data.bytes}`;
      if (mark !== lastMark) {
        lastMark = mark;
        lastProgress = performance.now();
      }
      stats.bytes = data.bytes;
      if (data.stage === "rules") setStatus(ui.stage_rules, "loading", null);
      else setStatus(`${ui.stage_progress} (${megabytes(data.bytes)} / ${megabytes(expectedBytes)} MB)`, "loading",
        expectedBytes ? data.bytes / expectedBytes : null);
    } else if (data.type === "ready") {
      clearInterval(watchdog);
      ready = true;
      try {
        sessionStorage.removeItem(RETRIED);
      } catch (error) { /* nothing stored */ }
      stats.ready_ms = performance.now();
      stats.bytes = data.bytes;
      stats.python = data.python;
      stats.snapshot = data.snapshot;
      stats.timings = data.timings;
      setStatus(ui.stage_ready, "ready");
      onReady();
    } else if (data.type === "result") {
      stats.calculate_ms.push(data.ms);
      const done = pending.get(data.id);
      pending.delete(data.id);
      if (done) done(data.text);
    } else if (data.type === "handed-over") {
      const done = pending.get(data.id);
      pending.delete(data.id);
      if (done) done();
    } else if (data.type === "snapshot") {
      stats.snapshot_stored = data.stored;
    } else if (data.type === "failed" && !failed) {
      clearInterval(watchdog);
      failed = true;
      worker.terminate();
      fail({ "no-wasm": "no_wasm", wasm: "wasm", device: "device" }[data.reason] || "load", data.detail);
    }
  };
  if (early) for (const event of early.events.splice(0)) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
  else worker.postMessage({ type: "start", manifest, base: manifestURL,
                            handOver: Boolean(navigator.serviceWorker && !navigator.serviceWorker.controller) }); // page/boot.js asks the same
}

// ---- a worker that stops without a word: killed for its memory or by the browser, it fires no error event and its
// requests are never answered. It holds a Web Lock for as long as it lives (worker.mjs holdLife); this page waits for
// the same lock, which the browser hands over the moment the worker is gone (busy or not: no ping to miss while a
// long calculation runs). Where Web Locks are missing (an insecure origin, Safari < 15.4) nothing changes.
function watchLife(worker, onGone) {
  if (!navigator.locks || typeof navigator.locks.request !== "function") return;
  const name = `qinyuan-calculator-worker-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  worker.addEventListener("message", ({ data }) => {
    if (data && data.type === "life" && data.lock === name) navigator.locks.request(name, () => onGone()).catch(() => {});
  });
  worker.postMessage({ type: "life", lock: name });
}
// ---- end a worker that stops without a word

// The rule module's answer to one JSON text, as the JSON text it returned.
export function calculateText(text) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, resolve);
    worker.postMessage({ type: "calculate", id, text });
  });
}

export function calculate(request) {
  return calculateText(JSON.stringify(request)).then(JSON.parse);
}

// Resolves once the worker has stored every file it hands over to the offline copy (worker.mjs, no-store servers):
// sw.js is registered only then, so it finds them instead of downloading them again.
export function handedOver() {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, resolve);
    worker.postMessage({ type: "handed-over", id });
  });
}

// ---- household overview: two overview requests and their difference per year, from the
// rule module (calculator.compare_json): {a, b, difference}. No money arithmetic in the page.
export function compare(request, other) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, (text) => resolve(JSON.parse(text)));
    worker.postMessage({ type: "compare", id, text: JSON.stringify(request), other: JSON.stringify(other) });
  });
}
// ---- end household overview

// ---- the register's files (worker.mjs answerFile): a chosen file's bytes read by the rule module into the list's
// text (or its bilingual refusal), and the year's table as an .xlsx workbook. The bytes are moved to the worker,
// never stored or sent anywhere else.
function askWorker(message, transfer = []) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, (text) => resolve(JSON.parse(text)));
    worker.postMessage({ ...message, id }, transfer);
  });
}

export function readRegisterFile(bytes, size) {
  return askWorker({ type: "file", bytes: bytes.buffer, size }, [bytes.buffer]);
}

export function registerXlsx(request, lang) {
  return askWorker({ type: "xlsx", text: JSON.stringify(request), lang });
}
// ---- end the register's files
