"""Per-call cost of calculate_json inside Pyodide under Node (speed: the cost of a keystroke).

    python -m bench.percall [--n 200] [--out FILE]

Runs bench/percall.mjs on the site's runtime (runtime.write_runtime) in these variants and prints
JS-side and Python-side timings: the compiled trimmed stdlib (no line tables, as shipped) and the
stock stdlib (source .py, compiled at import), each fresh, restored from a snapshot, and restored
from a snapshot made after one warm-up call (--prewarm); and, with V8's baseline wasm compiler off
(node --no-liftoff), restored from a snapshot, to tell interpreter warm-up from wasm tier-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import SCENARIO_REQUEST
from bench.site import ROOT
from sitebuild import runtime

SCRIPT = Path(__file__).resolve().parent / "percall.mjs"
VARIANTS = (
    # label, trimmed+compiled stdlib?, percall.mjs flags, node flags
    ("compiled stdlib, fresh", True, [], []),
    ("compiled stdlib, snapshot", True, ["--snapshot"], []),
    ("compiled stdlib, snapshot made after one call", True, ["--snapshot", "--prewarm"], []),
    ("compiled stdlib, snapshot, node --no-liftoff", True, ["--snapshot"], ["--no-liftoff"]),
    ("stock stdlib (.py), fresh", False, [], []),
    ("stock stdlib (.py), snapshot", False, ["--snapshot"], []),
    ("compiled stdlib, snapshot, 150 ms idle between calls", True, ["--snapshot", "--gap", "150", "--n", "40"], []),
    ("stock stdlib (.py), fresh, 150 ms idle between calls", False, ["--gap", "150", "--n", "40"], []),
)


def run(manifest, flags, node_flags, n, request_text):
    if "--n" not in flags:
        flags = [*flags, "--n", str(n)]
    done = subprocess.run(["node", *node_flags, str(SCRIPT), str(manifest), *flags],
                          input=request_text, capture_output=True, text=True, timeout=600, cwd=ROOT)
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return json.loads(done.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.percall", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--out")
    parser.add_argument("--only", action="append", help="variants whose label contains this text")
    args = parser.parse_args(argv)
    request_text = json.dumps(SCENARIO_REQUEST)
    rows = []
    with tempfile.TemporaryDirectory(prefix="percall-") as tmp:
        manifests = {True: runtime.write_runtime(Path(tmp) / "compiled"),
                     False: runtime.write_runtime(Path(tmp) / "stock", trim=False)}
        for label, compiled, flags, node_flags in VARIANTS:
            if args.only and not any(o in label for o in args.only):
                continue
            result = run(manifests[compiled], flags, node_flags, args.n, request_text)
            rows.append({"variant": label, **result})
            if "error" in result:
                print(f"{label}: ERROR {result['error'][-300:]}", flush=True)
                continue
            py = result["python_median_ms"]
            print(f"{label:50} js median {result['js_median_ms']:.3f} ms (after 20: "
                  f"{result['js_median_after_20_ms']:.3f})  first calls {result['js_first_10_ms'][:5]}\n"
                  f"{'':50} python: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                                     for k, v in py.items()), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
