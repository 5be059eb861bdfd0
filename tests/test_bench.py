"""The benchmark command keeps working: `python -m bench --quick --runs 1 --no-lighthouse` exits 0
and writes JSON with every expected key holding numbers. Nothing here judges a time or a ratio:
those are for people reading the table (the targets are printed with it).

Skipped when Playwright, a Chromium or node_modules/pyodide is missing, except when $CI is set:
CI installs all three, so there a missing one is a failure, never a silent skip.
"""

import http.client
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cli import parse_profiles  # noqa: E402
from bench.server import PROFILES, Server, TokenBucket  # noqa: E402
METRICS = ("bytes_to_first_result", "cold_ms", "warm_ms", "calculate_ms", "keystroke_ms", "warm_bytes_to_first_result")


def _missing():
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed"
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file():
        return "node_modules/pyodide is missing (run npm ci)"
    if not os.path.exists("/usr/bin/chromium"):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            if not os.path.exists(p.chromium.executable_path):
                return "no Chromium (/usr/bin/chromium or Playwright's own)"
    return None


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@pytest.mark.slow  # ~80 s: the whole benchmark end to end (./dev test --all, ./dev bench); its parts are tested above
def test_quick_benchmark_runs_and_writes_json(tmp_path):
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the benchmark must run, but {missing}")
        pytest.skip(f"the benchmark needs a browser and Pyodide: {missing}")
    out = tmp_path / "bench-results.json"
    # a fast custom profile: the throttled arrivals run end to end without waiting minutes on 4g
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--runs", "1", "--no-lighthouse", "--out", str(out),
         "--profiles", "fast:40:20", "--linger", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
    assert "bytes to first result" in proc.stdout  # the table was printed

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["errors"] == []
    for side in ("baseline", "ours"):
        assert len(doc[side]["runs"]) == 1
        summary = doc[side]["summary"]
        for key in METRICS:
            assert summary[key] is not None, f"{side}.{key} has no value"
            for stat in ("min", "median", "max"):
                assert _number(summary[key][stat]), f"{side}.{key}.{stat} = {summary[key][stat]!r}"
        check = doc[side]["runs"][0]["check"]
        assert check["wasm_requests_counted"], f"{side}: the .wasm download was not counted (worker requests missed?)"

    rows = {row["id"]: row for row in doc["metrics"]}
    for key in METRICS:
        assert key in rows
        assert _number(rows[key]["ratio"]), f"ratio of {key} = {rows[key]['ratio']!r}"
        assert rows[key]["met"] in (True, False, None)

    assert doc["pages"], "no non-calculator page was weighed"
    for page in doc["pages"]:
        assert not page["path"].rstrip("/").endswith("calculator")
        for key in ("html", "css", "js", "total"):
            assert _number(page[key]), f"{page['path']}.{key}"
        assert isinstance(page["runtime_requests"], list)
    summary = doc["pages_summary"]
    assert _number(summary["max_bytes"]) and summary["count"] == len(doc["pages"])
    assert doc["lighthouse"]["status"] == "not run"

    net = doc["network"]
    assert net["example_fragment"].startswith("ex=")
    # every profile twice: with the shipped nginx headers and with a portal's no-store, both printed
    assert [(p["name"], p["headers"]) for p in net["profiles"]] == [("fast", "shipped"), ("fast", "no-store")]
    assert "Cache-Control: no-store (every file, both sides)" in proc.stdout
    profile = net["profiles"][0]
    assert (profile["name"], profile["mbit_per_s"], profile["latency_ms"]) == ("fast", 40.0, 20.0)
    assert set(profile["arrivals"]["baseline"]) == {"typed", "example"}  # the stock page has no prefetch: no (c)
    assert set(profile["arrivals"]["ours"]) == {"typed", "example", "after_home"}
    for side, arrivals in profile["arrivals"].items():
        for arrival, results in arrivals.items():
            assert len(results) == 1, f"{side} {arrival}"
            assert _number(results[0]["first_result_ms"]) and results[0]["bytes_to_first_result"] > 0
    rows = {row["arrival"]: row for row in profile["summary"]["rows"]}
    assert rows["after_home"]["baseline_is_typed"] and not rows["typed"]["baseline_is_typed"]
    for row in rows.values():
        assert _number(row["ratio"]) and _number(row["bytes_ratio"])
    for side in ("baseline", "ours"):
        floor = profile["summary"]["floor"][side]
        assert floor["wasm_bytes"] > 100_000
        # the floor: one latency + the wasm at 40 Mbit/s (5 bytes per microsecond)
        assert abs(floor["floor_ms"] - (20 + floor["wasm_bytes"] / 5000)) < 1e-6
    assert "fast: 40 Mbit/s + 20 ms per request" in proc.stdout


# ------------------------------------------------------------------ the throttle itself (no browser)

