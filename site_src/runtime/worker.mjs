// The calculator's module worker: Python runs here so the page never freezes.
// Messages in:  {type: "start", manifest, base}  then  {type: "calculate", id, text}
//               or {type: "compare", id, text, other} (two household overviews, answered as one result text)
//               or {type: "file", id, bytes, size} (the register's chosen file, read by the rule module)
//               or {type: "xlsx", id, text, lang} (the register's year saved as .xlsx)
// Messages out: {type: "alive"} (first, before anything else: page/capability.js hears a module worker)
//               {type: "stage", stage, bytes}  {type: "ready", ms}  {type: "result", id, text, ms}
//               {type: "failed", reason ("load", "wasm", "device", "no-wasm"), detail}
//               {type: "life", lock} (it holds that Web Lock until it ends; in: {type: "life", lock})
// New message types may be added; a side ignores the types it does not know.
self.postMessage({ type: "alive", module: Boolean(import.meta.url) }); // import.meta: a syntax error in a classic worker

let calculateJson = null;
let compareJson = null; // household overview "What if…"
const waiting = [];

// ---- fail fast, show progress: a bad WebAssembly file fails at once, and the page can tell a slow download
// from a stalled one. Pyodide fetches its .wasm and instantiates it itself, and on a failure only logs
// "wasm instantiation failed!" and never settles; so this worker watches its own fetches: a .wasm answered
// with an error status or another type than application/wasm, or one that does not compile, is reported
// as "failed" (reason "wasm"; "load" when the network failed) straight away; and every byte received counts as progress ("moved").
let moved = 0;
let failedFast = false;
function failFast(detail, reason = "wasm") {
  if (failedFast) return;
  failedFast = true;
  self.postMessage({ type: "failed", reason, detail });
}
const networkFetch = self.fetch.bind(self);
// ---- every download at once, and each only once (whatever Cache-Control the server sends): on "start" this worker
// asks for every file it needs before its first answer (earlyDownloads) and Pyodide's own requests for them are
// answered with those very responses (the first request for a URL takes it), so a portal's no-store costs nothing
// extra and the .wasm compiles while it streams (Pyodide hands our response to WebAssembly.instantiateStreaming).
const early = new Map(); // absolute URL -> Promise<Response>, until Pyodide asks for it
function takeEarly(url) {
  const response = early.get(url);
  if (response) early.delete(url);
  return response;
}
// ---- the offline copy's hand-over: where the server forbids keeping files (Cache-Control: no-store) the offline copy
// (sw.js) would download the runtime a second time; so when the page says that copy is still to be made (start's
// `handOver`), each such file is also written, as it streams past, into the cache sw.js reads first (HANDOVER).
const HANDOVER = "calc-handover";
let handOver = false;
const handOverWrites = []; // the page registers sw.js only once these are stored (message "handed-over")
function handedOver(url, response) {
  if (!handOver || !self.caches || !response.ok || !/no-store/i.test(response.headers.get("cache-control") || "")) return response;
  const copy = response.clone();
  // without it sw.js downloads the file; storing 2.7 MB may end well after the file was used
  handOverWrites.push(caches.open(HANDOVER).then((cache) => cache.put(url, copy)).catch(() => {}));
  return response;
}
// ---- end the offline copy's hand-over
function earlyDownloads(manifest, base) {
  const at = (path) => new URL(path, base).href;
  const pyodide = at(manifest.pyodide.indexURL);
  for (const [url, init] of [[at(manifest.pyodide.lockFile), {}], [at(manifest.pyodide.stdlib), {}],
                             [pyodide + "pyodide.asm.wasm", { credentials: "same-origin" }],
                             [at(manifest.bundle.file), { integrity: manifest.bundle.integrity }]]) {
    const response = watched(url, init).then((r) => handedOver(url, r));
    response.catch(() => {}); // reported when Pyodide or readBytes asks for it
    early.set(url, response);
  }
  // The scripts: the worker's module map keeps each, so load-rules.mjs's own imports find them.
  const scripts = [import("./load-rules.mjs"), import(at(manifest.pyodide.module)), import(pyodide + "pyodide.asm.mjs")];
  for (const script of scripts.slice(1)) script.catch(() => {}); // load-rules.mjs imports them again and says why
  return scripts[0];
}
self.fetch = (input, init) => {
  const url = String(input instanceof Request ? input.url : input); // a string, a URL (Pyodide) or a Request
  return takeEarly(new URL(url, self.location.href).href) || watched(input, init);
};
// ---- end every download at once
async function watched(input, init) {
  const url = String(input instanceof Request ? input.url : input);
  const wasm = /\.wasm([?#]|$)/.test(url);
  let response;
  try {
    response = await networkFetch(input, init);
  } catch (error) {
    if (wasm) failFast(`${url} could not be fetched: ${error.message}`, "load"); // the network, not the site
    throw error;
  }
  if (wasm) {
    const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (!response.ok) failFast(`${url} answered ${response.status}`);
    else if (type !== "application/wasm") failFast(`${url} is served as ${type || "no type"}, not application/wasm`);
  }
  if (!response.body) return response;
  const counter = new TransformStream({
    transform(chunk, controller) {
      moved += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  try {
    return new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (error) {
    return response;
  }
};
const wasmMarks = {}; // when Pyodide's .wasm began and finished compiling (performance.now()), for the timings
for (const name of ["instantiateStreaming", "instantiate"]) {
  const original = WebAssembly[name];
  if (typeof original !== "function") continue;
  const big = name === "instantiateStreaming"; // Pyodide's .wasm (instantiate also builds a few tiny helper modules)
  WebAssembly[name] = (...args) => {
    if (big) wasmMarks.wasm_start ??= performance.now();
    return original.apply(WebAssembly, args).then((result) => {
      if (big) wasmMarks.wasm_ready ??= performance.now();
      return result;
    }, (error) => {
      failFast(`the WebAssembly file did not compile: ${error.message}`);
      throw error;
    });
  };
}
// ---- end fail fast, show progress

// A start that fails on this device rather than on the network or the site's files: out of memory (a RangeError
// from WebAssembly.Memory), a WebAssembly engine that cannot compile or run the runtime. The page says this browser
// cannot run the calculator and what to do instead, as for a browser found lacking before the start.
function deviceFailure(error) {
  if (error instanceof RangeError) return true;
  for (const kind of ["CompileError", "LinkError", "RuntimeError"]) {
    if (typeof WebAssembly === "object" && WebAssembly[kind] && error instanceof WebAssembly[kind]) return true;
  }
  return /out of memory|could not allocate|Aborted\(/i.test(String(error && error.message || error));
}

function bytesSoFar() {
  // What this worker has downloaded (compressed, as served); 0 where the browser hides it.
  return performance.getEntriesByType("resource").reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);
}

async function readBytes(url, integrity) {
  const response = await fetch(url, integrity ? { integrity } : {});
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

// ---- the register's files (load-rules.mjs registerFiles): a chosen file read, the year saved as .xlsx. The Excel
// readers (spreadsheet.zip, checked against the manifest's SRI hash) are downloaded the first time an answer says it
// needs them, that is when a bookkeeper chooses a workbook or saves one: residents never download them.
let files = null; // {readFile, registerXlsx}, once Python is ready
let spreadsheet = null; // Promise of the readers written in; reset after a failure so the next file tries again
let started = null; // {manifest, base, pyodide, loadSpreadsheet}
function spreadsheetReaders() {
  spreadsheet ??= (async () => {
    const { manifest, base, pyodide, loadSpreadsheet } = started;
    const bytes = await readBytes(new URL(manifest.spreadsheet.file, base).href, manifest.spreadsheet.integrity);
    loadSpreadsheet(pyodide, bytes);
  })().catch((error) => {
    spreadsheet = null;
    throw error;
  });
  return spreadsheet;
}
async function answerFile({ type, id, bytes, size, text, lang }) {
  lastRequest = performance.now();
  const t0 = performance.now();
  const call = () => (type === "file" ? files.readFile(new Uint8Array(bytes), size) : files.registerXlsx(text, lang));
  let out = call();
  if (JSON.parse(out).needs === "spreadsheet") {
    try {
      await spreadsheetReaders();
      out = call();
    } catch (error) {
      // not downloaded: the module's own words say so (out already holds them), the next file tries again
    }
  }
  self.postMessage({ type: "result", id, text: out, ms: performance.now() - t0 });
}
// ---- end the register's files

function answer(message) {
  const { type, id, text, other } = message;
  if (type === "file" || type === "xlsx") return answerFile(message);
  lastRequest = performance.now(); // warm-up
  const t0 = performance.now();
  const out = type === "compare" ? compareJson(text, other) : calculateJson(text);
  self.postMessage({ type: "result", id, text: out, ms: performance.now() - t0 });
}

// ------------------------------------------------------------------ warm-up (speed)
// The first calls after a start or a snapshot restore take 10–40 ms instead of about 1: the WebAssembly
// engine has not yet optimised the interpreter's hot code, and Python meets each code path for the first
// time. A few calls in idle time take that cost instead of the resident's keystrokes: one call per task,
// only once no real request has come for QUIET_MS, so a keystroke waits for at most one of them. The
// answers are thrown away (a request a later rule module refuses still warms the same code).
const WARM_UP = [
  { measure: "household_subsidy", registered_poor: true, crops: { solar_greenhouse: "0.5", commercial_potato: "3" }, livestock: { pig: "4", cattle: "1" }, land_transfer_mu: "2" },
  { measure: "grain_to_forest", area_mu: "2.3333", first_year: "2019" },
  { measure: "asset_dividend", registered_poor: true, injected_funds: "300000", total_shares: "60", household_shares: "2", exit_year: "2018", from_year: "2018", to_year: "2023" },
  // the overview's quick "what if" (calculator/whatif.py): runs the household overview itself, five times
  { measure: "household_whatif", registered_poor: true, exit_year: "2019", crops: { medicinal_herbs: "1" }, livestock: { cattle: "2" }, land_transfer_mu: "2", grain_to_forest: { area_mu: "1" }, collective: { injected_funds: "50万", total_shares: "300", household_shares: "2" } },
].map((request) => JSON.stringify(request));
const WARM_UP_ROUNDS = 8;
const QUIET_MS = 300; // since the last real request: the resident has paused
let lastRequest = 0;

function warmUp(step = 0) {
  if (step >= WARM_UP.length * WARM_UP_ROUNDS) return;
  const quiet = performance.now() - lastRequest >= QUIET_MS;
  setTimeout(() => {
    if (waiting.length || performance.now() - lastRequest < QUIET_MS) return warmUp(step); // typing: later
    calculateJson(WARM_UP[step % WARM_UP.length]);
    return warmUp(step + 1);
  }, quiet ? 0 : QUIET_MS);
}
// ------------------------------------------------------------------ end warm-up

// Python's memory after start-up, kept on this device for the next visit (Cache Storage), under a
// name tied to this exact runtime: a new build or Pyodide never restores an old snapshot.
let snapshotPacking = null; // load-rules.mjs's packSnapshot/unpackSnapshot, once it has loaded
function snapshotStore(manifest, base) {
  if (!self.caches) return null; // no Cache Storage (some in-app browsers): every visit starts Python afresh
  const { packSnapshot, unpackSnapshot } = snapshotPacking;
  const runtime = new URL(".", base).pathname.split("/").filter(Boolean).pop();
  const name = `calc-snapshot-${runtime}`;
  const key = new URL("snapshot.bin", base).href;
  return {
    name,
    read: async () => {
      const hit = await (await caches.open(name)).match(key);
      return hit ? unpackSnapshot(new Uint8Array(await hit.arrayBuffer())) : null; // damaged: throws, a fresh start follows
    },
    write: async (bytes) => {
      for (const old of await caches.keys()) if (old.startsWith("calc-snapshot-") && old !== name) await caches.delete(old);
      await (await caches.open(name)).put(key, new Response(packSnapshot(bytes), { headers: { "Content-Type": "application/octet-stream" } }));
    },
    discard: () => caches.delete(name),
  };
}

async function start(manifest, base) {
  const t0 = performance.now();
  const timer = setInterval(() => self.postMessage({ type: "stage", stage: "progress", bytes: bytesSoFar(), moved }), 300);
  try {
    const { loadRules, packSnapshot, unpackSnapshot, loadSpreadsheet, registerFiles } = await earlyDownloads(manifest, base);
    snapshotPacking = { packSnapshot, unpackSnapshot };
    const store = snapshotStore(manifest, base);
    const rules = await loadRules({
      manifest,
      resolve: (path) => new URL(path, base).href,
      readBytes,
      importModule: (url) => import(url),
      onStage: (stage) => self.postMessage({ type: "stage", stage, bytes: bytesSoFar(), moved }),
      extra: { stdout: () => {}, stderr: () => {} },
      snapshot: store,
    });
    calculateJson = rules.calculateJson;
    compareJson = rules.compareJson;
    files = registerFiles(rules.pyodide);
    started = { manifest, base, pyodide: rules.pyodide, loadSpreadsheet };
    self.postMessage({ type: "ready", ms: performance.now() - t0, bytes: bytesSoFar(), python: rules.pythonVersion,
                       snapshot: rules.snapshot,
                       timings: { ...rules.timings, ...Object.fromEntries(Object.entries(wasmMarks).map(([k, v]) => [k, Math.round(v - t0)])) } });
    while (waiting.length) answer(waiting.shift());
    warmUp(); // speed: the first calls after a start are slow; make them in idle time
    if (rules.snapshotBytes && store) {
      store.write(rules.snapshotBytes).then(() => self.postMessage({ type: "snapshot", stored: true }),
        (error) => self.postMessage({ type: "snapshot", stored: false, detail: String(error) }));
    }
  } catch (error) {
    if (failedFast) return;
    self.postMessage({ type: "failed", reason: typeof WebAssembly !== "object" ? "no-wasm" : deviceFailure(error) ? "device" : "load",
                       detail: String(error && error.message || error) });
  } finally {
    clearInterval(timer);
  }
}

// ---- a worker that stops without a word (killed for its memory, terminated by the browser): the page asks it to hold
// a Web Lock named by the page for as long as it lives ({type: "life", lock}); the browser releases it when this worker
// is gone, whatever it was doing, and the page, waiting for the same lock, knows at once (page/worker-client.mjs).
function holdLife(name) {
  if (!self.navigator || !navigator.locks || typeof name !== "string") return;
  navigator.locks.request(name, () => {
    self.postMessage({ type: "life", lock: name });
    return new Promise(() => {}); // held until this worker ends
  }).catch(() => {});
}
// ---- end a worker that stops without a word

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "life") holdLife(message.lock);
  else if (message.type === "handed-over") {
    Promise.all(handOverWrites).then(() => self.postMessage({ type: "handed-over", id: message.id }));
  }
  else if (message.type === "start") {
    handOver = Boolean(message.handOver); // the offline copy's hand-over
    start(message.manifest, message.base);
  }
  else if (["calculate", "compare", "file", "xlsx"].includes(message.type)) {
    if (calculateJson) answer(message);
    else waiting.push(message);
  }
};
