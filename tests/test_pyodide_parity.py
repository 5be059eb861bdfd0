"""The same case files give byte-identical JSON in Pyodide (under Node) and on CPython.

The browser runs calculator/ in Pyodide's Python 3.14; everything else runs it on CPython.
Every request of tests/cases/*.toml, plus a batch of hostile inputs, goes through
tests/pyodide/run_calculator.mjs in ONE Node process, and each output string must equal
CPython's calculate_json() output for the same request text.

Timings (Pyodide load, import, run) go to test-artifacts/pyodide-parity.json, whatever -s says.
Skipped when node or node_modules/pyodide is missing, except when $CI is set: CI installs both,
so there a missing runtime is a failure, never a silent skip.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from calculator import calculate_json
from casefiles import load_cases
from sitebuild import runtime

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "pyodide" / "run_calculator.mjs"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
ARTIFACT = ROOT / "test-artifacts" / "pyodide-parity.json"
TIMEOUT_S = 300


def _source_digest():
    """Hash of exactly the files the Node script copies into Pyodide (calculator/**/*.py, *.toml)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "calculator").rglob("*")):
        if path.suffix in (".py", ".toml") and path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# Taken right after CPython imported calculator, to notice an edit before Node reads the files.
SOURCE_DIGEST = _source_digest()

CASES = load_cases()

HOSTILE = [
    "[]",
    "null",
    '"x"',
    "",
    "{",
    "NaN",
    "1e999999",
    "\ufeff{}",
    '{"measure": "grain_to_forest", "area_mu": "1e999999"}',
    '{"measure": "grain_to_forest", "area_mu": 1e999999}',
    '{"measure": "grain_to_forest", "area_mu": 1e-999999}',
    "[" * 100 + "]" * 100,
    '{"measure": "grain_to_forest", "x": ' + "[" * 100 + "]" * 100 + "}",
    '{"measure":"household_subsidy","registered_poor":true,"livestock":{"pig":99999999999999999999999999999}}',
    '{"measure":"household_subsidy","registered_poor":true,"livestock":{"pig":-1,"cow":1.5,"sheep":"7","x":null}}',
    '{"measure": "\\ud800"}',  # a lone surrogate, echoed back in the error message
    '{"measure": "grain_to_forest", "rules_version": "\\udfff"}',
    '{"measure": "__class__"}',
    '{"measure": "grain_to_forest", "area_mu": "\uff12.\uff15", "first_year": 2018}',  # full-width digits
    '{"measure": "grain_to_forest", "area_mu": "2", "first_year": 100000000000000000000000000000}',
    '{"measure": "grain_to_forest", "area_mu": "2", "first_year": 2018, "date": "2018-02-29"}',
    '{"measure": "' + "x" * 100_000 + '"}',
    '{"measure": "grain_to_forest", "measure": "nope"}',
]


def _runtime_missing():
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        return f"{PYODIDE_DIR.relative_to(ROOT)} is missing (run npm ci)"
    return None


def _run_in_pyodide(requests, mode="fresh"):
    """calculate_json for every request inside Pyodide, in one Node process: (report, wall seconds)."""
    missing = _runtime_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so Pyodide parity must run, but {missing}")
        pytest.skip(f"Pyodide parity needs Node and the npm pyodide package: {missing}")
    # The runtime exactly as the site ships it: trimmed stdlib, lockfile, rule-module zip.
    manifest = runtime.write_runtime(tempfile.mkdtemp(prefix="parity-runtime-"))
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            ["node", str(SCRIPT), str(manifest)] + (["--snapshot"] if mode == "snapshot" else []),
            input=json.dumps(requests),  # ASCII-only JSON: lone surrogates survive as \u escapes
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_S,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{SCRIPT.name} took more than {TIMEOUT_S} s; stderr:\n{exc.stderr}")
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        pytest.fail(f"{SCRIPT.name} exited {proc.returncode}; stderr:\n{proc.stderr[-5000:]}")
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        pytest.fail(f"{SCRIPT.name} printed something that is not one JSON object:\n{proc.stdout[:2000]}")
    if len(report.get("results", ())) != len(requests):
        pytest.fail(f"{SCRIPT.name} sent {len(report.get('results', ()))} results for {len(requests)} requests")
    if _source_digest() != SOURCE_DIGEST:
        pytest.fail("calculator/ changed on disk while this test ran (CPython and Pyodide saw different code); rerun")
    return report, wall


