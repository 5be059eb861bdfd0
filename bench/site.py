"""What the benchmark serves: the real site (built by build.py), the stock-Pyodide baseline
beside it, and both precompressed the way a production host serves static files."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

from sitebuild.config import BuildError
from sitebuild.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# The npm package's full file set that loadPyodide() fetches with its defaults.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
BASELINE_PAGE = Path(__file__).resolve().parent / "baseline.html"

try:  # the PyPI package `brotli`; without it every file gets only a .gz sibling
    import brotli
except ImportError:  # pragma: no cover - depends on the machine
    brotli = None

# Formats that are compressed already; hosts do not compress them again.
INCOMPRESSIBLE = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".br", ".gz", ".zst", ".pdf"}
MIN_SIZE = 256          # smaller files are sent as they are (as nginx's gzip_min_length and most CDNs do)
MIN_SAVING = 0.05       # a sibling that does not save 5% is not kept (e.g. a zip whose members are deflated)
BROTLI_QUALITY = 11     # static precompression uses the highest levels: the cost is paid once, at deploy
GZIP_LEVEL = 9


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "qinyuan-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_site(out, base_url):
    """Build the real site into `out` with the site build's own function (sitebuild.pipeline.build)."""
    try:
        build(out, base_url=base_url, prefix="/")
    except BuildError as error:
        problems = "\n".join(f"  - {p}" for p in error.problems)
        raise SystemExit(f"build failed:\n{problems}") from None
    return Path(out)


def copy_site(src, out):
    """Use a site that was built already (copied, so precompressing never touches the original)."""
    src = Path(src)
    if not (src / "index.html").is_file() and not any(src.glob("*/index.html")):
        raise SystemExit(f"{src} does not look like a built site (no index.html)")
    shutil.copytree(src, out)
    return Path(out)


def calculator_zip():
    """The rule module's sources as one zip with calculator/ at its root (what unpackArchive takes)."""
    pkg = ROOT / "calculator"
    files = sorted(p for p in pkg.rglob("*") if p.is_file() and p.suffix in (".py", ".toml") and "__pycache__" not in p.parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in files:
            info = zipfile.ZipInfo(str(path.relative_to(ROOT)).replace(os.sep, "/"), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buf.getvalue()


def write_baseline(out, request):
    """The baseline folder: a minimal page, the npm package's full Pyodide file set, the rule module zipped."""
    out = Path(out)
    out.mkdir(parents=True)
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise SystemExit(f"node_modules/pyodide is missing {', '.join(missing)}: run `npm ci` (or ./dev setup)")
    for name in PYODIDE_FILES:
        shutil.copyfile(PYODIDE_DIR / name, out / name)
    (out / "calculator.zip").write_bytes(calculator_zip())
    page = BASELINE_PAGE.read_text(encoding="utf-8").replace("__REQUEST__", json.dumps(request, ensure_ascii=False))
    (out / "index.html").write_text(page, encoding="utf-8")
    shutil.copyfile(BASELINE_PAGE.with_suffix(".mjs"), out / "baseline.mjs")
    return out


def pyodide_version():
    try:
        return json.loads((PYODIDE_DIR / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def _compress_cached(data, kind):
    digest = hashlib.sha256(data).hexdigest()
    level = BROTLI_QUALITY if kind == "br" else GZIP_LEVEL
    cached = cache_dir() / f"{digest}.{kind}{level}"
    if cached.is_file():
        return cached.read_bytes()
    if kind == "br":
        packed = brotli.compress(data, quality=BROTLI_QUALITY)
    else:
        packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if len(data) >= 100_000:  # only big files are worth keeping between runs (the Pyodide runtime)
        tmp = cached.with_suffix(cached.suffix + ".tmp")
        tmp.write_bytes(packed)
        tmp.replace(cached)
    return packed


def precompress(folder):
    """Write .br (when the brotli package is there) and .gz siblings next to every compressible file.

    Files that already have a sibling (a build that precompresses itself) are left as they are.
    Returns a summary: {files, added: {br, gz}, kept_by_build, skipped_no_gain}.
    """
    folder = Path(folder)
    kinds = (("br", ".br"), ("gz", ".gz")) if brotli else (("gz", ".gz"),)
    summary = {"encodings": [k for k, _ in kinds], "files": 0, "added": {k: 0 for k, _ in kinds},
               "kept_by_build": 0, "skipped_no_gain": 0}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix in INCOMPRESSIBLE:
            continue
        summary["files"] += 1
        if any(path.with_name(path.name + s).exists() for s in (".br", ".gz")):
            summary["kept_by_build"] += 1
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        for kind, suffix in kinds:
            packed = _compress_cached(data, kind)
            if len(packed) <= len(data) * (1 - MIN_SAVING):
                path.with_name(path.name + suffix).write_bytes(packed)
                summary["added"][kind] += 1
            else:
                summary["skipped_no_gain"] += 1
    return summary


def html_pages(folder):
    """Site paths ('/zh/policy/') of every HTML page in a built site."""
    folder = Path(folder)
    pages = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        if rel == "index.html":
            pages.append("/")
        elif rel.endswith("/index.html"):
            pages.append("/" + rel[: -len("index.html")])
        else:
            pages.append("/" + rel)
    return pages


def is_calculator_page(site_path):
    """Calculator pages and their leaflets may load the runtime; every other page must not."""
    return "calculator" in [part for part in site_path.split("/") if part]
