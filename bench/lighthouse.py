"""Lighthouse (npm lighthouse@12.2.3, default mobile settings) on a few pages; never fails the run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from bench.measure import LAUNCH_ARGS

VERSION = "12.2.3"
TIMEOUT_S = 300


def run(origin, paths, chrome_path, timeout_s=TIMEOUT_S):
    """{status: "run", pages: {path: {performance, accessibility, metrics}}} or {status: "not run", reason}."""
    npx = shutil.which("npx")
    if not npx:
        return {"status": "not run", "reason": "npx is not on PATH (install Node.js and npm)"}
    if not chrome_path or not os.path.exists(chrome_path):
        return {"status": "not run", "reason": f"no Chromium executable for Lighthouse ({chrome_path!r})"}
    env = {**os.environ, "CHROME_PATH": chrome_path}
    flags = " ".join(["--headless=new", *LAUNCH_ARGS])
    pages = {}
    for path in paths:
        cmd = [npx, "--yes", f"lighthouse@{VERSION}", origin + path, "--output=json", "--output-path=stdout",
               "--quiet", "--only-categories=performance,accessibility", f"--chrome-flags={flags}"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, env=env)
        except subprocess.TimeoutExpired:
            pages[path] = {"error": f"timed out after {timeout_s} s"}
            continue
        except OSError as error:
            return {"status": "not run", "reason": f"could not start npx: {error}"}
        try:
            report = json.loads(done.stdout)
        except ValueError:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            if not pages and done.returncode != 0 and any("npm" in line or "ENOTFOUND" in line for line in tail):
                return {"status": "not run", "reason": f"lighthouse@{VERSION} could not be run: {' / '.join(tail)}"}
            pages[path] = {"error": f"exit {done.returncode}: {' / '.join(tail)}"}
            continue
        cats = report.get("categories", {})
        audits = report.get("audits", {})

        def score(cat):
            value = cats.get(cat, {}).get("score")
            return round(value * 100) if isinstance(value, (int, float)) else None

        def metric(audit):
            return audits.get(audit, {}).get("numericValue")

        failed_a11y = [key for key, audit in audits.items()
                       if audit.get("score") == 0 and key in {r.get("id") for r in
                                                             cats.get("accessibility", {}).get("auditRefs", [])}]
        pages[path] = {
            "performance": score("performance"),
            "accessibility": score("accessibility"),
            "metrics_ms": {"fcp": metric("first-contentful-paint"), "lcp": metric("largest-contentful-paint"),
                           "tbt": metric("total-blocking-time"), "speed_index": metric("speed-index")},
            "cls": metric("cumulative-layout-shift"),
            "failed_accessibility_audits": failed_a11y,
            "runtime_error": (report.get("runtimeError") or {}).get("message"),
        }
    return {"status": "run", "version": VERSION, "settings": "default (mobile, simulated throttling)", "pages": pages}
