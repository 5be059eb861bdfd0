"""Shared fixtures for the browser tests: a built and served site, and one headless Chromium.

tests/conftest.py registers them once for every test module (one Playwright per session).

`site_server` builds the site into a temporary folder once per session and serves it on a
free 127.0.0.1 port in a thread (sitebuild.serve.make_handler: the same MIME types as `build.py --serve`).
`chromium` launches /usr/bin/chromium when it exists (Debian's; Playwright cannot download
browsers here), else Playwright's bundled Chromium.
"""

from __future__ import annotations

import http.server
import os
import socket
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitebuild import pipeline  # noqa: E402
from sitebuild.serve import make_handler  # noqa: E402

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


@dataclass
class SiteServer:
    """A served build: where it is on disk and on the network, and which pages it has."""

    out: Path
    base_url: str  # http://127.0.0.1:PORT
    prefix: str
    pages: list  # site paths of every HTML page, e.g. "zh/policy/"

    def url(self, path=""):
        return self.base_url + self.prefix + path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def html_pages(out):
    """Site paths of every written page ('' for the root, 'zh/policy/' ...), sorted."""
    pages = []
    for path in sorted(Path(out).rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


@contextmanager
def built_and_served(out, src=None):
    """Build site_src/ (or a copy of it, src) into out at the root of a free 127.0.0.1 port and serve it
    there in a thread while the block runs; yields the base URL (http://127.0.0.1:PORT)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    pipeline.build(out, **({"src": src} if src else {}), base_url=base_url, prefix="/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(out, "/"))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    """Build once into a temporary folder and serve it for the whole session."""
    out = tmp_path_factory.mktemp("site") / "dist"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    site = pipeline.build(out, base_url=base_url, prefix="/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(out, site.prefix))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(out, base_url, site.prefix, html_pages(out))
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        if os.path.exists(SYSTEM_CHROMIUM):
            browser = p.chromium.launch(executable_path=SYSTEM_CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        else:
            browser = p.chromium.launch(args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_name(path, viewport, js=True):
    """test-artifacts/screenshots/<page>-<viewport>[-nojs].png, one file per page and size."""
    stem = path.strip("/").replace("/", "_") or "root"
    stem = stem.removesuffix(".html")
    return SCREENSHOTS / f"{stem}-{viewport}{'' if js else '-nojs'}.png"
