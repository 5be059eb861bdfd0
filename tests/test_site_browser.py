"""Browser tests in headless Chromium: every page in both languages at 360×740 and 1280×800
renders without horizontal scroll or console error and passes axe-core (WCAG 2.0–2.2 A/AA);
without JavaScript every page is still readable; each leaflet prints on one A4 page.
A screenshot of every page opened is saved in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from browser import SCREENSHOTS, VIEWPORTS, screenshot_name
from sitebuild.load import planned_pages

pytestmark = pytest.mark.browser

PAGES = planned_pages()
LEAFLETS = [p for p in PAGES if re.fullmatch(r"(zh|en)/leaflets/[^/]+/", p)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def refused_as_script(request):
    """With JavaScript off, Chromium refuses the head's <link rel=preload as=script> (reported as a "csp" failure):
    the browser's own choice, nothing a reader without scripts sees, and the scripts themselves are never asked for."""
    return request.resource_type == "script" and request.failure == "csp"


class Tab:
    """One reused page per browser context, collecting console errors, page errors and failed requests."""

    def __init__(self, context, scripts_off=False):
        self.context = context
        self.page = context.new_page()
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") and "blocked by Playwright" not in m.text else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: None if scripts_off and refused_as_script(r)
                     else self.errors.append(f"request failed: {r.url}"))
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 and not r.url.endswith("404.html") else None)

    def open(self, url):
        self.errors.clear()
        response = self.page.goto(url, wait_until="load")
        if "/calculator/" in url and self.page.evaluate("document.documentElement.classList.contains('js')"):
            # Let the calculator finish loading: leaving mid-download would abort the worker's fetches.
            self.page.wait_for_selector('#calculator-status:is([data-state="ready"], [data-state="failed"])',
                                        state="attached", timeout=90_000)
        return response


@pytest.fixture(scope="module")
def tabs(chromium):  # noqa: F811
    contexts = {}

    def get(name):
        if name not in contexts:
            if name == "a4":  # A4 at 96 dpi, so the print screenshot looks like the sheet
                contexts[name] = Tab(chromium.new_context(viewport={"width": 794, "height": 1123},
                                                          service_workers="block"))
            elif name == "nojs":
                contexts[name] = Tab(chromium.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False),
                                     scripts_off=True)
            else:
                # No service worker here: its background precache belongs to the calculator's own tests.
                contexts[name] = Tab(chromium.new_context(viewport=VIEWPORTS[name], service_workers="block"))
        return contexts[name]

    yield get
    for tab in contexts.values():
        tab.context.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def format_violations(violations):
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return "\n".join(lines)


# Every page at the phone's width (what residents use) in CI; at the desktop's width, one page of each kind in
# CI (the layouts share one stylesheet) and every page with ./dev test --all.
DESKTOP_IN_CI = {"", "404.html", "zh/", "en/", "zh/calculator/", "en/calculator/", "en/policy/", "zh/readings/",
                 "zh/household-subsidies/", "en/leaflets/dividends/", "zh/how-to-apply/"}
PAGE_VIEWPORTS = [pytest.param(path, viewport, id=f"{path}-{viewport}",
                               marks=() if viewport == "phone" or path in DESKTOP_IN_CI else pytest.mark.slow)
                  for path in PAGES for viewport in VIEWPORTS]


@pytest.mark.parametrize(("path", "viewport"), PAGE_VIEWPORTS)
def test_page(site_server, tabs, axe, path, viewport):  # noqa: F811
    tab = tabs(viewport)
    page = tab.page
    response = tab.open(site_server.url(path))
    assert response.status == (404 if path == "404.html" else 200) or path == "404.html"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot_name(path, viewport)), full_page=True)
    width = VIEWPORTS[viewport]["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal scroll: content is {scroll_width}px wide in a {width}px viewport"
    assert tab.errors == []
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("path", PAGES)
def test_page_without_javascript(site_server, tabs, path):  # noqa: F811
    tab = tabs("nojs")
    page = tab.page
    tab.open(site_server.url(path))
    page.screenshot(path=str(screenshot_name(path, "phone", js=False)))
    assert page.locator("h1").first.is_visible()
    text = page.locator("main").inner_text()
    assert len(text) > 150, "main content too short without JavaScript"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    assert tab.errors == []
    if path.endswith("calculator/"):
        notice = page.locator("main .notice")
        assert notice.is_visible()
        assert notice.locator("a[href*='#rates-']").count() >= 3
        assert not page.locator("form.calc button[type=submit]").first.is_visible()


@pytest.mark.parametrize("path", LEAFLETS)
def test_leaflet_prints_on_one_a4_page(site_server, tabs, path):  # noqa: F811
    tab = tabs("a4")
    page = tab.page
    tab.open(site_server.url(path))
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert page.locator(".site-header").is_hidden() and page.locator(".print-hint").is_hidden()
        page.screenshot(path=str(screenshot_name(path, "print")), full_page=True)
    finally:
        page.emulate_media(media="screen")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the leaflet prints on {pages} A4 pages"


def test_print_view_hides_navigation_and_prints_link_targets(site_server, tabs):  # noqa: F811
    page = tabs("desktop").page
    page.goto(site_server.url("en/loans/"))
    page.emulate_media(media="print")
    try:
        assert page.locator(".nav-wide").is_hidden() and page.locator(".lang-switch").is_hidden()
        color = page.evaluate("getComputedStyle(document.body).color")
        assert color == "rgb(0, 0, 0)"
        after = page.evaluate("getComputedStyle(document.querySelector('main .calc-link'), '::after').content")
        assert site_server.base_url in after
    finally:
        page.emulate_media(media="screen")


def test_language_switch_keeps_the_fragment(site_server, tabs):  # noqa: F811
    page = tabs("desktop").page
    page.goto(site_server.url("zh/policy/") + "#measure-8")
    page.click("a.lang-switch")
    page.wait_for_url("**/en/policy/#measure-8")
    assert page.evaluate("location.hash") == "#measure-8"
    page.goto(site_server.url("en/calculator/") + "#measure=grain_to_forest&area_mu=6")
    page.click("a.lang-switch")
    page.wait_for_url("**/zh/calculator/#measure=grain_to_forest&area_mu=6")


def test_not_found_page(site_server, tabs):  # noqa: F811
    tab = tabs("phone")
    response = tab.page.goto(site_server.url("zh/no-such-page/"))
    assert response.status == 404
    assert "找不到这个页面" in tab.page.locator("h1").inner_text()
