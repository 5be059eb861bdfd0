"""Targets, the terminal table and the JSON document."""

from __future__ import annotations

import statistics

from bench.measure import summary

PAGE_BUDGET = 50_000  # bytes, compressed HTML+CSS+JS of one non-calculator page ("50 KB", read as 50,000 bytes)
LIGHTHOUSE_PAGES = ("/zh/", "/zh/policy/", "/zh/calculator/")

# id, label, unit, how the runs pool, target kind, target value (the speed targets)
METRICS = (
    ("bytes_to_first_result", "bytes to first result", "bytes", "per_run", "ratio", 0.60),
    ("cold_ms", "cold: navigation -> first result", "ms", "per_run", "ratio", 0.50),
    ("warm_ms", "warm: navigation -> first result", "ms", "per_run", "ratio", 0.25),
    # The target compares like with like: calls made by keystrokes on both sides (a call after an idle
    # pause). The pooled row adds the baseline's loop of back-to-back calls, which run warmer (V8 tier-up,
    # caches) than any call a resident makes: it is shown, not judged.
    ("calculate_ms", "one calculate() inside Pyodide (all calls)", "ms", "pooled", None, None),
    ("calculate_keystroke_ms", "  the same, keystroke calls only", "ms", "pooled", "ratio", 1.5),
    ("keystroke_ms", "keystroke -> updated result", "ms", "pooled", "below", 100.0),
    ("warm_bytes_to_first_result", "bytes to first result, warm", "bytes", "per_run", None, None),
    ("ready_ms", "warm: Python + rules ready (page-reported)", "ms", "per_run", None, None),
)


def summarise(runs):
    out = {}
    for key, _, _, pool, _, _ in METRICS:
        if pool == "pooled":
            values = [v for run in runs for v in run.get(key, [])]
        else:
            values = [run.get(key) for run in runs]
        out[key] = summary(values)
    return out


def metric_rows(base, ours):
    rows = []
    for key, label, unit, pool, kind, target in METRICS:
        b, o = base.get(key), ours.get(key)
        ratio = o["median"] / b["median"] if b and o and b["median"] else None
        if kind and (o is None or (kind == "ratio" and b is None)):
            met, target_text = None, (f"<= {target:.2f} x baseline" if kind == "ratio" else f"median < {target:g} ms")
        elif kind == "ratio":
            met = ratio is not None and ratio <= target
            target_text = f"<= {target:.2f} x baseline"
        elif kind == "below":
            met = o is not None and o["median"] < target
            target_text = f"median < {target:g} ms"
        else:
            met, target_text = None, ""
        rows.append({"id": key, "label": label, "unit": unit, "pooled": pool == "pooled", "baseline": b, "ours": o,
                     "ratio": ratio, "target": target_text, "target_value": target, "target_kind": kind, "met": met})
    return rows


# Arrivals under a network profile: id, label. The baseline has no prefetch, so its (c) is its (a).
ARRIVALS = (
    ("typed", "(a) typed scenario"),
    ("example", "(b) worked-example link #ex="),
    ("after_home", "(c) after {linger:g} s on the home page"),
)
# Targets under the "4g" profile, by the Cache-Control the server sent: (kind, value) per arrival; "ratio" of times,
# "below" ms. With no-store the browser keeps nothing, so (c) gains nothing from the home page's prefetch.
NETWORK_TARGETS = {("4g", "shipped"): {"typed": ("ratio", 0.55), "example": ("below", 1000.0),
                                       "after_home": ("ratio", 0.25)},
                   ("4g", "no-store"): {"typed": ("ratio", 0.60), "example": ("below", 1000.0)}}
UNSUPPORTED = (1000.0, 100_000)  # a browser that cannot run the calculator: the message (ms), all it downloads
SAME_BYTES = 0.01  # bytes to the first typed result under no-store within 1 % of those under the shipped headers
NETWORK_BYTES_TARGET = ("typed", 0.60)  # bytes to the first typed result <= 0.60 x stock, on every profile


def _wasm_bytes(results):
    """Median over runs of what the server wrote for the .wasm (headers + compressed body)."""
    sizes = [sum(s["header_bytes"] + s["bytes"] for s in r["served"] if s["path"].endswith(".wasm")) for r in results]
    sizes = [v for v in sizes if v]
    return summary(sizes)["median"] if sizes else None


