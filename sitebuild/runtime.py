"""The calculator's runtime: Pyodide trimmed to the stdlib the rule module uses, compiled, zipped,
with the rule module, lockfile, manifest, SRI; precompression; the service worker; Pyodide under Node."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import calculator
from calculator import RULES_VERSION

from .config import ROOT, BuildError
from .spreadsheet import SPREADSHEET_FILE, spreadsheet_bundle
from .write import write_files

# Pyodide from the pinned npm package, trimmed to what the rule module uses, plus the rule
# module itself as a stored zip written into Python's file system by load-rules.mjs (see README: why not a wheel).

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
RUNTIME_SRC = ROOT / "site_src" / "runtime"
STDLIB_KEEP = RUNTIME_SRC / "stdlib-keep.txt"
# Imported only inside `try: … except ImportError` (zipfile, shutil): the runtime does without them.
STDLIB_OPTIONAL = ("bz2.py", "lzma.py", "compression/")
# Kept whatever the trace says: the codecs the register's file reader decodes with (calculator/register/files.py:
# Excel's "Unicode text" is UTF-16, Chinese Windows writes GB18030/GBK); the trace runs calculate_json only.
STDLIB_ALWAYS = ("encodings/gb18030.py", "encodings/utf_16_le.py", "encodings/utf_16_be.py")
STDLIB_STUBS = RUNTIME_SRC / "stdlib-stubs"  # stand-ins for modules only Pyodide's start-up imports (see its README)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(members, compress=True):
    """Zip bytes that depend only on the members' names and bytes (no timestamps, fixed order)."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in sorted(members.items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9 if compress else None)
    return buffer.getvalue()


def rules_bundle():
    """The rule module exactly as CPython imports it: every .py and .toml of calculator/ and its subpackages."""
    sources = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in sorted((ROOT / 'calculator').rglob("*"))
               if p.suffix in (".py", ".toml") and p.is_file()}
    data = deterministic_zip(sources, compress=False)  # stored: brotli on the wire, and load-rules.mjs reads it without zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # what is shipped is what was read
        if {n: archive.read(n) for n in archive.namelist()} != sources:
            raise BuildError("the rule module bundle differs from calculator/")
    return data


RULES_ORIGIN = "/home/pyodide/rules/"  # where load-rules.mjs writes the rule module (its RULES_DIR)


def compiled_rules(source_zip):
    """The rule module as shipped: each .py compiled to a sourceless .pyc by Pyodide's own Python, as the stdlib is
    (a first start no longer compiles ~130 kB of source: about a tenth of it; 8 kB more brotli), the .toml files as
    they are. Checked: the same members, the data files byte for byte."""
    compiled = compiled_pyc(source_zip, RULES_ORIGIN)
    with zipfile.ZipFile(io.BytesIO(source_zip)) as source, zipfile.ZipFile(io.BytesIO(compiled)) as shipped:
        expected = {name + "c" if name.endswith(".py") else name for name in source.namelist()}
        if set(shipped.namelist()) != expected or any(
                shipped.read(name) != source.read(name) for name in source.namelist() if not name.endswith(".py")):
            raise BuildError("the compiled rule module differs from calculator/")
    return compiled


def stdlib_stubs():
    """{zip name: source} of the stand-ins in site_src/runtime/stdlib-stubs/."""
    return {p.relative_to(STDLIB_STUBS).as_posix(): p.read_bytes()
            for p in sorted(STDLIB_STUBS.rglob("*.py")) if p.is_file()}


def trimmed_stdlib(trim=True):
    """Pyodide's stdlib zip reduced to the modules the real loading path imports (stdlib-keep.txt), with the
    stand-ins of stdlib-stubs/ in place of Pyodide's own (also untrimmed: the trace must not list what they replace)."""
    source = zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip")
    names = set(source.namelist())
    if not trim:
        keep = {n for n in names if not n.endswith("/")}
    else:
        keep = {line.strip() for line in STDLIB_KEEP.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")}
        keep |= set(STDLIB_ALWAYS)
        missing = sorted(keep - names)
        if missing:
            raise BuildError(f"{STDLIB_KEEP.name} names files not in Pyodide's stdlib: {', '.join(missing[:5])}; "
                             "run python build.py --trace-stdlib")
    stubs = stdlib_stubs()
    unknown = sorted(set(stubs) - names)
    if unknown:
        raise BuildError(f"stdlib-stubs/ replaces files not in Pyodide's stdlib: {', '.join(unknown)}")
    members = {name: stubs[name] if name in stubs else source.read(name) for name in keep}
    # Stored, not deflated: served with brotli/gzip on the wire it is smaller than a deflated zip.
    return deterministic_zip(members, compress=False)


def pyodide_version():
    return json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]


