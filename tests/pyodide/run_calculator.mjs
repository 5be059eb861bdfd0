// Run calculator.calculate_json inside Pyodide under Node, for parity tests against CPython.
//
// Usage: node tests/pyodide/run_calculator.mjs <repo_root>  < requests.json
//
// stdin:  a JSON array of request strings (JSON text each, passed to calculate_json unchanged).
// stdout: one JSON object {"python_version", "results", "raised", "load_ms", "import_ms", "run_ms"},
//         where results[i] is calculate_json(requests[i]) as returned by Python, byte for byte,
//         or null if it raised; then raised["i"] = {"type", "message"} (the Python traceback).
//         load_ms covers loadPyodide plus writing and importing calculator/ (import_ms is the
//         import part alone); run_ms covers every calculate_json call.
// Nothing else is written to stdout: Pyodide's own output goes to stderr. Any other failure
// (bad input, Pyodide missing or dying, import error) exits 2 with a message on stderr.
//
// Offline: Pyodide is loaded from <repo_root>/node_modules/pyodide and no packages are fetched;
// calculator/ is standard library only.

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const SITE_DIR = "/home/pyodide"; // put on sys.path; the package lands in SITE_DIR/calculator
const PKG_DIR = `${SITE_DIR}/calculator`;

function fail(message) {
  process.stderr.write(`run_calculator.mjs: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const rootArg = process.argv[2];
  if (!rootArg) fail("usage: node tests/pyodide/run_calculator.mjs <repo_root> < requests.json");
  const root = resolve(rootArg);
  const pyodideDir = join(root, "node_modules", "pyodide");
  const calculatorDir = join(root, "calculator");
  if (!existsSync(join(pyodideDir, "pyodide.mjs"))) fail(`Pyodide not found at ${pyodideDir} (run npm ci)`);
  if (!existsSync(calculatorDir)) fail(`no calculator/ package at ${calculatorDir}`);

  let requests;
  try {
    requests = JSON.parse(await readStdin());
  } catch (err) {
    fail(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(requests) || !requests.every((r) => typeof r === "string")) {
    fail("stdin must be a JSON array of strings");
  }

  const files = readdirSync(calculatorDir)
    .filter((name) => name.endsWith(".py") || name.endsWith(".toml"))
    .sort();
  if (!files.includes("__init__.py")) fail(`${calculatorDir} has no __init__.py`);

  // Anything Pyodide or Python prints must not reach stdout, which carries only our JSON.
  const toStderr = (msg) => process.stderr.write(`[pyodide] ${msg}\n`);
  const consoleLog = console.log;
  console.log = (...args) => process.stderr.write(`[pyodide console] ${args.join(" ")}\n`);

  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    indexURL: pyodideDir + "/", // must end with a slash
    packageCacheDir: pyodideDir, // never reach for the CDN
    stdout: toStderr,
    stderr: toStderr,
  });

  pyodide.FS.mkdirTree(PKG_DIR);
  for (const name of files) {
    // Bytes, not text: the package must be exactly what CPython imports.
    pyodide.FS.writeFile(`${PKG_DIR}/${name}`, new Uint8Array(readFileSync(join(calculatorDir, name))));
  }

  const t1 = performance.now();
  const python_version = pyodide.runPython(`
import importlib, sys
if ${JSON.stringify(SITE_DIR)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(SITE_DIR)})
importlib.invalidate_caches()
import calculator
if not calculator.__file__.startswith(${JSON.stringify(PKG_DIR + "/")}):
    raise ImportError(f"imported the wrong calculator: {calculator.__file__}")
sys.version.split()[0]
`);
  // An attribute of a proxy is "borrowed" and dies with its parent, so take the function itself.
  const calculateJson = pyodide.runPython("calculator.calculate_json");
  const t2 = performance.now();

  // A Python exception from calculate_json is a finding, not a crash of this script: it is recorded
  // (results[i] = null, raised[i] = {type, message}) so the test can name every such request.
  // A fatal Pyodide error (e.g. the JS stack overflowing) kills the interpreter, so it aborts.
  const results = [];
  const raised = {};
  try {
    for (let i = 0; i < requests.length; i++) {
      let out;
      try {
        out = calculateJson(requests[i]); // JS string -> Python str; Python str -> JS string
      } catch (err) {
        const shown = JSON.stringify(requests[i]).slice(0, 200);
        if (err && err.pyodide_fatal_error) fail(`Pyodide died (fatal error) on request ${i} ${shown}: ${err.message}`);
        if (!(err instanceof pyodide.ffi.PythonError)) fail(`calling calculate_json failed on request ${i} ${shown}: ${err && err.stack}`);
        raised[i] = { type: err.type, message: err.message };
        results.push(null);
        continue;
      }
      if (typeof out !== "string") {
        if (out && typeof out.destroy === "function") out.destroy();
        fail(`calculate_json returned a non-string for request ${i}`);
      }
      results.push(out);
    }
  } finally {
    calculateJson.destroy();
  }
  const t3 = performance.now();

  console.log = consoleLog;
  const report = {
    python_version,
    results,
    raised,
    load_ms: Math.round(t2 - t0),
    import_ms: Math.round(t2 - t1),
    run_ms: Math.round(t3 - t2),
  };
  // Let stdout drain naturally (no process.exit) so a large report is never truncated in a pipe.
  process.stdout.write(JSON.stringify(report) + "\n");
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
