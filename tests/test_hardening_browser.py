"""The site under attack, in Chromium: findings of the adversarial audit on the page side,
one test (or a few) each. Each failed on the code before its fix.

- High: kiosk mode on every page; Back never brings back the previous person.
- Medium: a damaged file in the offline cache; the precache checked against content hashes.
- Medium: a missing or wrong-type WebAssembly file fails at once; a slow but moving download is not stopped.
- Medium: share links never longer than the page reads back; the slip says when there is no QR code.
- Lows: no submittable form without JavaScript; unversioned files network-first in the service worker;
  link parameters (?timeout=, ?kiosk=, ?idle=, a fragment with too many rows) validated.
"""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from urllib.parse import urlsplit

import pytest

from browser import free_port
from calculator import RULES_VERSION
from sitebuild.serve import make_handler
from test_calculator_browser import LOAD_MS, READY, SCENARIO, open_calculator, settle, wait_for_offline_cache

pytestmark = pytest.mark.browser

GREENHOUSE = "#f-household_subsidy-crops-solar_greenhouse"


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 1080, "height": 1400})
    yield ctx
    ctx.close()


class Served:
    """A copy of the session's build on its own port, which a test may change, with the WebAssembly
    binary answered as `wasm` says: None (as built), "404", "text" (text/plain) or ("slow", seconds)."""

    def __init__(self, out, base_url):
        self.out = out
        self.base_url = base_url
        self.wasm = None

    def url(self, path=""):
        return self.base_url + "/" + path