def compiled_pyc(zip_bytes, origin="/lib/python314.zip/"):
    """The trimmed stdlib (or the rule module, loaded from `origin`) with every .py compiled to .pyc by Pyodide's own
    Python (under Node): starting Python no longer compiles ~3 MB of source. Cached by content, as compiling takes seconds."""
    import subprocess

    version = pyodide_version()
    script = RUNTIME_SRC / "compile-pyc.mjs"
    key = hashlib.sha256(zip_bytes + version.encode() + script.read_bytes() + origin.encode()).hexdigest()
    cached = ROOT / ".cache" / "pyc" / f"{key}.zip"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        source = cached.with_suffix(".in.zip")
        source.write_bytes(zip_bytes)
        done = subprocess.run(["node", str(script), str(PYODIDE_DIR), str(source), str(cached), origin],
                              capture_output=True, text=True, timeout=300)
        source.unlink()
        if done.returncode != 0 or not cached.is_file():
            raise BuildError(f"compiling the stdlib with Pyodide failed:\n{done.stderr[-2000:]}")
    return cached.read_bytes()


def minimal_lockfile():
    """Pyodide's lockfile without its ~250 package entries: the calculator loads no package."""
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, sort_keys=True).encode()


def sri(data):
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


# The site's own scripts in site_src/runtime/, shipped into runtime/<content hash>/: page/boot.js and
# page/capability.js (classic scripts in the calculator page's <head>), the worker and its loader as they are,
# and the calculator page's modules (page/*.mjs) as the one module page/main.mjs (page_bundle).
RUNTIME_SCRIPTS = ("page/boot.js", "page/capability.js", "worker.mjs", "load-rules.mjs")
PAGE_BUNDLE = "page/main.mjs"
ESBUILD = ROOT / "node_modules" / "esbuild" / "bin" / "esbuild"


def page_bundle():
    """page/main.mjs with every page module it imports (statically or with import()) as one minified ES module.

    Why one file: a phone on a mobile network waits a round trip for each file, and browsers ask a server for
    about six at a time over HTTP/1.1, so the page's twenty modules took four rounds of requests before a worked
    example's answer could be drawn. The sources stay in site_src/runtime/page/, one module per concern; esbuild
    (pinned in package.json) joins them the same way on every build, keeping each module's code as it is written
    (no syntax is rewritten for older browsers: page/capability.js turns those away before this file is asked for).
    """
    if not ESBUILD.is_file():
        raise BuildError("node_modules/esbuild is missing: run npm ci (./dev does)")
    import subprocess

    done = subprocess.run([str(ESBUILD), str(RUNTIME_SRC / PAGE_BUNDLE), "--bundle", "--format=esm", "--minify",
                           "--charset=utf8", "--legal-comments=none", "--log-level=error"],
                          capture_output=True, cwd=ROOT, timeout=120)
    if done.returncode != 0 or not done.stdout:
        raise BuildError(f"esbuild could not bundle {PAGE_BUNDLE}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


QRCODE_JS = ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs"
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".zip", ".webmanifest"}


# What the worker downloads before its first answer, in the order it needs them: (folder, name), "own" for
# runtime/<content hash>/, "pyodide" for runtime/pyodide-<version>/. The progress bar's total, the calculator
# page's early downloads and the other pages' idle prefetch are all read from this one list.
WORKER_DOWNLOADS = (("own", "worker.mjs"), ("own", "load-rules.mjs"), ("pyodide", "pyodide.mjs"),
                    ("pyodide", "pyodide.asm.mjs"), ("own", "lock.json"), ("own", "stdlib.zip"),
                    ("pyodide", "pyodide.asm.wasm"), ("own", "rules.zip"))


def worker_download_paths(folder, version):
    """WORKER_DOWNLOADS as site paths, for the runtime in `folder` (runtime/<content hash>) and Pyodide `version`."""
    return [f"{folder if where == 'own' else f'runtime/pyodide-{version}'}/{name}" for where, name in WORKER_DOWNLOADS]


