"""Runtime prefetch (speed): once another page has loaded and the browser is idle, it fetches the
calculator's runtime into the HTTP cache, when the connection allows: never under Save-Data or on
2g/slow-2g, never twice, never on a build with site.toml [runtime] prefetch = false. The pages' own
weight stays small."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from browser import built_and_served
from sitebuild.config import SRC

pytestmark = pytest.mark.browser

PAGE_BUDGET = 50_000  # bytes, brotli as served: HTML + CSS + scripts of any page but the calculator


def prefetch_list(site, path="zh/"):
    html = (site.out / path / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-prefetch="([^"]*)"', html)
    return found.group(1).split() if found else []


def runtime_requests(requests):
    return sorted({url for url in requests if "/runtime/" in url})


def visit(ctx, url):
    """Open a page, wait until the prefetch script has decided, return (page, runtime URLs it requested)."""
    requests = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-runtime-prefetch]", state="attached", timeout=20_000)
    page.wait_for_timeout(300)
    return page, requests


def test_the_home_page_prefetches_the_runtime_once_when_idle(chromium, site_server):
    wanted = prefetch_list(site_server)
    assert any(u.endswith(".wasm") for u in wanted) and any(u.endswith("/rules.zip") for u in wanted)
    assert prefetch_list(site_server, "zh/calculator/") == []  # the calculator loads it itself
    ctx = chromium.new_context()
    page, requests = visit(ctx, site_server.url("zh/"))
    assert page.get_attribute("html", "data-runtime-prefetch") == "started"
    for _ in range(200):
        if set(site_server.base_url + u for u in wanted) <= set(requests):
            break
        page.wait_for_timeout(50)
    assert sorted(site_server.base_url + u for u in wanted) == runtime_requests(requests)
    # Another page of the same visit: not again.
    requests.clear()
    page.goto(site_server.url("en/policy/"))
    page.wait_for_selector("html[data-runtime-prefetch]", state="attached", timeout=20_000)
    assert page.get_attribute("html", "data-runtime-prefetch") == "skipped"
    page.wait_for_timeout(300)
    assert runtime_requests(requests) == []
    ctx.close()


@pytest.mark.parametrize("connection", [{"saveData": True, "effectiveType": "4g"},
                                        {"saveData": False, "effectiveType": "2g"},
                                        {"saveData": False, "effectiveType": "slow-2g"}])
def test_no_prefetch_under_save_data_or_on_2g(chromium, site_server, connection):
    ctx = chromium.new_context()
    # navigator.connection as a browser with Data Saver or on a slow link reports it
    ctx.add_init_script(f"Object.defineProperty(Navigator.prototype, 'connection', {{ get: () => ({json.dumps(connection)}) }})")
    page, requests = visit(ctx, site_server.url("zh/"))
    assert page.evaluate("navigator.connection.effectiveType") == connection["effectiveType"]
    assert page.get_attribute("html", "data-runtime-prefetch") == "skipped"
    assert runtime_requests(requests) == []
    ctx.close()


def test_pages_other_than_the_calculator_stay_light(site_server):
    css_js = {}
    for path in sorted((site_server.out / "static").glob("*.*.[cj]s")):
        css_js[f"/static/{path.name}"] = len((path.parent / (path.name + ".br")).read_bytes())
    heavy = {}
    for path in site_server.pages:
        if path.rstrip("/").endswith("calculator") or not path.endswith("/"):
            continue
        html = site_server.out / path / "index.html"
        text = html.read_text(encoding="utf-8")
        weight = len((html.parent / "index.html.br").read_bytes())
        weight += sum(size for url, size in css_js.items() if url in text)
        if weight >= PAGE_BUDGET:
            heavy[path] = weight
    assert heavy == {}


@pytest.fixture(scope="module")
def site_without_prefetch(tmp_path_factory):
    """The site built with site.toml [runtime] prefetch = false, served."""
    tmp = tmp_path_factory.mktemp("noprefetch")
    src = tmp / "site_src"
    shutil.copytree(SRC, src)
    toml = src / "site.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[runtime]\nprefetch = true\n" in text
    toml.write_text(text.replace("[runtime]\nprefetch = true\n", "[runtime]\nprefetch = false\n"), encoding="utf-8")
    out = tmp / "dist"
    with built_and_served(out, src) as base_url:
        yield out, base_url


def test_with_prefetch_off_no_page_fetches_the_runtime(chromium, site_without_prefetch):
    out, base_url = site_without_prefetch
    assert [p for p in out.rglob("*.html") if "data-prefetch" in p.read_text(encoding="utf-8")] == []
    ctx = chromium.new_context()
    requests = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    page.goto(base_url + "/zh/")
    page.wait_for_load_state("load")
    page.evaluate("new Promise(r => requestIdleCallback(() => setTimeout(r, 500)))")
    assert page.get_attribute("html", "data-runtime-prefetch") is None
    assert runtime_requests(requests) == []
    ctx.close()
