// The rule module's side of the page: starts the worker that runs it in Pyodide, shows the loading
// progress, gives up with a plain message and the fallback links after a timeout or a failure,
// and sends requests to it once it is ready.

import { manifest, manifestURL, params, ui } from "./dom.mjs";

const LOAD_TIMEOUT_MS = Number(params.get("timeout")) * 1000 || 90000;

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

function fail(reason, detail) {
  ready = false;
  setStatus(ui[`failed_${reason}`] || ui.failed_load, "failed");
  document.getElementById("calculator-fallback").hidden = false;
  if (detail) console.warn("calculator:", detail);
}

// Starts the worker; onReady runs once the rule module answers.
export function startWorker(onReady) {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("no_wasm");
    return;
  }
  setStatus(`${ui.stage_progress} (0.0 / ${megabytes(expectedBytes)} MB)`, "loading", 0);
  const timeout = setTimeout(() => {
    if (!ready) {
      worker.terminate();
      fail("timeout");
    }
  }, LOAD_TIMEOUT_MS);
  worker = new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
  worker.onerror = (event) => {
    clearTimeout(timeout);
    fail("load", event.message);
  };
  worker.onmessage = ({ data }) => {
    if (data.type === "stage" && !ready) {
      stats.bytes = data.bytes;
      if (data.stage === "rules") setStatus(ui.stage_rules, "loading", null);
      else setStatus(`${ui.stage_progress} (${megabytes(data.bytes)} / ${megabytes(expectedBytes)} MB)`, "loading",
        expectedBytes ? data.bytes / expectedBytes : null);
    } else if (data.type === "ready") {
      clearTimeout(timeout);
      ready = true;
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
    } else if (data.type === "snapshot") {
      stats.snapshot_stored = data.stored;
    } else if (data.type === "failed") {
      clearTimeout(timeout);
      fail(data.reason === "no-wasm" ? "no_wasm" : "load", data.detail);
    }
  };
  worker.postMessage({ type: "start", manifest, base: manifestURL });
}

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

// ---- household overview (issue 10): two overview requests and their difference per year, from the
// rule module (calculator.compare_json): {a, b, difference}. No money arithmetic in the page.
export function compare(request, other) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, (text) => resolve(JSON.parse(text)));
    worker.postMessage({ type: "compare", id, text: JSON.stringify(request), other: JSON.stringify(other) });
  });
}
// ---- end household overview