def _outcome(output, raised):
    """An output string, or "RAISED <type>: <last line>" when calculate_json raised."""
    if output is not None:
        return output
    lines = raised["message"].strip().splitlines() or [""]
    return f"RAISED {raised['type']}: {lines[-1]}"


def _cpython(request):
    try:
        return calculate_json(request)
    except Exception as exc:  # noqa: BLE001 - reported, not hidden: calculate_json must never raise
        return f"RAISED {type(exc).__name__}: {exc}"


def _raised(outcome):
    return outcome.startswith("RAISED ")


@pytest.fixture(scope="module", params=["fresh", "snapshot"])
def pyodide_run(request):
    """One Pyodide run for all cases and the hostile batch: {request_text: outcome}, plus the report.
    "fresh" starts Python normally; "snapshot" answers from a start restored from a memory snapshot,
    as a returning visitor's browser does."""
    mode = request.param
    requests = [text for _, text, _ in CASES] + HOSTILE
    report, wall = _run_in_pyodide(requests, mode)
    assert report.get("snapshot") == ("restored" if mode == "snapshot" else "none")
    raised = report.get("raised", {})
    outputs = {
        request: _outcome(output, raised.get(str(i)))
        for i, (request, output) in enumerate(zip(requests, report["results"]))
    }
    pyodide_version = runtime.pyodide_version()
    ARTIFACT.parent.mkdir(exist_ok=True)
    artifact = ARTIFACT.with_name(f"pyodide-parity-{mode}.json")
    artifact.write_text(
        json.dumps(
            {
                "mode": mode,
                "python_version": report["python_version"],
                "pyodide_npm_version": pyodide_version,
                "node_version": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
                "cases": len(CASES),
                "hostile_requests": len(HOSTILE),
                "raised_in_pyodide": sum(1 for request in requests if _raised(outputs[request])),
                "load_ms": report["load_ms"],
                "run_ms": report["run_ms"],
                "node_wall_ms": round(wall * 1000),
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return report, outputs


def test_case_files_give_identical_json_in_pyodide(pyodide_run):
    report, outputs = pyodide_run
    assert report["python_version"].startswith("3.14"), f"not Pyodide's Python: {report['python_version']}"
    assert CASES, "no case files found"
    problems = []
    for case_id, request, _ in CASES:
        pyodide, cpython = outputs[request], _cpython(request)
        if pyodide != cpython or _raised(cpython):
            problems.append(f"{case_id}\n    request: {request[:200]}\n    Pyodide: {pyodide[:300]}\n    CPython: {cpython[:300]}")
    assert not problems, (
        f"{len(problems)} of {len(CASES)} cases differ between CPython and Pyodide (or raise):\n" + "\n".join(problems)
    )


def test_hostile_input_gives_identical_json_and_never_a_traceback(pyodide_run):
    _, outputs = pyodide_run
    problems = []
    for request in HOSTILE:
        shown = ascii(request if len(request) <= 80 else request[:77] + "...")
        expected = _cpython(request)
        if outputs[request] != expected:
            problems.append(f"{shown}: Pyodide {outputs[request][:300]!r} != CPython {expected[:300]!r}")
        if _raised(expected):
            problems.append(f"{shown}: calculate_json raised on CPython: {expected}")
            continue
        if not isinstance(json.loads(expected).get("ok"), bool):
            problems.append(f"{shown}: no boolean ok")
        if "Traceback" in expected or "internal_error" in expected:
            problems.append(f"{shown}: a traceback or internal_error reached the output")
    assert not problems, "\n".join(problems)
