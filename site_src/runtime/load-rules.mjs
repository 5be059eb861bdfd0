// Start Python and the rule module: the one loading path, shared by the browser worker
// (worker.mjs) and the Node parity runner (tests/pyodide/run_calculator.mjs), so what the
// tests prove is what residents run.
//
// manifest: written by build.py into dist/runtime/manifest.json
//   { pyodide: {module, indexURL, lockFile, stdlib}, bundle: {file, sha256, integrity}, rules_version, module_version }
// Paths in it are relative to the manifest's own URL; `resolve` turns them into what
// loadPyodide and `readBytes` accept (absolute URLs in a browser, file paths in Node).
// readBytes(path, integrity) -> Uint8Array: the browser passes fetch's integrity check on.

export const RULES_DIR = "/home/pyodide/rules";

export async function loadRules({ manifest, resolve, readBytes, importModule, onStage = () => {}, extra = {} }) {
  onStage("runtime");
  const { loadPyodide } = await importModule(resolve(manifest.pyodide.module));
  // The rule module downloads while Python starts.
  const bundle = readBytes(resolve(manifest.bundle.file), manifest.bundle.integrity);
  const pyodide = await loadPyodide({
    indexURL: resolve(manifest.pyodide.indexURL),
    lockFileURL: resolve(manifest.pyodide.lockFile), // absolute: a relative one fails in Chromium
    stdLibURL: resolve(manifest.pyodide.stdlib),
    packages: [],
    ...extra,
  });
  onStage("rules");
  pyodide.unpackArchive(await bundle, "zip", { extractDir: RULES_DIR });
  const version = pyodide.runPython(`
import importlib, sys
sys.path.insert(0, ${JSON.stringify(RULES_DIR)})
importlib.invalidate_caches()
import calculator
if not calculator.__file__.startswith(${JSON.stringify(RULES_DIR + "/")}):
    raise ImportError("the rule module came from " + calculator.__file__)
calculator.RULES_VERSION
`);
  if (version !== manifest.rules_version) {
    throw new Error(`rules version ${version} does not match the manifest's ${manifest.rules_version}`);
  }
  // Take the function itself: an attribute of a proxy dies with its parent.
  const calculateJson = pyodide.runPython("calculator.calculate_json");
  onStage("ready");
  return { pyodide, calculateJson, pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]") };
}
