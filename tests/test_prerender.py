"""Answers computed when the site was built (speed): an arrival by a worked example's link (#ex=<id>)
or QR code (the example's whole fragment) shows the example's full result before Python has loaded,
marked as computed at build time, and the worker's answer then confirms it byte for byte or replaces it.

For every example, in both languages: the pre-rendered JSON equals the worker's answer to the request the
page builds from the example's link, and the result drawn from it reads exactly like the worker's."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from calculator import calculate_json
from sitebuild.config import SRC

pytestmark = pytest.mark.browser

READY = '#calculator-status[data-state="ready"]'
LOAD_MS = 90_000
UI = tomllib.loads((SRC / "site.toml").read_text(encoding="utf-8"))["calculator_ui"]


def answers(site):
    """{example id: (measure, answer URL, answer text as served)} read from the built calculator page."""
    html = (site.out / "zh" / "calculator" / "index.html").read_text(encoding="utf-8")
    examples = json.loads((site.out / "examples.json").read_text(encoding="utf-8"))
    found = {}
    for ex_id, url in re.findall(r'data-example="([^"]+)" data-answer="([^"]+)"', html):
        text = (site.out / url.lstrip("/")).read_text(encoding="utf-8")
        found[ex_id] = (examples[ex_id]["request"]["measure"], url, text)
    assert sorted(found) == sorted(examples)
    return found


def hold_python(page):
    """Keep Python's binary from loading (the page's worker asks for it) until release() is called."""
    held, released = [], []
    page.route("**/*.wasm", lambda route: route.continue_() if released else held.append(route))

    def release():
        for _ in range(100):
            if held:
                break
            page.wait_for_timeout(50)
        released.append(True)
        for route in held:
            route.continue_()
    return release


def wait_state(page, state):
    page.wait_for_function("s => document.documentElement.dataset.prerendered === s", arg=state, timeout=LOAD_MS)


def result_text(page, measure):
    return re.sub(r"\n{2,}", "\n", page.inner_text(f"#result-{measure}").strip())


def without_mark(text, lang, mark="prerendered_checking"):
    """The result's text without its mark, which stands right under the answer's card (its title and total)."""
    mark = UI[mark][lang]
    card, _, rest = text.partition("\n" + mark + "\n")
    assert rest and card.count("\n") <= 3, text[:200]
    return card + "\n" + rest


@pytest.fixture(scope="module")
def live(chromium, site_server):
    """One context whose calculator runs the worker (later pages restore the snapshot); no service
    worker, so that the tests' routes see every request."""
    ctx = chromium.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def blocked(chromium):
    """A context where the worker cannot start: only what the build computed can show."""
    ctx = chromium.new_context(viewport={"width": 360, "height": 740})
    ctx.route("**/worker.mjs", lambda route: route.abort())
    yield ctx
    ctx.close()


def test_the_build_writes_the_rule_modules_own_answer_for_every_example(site_server):
    examples = json.loads((site_server.out / "examples.json").read_text(encoding="utf-8"))
    for ex_id, (_, url, text) in answers(site_server).items():
        request = dict(examples[ex_id]["request"], rules_version=examples[ex_id]["fragment"].rsplit("v=", 1)[1])
        assert text == calculate_json(json.dumps(request)), ex_id
        assert re.fullmatch(rf"/static/results/{re.escape(ex_id)}\.[0-9a-f]{{10}}\.json", url)
        assert json.loads(text)["ok"] is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_pre_rendered_answer_is_the_workers_answer_and_reads_the_same(live, blocked, site_server, lang):
    found = answers(site_server)
    ids = list(found)
    # The worker's answers: each example's link followed on a working calculator.
    page = live.new_page()
    page.goto(site_server.url(f"{lang}/calculator/"))
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    worker_text, worker_dom = {}, {}
    for ex_id in ids:
        measure = found[ex_id][0]
        page.evaluate("id => { location.hash = 'ex=' + id; }", ex_id)
        page.wait_for_function("m => (window.calculator.answers() || {})[m] !== undefined", arg=measure)
        page.evaluate("window.calculator.settled()")
        worker_text[ex_id] = page.evaluate("m => window.calculator.answers()[m]", measure)
        worker_dom[ex_id] = result_text(page, measure)
    assert [i for i in ids if worker_text[i] != found[i][2]] == []  # byte for byte
    page.close()
    # What a resident sees before Python has loaded: the worker is blocked, the answers come from the build.
    page = blocked.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_server.url(f"{lang}/calculator/") + f"#ex={ids[0]}")
    page.wait_for_selector('#calculator-status[data-state="failed"]', state="attached", timeout=LOAD_MS)
    for i, ex_id in enumerate(ids):
        measure = found[ex_id][0]
        if i:
            page.evaluate("id => { document.documentElement.dataset.prerendered = ''; location.hash = 'ex=' + id; }", ex_id)
        wait_state(page, "shown")
        # The worker could not start, so the mark says the answer was not checked on this device.
        assert page.locator(f"#result-{measure} .result-body").is_visible()
        assert without_mark(result_text(page, measure), lang, "prerendered_unchecked") == worker_dom[ex_id], ex_id
        for other in {m for m, _, _ in found.values()} - {measure}:
            assert result_text(page, other) == ""
    assert errors == []
    page.close()


