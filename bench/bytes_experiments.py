"""Experiments for fewer bytes on the wire (speed): the stdlib zip and the wasm.

    python -m bench.bytes_experiments stdlib [--out FILE]   variants of the trimmed stdlib
    python -m bench.bytes_experiments wasm WASM...          candidate pyodide.asm.wasm files
    python -m bench.bytes_experiments wasm --optimise       wasm-opt -Oz on Pyodide's wasm, then judged

Each variant is judged the way the site is judged: its brotli size (quality 11, runtime.compressed),
then the runtime written by runtime.write_runtime with that one file replaced is started under Node
through the site's own loading path (tests/pyodide/run_calculator.mjs), fresh and restored from a
memory snapshot, and every case file's request (plus a few hostile ones) must give byte for byte
the JSON CPython gives. Nothing here changes what the build ships; see the functions' docstrings
for how to fold a kept result into it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path

from bench.site import ROOT
import calculator
from sitebuild import runtime

RUNNER = ROOT / "tests" / "pyodide" / "run_calculator.mjs"
WASM_OPT = ROOT / "node_modules" / ".bin" / "wasm-opt"  # npm binaryen (installed by hand for this experiment), a Node build of wasm-opt
# Pyodide's wasm has no target_features section: the features it uses are named (without them
# wasm-opt refuses it). -Oz only: the size passes that keep every export, import and table index,
# which Pyodide's dynamic linking (dlopen of extension modules, the dylink.0 section) depends on.
# --strip-debug/--strip-producers change nothing (the npm build carries no such sections).
WASM_OPT_FLAGS = ("--enable-reference-types", "--enable-bulk-memory", "--enable-exception-handling",
                  "--enable-mutable-globals", "--enable-sign-ext", "--enable-nontrapping-float-to-int", "-Oz")
HOSTILE = ["[", "null", '{"measure": "x", "date": "2018-02-30"}', '{"measure": "\\ud800"}',
           '{"measure": "grain_to_forest", "area_mu": "1e999999"}']


def requests():
    """Every case file's request text, then a few hostile ones (as runtime.trace_stdlib runs)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from casefiles import load_cases

    return [text for _, text, _ in load_cases()] + HOSTILE


def brotli_size(data):
    return len(runtime.compressed(data)["br"])