def network_summary(entry, profile):
    """Per arrival and side: time and bytes (min/median/max), ratios, the 4g targets, and the floor:
    what the .wasm alone costs on this link (its bytes / bandwidth + one request's latency)."""
    arrivals = entry["arrivals"]
    targets = NETWORK_TARGETS.get((profile.name, entry.get("headers", "shipped")), {})
    rows = []
    for arrival, _ in ARRIVALS:
        base_key = arrival if arrival in arrivals["baseline"] else "typed"  # baseline (c) = baseline (a)
        b_runs, o_runs = arrivals["baseline"].get(base_key, []), arrivals["ours"].get(arrival, [])
        bt, ot = (summary([r["first_result_ms"] for r in runs]) for runs in (b_runs, o_runs))
        bb, ob = (summary([r["bytes_to_first_result"] for r in runs]) for runs in (b_runs, o_runs))
        ratio = ot["median"] / bt["median"] if bt and ot and bt["median"] else None
        bytes_ratio = ob["median"] / bb["median"] if bb and ob and bb["median"] else None
        kind, value = targets.get(arrival, (None, None))
        if kind == "ratio":
            target, met = f"<= {value:.2f} x baseline", (None if ratio is None else ratio <= value)
        elif kind == "below":
            target, met = f"ours median <= {value / 1000:g} s", (None if ot is None else ot["median"] <= value)
        else:
            target, met = "", None
        row = {"arrival": arrival, "baseline_is_typed": base_key != arrival, "baseline_ms": bt, "ours_ms": ot,
               "ratio": ratio, "baseline_bytes": bb, "ours_bytes": ob, "bytes_ratio": bytes_ratio,
               "target": target, "target_kind": kind, "target_value": value, "met": met}
        if arrival == NETWORK_BYTES_TARGET[0]:
            row["bytes_target"] = f"<= {NETWORK_BYTES_TARGET[1]:.2f} x baseline"
            row["bytes_met"] = None if bytes_ratio is None else bytes_ratio <= NETWORK_BYTES_TARGET[1]
        if arrival == "after_home":
            before = [r.get("before_bytes", 0) for r in o_runs]
            row["ours_home_bytes"] = summary(before)
            row["ours_home_runtime_requests"] = sorted({p for r in o_runs for p in r.get("before_runtime_requests", [])})
        rows.append(row)
    floor = {}
    for side in ("baseline", "ours"):
        wasm = _wasm_bytes(arrivals[side].get("typed", []))
        typed = summary([r["bytes_to_first_result"] for r in arrivals[side].get("typed", [])])
        # and every byte to the first typed result through the link, one latency: what is left is CPU and round trips
        floor[side] = {"wasm_bytes": wasm, "floor_ms": profile.floor_ms(wasm) if wasm else None,
                       "typed_bytes_ms": profile.floor_ms(typed["median"]) if typed else None}
    return {"rows": rows, "floor": floor}


def page_targets(pages):
    heavy = [p for p in pages if p["total"] >= PAGE_BUDGET]
    runtime = [p for p in pages if p["runtime_requests"]]
    worst = max(pages, key=lambda p: p["total"]) if pages else None
    return {
        "count": len(pages),
        "budget_bytes": PAGE_BUDGET,
        "max_bytes": worst["total"] if worst else None,
        "max_page": worst["path"] if worst else None,
        "over_budget": [p["path"] for p in heavy],
        "runtime_violations": [{"path": p["path"], "requests": p["runtime_requests"]} for p in runtime],
        "met": bool(pages) and not heavy,
        "no_runtime_met": bool(pages) and not runtime,
    }


def lighthouse_targets(lighthouse):
    if lighthouse.get("status") != "run":
        return None
    rows = []
    for path, result in lighthouse["pages"].items():
        perf, a11y = result.get("performance"), result.get("accessibility")
        rows.append({"path": path, "performance": perf, "accessibility": a11y,
                     "met": perf is not None and a11y is not None and perf >= 90 and a11y == 100,
                     "error": result.get("error")})
    return rows