def test_a_qr_arrival_shows_the_build_time_answer_then_the_worker_confirms_it(live, site_server):
    found = answers(site_server)
    ex_id = "grain-for-green-awkward-area"
    measure = found[ex_id][0]
    examples = json.loads((site_server.out / "examples.json").read_text(encoding="utf-8"))
    total = json.loads(found[ex_id][2])["total"]["display"]["amount"]["zh"]
    page = live.new_page()
    release = hold_python(page)
    page.goto(site_server.url("zh/calculator/") + "#" + examples[ex_id]["fragment"])  # what the QR code carries
    wait_state(page, "shown")
    before = without_mark(result_text(page, measure), "zh")
    assert page.get_attribute("#calculator-status", "data-state") == "loading"
    assert total in before and "第8条" in before  # the total and its clause, before any Python
    assert page.locator(f"#result-{measure} details.trace li").count() > 0
    assert page.locator(f"#result-{measure} a.clause").count() > 0
    release()
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    wait_state(page, "confirmed")
    page.evaluate("window.calculator.settled()")
    assert page.locator(".prerendered-note").count() == 0
    assert result_text(page, measure) == before
    assert page.evaluate("m => window.calculator.answers()[m]", measure) == found[ex_id][2]
    page.close()


def test_an_answer_that_differs_from_the_workers_is_replaced_and_said_so(live, site_server):
    found = answers(site_server)
    ex_id = "household-cattle-cap"
    measure, url, text = found[ex_id]
    stale = text.replace("3,000.00 yuan", "2,999.00 yuan")
    assert stale != text
    page = live.new_page()
    page.route("**" + url, lambda route: route.fulfill(status=200, content_type="application/json", body=stale))
    release = hold_python(page)
    page.goto(site_server.url("en/calculator/") + f"#ex={ex_id}")
    wait_state(page, "shown")
    assert "2,999.00 yuan" in result_text(page, measure)
    release()
    page.wait_for_selector(READY, state="attached", timeout=LOAD_MS)
    wait_state(page, "replaced")
    page.evaluate("window.calculator.settled()")
    assert page.inner_text(f"#result-{measure} .prerendered-note") == UI["prerendered_changed"]["en"]
    assert "2,999.00 yuan" not in result_text(page, measure)
    assert "3,000.00 yuan" in result_text(page, measure)
    page.close()


def test_a_worked_example_link_asks_for_its_answer_while_the_page_is_still_read(live, site_server):
    """page/boot.js, in the page's <head>, asks for a #ex= link's answer at once: with the page's module held back,
    the answer is already on its way; once the module runs it draws that very download, asked for only once."""
    found = answers(site_server)
    ex_id = "household-cattle-cap"
    measure, url, text = found[ex_id]
    page = live.new_page()
    held, asked = [], []
    page.route("**/page/*.mjs", lambda route: held.append(route))  # every module of the page
    page.on("request", lambda request: asked.append(request.url) if request.url.endswith(url) else None)
    release = hold_python(page)
    page.goto(site_server.url("zh/calculator/") + f"#ex={ex_id}", wait_until="commit")
    for _ in range(200):
        if held and asked:
            break
        page.wait_for_timeout(25)
    assert held, "the page asks for its module"
    assert asked, "the answer is asked for before the page's module has arrived"
    assert page.evaluate("document.documentElement.dataset.prerendered") is None  # nothing drawn yet
    for route in held:
        route.continue_()
    wait_state(page, "shown")
    assert without_mark(result_text(page, measure), "zh")
    assert len(asked) == 1, asked  # the module used boot.js's download instead of asking again
    release()
    page.close()


def test_every_page_asks_for_its_heads_files_before_the_first_blocking_script(site_server):
    """The <meta> Content-Security-Policy stops Chromium's preload scanner, so each page's head names its stylesheet
    and scripts as preloads right after it, before the first script that stops the parser."""
    for page in sorted(site_server.out.glob("*/**/index.html")):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        csp = head.index('http-equiv="Content-Security-Policy"')
        first_blocking = re.search(r'<script src="[^"]+"></script>', head)
        preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="(?:script|style)">', head)
        wanted = re.findall(r'<script src="([^"]+)"(?: defer)?></script>', head)
        wanted += re.findall(r'<link rel="stylesheet" href="([^"]+)">', head)
        assert wanted and sorted(preloads) == sorted(set(wanted) - {u for u in wanted if "prefetch." in u}), page
        assert csp < head.index('<link rel="preload"') < first_blocking.start(), page
