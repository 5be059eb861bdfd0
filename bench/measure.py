"""Measurements in headless Chromium (Playwright).

Bytes to first result: what the server wrote (status line, headers, compressed body) for the
responses it finished before the page's first-result stamp (performance.timeOrigin +
firstResult, epoch ms): exact, and it includes whatever the page, its module worker and its
service worker fetched. The browser's own count is kept beside it as a check: Playwright's
context request events (page, dedicated workers, service worker) with `request.sizes()`
(headers + encoded body, from CDP's encodedDataLength), with HTTP-cache hits set to 0. A CDP
session on the page target alone (context.new_cdp_session) does NOT see a module worker's
requests in this Chromium; the difference between the two is recorded as the worker's
requests, and the .wasm download must be among the browser-counted requests.

Times: the page stamps `document.documentElement.dataset.firstResult` with performance.now()
(ms since navigation start) when the first result is in the DOM; cold = fresh browser context,
warm = a second page in the same context after the first visit settled.
"""

from __future__ import annotations

import os
import statistics
import time
from urllib.parse import urlsplit

# The scenario: one household_subsidy request, spelled as the calculator page's URL fragment.
# "contract": the spelling agreed for the benchmark (keys are full request paths);
# "page": the spelling the page writes itself (measure=..., then names inside that measure's form, v=rules).
# The benchmark uses whichever the served page's own field names fit (see choose_scenario).
SCENARIO = ("role=household&registered_poor=true&household_subsidy.crops.solar_greenhouse=0.5"
            "&household_subsidy.livestock.pig=3")
PAGE_SCENARIO = ("role=household&measure=household_subsidy&registered_poor=true&crops.solar_greenhouse=0.5"
                 "&livestock.pig=3&v={rules_version}")
PAGE_KEY_INPUT = '[data-measure="household_subsidy"] input[name="livestock.pig"]'
SCENARIO_REQUEST = {"measure": "household_subsidy", "registered_poor": True,
                    "crops": {"solar_greenhouse": "0.5"}, "livestock": {"pig": "3"}}
KEY_INPUT = 'input[name="household_subsidy.livestock.pig"]'
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]
SYSTEM_CHROMIUM = "/usr/bin/chromium"
RUNTIME_MARKERS = ("/runtime/", ".wasm", "pyodide", "python_stdlib")


def launch(playwright):
    """Debian's Chromium when it is there, else Playwright's bundled one."""
    executable = SYSTEM_CHROMIUM if os.path.exists(SYSTEM_CHROMIUM) else None
    browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
    return browser, executable or "playwright-bundled"


class Traffic:
    """Every request a browser context finishes or fails (page, workers, service worker)."""

    def __init__(self, context):
        self.finished = []
        self.failed = []
        context.on("requestfinished", lambda r: self.finished.append((r, time.time() * 1000)))
        context.on("requestfailed", lambda r: self.failed.append(r))

    def mark(self):
        return len(self.finished)

    def entries(self, since=0):
        out = []
        for request, seen in self.finished[since:]:
            try:
                response = request.response()
                sizes = request.sizes()
            except Exception:  # the context went away; nothing to measure
                continue
            timing = request.timing
            start = timing.get("startTime", -1)
            end = timing.get("responseEnd", -1)
            finished = start + end if start > 0 and end >= 0 else seen
            headers = response.headers if response else {}
            from_sw = bool(response and response.from_service_worker)
            out.append({
                "url": request.url,
                "path": urlsplit(request.url).path,
                "type": request.resource_type,
                "status": response.status if response else None,
                "encoding": headers.get("content-encoding"),
                "content_type": headers.get("content-type", ""),
                "from_service_worker": from_sw,
                "by_service_worker": request.service_worker is not None,
                "by_worker": False,  # set by Visit.mark_workers
                # a response the page got from its service worker costs no network bytes here;
                # the service worker's own fetch (if any) is a separate request, counted as such
                "wire": 0 if from_sw else sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0),
                "body": 0 if from_sw else max(sizes["responseBodySize"], 0),
                "finished_epoch_ms": finished,
            })
        return out


