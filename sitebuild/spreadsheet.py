"""The register's Excel readers for the browser: openpyxl, et_xmlfile and xlrd from pinned PyPI wheels
(site_src/runtime/spreadsheet-wheels.txt, downloaded into .cache/wheels/ by ./dev), with the few stdlib
files they need beyond the trimmed stdlib (site_src/runtime/spreadsheet-stdlib.txt), as one stored zip
compiled to bytecode like the rule module. The worker downloads it only when a bookkeeper chooses or saves
a workbook (load-rules.mjs loadSpreadsheet), so residents download nothing more."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from .config import ROOT, BuildError

SPREADSHEET_FILE = "spreadsheet.zip"  # in runtime/<content hash>/, named in the manifest; not in the offline copy
WHEELS_LIST = ROOT / "site_src" / "runtime" / "spreadsheet-wheels.txt"
STDLIB_LIST = ROOT / "site_src" / "runtime" / "spreadsheet-stdlib.txt"
WHEELS_DIR = ROOT / ".cache" / "wheels"
ORIGIN = "/home/pyodide/spreadsheet/"  # where load-rules.mjs writes it (its SPREADSHEET_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s]+)\s+--hash=sha256:([0-9a-f]{64})\s*$")
DOWNLOAD = ("python -m pip download --no-deps --require-hashes -r site_src/runtime/spreadsheet-wheels.txt "
            "-d .cache/wheels (./dev setup does it)")


def pinned_wheels():
    """[(name, version, sha256)] from spreadsheet-wheels.txt."""
    pins = []
    for line in WHEELS_LIST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line)
        if not match:
            raise BuildError(f"{WHEELS_LIST.name}: cannot read the line {line!r} (name==version --hash=sha256:…)")
        pins.append(match.groups())
    return pins


def wheel_members():
    """{path: bytes} of the packages inside the pinned wheels (their licence files kept), each wheel's hash checked."""
    members = {}
    for name, version, digest in pinned_wheels():
        found = sorted(WHEELS_DIR.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        if not found:
            raise BuildError(f"the wheel {name}=={version} is missing from .cache/wheels/: run {DOWNLOAD}")
        data = found[0].read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise BuildError(f"{found[0].name} does not have the SHA-256 pinned in {WHEELS_LIST.name}: delete it and run {DOWNLOAD}")
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            for member in wheel.namelist():
                top = member.split("/", 1)[0]
                if member.endswith("/") or top.endswith(".data"):
                    continue
                if top.endswith(".dist-info"):
                    if re.search(r"LICEN[CS]E", member.rsplit("/", 1)[-1], re.IGNORECASE):
                        members[member] = wheel.read(member)  # the licence travels with the code
                    continue
                if member.endswith(".py"):
                    members[member] = wheel.read(member)
    return members


def stdlib_members(pyodide_dir):
    names = [line.strip() for line in STDLIB_LIST.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as stdlib:
        missing = sorted(set(names) - set(stdlib.namelist()))
        if missing:
            raise BuildError(f"{STDLIB_LIST.name} names files not in Pyodide's stdlib: {', '.join(missing[:5])}")
        return {name: stdlib.read(name) for name in names}


def spreadsheet_bundle(pyodide_dir, deterministic_zip, compiled_pyc):
    """spreadsheet.zip: stored, every .py compiled to a sourceless .pyc by Pyodide's Python (as rules.zip)."""
    members = wheel_members()
    stdlib = stdlib_members(pyodide_dir)
    clash = sorted(set(members) & set(stdlib))
    if clash:
        raise BuildError(f"a wheel and {STDLIB_LIST.name} both hold {clash[0]}")
    return compiled_pyc(deterministic_zip({**members, **stdlib}, compress=False), ORIGIN)
