"""How the calculator page starts (issue 9, speed): page/boot.js, a classic script in the page's <head>, asks at
once for every file the worker needs before its first answer and starts the worker before the page's first
layout; page/worker-client.mjs takes the worker over. Each of those files must still be downloaded once,
nothing of the runtime may be downloaded where the calculator cannot run, and the rule module's stored zip
is read by load-rules.mjs itself (no zipfile in the trimmed stdlib)."""

from __future__ import annotations

import collections
import http.server
import json
import re
import subprocess
import threading
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from browser import free_port
from sitebuild.runtime import deterministic_zip, page_module_graph, rules_bundle
from sitebuild.serve import make_handler

ROOT = Path(__file__).resolve().parent.parent
LOAD_RULES = ROOT / "site_src" / "runtime" / "load-rules.mjs"
SCENARIO = "role=household&measure=household_subsidy&registered_poor=true&crops.solar_greenhouse=0.5&livestock.pig=3"
WORKER_FILES = ("worker.mjs", "load-rules.mjs", "pyodide.mjs", "pyodide.asm.mjs", "lock.json", "stdlib.zip",
                "pyodide.asm.wasm", "rules.zip")


def head_of(site, path):
    html = (site.out / path / "index.html").read_text(encoding="utf-8")
    return html[: html.index("</head>")]


def test_the_calculator_page_names_every_file_its_worker_needs_and_starts_it_in_its_head(site_server):
    for lang in ("zh", "en"):
        head = head_of(site_server, f"{lang}/calculator/")
        meta = re.search(r'<meta name="calculator-preload" content="([^"]*)" data-modules="([^"]*)">', head)
        listed, modules = meta.group(1).split(), meta.group(2).split()
        assert [url.rsplit("/", 1)[1] for url in listed] == list(WORKER_FILES[1:])  # worker.mjs: the worker itself
        for url in listed:  # every one is a file of this build
            assert (site_server.out / url.removeprefix(site_server.prefix)).is_file(), url
        # the manifest the boot script reads comes before it; the boot script is a classic, parser-blocking one
        boot = re.search(r'<script src="([^"]*/page/boot\.js)"></script>', head)
        assert boot and head.index('id="calculator-manifest"') < boot.start()
        modules = [url.rsplit("/page/", 1)[1] for url in modules]
        assert modules == page_module_graph() and modules[0] == "main.mjs" and "register.mjs" not in modules
        assert "<link rel=\"modulepreload\"" not in head  # only boot.js asks for them: not without JavaScript


def test_no_other_page_starts_the_calculator(site_server):
    for path in site_server.pages:
        if "calculator" in path or not path.endswith("/"):
            continue
        head = head_of(site_server, path)
        assert not re.search(r'<script src="[^"]*boot\.js"', head), path  # (its idle prefetch may name it)
        assert "calculator-preload" not in head and "modulepreload" not in head, path


def node_entries(zip_bytes):
    """load-rules.mjs's storedZipEntries on zip_bytes under Node: {name: text} or {"error": message}."""
    script = (f"import {{ storedZipEntries }} from {json.dumps(LOAD_RULES.as_uri())};\n"
              "const chunks = []; for await (const c of process.stdin) chunks.push(c);\n"
              "try { const out = {}; for (const [n, d] of storedZipEntries(new Uint8Array(Buffer.concat(chunks))))"
              " out[n] = Buffer.from(d).toString('latin1'); console.log(JSON.stringify(out)); }\n"
              "catch (e) { console.log(JSON.stringify({ error: e.message })); }\n")
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=zip_bytes, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_the_rule_modules_zip_is_read_without_zipfile_exactly_as_the_build_wrote_it():
    shipped = rules_bundle()
    with zipfile.ZipFile(BytesIO(shipped)) as archive:
        expected = {name: archive.read(name).decode("latin1") for name in archive.namelist()}
    assert node_entries(shipped) == expected
    assert any(name.endswith("calculator/__init__.py") for name in expected)


