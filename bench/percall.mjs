// Per-call cost of calculate_json inside Pyodide under Node (speed: the cost of a keystroke), on the site's own
// loading path (site_src/runtime/load-rules.mjs), as tests/pyodide/run_calculator.mjs runs it.
//
// Usage: node bench/percall.mjs <runtime>/manifest.json [--snapshot] [--prewarm] [--n 200] < request.json
//   --snapshot  answer from a second start restored from a memory snapshot (a returning visit)
//   --prewarm   one calculate_json on the request just before the snapshot is made
//   --gap MS    idle MS milliseconds between calls (as keystrokes are), instead of back to back
// stdout: one JSON object: JS-side times of every call in order (the first ones show the warm-up),
// and Python-side medians of the pieces of one call (perf_counter inside Python, no JS boundary).
// bench/percall.py writes the runtimes and runs this.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const HERE = dirname(new URL(import.meta.url).pathname);
const args = process.argv.slice(2);
const manifestPath = resolve(args[0]);
const flag = (name) => args.includes(name);
const n = Number(args[args.indexOf("--n") + 1]) || 200;
const gap = args.includes("--gap") ? Number(args[args.indexOf("--gap") + 1]) : 0;
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const folder = dirname(manifestPath);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8").trim();

const { loadRules } = await import(pathToFileURL(resolve(HERE, "../site_src/runtime/load-rules.mjs")).href);
const quiet = () => {};
const options = {
  manifest,
  resolve: (path) => resolve(folder, path) + (path.endsWith("/") ? "/" : ""),
  readBytes: async (path) => new Uint8Array(readFileSync(path)),
  // --prewarm: the loader's own makeMemorySnapshot, preceded by one call on the request
  importModule: async (path) => {
    const mod = await import(pathToFileURL(path).href);
    if (!flag("--prewarm")) return mod;
    return {
      ...mod,
      loadPyodide: async (opts) => {
        const py = await mod.loadPyodide(opts);
        const make = py.makeMemorySnapshot.bind(py);
        py.makeMemorySnapshot = (...a) => {
          py.globals.set("_warm_text", text);
          py.runPython("import calculator; calculator.calculate_json(_warm_text); del _warm_text");
          return make(...a);
        };
        return py;
      },
    };
  },
  extra: { stdout: quiet, stderr: (m) => process.stderr.write(m + "\n") },
};
let saved = null;
const snapshot = flag("--snapshot") ? { read: () => saved, discard: () => { saved = null; } } : null;
let rules = await loadRules({ ...options, snapshot });
if (snapshot) {
  saved = rules.snapshotBytes;
  rules.calculateJson.destroy();
  rules = await loadRules({ ...options, snapshot });
  if (rules.snapshot !== "restored") throw new Error(`not restored: ${rules.snapshot}`);
}

const js = [];
for (let i = 0; i < n; i++) {
  if (gap) await new Promise((r) => setTimeout(r, gap));
  const t0 = performance.now();
  rules.calculateJson(text);
  js.push(performance.now() - t0);
}

rules.pyodide.globals.set("_text", text);
rules.pyodide.globals.set("_n", n);
const python = JSON.parse(rules.pyodide.runPython(`
import json, time, decimal
import calculator
from calculator.money import PRECISION

def _med(f, n=_n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return sorted(out)[len(out) // 2]

_req = json.loads(_text, parse_float=calculator._json_decimal)
_resp = calculator.calculate(json.loads(_text, parse_float=calculator._json_decimal))
def _ctx():
    with decimal.localcontext(PRECISION):
        pass
json.dumps({
    "calculate_json": _med(lambda: calculator.calculate_json(_text)),
    "calculate(dict)": _med(lambda: calculator.calculate(json.loads(_text, parse_float=calculator._json_decimal))),
    "json.loads(parse_float=Decimal)": _med(lambda: json.loads(_text, parse_float=calculator._json_decimal)),
    "json.dumps(response)": _med(lambda: json.dumps(_resp, ensure_ascii=False, sort_keys=True)),
    "_json_depth(text)": _med(lambda: calculator._json_depth(_text)),
    "localcontext(PRECISION) enter+exit": _med(_ctx),
    "decimal.Context()": _med(lambda: decimal.Context(prec=28)),
    "response_chars": len(json.dumps(_resp, ensure_ascii=False)),
})
`));
const sorted = [...js].sort((a, b) => a - b);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
process.stdout.write(JSON.stringify({
  snapshot: rules.snapshot,
  gap_ms: gap,
  timings: rules.timings,
  js_first_10_ms: js.slice(0, 10).map((t) => Math.round(t * 100) / 100),
  js_median_ms: median(js),
  js_median_after_20_ms: median(js.slice(20)),
  js_min_ms: sorted[0],
  python_median_ms: python,
}) + "\n");
rules.calculateJson.destroy();
