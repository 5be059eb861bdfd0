"""The in-browser calculator, end to end in headless Chromium: the rule module in Pyodide in a
worker, the form, shared links, the language switch, hostile links, no request off the origin,
offline use, a new build taking over, kiosk mode and the printed slip."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from browser import SCREENSHOTS, built_and_served
from calculator import RULES_VERSION, calculate_json
from casefiles import load_cases
from sitebuild import pipeline
from sitebuild.config import SRC

pytestmark = pytest.mark.browser

READY = '#calculator-status[data-state="ready"]'
LOAD_MS = 90_000
SCENARIO = ("role=household&measure=household_subsidy&registered_poor=true&crops.solar_greenhouse=0.5"
            "&livestock.pig=3&v={v}")


def open_calculator(context, site, lang="zh", fragment="", query=""):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # The household overview is the first tab; these tests use the per-measure forms.
    fragment = fragment or "role=household"
    page.goto(site.url(f"{lang}/calculator/") + query + (f"#{fragment}" if fragment else ""))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    page.errors = errors
    return page


def settle(page):
    """Wait until every keystroke so far has been computed and shown."""
    page.evaluate("window.calculator.settled()")


def type_into(page, selector, text):
    page.fill(selector, "")
    page.type(selector, text)
    settle(page)


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 360, "height": 740})
    yield ctx
    ctx.close()


# ---------------------------------------------------------------- parity: the same JSON as CPython

def test_every_case_file_gives_cpythons_json_in_chromium(context, site_server):
    page = open_calculator(context, site_server)
    cases = load_cases()
    texts = [text for _, text, _ in cases]
    outputs = page.evaluate("texts => Promise.all(texts.map(t => window.calculator.run(t)))", texts)
    differing = [case_id for (case_id, text, _), out in zip(cases, outputs) if out != calculate_json(text)]
    assert differing == []
    assert page.evaluate("window.calculator.stats.python").startswith("3.14")
    assert page.errors == []


def test_a_returning_visit_restores_the_memory_snapshot_and_still_matches_cpython(chromium, site_server):
    ctx = chromium.new_context()
    page = open_calculator(ctx, site_server)
    assert page.evaluate("window.calculator.stats.snapshot") == "made"
    for _ in range(200):
        if page.evaluate("window.calculator.stats.snapshot_stored") is not None:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.calculator.stats.snapshot_stored") is True
    page.goto("about:blank")
    page = open_calculator(ctx, site_server)
    assert page.evaluate("window.calculator.stats.snapshot") == "restored"
    cases = load_cases()
    outputs = page.evaluate("texts => Promise.all(texts.map(t => window.calculator.run(t)))", [c[1] for c in cases])
    assert [c[0] for c, out in zip(cases, outputs) if out != calculate_json(c[1])] == []
    ctx.close()


def test_when_the_runtime_cannot_load_the_page_says_so_and_points_to_the_rate_tables(chromium, site_server):
    ctx = chromium.new_context()
    ctx.route("**/*.wasm", lambda route: route.abort())
    page = ctx.new_page()
    # Pyodide may hang rather than fail when its binary is missing: the page's own timeout
    # (?timeout= seconds, 90 by default) must end the wait with a plain message either way.
    page.goto(site_server.url("en/calculator/") + "?timeout=15")
    page.wait_for_selector('#calculator-status[data-state="failed"]', state="attached", timeout=40_000)
    status = page.inner_text("#calculator-status")
    assert "did not load" in status or "took too long" in status
    fallback = page.locator("#calculator-fallback")
    assert fallback.is_visible() and fallback.locator("a[href*='#rates-']").count() >= 3
    ctx.close()


# ---------------------------------------------------------------- the form

def test_typing_into_the_form_shows_the_result_with_clauses(context, site_server):
    page = open_calculator(context, site_server)
    page.check("#f-household_subsidy-registered_poor-true")
    settle(page)
    type_into(page, "#f-household_subsidy-crops-solar_greenhouse", "0.5")
    type_into(page, "#f-household_subsidy-livestock-cattle", "2")
    text = page.inner_text("#result-household_subsidy")
    assert "10,000.00 元（1万元）" in text  # 0.5 mu × 20,000
    assert "6,000.00 元" in text and "3,000.00 元" in text  # cattle before and after the cap
    assert "多出的 3,000.00 元不算" in text  # the cap, explained
    assert "13,000.00 元（1.3万元）" in text
    link = page.locator("#result-household_subsidy a.clause").first
    assert link.get_attribute("href").endswith("/zh/policy/#measure-6")
    page.click("#result-household_subsidy details.trace summary")
    assert "0.5 亩 × 20,000 元/亩 = 10,000 元" in page.inner_text("#result-household_subsidy details.trace")


def test_steppers_change_head_counts(context, site_server):
    page = open_calculator(context, site_server)
    page.check("#f-household_subsidy-registered_poor-true")
    settle(page)
    plus = page.locator('button.stepper[data-target="f-household_subsidy-livestock-pig"][data-step="1"]')
    for _ in range(3):
        plus.click()
        settle(page)
    assert page.input_value("#f-household_subsidy-livestock-pig") == "3"
    assert "900.00 元" in page.inner_text("#result-household_subsidy")


def test_the_other_roles_compute_too(context, site_server):
    page = open_calculator(context, site_server, lang="en")
    page.click('[data-role-tab="entity"]')
    page.check("#f-entity_loan-uses_revolving_fund-true")
    settle(page)
    type_into(page, "#f-entity_loan-households", "12")
    assert "120,000.00 yuan to 360,000.00 yuan" in page.inner_text("#result-entity_loan")
    page.click('[data-role-tab="collective"]')
    type_into(page, "#f-collective_dividends-injected_funds", "100000")
    type_into(page, "#f-collective_dividends-share_table-0-household", "Zhang")
    type_into(page, "#f-collective_dividends-share_table-0-shares", "1")
    type_into(page, "#f-collective_dividends-share_table-1-household", "Li")
    type_into(page, "#f-collective_dividends-share_table-1-shares", "2")
    text = page.inner_text("#result-collective_dividends")
    assert "2,000.00 yuan" in text and "4,000.00 yuan" in text and "6,000.00 yuan" in text


def test_bad_input_is_reported_next_to_the_field_and_in_a_summary(context, site_server):
    page = open_calculator(context, site_server, lang="en")
    type_into(page, "#f-grain_to_forest-area_mu", "-2")
    error = page.locator("#f-grain_to_forest-area_mu-error")
    assert error.is_visible() and "cannot be negative" in error.inner_text()
    assert page.get_attribute("#f-grain_to_forest-area_mu", "aria-invalid") == "true"
    summary = page.locator("#errors-grain_to_forest")
    assert summary.is_visible() and "cannot be negative" in summary.inner_text()
    # a missing required answer waits for the Calculate button, then shows
    assert not page.locator("#f-grain_to_forest-first_year-error").is_visible()
    page.click("#calc-grain_to_forest button[type=submit]")
    settle(page)
    assert "Enter the year of the first installment" in page.inner_text("#errors-grain_to_forest")


# ---------------------------------------------------------------- links: share, switch language, hostile

def test_a_shared_link_restores_the_form_and_result_in_a_fresh_browser(chromium, site_server):
    first = chromium.new_context()
    page = open_calculator(first, site_server)
    type_into(page, "#f-grain_to_forest-area_mu", "2.3333")
    type_into(page, "#f-grain_to_forest-first_year", "2018")
    url = page.url
    expected = page.inner_text("#result-grain_to_forest")
    first.close()
    assert "measure=grain_to_forest" in url and "area_mu=2.3333" in url and "v=" in url
    second = chromium.new_context()
    again = open_calculator(second, site_server, fragment=url.split("#", 1)[1])
    settle(again)
    assert again.input_value("#f-grain_to_forest-area_mu") == "2.3333"
    assert again.inner_text("#result-grain_to_forest") == expected
    assert "933.31 元" in expected  # year 5 absorbs the rounding
    second.close()


def test_the_language_switch_keeps_the_inputs(context, site_server):
    page = open_calculator(context, site_server, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    page.click("a.lang-switch")
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    settle(page)
    assert "/en/calculator/" in page.url
    assert page.input_value("#f-household_subsidy-crops-solar_greenhouse") == "0.5"
    assert "10,900.00 yuan" in page.inner_text("#result-household_subsidy")


def test_a_worked_example_link_opens_its_scenario(context, site_server):
    examples = json.loads((site_server.out / "examples.json").read_text(encoding="utf-8"))
    example_id = next(iter(sorted(examples)))
    page = open_calculator(context, site_server, fragment=f"ex={example_id}")
    settle(page)
    measure = examples[example_id]["request"]["measure"]
    assert page.inner_text(f"#result-{measure}").strip()


def test_a_hostile_fragment_is_shown_as_text_and_breaks_nothing(context, site_server):
    hostile = ("measure=household_subsidy&registered_poor=true"
               "&crops.solar_greenhouse=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
               "&livestock.pig=99999999999999999999999999999&__proto__=1&constructor.prototype.x=1"
               "&measure=%3Cscript%3E&role=%22%3E%3Csvg%3E&v=%3Cb%3Eold%3C%2Fb%3E")
    page = open_calculator(context, site_server, lang="en", fragment=hostile)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    settle(page)
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0 and page.locator("#calculator svg").count() == 0
    assert page.evaluate("({}).x === undefined && Object.prototype.x === undefined")
    problems = page.inner_text(".link-problems")
    assert "__proto__" in problems and "<script>" in problems
    assert "New solar greenhouse" in page.inner_text("#errors-household_subsidy")  # the garbage, refused by the module
    assert "cannot be more than" in page.inner_text("#errors-household_subsidy")  # the huge head count
    # and the page still computes once the figures are corrected
    type_into(page, "#f-household_subsidy-crops-solar_greenhouse", "1")
    type_into(page, "#f-household_subsidy-livestock-pig", "3")
    assert "20,900.00 yuan" in page.inner_text("#result-household_subsidy")


def test_no_request_leaves_the_origin(chromium, site_server):
    ctx = chromium.new_context()
    requests = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = open_calculator(ctx, site_server, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    page.evaluate("window.calculator.prepareSlip('a4')")
    ctx.close()
    foreign = [url for url in requests if not url.startswith(site_server.base_url) and not url.startswith("data:")]
    assert foreign == []
    assert any(url.endswith(".wasm") for url in requests)  # the worker's requests were seen too


# ---------------------------------------------------------------- offline and updates

def wait_for_offline_cache(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(400):
        done = page.evaluate("""async () => {
            const keys = await caches.keys();
            const reg = await navigator.serviceWorker.getRegistration();
            return keys.length > 0 && !!(reg && reg.active && reg.active.state === 'activated');
        }""")
        if done:
            return page.evaluate("caches.keys()")
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never finished precaching")


def assert_works_offline_after_one_visit(chromium, site):
    """One online visit of the calculator, then offline: the calculator and a page never opened still work."""
    ctx = chromium.new_context()
    page = open_calculator(ctx, site, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    wait_for_offline_cache(page)
    ctx.set_offline(True)
    page.goto(site.url("en/calculator/") + "#" + SCENARIO.format(v=RULES_VERSION))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    settle(page)
    assert "10,900.00 yuan" in page.inner_text("#result-household_subsidy")
    page.goto(site.url("zh/policy/"))  # another page, never opened online
    assert page.locator("#measure-8").count() == 1
    ctx.close()


def test_the_calculator_works_offline_after_one_visit(chromium, site_server):
    assert_works_offline_after_one_visit(chromium, site_server)


@pytest.fixture()
def rebuildable_site(tmp_path):
    """A site served from a folder the test can rebuild in place, from a copy of site_src/."""
    src = tmp_path / "site_src"
    shutil.copytree(SRC, src)
    out = tmp_path / "dist"
    with built_and_served(out, src) as base_url:
        yield src, out, base_url


def test_a_new_build_replaces_the_offline_cache_cleanly(chromium, rebuildable_site):
    src, out, base_url = rebuildable_site
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(base_url + "/zh/calculator/")
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    wait_for_offline_cache(page)
    # The county edits a sentence and rebuilds.
    config = src / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("政策原文、说明和计算器", "政策原文、说明和计算器（新版）"),
                      encoding="utf-8")
    pipeline.build(out, src=src, base_url=base_url, prefix="/")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    site_caches = "caches.keys().then(keys => keys.filter(k => k.startsWith('qinyuan-')))"
    old = page.evaluate(site_caches)
    for _ in range(300):
        keys = page.evaluate(site_caches)
        if keys and keys != old and len(keys) == 1:
            break
        page.wait_for_timeout(100)
    assert len(keys) == 1 and keys != old  # the old build's cache is gone, not mixed in
    ctx.set_offline(True)
    page.goto(base_url + "/zh/calculator/")
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    assert "（新版）" in page.inner_text(".brand")
    ctx.close()


# ---------------------------------------------------------------- kiosk mode

def test_kiosk_mode_big_targets_idle_warning_and_clean_reset(chromium, site_server):
    ctx = chromium.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True)
    page = ctx.new_page()
    page.clock.install()
    page.goto(site_server.url("zh/calculator/") + "?kiosk=1&idle=60#" + SCENARIO.format(v=RULES_VERSION))
    for _ in range(900):
        if page.locator(READY).count():
            break
        page.clock.run_for(100)
        page.wait_for_timeout(10)
    assert page.locator("html.kiosk").count() == 1
    for selector in ("#calc-household_subsidy button[type=submit]", "#f-household_subsidy-crops-solar_greenhouse",
                     "#role-household button.stepper", "[data-role-tab]", "#kiosk-reset"):
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 60, selector
    assert page.locator("a[href^='http']:not([href^='%s'])" % site_server.base_url).count() == 0
    assert "kiosk=1" in page.get_attribute("a.lang-switch", "href")
    page.keyboard.press("Shift")  # activity re-arms the idle timer (loading took fake time too)
    page.clock.run_for(39_000)
    assert page.locator("#idle-dialog[open]").count() == 0
    page.clock.run_for(2_000)  # idle for 60 - 20 s: the warning and its countdown
    assert page.locator("#idle-dialog[open]").count() == 1
    page.click("#idle-dialog [data-continue]")  # "keep using" closes it and starts over
    assert page.locator("#idle-dialog[open]").count() == 0
    page.clock.run_for(41_000)
    assert page.locator("#idle-dialog[open]").count() == 1
    page.clock.run_for(21_000)  # nobody answered: everything is cleared, the page reloaded clean
    page.wait_for_url(lambda url: "#" not in url, timeout=30_000)
    page.wait_for_load_state()
    for _ in range(900):
        if page.locator(READY).count():
            break
        page.clock.run_for(100)
        page.wait_for_timeout(10)
    assert "#" not in page.url and "kiosk=1" in page.url
    assert page.input_value("#f-household_subsidy-crops-solar_greenhouse") == ""
    ctx.close()


# ---------------------------------------------------------------- the printed slip

@pytest.mark.parametrize("size", ["a4", "receipt"])
def test_the_result_slip_prints_on_one_page(context, site_server, size, tmp_path):
    page = open_calculator(context, site_server, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    page.evaluate(f"window.calculator.prepareSlip('{size}')")
    assert page.locator("#result-slip [data-slip-qr] svg").count() == 1
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    (SCREENSHOTS.parent / f"slip-{size}.pdf").parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / f"slip-{size}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1
    text = page.inner_text("#result-slip")
    assert "10,900.00 元" in text and "仅为估算" in text and "2017年11月13日" in text


# ---------------------------------------------------------------- accessibility with results on screen

@pytest.mark.parametrize("lang,query", [("zh", ""), ("en", ""), ("zh", "?kiosk=1")])
def test_axe_finds_no_violation_on_the_working_calculator(chromium, site_server, lang, query):
    from axe_playwright_python.sync_playwright import Axe

    ctx = chromium.new_context(viewport={"width": 360, "height": 740})
    page = open_calculator(ctx, site_server, lang=lang, query=query, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    type_into(page, "#f-grain_to_forest-area_mu", "-1")  # an error on screen too
    page.click("#result-household_subsidy details.trace summary")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}_calculator-working{'-kiosk' if query else ''}.png"), full_page=True)
    ctx.close()
    assert results.violations_count == 0, results.generate_report()
