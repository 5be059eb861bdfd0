"""python -m bench [--runs N] [--quick] [--profiles 4g,slow4g] [--arrivals typed,example,after_home] [--no-local] [--out bench-results.json] [--no-lighthouse] [--site DIR] [--keep] [--standin]

Builds the site into a temporary folder (or copies --site), writes the stock-Pyodide baseline
beside it, precompresses both, serves them on 127.0.0.1, measures both in headless Chromium,
prints a table and writes JSON. Exit 0 when every measurement was taken (whether or not the
targets were met), 1 when one could not be (the page broke the contract, Chromium failed...).

Then, under each network profile (the server throttles itself: one bandwidth limit shared by all
connections, and a latency per request), the time and bytes to the first result of (a) a typed
scenario, (b) an arrival from a worked-example link (#ex=<id>, as the leaflet QR codes spell it),
(c) the calculator reached after the home page was open for --linger seconds; both sides.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import measure, pages, report, site
from bench.server import BASELINE_PREFIX, HEADERS, PROFILES, Profile, Server

DEFAULT_OUT = site.ROOT / "bench-results.json"
CALCULATOR_PATH = "/zh/calculator/"
HOME_PATH = "/zh/"
DEFAULT_EXAMPLE = "household-greenhouse-pigs"  # a worked example in site_src/examples.toml
ARRIVAL_IDS = tuple(arrival for arrival, _ in report.ARRIVALS)


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="runs of each side (default 5; 2 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs, keystrokes and calls, shorter waits, no Lighthouse (what CI runs)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="JSON results file (default bench-results.json)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse (skipped anyway with --quick)")
    parser.add_argument("--site", help="benchmark this already built site folder (copied) instead of building")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed) for inspection")
    parser.add_argument("--timeout", type=int, default=180, help="seconds to wait for a first result (default 180)")
    parser.add_argument("--fragment", help="URL fragment for the calculator page (default: the scenario, spelled "
                                           "the way the page's field names fit)")
    parser.add_argument("--key-input", help="CSS selector of the input the keystroke test types into")
    parser.add_argument("--standin", action="store_true",
                        help="replace the calculator page with bench/standin.py's stand-in (to check the harness "
                             "itself; its numbers say nothing about the real page)")
    parser.add_argument("--profiles", help="network profiles to run after the localhost runs, comma-separated: "
                                           + ", ".join(f"{p.name} ({p.mbit:g} Mbit/s + {p.latency_ms:g} ms)"
                                                       for p in PROFILES.values())
                                           + ", or NAME:MBIT:LATENCY_MS; 'none' for none "
                                           "(default 4g,slow4g; 4g with --quick)")
    parser.add_argument("--headers", default="shipped,no-store",
                        help="Cache-Control variants each profile runs with, comma-separated: "
                             + ", ".join(HEADERS) + " (default both: the shipped nginx headers and a portal's no-store)")
    parser.add_argument("--arrivals", default=",".join(ARRIVAL_IDS),
                        help="arrivals each profile runs, comma-separated: " + ", ".join(ARRIVAL_IDS)
                             + " (default all; e.g. 'example' to time only a worked-example link)")
    parser.add_argument("--no-local", action="store_true",
                        help="skip the localhost runs, page weights and Lighthouse: only the network profiles")
    parser.add_argument("--profile-runs", type=int, help="runs of each arrival under each profile (default 3; 1 with --quick)")
    parser.add_argument("--example", default=DEFAULT_EXAMPLE, help=f"worked example id for the #ex= arrival (default {DEFAULT_EXAMPLE})")
    parser.add_argument("--linger", type=float, default=10.0, help="seconds on the home page before arrival (c) (default 10)")
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.profile_runs is not None and args.profile_runs < 1:
        parser.error("--profile-runs must be at least 1")
    args.arrivals = [a.strip() for a in args.arrivals.split(",") if a.strip()]
    if not args.arrivals or set(args.arrivals) - set(ARRIVAL_IDS):
        parser.error(f"--arrivals: one or more of {', '.join(ARRIVAL_IDS)}")
    if args.no_local and not args.profiles:
        parser.error("--no-local needs at least one network profile")
    args.headers = [h.strip() for h in args.headers.split(",") if h.strip()]
    if not args.headers or set(args.headers) - set(HEADERS):
        parser.error(f"--headers: one or more of {', '.join(HEADERS)}")
    try:
        args.profiles = parse_profiles(args.profiles if args.profiles is not None else ("4g" if args.quick else "4g,slow4g"))
    except ValueError as error:
        parser.error(str(error))
    return args


def parse_profiles(text):
    """'4g,slow4g' or 'fast:50:20' -> [Profile]; 'none' or '' -> []."""
    out = []
    for item in (t.strip() for t in text.split(",")):
        if not item or item == "none":
            continue
        if item in PROFILES:
            out.append(PROFILES[item])
            continue
        parts = item.split(":")
        try:
            name, mbit, latency = parts
            profile = Profile(name, float(mbit), float(latency))
        except ValueError:
            raise ValueError(f"--profiles: {item!r} is neither one of {', '.join(PROFILES)} nor NAME:MBIT:LATENCY_MS") from None
        if profile.mbit <= 0 or profile.latency_ms < 0:
            raise ValueError(f"--profiles: {item!r} needs a positive bandwidth and a latency >= 0")
        out.append(profile)
    return out


def main(argv=None):
    args = parse(argv)
    runs = args.runs or (2 if args.quick else 5)
    keys = 2 if args.quick else 6  # per visit: the cold page and the warm page each get this many
    calls = 20 if args.quick else 50
    quiet_ms = 300 if args.quick else 1500
    linger_ms = 500 if args.quick else 3000
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="qinyuan-bench-"))
    site_dir, baseline_dir = tmp / "site", tmp / "baseline"
    errors, warnings = [], []
    doc = {
        "schema": 2,
        "generated": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": args.quick,
        "runs": runs,
        "standin": args.standin,
        "errors": errors,
        "warnings": warnings,
    }
    try:
        with Server(site_dir, baseline_dir) as server:
            if args.site:
                log(f"copying {args.site}")
                site.copy_site(args.site, site_dir)
            else:
                log("building the site (build.build)")
                site.build_site(site_dir, server.origin)
            if args.standin:
                from bench import standin
                standin.install(site_dir)
                warnings.append("the calculator page is bench/standin.py's stand-in, not the real page")
            site.write_baseline(baseline_dir, measure.SCENARIO_REQUEST)
            doc["scenario"] = scenario(args, site_dir)
            log("precompressing (brotli 11 + gzip 9; the Pyodide files are cached between runs)"
                if site.brotli else "precompressing (gzip 9; install the `brotli` package for .br)")
            precompressed = {"site": site.precompress(site_dir), "baseline": site.precompress(baseline_dir)}
            if not site.brotli:
                warnings.append("the brotli package is not installed: both sides were served gzip only")
            doc["environment"] = {"python": platform.python_version(), "machine": platform.machine(),
                                  "cpus": os.cpu_count(), "pyodide": site.pyodide_version(),
                                  "precompressed": precompressed, "server": "bench.server (build.make_handler + ETag/304)"}
            if args.no_local:
                doc.update(baseline={"url": f"{server.origin}{BASELINE_PREFIX}", "runs": []},
                           ours={"url": f"{server.origin}{CALCULATOR_PATH}#{doc['scenario']['fragment']}", "runs": []})
            else:
                measure_all(args, doc, server, runs=runs, keys=keys, calls=calls, quiet_ms=quiet_ms,
                            linger_ms=linger_ms)
            if args.profiles:
                measure_profiles(args, doc, server, runs=args.profile_runs or (1 if args.quick else 3))
    except SystemExit as error:  # build failed, files missing: said in the message
        errors.append(str(error))
    except Exception as error:  # report whatever was measured, then fail
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        if "metrics" in doc:
            doc["targets"] = report.all_targets(doc)
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    doc["elapsed_s"] = round(time.monotonic() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if "metrics" in doc:
        print(report.render(doc), end="")
    elif args.no_local and doc.get("network"):
        print(report.render_network_only(doc), end="")
    else:
        print("benchmark failed before any result:\n" + "\n".join(f"  - {e}" for e in errors))
    log(f"results written to {out} ({doc['elapsed_s']} s)")
    return 1 if errors else 0


def measure_all(args, doc, server, *, runs, keys, calls, quiet_ms, linger_ms):
    from playwright.sync_api import sync_playwright

    errors, warnings = doc["errors"], doc["warnings"]
    urls = {"baseline": f"{server.origin}{BASELINE_PREFIX}",
            "ours": f"{server.origin}{CALCULATOR_PATH}#{doc['scenario']['fragment']}"}
    sides = {name: {"url": url, "runs": []} for name, url in urls.items()}
    doc.update(sides)
    with sync_playwright() as p:
        browser, executable = measure.launch(p)
        doc["environment"]["chromium"] = browser.version
        doc["environment"]["chromium_executable"] = executable
        try:
            for i in range(runs):
                order = ("baseline", "ours") if i % 2 == 0 else ("ours", "baseline")
                for name in order:
                    log(f"run {i + 1}/{runs}: {name}")
                    try:
                        run = measure.measure_side(
                            browser, urls[name], server, keys=keys, calls=calls if name == "baseline" else 0,
                            timeout_s=args.timeout, quiet_ms=quiet_ms,
                            key_input=doc["scenario"]["key_input"] if name == "ours" else measure.KEY_INPUT)
                    except Exception as error:
                        errors.append(f"{name}, run {i + 1}: {error}")
                        continue
                    check_run(name, i, run, warnings)
                    sides[name]["runs"].append(run)
            for name in sides:
                sides[name]["summary"] = report.summarise(sides[name]["runs"])
            doc["metrics"] = report.metric_rows(sides["baseline"]["summary"], sides["ours"]["summary"])

            others = [path for path in site.html_pages(server.site_root)
                      if not site.is_calculator_page(path)]
            log(f"weighing {len(others)} non-calculator pages")
            doc["pages"] = pages.measure_pages(browser, server.origin, others, quiet_ms=quiet_ms,
                                               linger_ms=linger_ms)
            doc["pages_summary"] = report.page_targets(doc["pages"])
        finally:
            browser.close()
        chrome = measure.SYSTEM_CHROMIUM if os.path.exists(measure.SYSTEM_CHROMIUM) else p.chromium.executable_path
    if args.quick or args.no_lighthouse:
        doc["lighthouse"] = {"status": "not run", "reason": "--quick" if args.quick else "--no-lighthouse"}
    else:
        from bench import lighthouse
        log("Lighthouse on " + ", ".join(report.LIGHTHOUSE_PAGES) + " (slow)")
        doc["lighthouse"] = lighthouse.run(server.origin, report.LIGHTHOUSE_PAGES, chrome)
    doc["lighthouse_targets"] = report.lighthouse_targets(doc["lighthouse"])


def example_request(example_id):
    """The request of a worked example in site_src/examples.toml (SystemExit when there is none)."""
    import tomllib

    examples = tomllib.loads((site.ROOT / "site_src" / "examples.toml").read_text(encoding="utf-8"))["examples"]
    if example_id not in examples:
        raise SystemExit(f"--example {example_id!r}: no such worked example in site_src/examples.toml")
    return examples[example_id]["request"]


def measure_profiles(args, doc, server, *, runs):
    """Arrivals (a) typed, (b) worked-example link, (c) after the home page, under each network profile."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    errors = doc["errors"]
    request = example_request(args.example)
    ex_fragment = f"ex={args.example}"  # the spelling of the leaflet QR codes (build.py's kit: short URL + #ex=<id>)
    urls = {
        "baseline": {"typed": doc["baseline"]["url"],
                     "example": f"{doc['baseline']['url']}#request={quote(json.dumps(request, ensure_ascii=False))}"},
        "ours": {"typed": doc["ours"]["url"], "example": f"{server.origin}{CALCULATOR_PATH}#{ex_fragment}",
                 "after_home": doc["ours"]["url"]},
    }
    urls = {side: {k: v for k, v in arrivals.items() if k in args.arrivals or (side == "baseline" and k == "typed"
                                                                               and "after_home" in args.arrivals)}
            for side, arrivals in urls.items()}  # --arrivals (the stock page's (c) is its (a))
    doc["network"] = {"example": args.example, "example_fragment": ex_fragment, "example_request": request,
                      "home": f"{server.origin}{HOME_PATH}", "linger_s": args.linger, "runs": runs, "urls": urls,
                      "profiles": []}
    timeout = max(args.timeout, 300)
    with sync_playwright() as p:
        browser, _ = measure.launch(p)
        doc["environment"].setdefault("chromium", browser.version)
        try:
            for profile, headers in [(p, h) for p in args.profiles for h in args.headers]:
                server.use_headers(headers)
                entry = {**profile.as_dict(), "headers": headers,
                         "arrivals": {side: {k: [] for k in urls[side]} for side in urls}}
                doc["network"]["profiles"].append(entry)
                for i in range(runs):
                    order = ("baseline", "ours") if i % 2 == 0 else ("ours", "baseline")
                    for side in order:
                        for arrival, url in urls[side].items():
                            log(f"{profile.name} ({headers}) run {i + 1}/{runs}: {side} {arrival}")
                            server.use_profile(profile)  # a fresh bucket: nothing left over from the last visit
                            try:
                                result = measure.first_result(
                                    browser, url, server, timeout_s=timeout,
                                    before=f"{server.origin}{HOME_PATH}" if arrival == "after_home" else None,
                                    linger_s=args.linger)
                            except Exception as error:
                                errors.append(f"{profile.name} ({headers}), {side} {arrival}, run {i + 1}: {error}")
                                continue
                            finally:
                                server.use_profile(None)
                            entry["arrivals"][side][arrival].append(result)
                entry["summary"] = report.network_summary(entry, profile)
                if headers == "shipped":  # a browser without module workers, on this link
                    server.use_profile(profile)
                    try:
                        entry["unsupported"] = measure.unsupported_arrival(
                            browser, f"{server.origin}{CALCULATOR_PATH}#{doc['scenario']['fragment']}", server,
                            timeout_s=60)
                    except Exception as error:
                        errors.append(f"{profile.name}, unsupported browser: {error}")
                    finally:
                        server.use_profile(None)
        finally:
            server.use_headers("shipped")
            browser.close()


def scenario(args, site_dir):
    page = site_dir / CALCULATOR_PATH.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8") if page.is_file() else ""
    from calculator import RULES_VERSION
    chosen = measure.choose_scenario(html, RULES_VERSION)
    if args.fragment:
        chosen.update(spelling="--fragment", fragment=args.fragment.lstrip("#"))
    if args.key_input:
        chosen["key_input"] = args.key_input
    return {**chosen, "request": measure.SCENARIO_REQUEST, "baseline_key_input": measure.KEY_INPUT}


def check_run(name, i, run, warnings):
    """The byte counts must include what workers fetched: compare with the server's own log."""
    check = run["check"]
    if check["wasm_requests_served"] and not check["wasm_requests_counted"]:
        warnings.append(f"{name}, run {i + 1}: the server sent {check['wasm_requests_served']} but the browser-side "
                        "count did not see it: bytes are undercounted")
    gap = check["server_body_bytes"] - check["browser_body_bytes"]
    if abs(gap) > 0.01 * max(check["server_body_bytes"], 1) + 10_000:
        warnings.append(f"{name}, run {i + 1}: the server sent {check['server_body_bytes']:,} body bytes, the browser "
                        f"counted {check['browser_body_bytes']:,}")