def test_profiles_parse():
    assert [p.name for p in parse_profiles("4g,slow4g")] == ["4g", "slow4g"]
    assert parse_profiles("none") == [] and parse_profiles("") == []
    (custom,) = parse_profiles("lab:2.5:80")
    assert (custom.mbit, custom.latency_ms, custom.bytes_per_s) == (2.5, 80.0, 312_500)
    assert (PROFILES["4g"].mbit, PROFILES["4g"].latency_ms) == (4.0, 150.0)
    assert (PROFILES["slow4g"].mbit, PROFILES["slow4g"].latency_ms) == (1.6, 150.0)
    with pytest.raises(ValueError):
        parse_profiles("3g")
    with pytest.raises(ValueError):
        parse_profiles("x:0:10")


def test_the_server_sends_no_store_on_every_file_when_asked(tmp_path):
    import http.client

    from bench.server import Server
    site_root, baseline_root = tmp_path / "site", tmp_path / "baseline"
    (site_root / "runtime" / "abc123def456").mkdir(parents=True)
    (site_root / "runtime" / "abc123def456" / "worker.mjs").write_text("export {};\n")
    (site_root / "index.html").write_text("<p>hi</p>")
    baseline_root.mkdir()
    (baseline_root / "index.html").write_text("<p>stock</p>")

    def cache_control(server, path):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.getheader("Cache-Control"), len(response.headers.get_all("Cache-Control") or [])

    with Server(site_root, baseline_root) as server:
        assert cache_control(server, "/runtime/abc123def456/worker.mjs") == ("public, max-age=31536000, immutable", 1)
        assert cache_control(server, "/") == ("no-cache", 1)
        server.use_headers("no-store")
        for path in ("/runtime/abc123def456/worker.mjs", "/", "/baseline/", "/nothing-here"):
            assert cache_control(server, path) == ("no-store", 1), path
        server.use_headers("shipped")
        assert cache_control(server, "/runtime/abc123def456/worker.mjs")[0].endswith("immutable")


def test_token_bucket_is_shared_across_threads():
    """Four threads of 250 kB through one 1 MB/s bucket take 1 s in all, not 0.25 s each (virtual clock)."""
    # a clock that stands still: free_at is then the sum of every slot reserved, whatever the threads' order
    bucket = TokenBucket(1_000_000, burst=0, clock=lambda: 0.0, sleep=lambda seconds: None)
    threads = [threading.Thread(target=lambda: [bucket.take(25_000) for _ in range(10)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bucket.free_at == pytest.approx(1.0)


def _fetch(origin, path):
    host, port = origin.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    start = time.monotonic()
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body), time.monotonic() - start


def test_4g_throttle_moves_one_megabyte_in_two_seconds(tmp_path):
    """1 MB through the 4 Mbit/s limit: 1e6 * 8 / 4e6 = 2.0 s, plus the 150 ms latency."""
    site_dir, baseline_dir = tmp_path / "site", tmp_path / "baseline"
    site_dir.mkdir()
    baseline_dir.mkdir()
    (site_dir / "blob.bin").write_bytes(os.urandom(1_000_000))
    (site_dir / "tiny.txt").write_text("x")
    with Server(site_dir, baseline_dir) as server:
        status, size, unthrottled = _fetch(server.origin, "/blob.bin")
        assert (status, size) == (200, 1_000_000) and unthrottled < 1.0
        server.use_profile("4g")
        status, size, small = _fetch(server.origin, "/tiny.txt")
        assert status == 200 and 0.14 <= small < 0.6, f"latency: {small:.3f} s"
        server.use_profile("4g")  # a fresh bucket
        status, size, took = _fetch(server.origin, "/blob.bin")
        assert (status, size) == (200, 1_000_000)
        assert 2.0 <= took <= 2.6, f"1 MB at 4 Mbit/s + 150 ms took {took:.2f} s (expected about 2.15 s)"
        server.use_profile(None)
        assert _fetch(server.origin, "/blob.bin")[2] < 1.0


def test_throttle_is_shared_by_parallel_connections(tmp_path):
    """Two 250 kB downloads at once through 4 Mbit/s share it: both done after about 1.0 s, not 0.5 s."""
    site_dir, baseline_dir = tmp_path / "site", tmp_path / "baseline"
    site_dir.mkdir()
    baseline_dir.mkdir()
    for name in ("a.bin", "b.bin"):
        (site_dir / name).write_bytes(os.urandom(250_000))
    with Server(site_dir, baseline_dir) as server:
        server.use_profile("4g")
        times = {}
        threads = [threading.Thread(target=lambda n=n: times.__setitem__(n, _fetch(server.origin, "/" + n)[2]))
                   for n in ("a.bin", "b.bin")]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = time.monotonic() - start
        assert 1.0 <= total <= 1.6, f"two 250 kB at 4 Mbit/s took {total:.2f} s (expected about 1.15 s)"
        assert min(times.values()) >= 0.85, f"one finished early ({times}): the limit was not shared"
