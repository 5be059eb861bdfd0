// Build-time only (never shipped): compile the trimmed stdlib, and the rule module, to bytecode with Pyodide's own
// Python, so browsers skip compiling ~3 MB of source at every start (and the rule module's at every first start).
// Usage: node compile-pyc.mjs <node_modules/pyodide dir> <in.zip> <out.zip> [<path the files are loaded from>]
// (default /lib/python314.zip/: the stdlib; the rule module's is /home/pyodide/rules/, where load-rules.mjs writes it)
// Sourceless .pyc files (unchecked-hash header, optimize=2: no docstrings or asserts, no line
// tables: stdlib tracebacks show no line numbers) replace
// each .py; zipimport loads them directly. Entries are sorted with fixed dates: same input, same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [pyodideDir, input, output, origin = "/lib/python314.zip/"] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: (m) => process.stderr.write(m + "\n") });
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(readFileSync(input)));
pyodide.runPython(`
import importlib.util, marshal, zipfile
def without_line_tables(code):
    # Line numbers only serve tracebacks of the stdlib itself; dropping them saves ~1/5 of the bytes.
    consts = tuple(without_line_tables(c) if hasattr(c, "co_code") else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)

source = zipfile.ZipFile("/tmp/in.zip")
with zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
    for name in sorted(source.namelist()):
        data = source.read(name)
        if name.endswith(".py"):
            code = without_line_tables(compile(data, ${JSON.stringify(origin)} + name, "exec", dont_inherit=True, optimize=2))
            header = importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little") + importlib.util.source_hash(data)
            name, data = name + "c", header + marshal.dumps(code)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        out.writestr(info, data)
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