REQUEST_KEYS = ("path", "type", "status", "encoding", "wire", "from_cache", "from_service_worker", "by_service_worker",
                "by_worker")


def mark_cache_hits(entries, sent):
    """A response with no body that the server never answered came from the browser's HTTP cache:
    nothing crossed the wire (Playwright still reports an estimated header size for it). A
    revalidation (304) did reach the server and keeps its header bytes."""
    answered = {}
    for s in sent:
        answered[s["path"]] = answered.get(s["path"], 0) + 1
    for e in sorted(entries, key=lambda e: e["finished_epoch_ms"]):
        e["from_cache"] = False
        if e["from_service_worker"]:
            continue
        if answered.get(e["path"], 0) > 0:
            answered[e["path"]] -= 1
        elif e["body"] == 0:
            e["from_cache"] = True
            e["wire"] = 0
    return entries


def _sum(entries, key, until=None):
    return sum(e[key] for e in entries if until is None or e["finished_epoch_ms"] <= until)


def settle(page, traffic, quiet_ms=1000, limit_s=30):
    """Wait for the page's background work to finish before a warm visit or a page weighing:
    an installing service worker active, `window.calculatorSettled` (a promise, if the page has
    one) resolved, and then no request finished and `window.calculatorStats` unchanged for quiet_ms
    (a snapshot being stored, a precache being filled...)."""
    deadline = time.monotonic() + limit_s
    try:
        page.evaluate("""async (limit) => {
            const timeout = new Promise(r => setTimeout(r, limit));
            if (window.calculatorSettled && typeof window.calculatorSettled.then === 'function')
                await Promise.race([window.calculatorSettled, timeout]);
            if (!('serviceWorker' in navigator)) return;
            const reg = await navigator.serviceWorker.getRegistration();
            if (!reg) return;
            await Promise.race([navigator.serviceWorker.ready, timeout]);
            const sw = reg.installing || reg.waiting;
            if (sw) await Promise.race([new Promise(r => sw.addEventListener('statechange',
                () => sw.state === 'activated' && r())), timeout]);
        }""", int(limit_s * 1000))
    except Exception:
        pass

    def state():
        try:
            return traffic.mark(), page.evaluate("JSON.stringify(window.calculatorStats || null)")
        except Exception:
            return traffic.mark(), None

    last, quiet_since = state(), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        now = state()
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            break


FIRST_RESULT = "() => document.documentElement && document.documentElement.dataset.firstResult"  # no root yet right after commit
WATCH_KEYS = """(selector) => {
    const root = document.documentElement;
    window.__bench = { keydown: [], updates: [] };
    document.addEventListener('keydown', () => window.__bench.keydown.push(performance.now()), true);
    new MutationObserver(() => {
        const t = performance.now();
        const seq = Number(root.dataset.resultSeq || 0);
        const entry = { seq, dom: t, paint: null };
        window.__bench.updates.push(entry);
        requestAnimationFrame(() => { entry.paint = performance.now(); });
    }).observe(root, { attributes: true, attributeFilter: ['data-result-seq'] });
    return !!document.querySelector(selector);
}"""


