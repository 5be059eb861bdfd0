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
  // What does not wait for anything else starts at once (speed): the memory snapshot is read while Pyodide's
  // two scripts load and compile (loadPyodide then finds pyodide.asm.mjs, its WebAssembly glue, already imported).
  const saved = snapshot ? Promise.resolve().then(() => snapshot.read()).catch(() => null) : null;
  const glue = Promise.resolve().then(() => importModule(resolve(manifest.pyodide.indexURL) + "pyodide.asm.mjs")).catch(() => null);
  const { loadPyodide } = await importModule(resolve(manifest.pyodide.module));
  marks.module = performance.now();
  const options = {
    indexURL: resolve(manifest.pyodide.indexURL),
    lockFileURL: resolve(manifest.pyodide.lockFile), // absolute: a relative one fails in Chromium
    stdLibURL: resolve(manifest.pyodide.stdlib),
    packages: [],
    ...extra,
  };
  await glue;
  if (snapshot) {
    const bytes = await saved;
    if (bytes) {
      try {
        onStage("rules");
        marks.snapshot_read = performance.now();
        const pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
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
  writeRules(pyodide, await bundle);
  // A new sys.path entry gets a fresh finder: no importlib.invalidate_caches(), which would import
  // importlib.metadata and with it zipfile, inspect's users and more that the trimmed stdlib leaves out.
  pyodide.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(RULES_DIR)})
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

// The rule module's zip is stored, not deflated (brotli on the wire compresses it better), so its files are
// read here and written into Python's file system directly: no zipfile module in Python (the trimmed
// stdlib has only a stand-in) and no pyodide.unpackArchive, which needs it.
export function storedZipEntries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const entries = [];
  let at = 0;
  while (at + 30 <= bytes.length && view.getUint32(at, true) === 0x04034b50) { // a local file header
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    if (method !== 0 || flags & 0x8) throw new Error("the rule module's zip must be stored, not compressed");
    const name = decoder.decode(bytes.subarray(at + 30, at + 30 + nameLength));
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`unsafe name in the rule module's zip: ${name}`);
    const start = at + 30 + nameLength + extraLength;
    if (start + size > bytes.length) throw new Error("the rule module's zip is cut short");
    entries.push([name, bytes.subarray(start, start + size)]);
    at = start + size;
  }
  if (!entries.length) throw new Error("the rule module's zip holds no file");
  return entries;
}

// A memory snapshot kept on the device without its long runs of zeros (speed): about two thirds of Python's
// memory after start-up are such runs (31 MB become about 10 MB), and a returning visit reads the rest faster.
// Layout: "QSN1", the full length, the number of parts, (offset, length) of each part (u32, little-endian), then
// the parts. A stored snapshot without that mark is the whole memory as it is.
const PACK_MARK = [0x51, 0x53, 0x4e, 0x31]; // "QSN1"
const ZERO_RUN = 1 << 16; // zero runs at least this long are left out

export function packSnapshot(bytes) {
  const parts = []; // [start, end) of the bytes kept
  if (bytes.length % 4 === 0 && bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    let begin = 0;
    for (let i = 0; i < words.length;) {
      if (words[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < words.length && words[j] === 0) j++;
      if ((j - i) * 4 >= ZERO_RUN || j === words.length) {
        if (i > begin) parts.push([begin * 4, i * 4]);
        begin = j;
      }
      i = j;
    }
    if (begin < words.length) parts.push([begin * 4, bytes.length]);
  } else {
    parts.push([0, bytes.length]);
  }
  const head = 12 + 8 * parts.length;
  const packed = new Uint8Array(head + parts.reduce((sum, [start, end]) => sum + end - start, 0));
  const view = new DataView(packed.buffer);
  packed.set(PACK_MARK, 0);
  view.setUint32(4, bytes.length, true);
  view.setUint32(8, parts.length, true);
  let at = head;
  parts.forEach(([start, end], k) => {
    view.setUint32(12 + 8 * k, start, true);
    view.setUint32(16 + 8 * k, end - start, true);
    packed.set(bytes.subarray(start, end), at);
    at += end - start;
  });
  return packed;
}

export function unpackSnapshot(packed) {
  if (packed.length < 12 || PACK_MARK.some((byte, i) => packed[i] !== byte)) return packed;
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const total = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  const out = new Uint8Array(total); // zeros
  let at = 12 + 8 * count;
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(12 + 8 * k, true);
    const length = view.getUint32(16 + 8 * k, true);
    if (at + length > packed.length || start + length > total) throw new Error("the stored snapshot is damaged");
    out.set(packed.subarray(at, at + length), start);
    at += length;
  }
  if (at !== packed.length) throw new Error("the stored snapshot is damaged");
  return out;
}

function writeRules(pyodide, bytes) {
  writeStoredZip(pyodide, bytes, RULES_DIR);
}

function writeStoredZip(pyodide, bytes, dir) {
  for (const [name, data] of storedZipEntries(bytes)) {
    if (name.endsWith("/")) continue;
    const path = `${dir}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, data);
  }
}

// ---- the register's files (calculator/register/files.py): a chosen file's bytes read into the list's text, the
// year's table saved as .xlsx. The Excel readers (openpyxl, xlrd: manifest.spreadsheet, sitebuild/spreadsheet.py)
// are a stored zip written into Python's file system only when a workbook is chosen or saved, as the rule module is
// (no unpackArchive, which needs the zipfile the trimmed stdlib replaces). The zip carries the real zipfile, shutil
// and tempfile, so the stand-ins Pyodide's start-up imported are dropped from sys.modules first; a new sys.path
// entry gets a fresh finder, so no importlib.invalidate_caches() (which imports importlib.metadata) is needed.
export const SPREADSHEET_DIR = "/home/pyodide/spreadsheet";

export function loadSpreadsheet(pyodide, bytes) {
  writeStoredZip(pyodide, bytes, SPREADSHEET_DIR);
  pyodide.runPython(`
import sys
for name in [m for m in sys.modules if m.split(".")[0] in ("zipfile", "shutil", "tempfile")]:
    del sys.modules[name]
sys.path.insert(0, ${JSON.stringify(SPREADSHEET_DIR)})
import encodings  # zipfile decodes old names as cp437: the codec comes with the zip, in encodings' own path
encodings.__path__.append(${JSON.stringify(SPREADSHEET_DIR + "/encodings")})
import openpyxl, xlrd
`);
}

// {readFile(Uint8Array, size) -> JSON text (size: File.size, checked before the page reads a byte), registerXlsx(request text, lang) -> JSON text}: each answer may say
// needs: "spreadsheet" (the caller then runs loadSpreadsheet and asks again).
export function registerFiles(pyodide) {
  const readFile = pyodide.runPython(`
from calculator.register.files import read_file_json
lambda data, size: read_file_json(data.to_bytes(), size)
`);
  const registerXlsx = pyodide.runPython("from calculator.register.files import register_xlsx_json; register_xlsx_json");
  return { readFile, registerXlsx };
}
// ---- end the register's files

function ready(pyodide, manifest, onStage, snapshotState, marks) {
  const version = pyodide.runPython("import calculator; calculator.RULES_VERSION");
  if (version !== manifest.rules_version) {
    throw new Error(`rules version ${version} does not match the manifest's ${manifest.rules_version}`);
  }
  // Take the function itself: an attribute of a proxy dies with its parent.
  const calculateJson = pyodide.runPython("calculator.calculate_json");
  const compareJson = pyodide.runPython("calculator.compare_json"); // the overview's "What if…"
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