def all_targets(doc):
    """Every speed target, one row each: {id, target, value, met} (met None: not measured)."""
    rows = []
    for r in doc.get("metrics", []):
        if r["target_kind"] == "ratio":
            rows.append({"id": r["id"], "target": r["target"], "value": r["ratio"], "met": r["met"]})
        elif r["target_kind"] == "below":
            rows.append({"id": r["id"], "target": r["target"], "value": r["ours"] and r["ours"]["median"],
                         "met": r["met"]})
    typed_bytes = {}  # (profile, headers) -> our median bytes to the first typed result
    for entry in (doc.get("network") or {}).get("profiles", []):
        name = f"{entry['name']} {entry.get('headers', 'shipped')}"
        for row in (entry.get("summary") or {}).get("rows", []):
            if row["target_kind"]:
                value = row["ratio"] if row["target_kind"] == "ratio" else row["ours_ms"] and row["ours_ms"]["median"]
                rows.append({"id": f"{name} {row['arrival']}", "target": row["target"], "value": value,
                             "met": row["met"]})
            if "bytes_target" in row:
                rows.append({"id": f"{name} bytes {row['arrival']}", "target": row["bytes_target"],
                             "value": row["bytes_ratio"], "met": row["bytes_met"]})
            if row["arrival"] == "typed" and row["ours_bytes"]:
                typed_bytes[(entry["name"], entry.get("headers", "shipped"))] = row["ours_bytes"]["median"]
    for entry in (doc.get("network") or {}).get("profiles", []):
        seen = entry.get("unsupported")
        if seen:
            rows.append({"id": f"{entry['name']} unsupported browser message", "target": f"<= {UNSUPPORTED[0]:g} ms",
                         "value": seen["message_ms"], "met": seen["message_ms"] <= UNSUPPORTED[0]})
            rows.append({"id": f"{entry['name']} unsupported browser bytes", "target": f"< {UNSUPPORTED[1]:,} bytes",
                         "value": seen["bytes"], "met": seen["bytes"] < UNSUPPORTED[1]})
    for (profile, headers), value in typed_bytes.items():
        shipped = typed_bytes.get((profile, "shipped"))
        if headers != "shipped" and shipped:
            ratio = value / shipped
            rows.append({"id": f"{profile} bytes typed {headers} / shipped", "target": f"within {SAME_BYTES:.0%}",
                         "value": ratio, "met": abs(ratio - 1) <= SAME_BYTES})
    ps = doc.get("pages_summary")
    if ps:
        rows.append({"id": "page_weight", "target": f"every non-calculator page < {ps['budget_bytes']} bytes",
                     "value": ps["max_bytes"], "met": ps["met"]})
        rows.append({"id": "no_runtime_on_pages", "target": "no non-calculator page downloads the runtime",
                     "value": len(ps["runtime_violations"]), "met": ps["no_runtime_met"]})
    lh = doc.get("lighthouse_targets")
    for path in LIGHTHOUSE_PAGES:
        row = next((t for t in lh or [] if t["path"] == path), None)
        rows.append({"id": f"lighthouse {path}", "target": "performance >= 90, accessibility 100",
                     "value": row and [row["performance"], row["accessibility"]], "met": row["met"] if row else None})
    return rows


# ------------------------------------------------------------------------------- text

def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "bytes":
        if value >= 1_000_000:
            return f"{value / 1e6:.2f} MB"
        if value >= 1000:
            return f"{value / 1e3:.1f} kB"
        return f"{value:.0f} B"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_summary(s, unit):
    if not s:
        return "-"
    return " / ".join(fmt(s[k], unit) for k in ("min", "median", "max")) + ("" if unit == "bytes" else " ms")


def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)), line]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return "\n".join(out)


def met_text(met):
    return "-" if met is None else ("yes" if met else "NO")


