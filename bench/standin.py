"""A stand-in calculator page, for developing and checking the harness before (or apart from)
the real one: `python -m bench --standin` replaces /zh/calculator/ and /en/calculator/ of the
benchmark's own copy of the built site (never site_src/ or dist/) with a page that keeps the
measuring contract, and labels every result "stand-in".

It is deliberately plain and self-contained (nothing from site_src/runtime): a module worker
running stock loadPyodide() on the npm package's full, untrimmed file set under
/runtime/pyodide/, and a small service worker that precaches the runtime, so the harness's
handling of module workers, service-worker fetches and warm visits is exercised. Its numbers say nothing about the
real page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

import calculator
from bench.site import PYODIDE_DIR, PYODIDE_FILES, calculator_zip

PAGE = """<!doctype html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Calculator (benchmark stand-in)</title>
</head>
<body>
<main>
<h1>Calculator (benchmark stand-in)</h1>
<form>
<p><label><input type="checkbox" name="registered_poor"> registered poor</label></p>
<p><label>Solar greenhouse (mu) <input name="household_subsidy.crops.solar_greenhouse" inputmode="decimal"></label></p>
<p><label>Pigs <input name="household_subsidy.livestock.pig" inputmode="numeric"></label></p>
</form>
<p>Total: <output id="result" aria-live="polite">…</output></p>
</main>
<script type="module" src="/runtime/standin-page.mjs"></script>
</body>
</html>
"""

PAGE_JS = r"""// Stand-in calculator page script: the measuring contract, nothing else.
const root = document.documentElement;
const form = document.querySelector("form");
const output = document.getElementById("result");
window.calculatorStats = { ready_ms: null, calculate_ms: [], bytes: null };

const manifestURL = new URL("/runtime/manifest.json", location.href).href;
const worker = new Worker("/runtime/worker.mjs", { type: "module" });
fetch(manifestURL).then((r) => r.json()).then((manifest) => worker.postMessage({ type: "start", manifest, base: manifestURL }));

for (const [key, value] of new URLSearchParams(location.hash.slice(1))) {
  const field = form.elements[key];
  if (!field) continue;
  if (field.type === "checkbox") field.checked = value === "true";
  else field.value = value;
}

function request() {
  const req = { measure: "household_subsidy", registered_poor: form.elements.registered_poor.checked, crops: {}, livestock: {} };
  for (const field of form.elements) {
    const [measure, group, name] = field.name.split(".");
    if (measure === "household_subsidy" && field.value !== "") req[group][name] = field.value;
  }
  return req;
}

let lastId = 0;
function send() {
  worker.postMessage({ type: "calculate", id: ++lastId, text: JSON.stringify(request()) });
}

worker.onmessage = (event) => {
  const m = event.data;
  if (m.type === "ready") { window.calculatorStats.ready_ms = m.ms; window.calculatorStats.bytes = m.bytes; }
  else if (m.type === "failed") output.textContent = "failed: " + m.detail;
  else if (m.type === "result") {
    window.calculatorStats.calculate_ms.push(m.ms);
    if (m.id !== lastId) return;
    const result = JSON.parse(m.text);
    output.textContent = result.ok ? (result.total && result.total.amount) : result.errors.map((e) => e.en).join("; ");
    root.dataset.resultSeq = String(Number(root.dataset.resultSeq || 0) + 1);
    if (!root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
  }
};
form.addEventListener("input", send);
send();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");
"""

SERVICE_WORKER = r"""// Stand-in service worker: precache the runtime, answer /runtime/ from the cache.
const CACHE = "standin-runtime-v1";
const FILES = __FILES__;
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin || !url.pathname.startsWith("/runtime/")) return;
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
"""

# A module worker: stock loadPyodide from /runtime/pyodide/, the rule module from a zip.
WORKER = r"""
let calculateJson = null;
const waiting = [];
function answer({ id, text }) {
  const t0 = performance.now();
  const out = calculateJson(text);
  self.postMessage({ type: "result", id, text: out, ms: performance.now() - t0 });
}
self.onmessage = async (event) => {
  const m = event.data;
  if (m.type === "calculate") { if (calculateJson) answer(m); else waiting.push(m); return; }
  const t0 = performance.now();
  const url = (p) => new URL(p, m.base).href;
  const { loadPyodide } = await import(url(m.manifest.pyodide.module));
  const bundle = fetch(url(m.manifest.bundle.file)).then((r) => r.arrayBuffer());
  const pyodide = await loadPyodide({ indexURL: url(m.manifest.pyodide.indexURL) });
  pyodide.unpackArchive(await bundle, "zip", { extractDir: "/home/pyodide/rules" });
  pyodide.runPython("import sys, importlib; sys.path.insert(0, '/home/pyodide/rules'); importlib.invalidate_caches(); import calculator");
  calculateJson = pyodide.runPython("calculator.calculate_json");
  self.postMessage({ type: "ready", ms: performance.now() - t0, bytes: 0 });
  while (waiting.length) answer(waiting.shift());
};
"""


def install(site):
    """Put the stand-in calculator into a built site folder (the benchmark's temporary copy)."""
    site = Path(site)
    runtime = site / "runtime"
    if runtime.exists():
        shutil.rmtree(runtime)
    (runtime / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(PYODIDE_DIR / name, runtime / "pyodide" / name)
    bundle = calculator_zip()
    (runtime / "calculator.zip").write_bytes(bundle)
    (runtime / "worker.mjs").write_text(WORKER, encoding="utf-8")
    manifest = {
        "pyodide": {"module": "pyodide/pyodide.mjs", "indexURL": "pyodide/", "lockFile": "pyodide/pyodide-lock.json",
                    "stdlib": "pyodide/python_stdlib.zip"},
        "bundle": {"file": "calculator.zip", "sha256": hashlib.sha256(bundle).hexdigest(),
                   "integrity": "sha384-" + base64.b64encode(hashlib.sha384(bundle).digest()).decode()},
        "rules_version": calculator.RULES_VERSION,
        "module_version": calculator.__version__,
    }
    (runtime / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (runtime / "standin-page.mjs").write_text(PAGE_JS, encoding="utf-8")
    files = sorted("/" + p.relative_to(site).as_posix() for p in runtime.rglob("*") if p.is_file())
    (site / "sw.js").write_text(SERVICE_WORKER.replace("__FILES__", json.dumps(files)), encoding="utf-8")
    for lang, html_lang in (("zh", "zh-CN"), ("en", "en")):
        page = site / lang / "calculator" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.format(html_lang=html_lang), encoding="utf-8")
        for suffix in (".br", ".gz"):  # the build's precompressed real page would be served instead
            page.with_name(page.name + suffix).unlink(missing_ok=True)
    (site / "sw.js.br").unlink(missing_ok=True)
    (site / "sw.js.gz").unlink(missing_ok=True)
