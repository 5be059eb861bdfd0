// The register's files inside Pyodide under Node, through the browser's loading path (load-rules.mjs: loadRules,
// registerFiles, loadSpreadsheet), as worker.mjs runs them: a file read first without the Excel readers, and
// spreadsheet.zip written in only when an answer says it needs them.
//
// Usage: node tests/pyodide/run_register_files.mjs <dist>/runtime/<hash>/manifest.json [--snapshot] < jobs.json
// stdin:  {"files": [{"name", "base64"}], "xlsx": [{"request": JSON text, "lang"}]}
// stdout: {"files": [read_file's JSON text], "files_ms": [ms each, the readers' loading included], "xlsx": [register_xlsx's JSON text], "loaded_spreadsheet_at": index
//          of the job that first needed the readers (null if none did), "spreadsheet_ms"}
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const HERE = dirname(new URL(import.meta.url).pathname);
const manifestPath = resolve(process.argv[2]);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const folder = dirname(manifestPath);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const toStderr = (msg) => process.stderr.write(`[pyodide] ${msg}\n`);

const { loadRules, loadSpreadsheet, registerFiles } = await import(pathToFileURL(resolve(HERE, "../../site_src/runtime/load-rules.mjs")).href);
const options = {
  manifest,
  resolve: (path) => resolve(folder, path) + (path.endsWith("/") ? "/" : ""),
  readBytes: async (path) => new Uint8Array(readFileSync(path)),
  importModule: (path) => import(pathToFileURL(path).href),
  extra: { stdout: toStderr, stderr: toStderr },
};
// --snapshot: answer from a second start restored from the first one's memory snapshot, as a returning visit does
// (the rule module's files are then not in Python's file system: what it imports later must be in the snapshot).
let saved = null;
const snapshot = process.argv.includes("--snapshot") ? { read: () => saved, discard: () => { saved = null; } } : null;
let rules = await loadRules({ ...options, snapshot });
if (snapshot) {
  saved = rules.snapshotBytes;
  rules = await loadRules({ ...options, snapshot });
  if (rules.snapshot !== "restored") throw new Error(`the second start did not restore the snapshot (${rules.snapshot})`);
}
const { readFile, registerXlsx } = registerFiles(rules.pyodide);
const out = { files: [], files_ms: [], xlsx: [], loaded_spreadsheet_at: null, spreadsheet_ms: null };
let loaded = false;
let index = 0;
function withReaders(call) {
  let text = call();
  if (!loaded && JSON.parse(text).needs === "spreadsheet") {
    const t0 = performance.now();
    loadSpreadsheet(rules.pyodide, new Uint8Array(readFileSync(resolve(folder, manifest.spreadsheet.file))));
    out.spreadsheet_ms = performance.now() - t0;
    loaded = true;
    out.loaded_spreadsheet_at = index;
    text = call();
  }
  index += 1;
  return text;
}
for (const file of jobs.files || []) {
  const bytes = new Uint8Array(Buffer.from(file.base64, "base64"));
  const t0 = performance.now();
  out.files.push(withReaders(() => readFile(bytes, bytes.length)));
  out.files_ms.push(performance.now() - t0);
}
for (const job of jobs.xlsx || []) out.xlsx.push(withReaders(() => registerXlsx(job.request, job.lang)));
process.stdout.write(JSON.stringify(out));