def render(doc):
    parts = []
    env = doc["environment"]
    label = "  [STAND-IN calculator page: says nothing about the real one]" if doc.get("standin") else ""
    parts.append(f"Benchmark {doc['generated']}  runs={doc['runs']}{' (quick)' if doc['quick'] else ''}  "
                 f"Chromium {env.get('chromium')}  Pyodide {env.get('pyodide')}  "
                 f"encodings {'/'.join(env['precompressed']['site']['encodings'])}{label}")
    sc = doc.get("scenario", {})
    parts.append(f"baseline: {doc['baseline']['url']}\nours:     {doc['ours']['url']}\n"
                 f"          (fragment spelling: {sc.get('spelling')}; keystrokes typed into {sc.get('key_input')})")
    parts.append("min / median / max over runs; calculate() and keystroke pool every call of every run "
                 "(baseline calculate(): keystroke calls + a loop of back-to-back calls); "
                 "ratio = ours median / baseline median")
    rows = []
    for r in doc["metrics"]:
        rows.append([r["label"], fmt_summary(r["baseline"], r["unit"]), fmt_summary(r["ours"], r["unit"]),
                     "-" if r["ratio"] is None else f"{r['ratio']:.2f}", r["target"] or "", met_text(r["met"])])
    parts.append(table(["metric", "baseline", "ours", "ours/base", "target", "met?"], rows))
    checks = []
    for name in ("baseline", "ours"):
        runs = doc[name]["runs"]
        if not runs:
            continue
        c = runs[-1]["check"]
        workers = len(c["worker_requests"])
        checks.append(f"  {name}: server {fmt(runs[-1]['bytes_to_first_result'], 'bytes')}, browser "
                      f"{fmt(c['browser_bytes_to_first_result'], 'bytes')}, page target alone (CDP) "
                      f"{fmt(c['page_target_cdp_bytes'], 'bytes')}; {workers} request(s) made by a worker, "
                      f"{len(c['service_worker_requests'])} by a service worker; .wasm "
                      f"{'counted' if c['wasm_requests_counted'] else 'NOT COUNTED'}")
    parts.append("bytes to first result, cold, last run (the table uses the server's count):\n" + "\n".join(checks))
    breakdown = start_breakdown(doc["ours"]["runs"])
    if breakdown:
        parts.append("where our start spends its time (median ms after navigation; the worker's own timings "
                     "placed by its ready message):\n" + "\n".join(breakdown))

    parts.extend(render_network(doc))

    pages = doc.get("pages", [])
    ps = doc.get("pages_summary") or page_targets(pages)
    prow = [[p["path"], fmt(p["html"], "bytes"), fmt(p["css"], "bytes"), fmt(p["js"], "bytes"), fmt(p["total"], "bytes"),
             ", ".join(p["runtime_requests"]) or "none", met_text(p["total"] < ps["budget_bytes"] and not p["runtime_requests"])]
            for p in pages]
    parts.append(f"Non-calculator pages ({ps['count']}): compressed HTML+CSS+JS (bodies, same origin), cold; "
                 f"budget < {ps['budget_bytes'] / 1000:.0f} kB each; the runtime must not load")
    parts.append(table(["page", "html", "css", "js", "total", "runtime requests", "ok?"], prow))
    parts.append(f"largest: {ps['max_page']} {fmt(ps['max_bytes'], 'bytes')}  -> every page < 50 kB: "
                 f"{met_text(ps['met'])};  no runtime downloads: {met_text(ps['no_runtime_met'])}")

    lh = doc.get("lighthouse") or {"status": "not run", "reason": "the run stopped before it"}
    if lh.get("status") == "run":
        lrows = [[path, r.get("performance", "-") if not r.get("error") else "error",
                  r.get("accessibility", "-") if not r.get("error") else r["error"][:60],
                  met_text(next((t["met"] for t in doc.get("lighthouse_targets") or [] if t["path"] == path), None))]
                 for path, r in lh["pages"].items()]
        parts.append(f"Lighthouse {lh['version']} ({lh['settings']}); target: performance >= 90, accessibility 100")
        parts.append(table(["page", "performance", "accessibility", "met?"], lrows))
    else:
        parts.append(f"Lighthouse: not run ({lh.get('reason')})")
    targets = doc.get("targets", [])
    judged = [t for t in targets if t["met"] is not None]
    parts.append(f"targets met: {sum(1 for t in judged if t['met'])} of {len(judged)} measured"
                 + (f" ({len(targets) - len(judged)} not measured)" if len(judged) < len(targets) else "")
                 + (": missed " + ", ".join(t["id"] for t in judged if not t["met"]) if any(not t["met"] for t in judged)
                    else ""))
    if doc["errors"]:
        parts.append("ERRORS:\n" + "\n".join(f"  - {e}" for e in doc["errors"]))
    if doc.get("warnings"):
        parts.append("warnings:\n" + "\n".join(f"  - {w}" for w in doc["warnings"]))
    return "\n\n".join(parts) + "\n"


def render_network_only(doc):
    """The network profiles' tables alone (--no-local: no localhost runs were made)."""
    parts = [f"Benchmark {doc['generated']} (--no-local: network profiles only)  Chromium "
             f"{doc['environment'].get('chromium', '-')}  Pyodide {doc['environment'].get('pyodide')}"]
    parts.extend(render_network(doc))
    if doc["errors"]:
        parts.append("ERRORS:\n" + "\n".join(f"  - {e}" for e in doc["errors"]))
    if doc.get("warnings"):
        parts.append("warnings:\n" + "\n".join(f"  - {w}" for w in doc["warnings"]))
    return "\n\n".join(parts) + "\n"


START_STAGES = (("module", "pyodide.mjs imported"), ("snapshot_read", "snapshot read"),
                ("wasm_start", ".wasm compiling"), ("wasm_ready", ".wasm instantiated"), ("python", "Python started"),
                ("rules", "rules imported"), ("snapshot_made", "snapshot made"), ("ready", "ready"))