def runtime_files(trim=True):
    """The calculator's runtime as {site path: bytes}, its manifest, and the manifest's site path.

    runtime/pyodide-<version>/  the three Pyodide files the calculator loads, as the npm package ships them
    runtime/<content hash>/     the page's modules (page/), the worker and its loader, the rule module, the trimmed
                                stdlib, the lockfile, the QR encoder and manifest.json; the folder name
                                changes with any byte inside, so caches can keep it forever
    """
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        raise BuildError("node_modules/pyodide is missing: run npm ci (./dev does)")
    version = pyodide_version()
    pyodide = {f"runtime/pyodide-{version}/{name}": (PYODIDE_DIR / name).read_bytes() for name in PYODIDE_FILES}
    own = {name: (RUNTIME_SRC / name).read_bytes() for name in RUNTIME_SCRIPTS}
    own |= {
        PAGE_BUNDLE: page_bundle(),
        "qrcode.mjs": QRCODE_JS.read_bytes(),
        "rules.zip": compiled_rules(rules_bundle()),
        "stdlib.zip": compiled_pyc(trimmed_stdlib(trim)) if trim else trimmed_stdlib(trim),
        "lock.json": minimal_lockfile(),
        # the register's Excel readers, downloaded only when a workbook is chosen or saved (sitebuild/spreadsheet.py)
        SPREADSHEET_FILE: spreadsheet_bundle(PYODIDE_DIR, deterministic_zip, compiled_pyc),
    }
    digest = hashlib.sha256(b"".join(name.encode() + hashlib.sha256(own[name]).digest() for name in sorted(own)))
    folder = f"runtime/{digest.hexdigest()[:12]}"
    # What the worker fetches before the first result, compressed as served: the progress bar's total.
    fetched = {name: own[name] if where == "own" else pyodide[f"runtime/pyodide-{version}/{name}"]
               for where, name in WORKER_DOWNLOADS}
    manifest = {
        "pyodide": {"version": version, "module": f"../pyodide-{version}/pyodide.mjs",
                    "indexURL": f"../pyodide-{version}/", "lockFile": "lock.json", "stdlib": "stdlib.zip"},
        "bundle": {"file": "rules.zip", "integrity": sri(own["rules.zip"])},
        "spreadsheet": {"file": SPREADSHEET_FILE, "integrity": sri(own[SPREADSHEET_FILE])},
        "worker": "worker.mjs",
        "page": PAGE_BUNDLE,
        "qrcode": "qrcode.mjs",
        "rules_version": RULES_VERSION,
        "module_version": calculator.__version__,
        "transfer": {name: len(compressed(data)["gzip"]) for name, data in sorted(fetched.items())},
    }
    files = {**pyodide, **{f"{folder}/{name}": data for name, data in own.items()}}
    files[f"{folder}/manifest.json"] = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    return files, manifest, f"{folder}/manifest.json"


# ---------------------------------------------------------------- runtime prefetch (speed)
def prefetch_paths(folder, manifest):
    """Site paths the other pages prefetch when the connection allows (site.toml [runtime] prefetch):
    what the calculator page and its worker download before the first answer, the print-only QR encoder
    excepted. All content-addressed, so the HTTP cache keeps them for the calculator."""
    worker = worker_download_paths(folder, manifest["pyodide"]["version"])
    return worker + [f"{folder}/{name}" for name in (PAGE_BUNDLE, *RUNTIME_SCRIPTS) if f"{folder}/{name}" not in worker]
# ---------------------------------------------------------------- end runtime prefetch


# ---------------------------------------------------------------- calculator preloads (speed)
# The page's module is named in the calculator page's <head>, so page/boot.js asks for it as the page starts,
# before the parser reaches its <script> at the end of the body. The worker's files are not named here: the
# worker asks for them all at once itself and feeds Pyodide from those responses (worker.mjs), so each is
# downloaded once even where the server forbids caching.
def calculator_preloads(folder, manifest):
    """Site paths the calculator page asks for at once: {"module": [the page's module]} (modulepreload).
    page/boot.js asks for them, only where page/capability.js found the calculator can run."""
    return {"module": [f"{folder}/{manifest['page']}"]}
# ---------------------------------------------------------------- end calculator preloads


PRECOMPRESS_CACHE = ROOT / ".cache" / "precompressed"


