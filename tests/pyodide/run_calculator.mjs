// Run calculator.calculate_json inside Pyodide under Node, through the SAME loading path as the
// browser worker (site_src/runtime/load-rules.mjs): the built runtime's trimmed stdlib, its
// lockfile and the rule-module zip written into its file system.
//
// Usage: node tests/pyodide/run_calculator.mjs <dist>/runtime/<hash>/manifest.json [--modules] [--snapshot] < requests.json
//
// stdin:  a JSON array of request strings (JSON text each, passed to calculate_json unchanged).
// stdout: one JSON object {"python_version", "results", "raised", "load_ms", "run_ms", "modules"?}:
//         results[i] is calculate_json(requests[i]) byte for byte (null if it raised; then
//         raised[i] = {type, message}). --modules adds the stdlib files Python has loaded, which
//         `python build.py --trace-stdlib` keeps in the trimmed stdlib.
// Pyodide's own output goes to stderr. A failure to start exits 2 with a message on stderr.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const HERE = dirname(new URL(import.meta.url).pathname);

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
  const [manifestArg, ...flags] = process.argv.slice(2);
  if (!manifestArg) fail("usage: node run_calculator.mjs <manifest.json> [--modules] < requests.json");
  const manifestPath = resolve(manifestArg);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const folder = dirname(manifestPath);

  let requests;
  try {
    requests = JSON.parse(await readStdin());
  } catch (err) {
    fail(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(requests) || !requests.every((r) => typeof r === "string")) fail("stdin must be a JSON array of strings");

  const toStderr = (msg) => process.stderr.write(`[pyodide] ${msg}\n`);
  console.log = (...args) => process.stderr.write(`[pyodide console] ${args.join(" ")}\n`);

  // The loader is the site's own file, imported from the repository's source.
  const { loadRules, packSnapshot, unpackSnapshot } = await import(pathToFileURL(resolve(HERE, "../../site_src/runtime/load-rules.mjs")).href);
  const options = {
    manifest,
    resolve: (path) => resolve(folder, path) + (path.endsWith("/") ? "/" : ""),
    readBytes: async (path) => new Uint8Array(readFileSync(path)), // Node has no fetch integrity; the build checks the zip
    importModule: (path) => import(pathToFileURL(path).href),
    extra: { stdout: toStderr, stderr: toStderr },
  };
  // --snapshot: start once making a memory snapshot, then answer from a second start restored
  // from it, exactly as a returning browser visit does.
  let saved = null;
  const snapshot = flags.includes("--snapshot") ? { read: () => saved, discard: () => { saved = null; } } : null;
  let t0 = performance.now();
  let rules;
  try {
    rules = await loadRules({ ...options, snapshot });
    if (snapshot) {
      if (!rules.snapshotBytes) fail("no memory snapshot was made");
      saved = unpackSnapshot(packSnapshot(rules.snapshotBytes)); // as the browser keeps it (load-rules.mjs)
      if (Buffer.compare(Buffer.from(saved.buffer, saved.byteOffset, saved.length),
                         Buffer.from(rules.snapshotBytes.buffer, rules.snapshotBytes.byteOffset, rules.snapshotBytes.length)) !== 0) {
        fail("the memory snapshot did not survive packing");
      }
      rules.calculateJson.destroy();
      t0 = performance.now();
      rules = await loadRules({ ...options, snapshot });
      if (rules.snapshot !== "restored") fail(`the second start did not restore the snapshot (${rules.snapshot})`);
    }
  } catch (err) {
    fail(`the rule module did not start: ${err && err.stack ? err.stack : err}`);
  }
  const t1 = performance.now();

  const results = [];
  const raised = {};
  for (let i = 0; i < requests.length; i++) {
    try {
      const out = rules.calculateJson(requests[i]);
      if (typeof out !== "string") fail(`calculate_json returned a non-string for request ${i}`);
      results.push(out);
    } catch (err) {
      if (err && err.pyodide_fatal_error) fail(`Pyodide died on request ${i}: ${err.message}`);
      results.push(null);
      raised[i] = { type: err.type, message: err.message };
    }
  }
  const t2 = performance.now();
  const report = {
    python_version: rules.pythonVersion,
    snapshot: rules.snapshot,
    results,
    raised,
    load_ms: Math.round(t1 - t0),
    run_ms: Math.round(t2 - t1),
  };
  if (flags.includes("--modules")) {
    report.modules = rules.pyodide.runPython(`
import sys
# Frozen modules (os, io, site, importlib's bootstrap, zipimport...) come from the WebAssembly binary,
# though their __file__ names the zip: only what was read from the zip is listed.
sorted({m.__file__.split(".zip/", 1)[1] for m in list(sys.modules.values())
        if getattr(m, "__file__", None) and ".zip/" in m.__file__
        and getattr(getattr(m, "__spec__", None), "origin", None) != "frozen"})
`).toJs();
  }
  rules.calculateJson.destroy();
  process.stdout.write(JSON.stringify(report) + "\n");
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