def start_breakdown(runs):
    """One line per visit kind (cold, warm): when the worker began and reached each stage, and the first result,
    in ms after navigation (medians over runs): where a start spends its time, and so what a target is up against."""
    lines = []
    for kind in ("cold", "warm"):
        placed = []
        for run in runs:
            reported = (run.get("page_reported") or {}).get(kind) or {}
            timings, ready_ms, first = reported.get("timings"), reported.get("ready_ms"), run.get(f"{kind}_ms")
            if not timings or ready_ms is None or first is None or "ready" not in timings:
                continue
            began = ready_ms - timings["ready"]  # the worker's start, on the page's clock
            placed.append({"worker": began, "first result": first,
                           **{label: began + timings[key] for key, label in START_STAGES if key in timings}})
        if not placed:
            continue
        order = ["worker"] + [label for _, label in START_STAGES] + ["first result"]
        medians = [(label, statistics.median(p[label] for p in placed if label in p))
                   for label in order if any(label in p for p in placed)]
        lines.append(f"  {kind}: " + ", ".join(f"{label} {value:,.0f}" for label, value in medians))
    return lines


def render_network(doc):
    net = doc.get("network")
    if not net:
        return []
    parts = [f"Network profiles: the bench server throttles itself (one bandwidth limit shared by every connection, "
             f"a latency before each answer; workers and service worker included). Cold arrivals, fresh browser "
             f"context, {net['runs']} run(s) each, min / median / max. (b) = {net['example_fragment']} "
             f"(the leaflet QR spelling; the baseline computes the same request). (c) = the home page open "
             f"{net['linger_s']:g} s, then the calculator; the stock page has no prefetch, so its (c) is its (a)."]
    for entry in net["profiles"]:
        summ = entry.get("summary")
        if not summ:
            continue
        rows = []
        for row in summ["rows"]:
            label = dict(ARRIVALS)[row["arrival"]].format(linger=net["linger_s"])
            base_t = fmt_summary(row["baseline_ms"], "ms") + (" (= (a))" if row["baseline_is_typed"] else "")
            rows.append([label, base_t, fmt_summary(row["ours_ms"], "ms"),
                         "-" if row["ratio"] is None else f"{row['ratio']:.2f}",
                         fmt(row["baseline_bytes"] and row["baseline_bytes"]["median"], "bytes"),
                         fmt(row["ours_bytes"] and row["ours_bytes"]["median"], "bytes"),
                         "-" if row["bytes_ratio"] is None else f"{row['bytes_ratio']:.2f}",
                         "; ".join(t for t in (row["target"], row.get("bytes_target") and "bytes " + row["bytes_target"]) if t),
                         "; ".join(met_text(m) for m in (row["met"], row.get("bytes_met")) if m is not None) or "-"])
        parts.append(f"{entry['name']}: {entry['mbit_per_s']:g} Mbit/s + {entry['latency_ms']:g} ms per request, "
                     f"Cache-Control: {entry.get('headers', 'shipped')}"
                     + (" (every file, both sides)" if entry.get("headers", "shipped") != "shipped" else
                        " (deploy/nginx.conf's: runtime immutable, pages no-cache)"))
        parts.append(table(["arrival", "baseline", "ours", "ours/base", "base bytes", "our bytes", "bytes ratio",
                            "target", "met?"], rows))
        if entry.get("unsupported"):
            seen = entry["unsupported"]
            parts.append(f"a browser without module workers: the message after {seen['message_ms']:.0f} ms "
                         f"(from the navigation), {seen['bytes']:,} bytes downloaded in all")
        fl = summ["floor"]
        home = next((r for r in summ["rows"] if r["arrival"] == "after_home"), {})
        parts.append("floor (the .wasm alone: bytes / bandwidth + one latency): "
                     + "; ".join(f"{side} {fmt(fl[side]['wasm_bytes'], 'bytes')} -> "
                                 f"{fmt(fl[side]['floor_ms'], 'ms')} ms" for side in ("baseline", "ours"))
                     + "\nall bytes to the first typed result at this bandwidth (+ one latency): "
                     + "; ".join(f"{side} {fmt(fl[side].get('typed_bytes_ms'), 'ms')} ms" for side in ("baseline", "ours"))
                     + " (the rest of (a) is CPU and round trips)"
                     + (f"\n(c): the home page visit itself moved {fmt(home['ours_home_bytes']['median'], 'bytes')}"
                        f"; runtime requests during it: {', '.join(home['ours_home_runtime_requests']) or 'none'}"
                        if home.get("ours_home_bytes") else ""))
    return parts