def stdlib_members():
    """The trimmed stdlib as the build makes it before compiling: {name: source bytes}."""
    with zipfile.ZipFile(BytesIO(runtime.trimmed_stdlib(True))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stdlib_variant(drop=(), stubs=None):
    """The compiled stdlib zip (what the site ships as stdlib.zip) without the files in `drop`
    (a name ending in "/" drops that whole package) and with `stubs` ({name: source}) added or
    replacing a file. To integrate a kept variant: remove the dropped names from
    site_src/runtime/stdlib-keep.txt (and teach trace_stdlib not to add them back), and add the stubs
    to the members trimmed_stdlib() zips before compiled_pyc() compiles them."""
    members = stdlib_members()
    for name in drop:
        gone = [m for m in members if m == name or (name.endswith("/") and m.startswith(name))]
        if not gone:
            raise ValueError(f"{name} is not in the trimmed stdlib")
        for m in gone:
            del members[m]
    for name, source in (stubs or {}).items():
        members[name] = source.encode() if isinstance(source, str) else source
    return runtime.compiled_pyc(runtime.deterministic_zip(members, compress=False))


def run_runtime(reqs, *, stdlib=None, wasm=None, snapshot=False, modules=False, timeout=600):
    """The site's runtime (runtime.write_runtime) with stdlib.zip and/or pyodide.asm.wasm replaced,
    run under Node on `reqs`: run_calculator.mjs's report, or {"error": stderr} when it failed."""
    with tempfile.TemporaryDirectory(prefix="bytes-exp-") as tmp:
        manifest = runtime.write_runtime(tmp)
        info = json.loads(manifest.read_text())
        if stdlib is not None:
            (manifest.parent / info["pyodide"]["stdlib"]).write_bytes(stdlib)
        if wasm is not None:
            (manifest.parent / info["pyodide"]["indexURL"] / "pyodide.asm.wasm").write_bytes(wasm)
        command = ["node", str(RUNNER), str(manifest)] + (["--snapshot"] if snapshot else []) \
            + (["--modules"] if modules else [])
        started = time.perf_counter()
        done = subprocess.run(command, input=json.dumps(reqs), capture_output=True, text=True, timeout=timeout,
                              cwd=ROOT)
        wall = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": done.stderr[-3000:], "wall_s": round(wall, 1)}
    report = json.loads(done.stdout)
    report["wall_s"] = round(wall, 1)
    return report


def parity(reqs, report):
    """Requests whose Pyodide output differs from CPython's calculate_json (empty: byte-for-byte parity)."""
    if "error" in report:
        return ["did not start: " + report["error"].strip().splitlines()[-1] if report["error"].strip() else "failed"]
    return [r for r, out in zip(reqs, report["results"]) if out != calculator.calculate_json(r)]


def judge(label, reqs, *, stdlib=None, wasm=None, base_bytes=None):
    """One variant: its brotli size and parity fresh and from a snapshot."""
    data = stdlib if stdlib is not None else wasm
    size = brotli_size(data)
    row = {"variant": label, "raw_bytes": len(data), "brotli_bytes": size,
           "saved_brotli_bytes": None if base_bytes is None else base_bytes - size}
    for mode in ("fresh", "snapshot"):
        report = run_runtime(reqs, stdlib=stdlib, wasm=wasm, snapshot=mode == "snapshot")
        bad = parity(reqs, report)
        row[mode] = {"ok": not bad, "differs": len(bad), "first_difference": bad[:1], "load_ms": report.get("load_ms"),
                     "run_ms": report.get("run_ms"), "snapshot": report.get("snapshot")}
    row["kept"] = row["fresh"]["ok"] and row["snapshot"]["ok"] and (row["saved_brotli_bytes"] or 0) > 0
    print(f"{label:48} {size:>10,} B br  saved {row['saved_brotli_bytes'] or 0:>8,}  "
          f"fresh {'ok' if row['fresh']['ok'] else 'FAIL'}  snapshot {'ok' if row['snapshot']['ok'] else 'FAIL'}",
          flush=True)
    return row


# Measured and folded into the build (43ee3a2, site_src/runtime/stdlib-stubs/): stand-ins for asyncio,
# pyodide.webloop and email, and what only asyncio imported (ssl, socket, subprocess, selectors, logging,
# concurrent, ...) left out with bz2/lzma/compression: 562,809 -> 394,353 B brotli, parity fresh and
# snapshot-restored. Also measured then: socket/subprocess/selectors stubs alone (-40,894 B, superseded);
# asyncio dropped outright fails ("Failed to initialize module jsproxy"); a webloop stub without
# `from pyodide_js._api import scheduleCallback` breaks makeMemorySnapshot ("Unexpected hiwire entry").
# Then (the second round of speed work): the rule module's zip stored and written into the file system by
# load-rules.mjs instead of pyodide.unpackArchive, no importlib.invalidate_caches() (it imported
# importlib.metadata), stand-ins for zipfile, shutil and tempfile (pyodide._package_loader's imports):
# 394,353 -> 327,810 B; then the trace leaves out modules Python runs frozen from the wasm (os, io, site,
# codecs, importlib's bootstrap, zipimport, ...), whose __file__ names the zip though it is never read:
# -> 263,603 B. Both with parity fresh and snapshot-restored. Not tried: inspect and typing, which
# _pyodide.jsbind, pyodide.code and dataclasses use at import time (a stand-in would have to be the module).
# The variant below is what is left to try on top of the shipped stdlib.
STDLIB_VARIANTS = {
    "drop typing.py (imported by Pyodide's start-up)": {"drop": ["typing.py"]},
}


def stdlib_experiments(only=None):
    reqs = requests()
    base = stdlib_variant()
    rows = [judge("as built (stdlib-keep.txt)", reqs, stdlib=base)]
    base_bytes = rows[0]["brotli_bytes"]
    for label, spec in STDLIB_VARIANTS.items():
        if only and not any(o in label for o in only):
            continue
        try:
            data = stdlib_variant(**spec)
        except Exception as error:  # noqa: BLE001 - an experiment: report and go on
            rows.append({"variant": label, "error": str(error)})
            print(f"{label}: {error}", flush=True)
            continue
        rows.append(judge(label, reqs, stdlib=data, base_bytes=base_bytes) | {"spec": spec})
    return rows


def optimise_wasm(source, out, flags=WASM_OPT_FLAGS, timeout=3600):
    """wasm-opt `flags` on `source` written to `out` (Path). Slow: minutes of CPU for Pyodide's 9.6 MB
    (the npm build of wasm-opt runs under Node), so a build must cache the result by the input's hash
    and the flags, as runtime.compiled_pyc caches the compiled stdlib. To integrate: in
    runtime_files(), replace the bytes of runtime/pyodide-<version>/pyodide.asm.wasm by the cached
    output (and rename the folder, e.g. pyodide-<version>-oz, so caches never mix the two)."""
    if not WASM_OPT.is_file():
        raise SystemExit(f"{WASM_OPT} is missing: npm install --no-save binaryen@132.0.0 (not a dependency: kept out of the build, see README)")
    done = subprocess.run([str(WASM_OPT), str(source), *flags, "-o", str(out)], capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"wasm-opt failed: {done.stderr[-2000:]}")
    return Path(out)


def wasm_experiments(paths):
    reqs = requests()
    stock = (runtime.PYODIDE_DIR / "pyodide.asm.wasm").read_bytes()
    base_bytes = brotli_size(stock)
    rows = [{"variant": "stock pyodide.asm.wasm", "raw_bytes": len(stock), "brotli_bytes": base_bytes}]
    print(f"{'stock pyodide.asm.wasm':48} {base_bytes:>10,} B br", flush=True)
    for path in paths:
        rows.append(judge(Path(path).name, reqs, wasm=Path(path).read_bytes(), base_bytes=base_bytes))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.bytes_experiments", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["stdlib", "wasm"])
    parser.add_argument("wasm", nargs="*", help="candidate pyodide.asm.wasm files (for `wasm`)")
    parser.add_argument("--optimise", action="store_true", help="(wasm) run wasm-opt -Oz on Pyodide's wasm first")
    parser.add_argument("--only", action="append", help="stdlib variants whose label contains this text")
    parser.add_argument("--out", help="write the rows as JSON here")
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        raise SystemExit("node is not on PATH")
    if args.what == "stdlib":
        rows = stdlib_experiments(args.only)
    else:
        paths = list(args.wasm)
        if args.optimise:
            out = Path(tempfile.mkdtemp(prefix="wasm-opt-")) / "pyodide.asm.oz.wasm"
            print(f"wasm-opt {' '.join(WASM_OPT_FLAGS)} (minutes)", flush=True)
            paths.append(optimise_wasm(runtime.PYODIDE_DIR / "pyodide.asm.wasm", out))
        rows = wasm_experiments(paths)
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