@pytest.mark.parametrize("bad, message", [
    (deterministic_zip({"calculator/__init__.py": b"x = 1\n" * 50}, compress=True), "stored, not compressed"),
    (deterministic_zip({"../evil.py": b"x = 1\n"}, compress=False), "unsafe name"),
    (deterministic_zip({"calculator/a.py": b"x = 1\n" * 50}, compress=False)[:60], "cut short"),
    (b"not a zip at all", "holds no file"),
])
def test_a_zip_the_loader_cannot_trust_is_refused_with_a_reason(bad, message):
    assert message in node_entries(bad).get("error", "")


@pytest.fixture
def counting_server(site_server):
    """The same build served again on its own port, counting the requests for each path."""
    counts = collections.Counter()
    base = make_handler(site_server.out, site_server.prefix)

    class Counting(base):
        def send_head(self):
            counts[self.path.split("?", 1)[0]] += 1
            return super().send_head()

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Counting)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}{site_server.prefix}", counts
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_each_file_asked_for_early_is_downloaded_once_and_the_answer_comes(chromium, counting_server):
    url, counts = counting_server
    context = chromium.new_context(service_workers="block")  # the offline copy would fetch them all again
    try:
        page = context.new_page()
        page.goto(f"{url}zh/calculator/#{SCENARIO}")
        page.wait_for_function("() => document.documentElement.dataset.firstResult", timeout=90_000)
        assert "10,900.00" in page.inner_text("#result-household_subsidy")
        for name in WORKER_FILES:
            hits = {path: n for path, n in counts.items() if path.endswith("/" + name)}
            assert list(hits.values()) == [1], (name, hits)
        # the worker was started by boot.js, before the page's modules ran, and handed over to them
        assert page.evaluate("window.calculatorWorker") is None
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_nothing_of_the_runtime_is_downloaded(chromium, counting_server):
    url, counts = counting_server
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{url}zh/calculator/#{SCENARIO}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        fetched = [path for path in counts if path.endswith(WORKER_FILES)]
        assert fetched == []
        assert page.locator("#calc-household_subsidy").is_visible()  # the page itself is still there
    finally:
        context.close()


def node_snapshot_roundtrip():
    """load-rules.mjs's packSnapshot/unpackSnapshot on a few made-up memories under Node: a list of findings."""
    script = (f"import {{ packSnapshot, unpackSnapshot }} from {json.dumps(LOAD_RULES.as_uri())};\n"
              "const out = [];\n"
              "function memory(length, filled) { const b = new Uint8Array(length);"
              " for (const [s, e] of filled) for (let i = s; i < e; i++) b[i] = 1 + (i % 251); return b; }\n"
              "const cases = { runs: memory(1 << 20, [[0, 100], [70000, 70001], [300000, 400000]]),"
              " tail: memory(400000, [[0, 5000]]), odd: memory(70001, [[3, 9]]), empty: new Uint8Array(0),"
              " full: memory(1 << 18, [[0, 1 << 18]]) };\n"
              "for (const [name, b] of Object.entries(cases)) { const p = packSnapshot(b); const u = unpackSnapshot(p);"
              " out.push({ name, length: b.length, packed: p.length,"
              " same: u.length === b.length && u.every((x, i) => x === b[i]) }); }\n"
              "const p = packSnapshot(cases.runs); let damaged;\n"
              "try { unpackSnapshot(p.subarray(0, p.length - 1)); damaged = 'accepted'; } catch (e) { damaged = e.message; }\n"
              "const raw = new Uint8Array([0, 115, 110, 112, 1, 2, 3, 4, 5, 6, 7, 8, 9]);\n"
              "console.log(JSON.stringify({ out, damaged, rawKept: unpackSnapshot(raw) === raw }));\n")
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_snapshot_is_kept_without_its_long_zero_runs_and_comes_back_byte_for_byte():
    found = node_snapshot_roundtrip()
    rows = {row["name"]: row for row in found["out"]}
    assert all(row["same"] for row in rows.values()), rows
    assert rows["runs"]["packed"] < 110_000 < rows["runs"]["length"]  # the 64 KiB+ zero runs are gone
    assert rows["tail"]["packed"] < 6_000  # trailing zeros too
    assert rows["full"]["packed"] > rows["full"]["length"]  # nothing to leave out: only the header is added
    assert "damaged" in found["damaged"]  # a cut file is refused (the worker then starts Python afresh)
    assert found["rawKept"] is True  # a snapshot stored whole (Pyodide's own "\0snp" header) is read as it is