class Visit:
    """One page opened and waited on until its first result, with a CDP session on the page
    target. That session sees only the page's own requests, not those of its workers; what
    Playwright's context events add to it is what the workers fetched."""

    def __init__(self, context, url, timeout_s, page=None):
        self.page = page or context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page_target = {}  # url -> requests the page target made
        self.page_target_bytes = 0
        cdp = context.new_cdp_session(self.page)
        cdp.on("Network.requestWillBeSent", self._will_be_sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")
        self.page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        try:
            self.page.wait_for_function(FIRST_RESULT, timeout=timeout_s * 1000, polling=20)
        except Exception as error:
            raise RuntimeError(f"no first result within {timeout_s} s at {url} "
                               f"(dataset.firstResult never set); page errors: {self.errors[:5]}") from error
        self.first = float(self.page.evaluate(FIRST_RESULT))
        self.cut = self.page.evaluate("performance.timeOrigin") + self.first  # epoch ms of the first result

    def _will_be_sent(self, event):
        url = event["request"]["url"]
        self.page_target[url] = self.page_target.get(url, 0) + 1

    def _finished(self, event):
        self.page_target_bytes += event.get("encodedDataLength", 0)

    def mark_workers(self, entries):
        """by_worker: a request neither the page target nor a service worker made."""
        left = dict(self.page_target)
        for e in entries:
            if e["by_service_worker"]:
                continue
            if left.get(e["url"], 0) > 0:
                left[e["url"]] -= 1
            else:
                e["by_worker"] = True
        return entries


def served_until(sent, cut):
    """Bytes the server wrote (status line, headers, body) for responses it finished by `cut` (epoch ms)."""
    return sum(s["header_bytes"] + s["bytes"] for s in sent if s["end_epoch_ms"] <= cut)


def choose_scenario(calculator_html, rules_version):
    """{spelling, fragment, key_input} for the served calculator page, by the field names it has."""
    if 'name="household_subsidy.livestock.pig"' in calculator_html:
        return {"spelling": "contract", "fragment": SCENARIO, "key_input": KEY_INPUT}
    if 'data-measure="household_subsidy"' in calculator_html and 'name="livestock.pig"' in calculator_html:
        return {"spelling": "page", "fragment": PAGE_SCENARIO.format(rules_version=rules_version),
                "key_input": PAGE_KEY_INPUT}
    return {"spelling": "contract", "fragment": SCENARIO, "key_input": KEY_INPUT}


def keystrokes(page, count, selector=KEY_INPUT, timeout_s=10):
    """Type `count` keystrokes into the key input; each: keydown -> the results region updated (ms)."""
    if not page.evaluate(WATCH_KEYS, selector):
        raise RuntimeError(f"no {selector} on the page")
    page.focus(selector)
    page.keyboard.press("End")
    samples, paints = [], []
    keys = ["1", "Backspace", "2", "Backspace", "5", "Backspace"]
    for i in range(count):
        key = keys[i % len(keys)]
        seq0 = page.evaluate("Number(document.documentElement.dataset.resultSeq || 0)")
        n0 = page.evaluate("window.__bench.keydown.length")
        page.keyboard.press(key)
        try:
            page.wait_for_function("(s) => Number(document.documentElement.dataset.resultSeq || 0) > s", arg=seq0,
                                   timeout=timeout_s * 1000, polling=10)
        except Exception as error:
            raise RuntimeError(f"typing {key!r} into {selector} did not update the result within {timeout_s} s "
                               "(dataset.resultSeq unchanged)") from error
        page.wait_for_timeout(50)  # let the paint stamp land
        b = page.evaluate("window.__bench")
        down = b["keydown"][n0]
        update = next(u for u in b["updates"] if u["seq"] > seq0)
        samples.append(update["dom"] - down)
        if update["paint"] is not None:
            paints.append(update["paint"] - down)
        page.wait_for_timeout(150)  # the next keystroke is a separate one, not a burst
    return samples, paints


def _keys_and_calls(page, keys, key_input, label, run):
    """Keystrokes on one visit, then that visit's calculate() times from window.calculatorStats:
    (keystroke ms, keystroke-to-paint ms, calculate ms of the calls after the first)."""
    down, paint = keystrokes(page, keys, key_input)
    stats = page.evaluate("window.calculatorStats || null")
    run["page_reported"][label] = stats
    if not stats or not isinstance(stats.get("calculate_ms"), list) or not stats["calculate_ms"]:
        raise RuntimeError("window.calculatorStats.calculate_ms is missing or empty")
    times = [float(t) for t in stats["calculate_ms"]]
    run[f"calculate_first_ms_{label}"] = times[0]
    run[f"keystroke_ms_{label}"] = down
    # The first call made the first result; the calls after it are the keystrokes'.
    return down, paint, times[1:] or times


def measure_side(browser, url, server, *, keys, calls, timeout_s, quiet_ms, key_input=KEY_INPUT):
    """One run: cold visit, settle, keystrokes; warm visit (a second page, same context), keystrokes;
    calculate() timings from the page's stats (and, on the baseline, a loop of back-to-back calls).

    bytes_to_first_result is what the server wrote for the responses it finished before the
    page's first-result stamp (exact, workers and service worker included); the browser's own
    count (Playwright request sizes) is kept beside it in `check`, with the .wasm download and the
    requests only workers made, so a count that misses worker traffic shows."""
    run = {"url": url}
    context = browser.new_context()
    try:
        traffic = Traffic(context)
        server.take_log()
        visit = Visit(context, url, timeout_s)
        run["cold_ms"] = visit.first
        cold_stats = visit.page.evaluate("window.calculatorStats || null")
        settle(visit.page, traffic, quiet_ms=quiet_ms)
        sent = server.take_log()
        cold = visit.mark_workers(mark_cache_hits(traffic.entries(), sent))
        cut = visit.cut
        run["bytes_to_first_result"] = served_until(sent, cut)
        run["cold_bytes_total_after_settle"] = served_until(sent, float("inf"))
        run["cold_requests_to_first_result"] = sum(1 for s in sent if s["end_epoch_ms"] <= cut)
        run["check"] = {
            "browser_bytes_to_first_result": _sum(cold, "wire", cut),
            "server_body_bytes": sum(s["bytes"] for s in sent),
            "browser_body_bytes": _sum(cold, "body"),
            "page_target_cdp_bytes": visit.page_target_bytes,
            "wasm_requests_counted": [e["path"] for e in cold if e["path"].endswith(".wasm")],
            "wasm_requests_served": [s["path"] for s in sent if s["path"].endswith(".wasm")],
            "worker_requests": [e["path"] for e in cold if e["by_worker"]],
            "service_worker_requests": [e["path"] for e in cold if e["by_service_worker"]],
        }
        run["cold_served"] = [{k: s[k] for k in ("path", "status", "encoding", "header_bytes", "bytes")}
                              | {"before_first_result": s["end_epoch_ms"] <= cut} for s in sent]
        run["cold_requests"] = [{k: e[k] for k in REQUEST_KEYS}
                                | {"before_first_result": e["finished_epoch_ms"] <= cut} for e in cold]
        run["page_reported"] = {"cold_at_first_result": cold_stats}
        run["page_errors"] = visit.errors[:10]
        # Keystrokes on the first visit too (after it settled): a first-time visitor's experience.
        cold_keys = _keys_and_calls(visit.page, keys, key_input, "cold", run)
        visit.page.close()

        mark = traffic.mark()
        server.take_log()
        visit = Visit(context, url, timeout_s)
        run["warm_ms"] = visit.first
        visit.page.wait_for_timeout(200)
        sent = server.take_log()
        warm = visit.mark_workers(mark_cache_hits(traffic.entries(mark), sent))
        run["warm_bytes_to_first_result"] = served_until(sent, visit.cut)
        run["warm_served"] = [{k: s[k] for k in ("path", "status", "encoding", "header_bytes", "bytes")} for s in sent]
        run["warm_requests"] = [{k: e[k] for k in REQUEST_KEYS}
                                | {"before_first_result": e["finished_epoch_ms"] <= visit.cut} for e in warm]
        warm_keys = _keys_and_calls(visit.page, keys, key_input, "warm", run)

        run["keystroke_ms"] = cold_keys[0] + warm_keys[0]
        run["keystroke_paint_ms"] = cold_keys[1] + warm_keys[1]
        run["calculate_keystroke_ms"] = cold_keys[2] + warm_keys[2]
        run["calculate_loop_ms"] = []
        if calls and visit.page.evaluate("typeof window.benchCalculate === 'function'"):  # the baseline page only
            run["calculate_loop_ms"] = [float(t) for t in visit.page.evaluate("(n) => window.benchCalculate(n)", calls)]
        run["calculate_ms"] = run["calculate_keystroke_ms"] + run["calculate_loop_ms"]
        run["ready_ms"] = run["page_reported"]["warm"].get("ready_ms")
        run["page_errors"] += visit.errors[:10]
    finally:
        context.close()
    return run


def first_result(browser, url, server, *, timeout_s, before=None, linger_s=10.0):
    """One cold arrival in a fresh browser context: navigation -> first result (ms) and the bytes the
    server wrote for it (status lines, headers, bodies, workers and service worker included).

    With `before` (a site URL, e.g. the home page), that page is opened first and left open for
    linger_s seconds (whatever it fetches meanwhile, e.g. a runtime prefetch, is counted apart in
    `before_bytes`), then the same tab navigates to `url`: a resident who read the home page first."""
    out = {"url": url}
    context = browser.new_context()
    try:
        page = None
        if before:
            page = context.new_page()
            server.take_log()
            page.goto(before, wait_until="load", timeout=timeout_s * 1000)
            page.wait_for_timeout(linger_s * 1000)
            sent = server.take_log()
            out.update(before=before, linger_s=linger_s, before_bytes=served_until(sent, float("inf")),
                       before_runtime_requests=[s["path"] for s in sent
                                                if any(m in s["path"].lower() for m in RUNTIME_MARKERS)])
        server.take_log()
        visit = Visit(context, url, timeout_s, page=page)
        out["first_result_ms"] = visit.first
        # responses still on the wire at the first result finish later; wait a moment for their log lines
        visit.page.wait_for_timeout(100)
        sent = server.take_log()
        out["bytes_to_first_result"] = served_until(sent, visit.cut)
        out["requests_to_first_result"] = sum(1 for s in sent if s["end_epoch_ms"] <= visit.cut)
        out["served"] = [{k: s[k] for k in ("path", "status", "encoding", "header_bytes", "bytes")}
                         | {"before_first_result": s["end_epoch_ms"] <= visit.cut} for s in sent]
        out["page_errors"] = visit.errors[:10]
    finally:
        context.close()
    return out


def summary(values):
    values = [v for v in values if isinstance(v, (int, float))]
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values), "n": len(values)}


# ---- a browser that cannot run the calculator: how soon it is told, and what it downloaded meanwhile. Emulated as
# tests/test_calculator_start.py does: a Worker that ignores type "module" (Chrome < 80, older X5/TBS kernels).
NO_MODULE_WORKER = """(() => {
  const Original = window.Worker;
  window.Worker = function (url, options) { return new Original(url, Object.assign({}, options, {type: 'classic'})); };
})()"""


def unsupported_arrival(browser, url, server, *, timeout_s):
    """{message_ms: navigation start -> the message on screen (page/capability.js's shownAt), bytes: what the server
    wrote until 1.5 s after it}."""
    context = browser.new_context()
    context.add_init_script(NO_MODULE_WORKER)
    try:
        page = context.new_page()
        server.take_log()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.locator("#calculator-unsupported").wait_for(state="visible", timeout=timeout_s * 1000)
        shown = page.evaluate("window.calculatorCapability.shownAt")
        page.wait_for_timeout(1500)
        sent = server.take_log()
        return {"message_ms": shown, "bytes": sum(s["header_bytes"] + s["bytes"] for s in sent),
                "paths": [s["path"] for s in sent]}
    finally:
        context.close()
# ---- end unsupported browser