def compressed(data):
    """{"gzip": bytes, "br": bytes or absent}: deterministic (no timestamps), cached by content
    because brotli at its best setting takes seconds on the 9.6 MB WebAssembly binary."""
    key = hashlib.sha256(data).hexdigest()
    out = {}
    for encoding in ("gzip", "br"):
        cached = PRECOMPRESS_CACHE / f"{key}.{encoding}"
        if cached.is_file():
            out[encoding] = cached.read_bytes()
            continue
        if encoding == "gzip":
            packed = gzip.compress(data, compresslevel=9, mtime=0)
        else:
            try:
                import brotli
            except ImportError:  # brotli is a listed dependency; without it hosts still get gzip
                continue
            packed = brotli.compress(data, quality=11)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(packed)
        out[encoding] = packed
    return out


def precompress(files):
    """Add .gz and .br siblings for every compressible file that they make smaller, as a production host serves."""
    extra = {}
    for path, data in files.items():
        if Path(path).suffix in COMPRESSIBLE and len(data) > 512:
            for encoding, packed in compressed(data).items():
                if len(packed) < len(data):
                    extra[path + (".gz" if encoding == "gzip" else ".br")] = packed
    files.update(extra)


NODE_RUNNER = ROOT / "tests" / "pyodide" / "run_calculator.mjs"


def write_runtime(out, trim=True):
    """Only the calculator's runtime, written into `out`; returns the manifest's path there.
    For the Node parity tests and the stdlib trace, which need no pages."""
    files, _, manifest_path = runtime_files(trim)
    write_files(files, Path(out))
    return Path(out) / manifest_path


def run_in_pyodide(manifest_path, requests, modules=False, timeout=300):
    """calculate_json on each request text inside Pyodide under Node, through the browser's loading path."""
    import subprocess

    command = ["node", str(NODE_RUNNER), str(manifest_path)] + (["--modules"] if modules else [])
    done = subprocess.run(command, input=json.dumps(requests), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise BuildError(f"Pyodide under Node failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def trace_stdlib():
    """Rewrite site_src/runtime/stdlib-keep.txt: the stdlib files Python loads on the real loading
    path (Pyodide's start, unpackArchive, import) while running every case file, plus a few hostile
    requests. The parity tests then run every case on the runtime trimmed to that list."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from casefiles import load_cases

    requests = [text for _, text, _ in load_cases()] + ["[", "null", '{"measure": "x", "date": "2018-02-30"}']
    with tempfile.TemporaryDirectory() as tmp:
        report = run_in_pyodide(write_runtime(tmp, trim=False), requests, modules=True)
    header = ("# Files of Pyodide's python_stdlib.zip that the calculator's runtime keeps (see sitebuild/runtime.py trace_stdlib).\n"
              f"# Traced with Python {report['python_version']} in Pyodide on the loading path and every case file; "
              "regenerate with: python build.py --trace-stdlib\n")
    modules = [m for m in report["modules"] if not m.startswith(STDLIB_OPTIONAL)]
    STDLIB_KEEP.write_text(header + "\n".join(modules) + "\n", encoding="utf-8")
    return modules


def service_worker(site):
    """sw.js: this build's cache name and precache list written into site_src/runtime/sw.js."""
    skip = ("sitemap.xml", "robots.txt", "assets.json", "sw.js")
    paths = []  # [site URL, SHA-256 hex of its bytes]: the worker checks every file it caches (never a damaged copy)
    for path in sorted(site.files):
        # The Excel readers (~350 kB brotli) stay out of the offline copy, which every resident's phone installs:
        # only a bookkeeper who chooses or saves a workbook downloads them (a kiosk saves no file; CSV works offline).
        if path in skip or path.endswith("/" + SPREADSHEET_FILE):
            continue
        paths.append([site.url(path[: -len("index.html")] if path.endswith("index.html") else path),
                      hashlib.sha256(site.files[path]).hexdigest()])
    digest = hashlib.sha256(b"".join(p.encode() + hashlib.sha256(site.files[p]).digest()
                                     for p in sorted(site.files) if p not in skip)).hexdigest()[:12]  # (the readers too)
    source = (RUNTIME_SRC / "sw.js").read_text(encoding="utf-8")
    return (source.replace("__CACHE__", json.dumps(f"qinyuan-{digest}"))
                  .replace("__PRECACHE__", "[\n" + ",\n".join(json.dumps(entry) for entry in paths) + "\n]")
                  .replace("__NOT_FOUND__", json.dumps(site.url("404.html")))).encode()