@pytest.fixture
def served(site_server, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(site_server.out, out)
    port = free_port()
    state = Served(out, f"http://127.0.0.1:{port}")
    base = make_handler(out, "/")

    class Handler(base):
        def send_head(self):
            if not urlsplit(self.path).path.endswith(".wasm") or state.wasm is None:
                return super().send_head()
            if state.wasm == "404":
                return self.not_found()
            local = self.translate_path(self.path)
            data = open(local, "rb").read()
            if state.wasm == "text":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            # ("slow", seconds): the whole binary, uncompressed, in small pieces spread over that time.
            seconds = state.wasm[1]
            self.send_response(200)
            self.send_header("Content-Type", "application/wasm")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            pieces = 60
            size = -(-len(data) // pieces)
            for i in range(pieces):
                self.wfile.write(data[i * size:(i + 1) * size])
                self.wfile.flush()
                time.sleep(seconds / pieces)
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


def fresh_document(page, marker):
    """Wait until the page shows a new document (not the one marked with window[marker]) that was not
    reached by Back/Forward, i.e. the kiosk's reset has happened."""
    for _ in range(300):
        try:
            done = page.evaluate(f"""() => !window[{marker!r}] && document.readyState !== 'loading'
                && performance.getEntriesByType('navigation')[0].type !== 'back_forward'""")
            if done:
                return
        except Exception:  # the document changed under the evaluation
            pass
        page.wait_for_timeout(100)
    raise AssertionError("the page was not reset")


# ---------------------------------------------------------------- High: kiosk mode on every page

def test_kiosk_back_after_leaving_the_calculator_shows_a_clean_form(chromium, site_server):
    ctx = chromium.new_context()
    start = site_server.url("zh/calculator/") + "?kiosk=1&idle=60"
    page = open_calculator(ctx, site_server, query="?kiosk=1&idle=60")
    page.check("#f-household_subsidy-registered_poor-true")
    page.type(GREENHOUSE, "2")
    settle(page)
    page.wait_for_selector("#result-household_subsidy a.clause")
    # The figures are on screen, but not in the address, so not in the history either.
    assert "#" not in page.url and page.input_value(GREENHOUSE) == "2"
    page.evaluate("window.__lastPerson = true")
    page.click("#result-household_subsidy a.clause")
    page.wait_for_url("**/zh/policy/**")
    assert page.locator("html.kiosk").count() == 1  # the policy page is in kiosk mode too
    assert page.locator("a[href^='http']:not([href^='%s'])" % site_server.base_url).count() == 0
    page.go_back()
    fresh_document(page, "__lastPerson")
    assert page.url == start
    assert page.input_value(GREENHOUSE) == ""
    assert page.locator("#result-household_subsidy a.clause").count() == 0
    # Nothing of it left in the history: every entry is without a fragment.
    page.go_forward()
    page.wait_for_load_state()
    fresh_document(page, "__lastPerson")
    assert "#" not in page.url and page.input_value(GREENHOUSE) == ""
    ctx.close()


def test_kiosk_idle_reset_on_another_page_returns_to_the_start_page(chromium, site_server):
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.clock.install()
    start = site_server.url("zh/calculator/") + "?kiosk=1&idle=60"
    page.goto(start)
    page.click("nav.nav-wide a[href*='/zh/policy/']")
    page.wait_for_url("**/zh/policy/**")
    assert "kiosk=1" in page.url and page.locator("html.kiosk").count() == 1
    page.keyboard.press("Shift")
    page.clock.run_for(39_000)
    assert page.locator("#idle-dialog[open]").count() == 0
    page.clock.run_for(2_000)  # idle for 60 - 20 s: the warning, on the policy page too
    assert page.locator("#idle-dialog[open]").count() == 1
    page.clock.run_for(21_000)
    page.wait_for_url(start, timeout=30_000)
    ctx.close()


def test_kiosk_in_page_links_add_no_history_entry(context, site_server):
    page = context.new_page()
    page.goto(site_server.url("zh/policy/") + "?kiosk=1")
    length = page.evaluate("history.length")
    page.locator("main a[href^='#']").first.click()
    page.wait_for_timeout(100)
    assert page.evaluate("history.length") == length
    page.close()


@pytest.mark.parametrize("query,kiosk,idle", [
    ("?kiosk=1&idle=-5", True, "10"), ("?kiosk=1&idle=abc", True, "120"), ("?kiosk=1&idle=99999", True, "3600"),
    ("?kiosk=1", True, "120"), ("?kiosk=0", False, None), ("?kiosk=yes", False, None),
])
def test_kiosk_link_parameters_are_validated(context, site_server, query, kiosk, idle):
    page = context.new_page()
    page.goto(site_server.url("en/calculator/") + query)  # the page whose kiosk mode ?kiosk=0 used to turn on
    assert page.locator("html.kiosk").count() == (1 if kiosk else 0)
    assert page.get_attribute("html", "data-kiosk-idle") == idle
    page.close()


def test_kiosk_0_turns_kiosk_mode_off_in_the_same_tab(context, site_server):
    page = context.new_page()
    page.goto(site_server.url("en/policy/") + "?kiosk=1")
    page.goto(site_server.url("en/"))
    assert page.locator("html.kiosk").count() == 1  # carried to a page without the parameter
    page.goto(site_server.url("en/") + "?kiosk=0")
    assert page.locator("html.kiosk").count() == 0
    page.goto(site_server.url("en/policy/"))
    assert page.locator("html.kiosk").count() == 0
    page.close()


# ---------------------------------------------------------------- Medium: the WebAssembly file

@pytest.mark.parametrize("mode", ["404", "text"])
def test_a_missing_or_wrong_type_wasm_fails_at_once_with_a_clear_message(chromium, served, mode):
    served.wasm = mode
    ctx = chromium.new_context()
    page = ctx.new_page()
    started = time.monotonic()
    page.goto(served.url("en/calculator/"))
    page.wait_for_selector('#calculator-status[data-state="failed"]', state="attached", timeout=15_000)
    assert time.monotonic() - started < 10
    assert "program file did not arrive correctly" in page.inner_text("#calculator-status")
    assert page.locator("#calculator-fallback").is_visible()
    ctx.close()


@pytest.mark.slow
def test_a_slow_but_moving_download_is_not_stopped(chromium, served):
    served.wasm = ("slow", 16)  # longer than the 10 s without progress the page allows
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(served.url("en/calculator/") + "?timeout=10")
    page.wait_for_selector(f'{READY}, #calculator-status[data-state="failed"]', state="attached", timeout=LOAD_MS)
    assert page.get_attribute("#calculator-status", "data-state") == "ready"
    ctx.close()


# ---------------------------------------------------------------- Medium and Low: the service worker

def test_a_damaged_offline_copy_is_dropped_and_loaded_again_from_the_network(chromium, served):
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(served.url("zh/calculator/"))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    wait_for_offline_cache(page)
    page.evaluate("""async () => {
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                if (request.url.endsWith('/worker.mjs')) {
                    await cache.put(request, new Response('this is not a module (', {headers: {'Content-Type': 'text/javascript'}}));
                } else if (request.url.endsWith('.wasm')) {
                    const bytes = await (await cache.match(request)).arrayBuffer();
                    await cache.put(request, new Response(bytes.slice(0, 1000), {headers: {'Content-Type': 'application/wasm'}}));
                }
            }
        }
    }""")
    page.reload()
    page.wait_for_selector(f'{READY}, #calculator-status[data-state="failed"]', state="attached", timeout=LOAD_MS)
    assert page.get_attribute("#calculator-status", "data-state") == "ready"
    ctx.close()


@pytest.mark.slow
def test_the_offline_copy_is_refused_when_a_file_differs_from_the_build(chromium, served):
    page_file = served.out / "en" / "policy" / "index.html"
    page_file.write_text(page_file.read_text(encoding="utf-8") + "<!-- changed after the build -->", encoding="utf-8")
    for sibling in (".br", ".gz"):
        (served.out / "en" / "policy" / ("index.html" + sibling)).unlink(missing_ok=True)
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(served.url("zh/calculator/"))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    state = page.evaluate("""async () => {
        const c = document.getElementById('calculator');
        const reg = await navigator.serviceWorker.register(c.dataset.sw, {scope: c.dataset.swScope});
        const worker = reg.installing || reg.waiting || reg.active;
        const done = () => ['activated', 'redundant'].includes(worker.state);
        if (!done()) await new Promise(resolve => worker.addEventListener('statechange', () => done() && resolve()));
        return worker.state;
    }""")
    assert state == "redundant"  # the install failed: no offline copy rather than a wrong one
    assert page.evaluate("caches.keys().then(keys => keys.filter(k => k.startsWith('qinyuan-')))") == []
    ctx.close()


@pytest.mark.slow
def test_files_without_a_content_hash_come_from_the_network_first(chromium, served):
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(served.url("zh/calculator/"))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    wait_for_offline_cache(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    examples = served.out / "examples.json"
    examples.write_text(examples.read_text(encoding="utf-8").replace("{", '{"changed": true, ', 1), encoding="utf-8")
    for sibling in (".br", ".gz"):
        (served.out / ("examples.json" + sibling)).unlink(missing_ok=True)
    text = page.evaluate("fetch('/examples.json').then(r => r.text())")
    assert '"changed": true' in text
    ctx.set_offline(True)  # offline, the cached copy still answers
    assert '"changed": true' not in page.evaluate("fetch('/examples.json').then(r => r.text())")
    ctx.close()


# ---------------------------------------------------------------- Medium: share links and the slip

FILL_ROWS = """count => {
    const list = document.querySelector('[data-rows]');
    const add = list.parentElement.querySelector('button[data-action="add-row"]');
    while (list.children.length < count) add.click();
    for (const input of list.querySelectorAll('input')) input.value = input.inputMode === 'decimal' || input.inputMode === 'numeric' ? '1' : '一二三四五六七八九十';
    list.querySelector('input').dispatchEvent(new Event('input', {bubbles: true}));
}"""


def test_share_links_and_the_slip_within_the_limits_and_a_negative_timeout(context, site_server):
    # ?timeout=-1 used to stop the loading at once; now it is the nearest bound.
    page = open_calculator(context, site_server, query="?timeout=-1")
    assert page.get_attribute("#calculator-status", "data-state") == "ready"
    # 30 rows with Chinese names: a link the page reads back, but too long for a QR code: the slip says so.
    page.evaluate(FILL_ROWS, 30)
    settle(page)
    assert page.url.split("#", 1)[1]
    page.evaluate("window.calculator.prepareSlip('a4')")
    slip = page.locator("#result-slip [data-slip-qr]")
    assert slip.locator("svg").count() == 0
    assert "二维码" in slip.inner_text()
    # 60 rows: longer than the page reads back, so no link is written, and the page says so.
    page.evaluate(FILL_ROWS, 60)
    settle(page)
    assert "#" not in page.url
    assert page.locator("#share-too-long").is_visible()
    assert "无法生成链接" in page.inner_text("#share-too-long")
    page.close()


def test_a_fragment_with_too_many_rows_is_refused_with_a_message(context, site_server):
    fragment = "measure=collective_dividends&share_table.1794.shares=1&v=" + RULES_VERSION
    page = context.new_page()
    page.goto(site_server.url("zh/calculator/") + "#" + fragment)
    page.wait_for_selector("#calculator :text('行数太多')", state="attached")
    assert page.locator("[data-rows] > li").count() < 10
    page.close()


# ---------------------------------------------------------------- Low: no form submission without JavaScript

def test_without_javascript_enter_sends_nothing_to_the_server(chromium, site_server):
    ctx = chromium.new_context(java_script_enabled=False)
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.is_navigation_request() else None)
    page.goto(site_server.url("zh/calculator/"))
    requests.clear()
    page.fill("#f-household_subsidy-livestock-pig", "3")
    page.press("#f-household_subsidy-livestock-pig", "Enter")
    page.wait_for_timeout(500)
    assert requests == [] and page.url == site_server.url("zh/calculator/")
    ctx.close()
