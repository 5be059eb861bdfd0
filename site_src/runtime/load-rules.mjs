// Start Python and the rule module: the one loading path, shared by the browser worker
// (worker.mjs) and the Node parity runner (tests/pyodide/run_calculator.mjs), so what the
// tests prove is what residents run.
//
// manifest: written by build.py into dist/runtime/<hash>/manifest.json
//   { pyodide: {module, indexURL, lockFile, stdlib}, bundle: {file, integrity}, rules_version, ... }
// Paths in it are relative to the manifest's own URL; `resolve` turns them into what
// loadPyodide and `readBytes` accept (absolute URLs in a browser, file paths in Node).
// readBytes(path, integrity) -> Uint8Array: the browser passes fetch's integrity check on.
//
// snapshot (optional) {read() -> Uint8Array|null, discard()}: a memory snapshot of Python with the
// rule module already imported, made by an earlier start on this same runtime. Restoring it
// skips Python's start-up; any failure falls back to a normal start. Pyodide's snapshot API is
// private and tied to the exact Pyodide build, hence the fallback and the per-runtime key.

export const RULES_DIR = "/home/pyodide/rules";

export async function loadRules({ manifest, resolve, readBytes, importModule, onStage = () => {}, extra = {}, snapshot = null }) {
  const marks = { start: performance.now() };
  onStage("runtime");
  const { loadPyodide } = await importModule(resolve(manifest.pyodide.module));
  marks.module = performance.now();
  const options = {
    indexURL: resolve(manifest.pyodide.indexURL),
    lockFileURL: resolve(manifest.pyodide.lockFile), // absolute: a relative one fails in Chromium
    stdLibURL: resolve(manifest.pyodide.stdlib),
    packages: [],
    ...extra,
  };
  if (snapshot) {
    const saved = await Promise.resolve().then(() => snapshot.read()).catch(() => null);
    if (saved) {
      try {
        onStage("rules");
        marks.snapshot_read = performance.now();
        const pyodide = await loadPyodide({ ...options, _loadSnapshot: saved });
        marks.python = performance.now();
        return ready(pyodide, manifest, onStage, "restored", marks);
      } catch (error) {
        await Promise.resolve().then(() => snapshot.discard()).catch(() => {});
      }
    }
  }
  // The rule module downloads while Python starts.
  const bundle = readBytes(resolve(manifest.bundle.file), manifest.bundle.integrity);
  const pyodide = await loadPyodide(snapshot ? { ...options, _makeSnapshot: true } : options);
  marks.python = performance.now();
  onStage("rules");
  pyodide.unpackArchive(await bundle, "zip", { extractDir: RULES_DIR });
  pyodide.runPython(`
import importlib, sys
sys.path.insert(0, ${JSON.stringify(RULES_DIR)})
importlib.invalidate_caches()
import calculator
if not calculator.__file__.startswith(${JSON.stringify(RULES_DIR + "/")}):
    raise ImportError("the rule module came from " + calculator.__file__)
`);
  marks.rules = performance.now();
  let made = null;
  if (snapshot) {
    try {
      made = pyodide.makeMemorySnapshot(); // before any proxy to Python exists: what the API supports
    } catch (error) {
      made = null;
    }
  }
  marks.snapshot_made = performance.now();
  const rules = ready(pyodide, manifest, onStage, made ? "made" : "none", marks);
  rules.snapshotBytes = made;
  return rules;
}

function ready(pyodide, manifest, onStage, snapshotState, marks) {
  const version = pyodide.runPython("import calculator; calculator.RULES_VERSION");
  if (version !== manifest.rules_version) {
    throw new Error(`rules version ${version} does not match the manifest's ${manifest.rules_version}`);
  }
  // Take the function itself: an attribute of a proxy dies with its parent.
  const calculateJson = pyodide.runPython("calculator.calculate_json");
  const compareJson = pyodide.runPython("calculator.compare_json"); // the overview's "What if…" (issue 10)
  onStage("ready");
  return {
    pyodide,
    calculateJson,
    compareJson,
    snapshot: snapshotState,
    // Milliseconds from the start of loadRules to each stage: where a start spends its time.
    timings: Object.fromEntries(Object.entries({ ...marks, ready: performance.now() })
      .map(([stage, t]) => [stage, Math.round(t - marks.start)])),
    pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
  };
}
