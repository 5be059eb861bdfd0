"""Non-calculator pages in headless Chromium: their own weight (compressed HTML, CSS and JS from the
site's origin) and proof that none of them loads the calculator's runtime when prefetch is not allowed."""

from __future__ import annotations

from bench.measure import RUNTIME_MARKERS, Traffic, settle


# navigator.connection as a browser with Save-Data on reports it (static/prefetch.js reads it).
SAVE_DATA = ("Object.defineProperty(Navigator.prototype, 'connection', "
             "{get: () => ({saveData: true, effectiveType: '4g'})});")


def measure_pages(browser, origin, paths, *, quiet_ms, linger_ms, batch=8):
    """Non-calculator pages, each cold in its own context (a batch open at once): the compressed
    HTML+CSS+JS bodies each loads from its own origin, and any runtime download (Pyodide, .wasm,
    /runtime/) it makes, also during linger_ms after the network went quiet. The browser says
    Save-Data, so the idle runtime prefetch must not run: a page's own weight, and proof that no
    page loads the runtime when prefetch is not allowed (arrival (c) measures the prefetch itself)."""
    results = []
    for i in range(0, len(paths), batch):
        opened = []
        try:
            for path in paths[i:i + batch]:
                context = browser.new_context()
                context.add_init_script(SAVE_DATA)
                traffic = Traffic(context)
                page = context.new_page()
                response = page.goto(origin + path, wait_until="load", timeout=60_000)
                opened.append((path, context, traffic, page, response))
            for path, context, traffic, page, response in opened:
                settle(page, traffic, quiet_ms=quiet_ms, limit_s=15)
            if linger_ms:
                opened[0][3].wait_for_timeout(linger_ms)
            for path, context, traffic, page, response in opened:
                results.append(_page_weight(origin, path, response, traffic.entries()))
        finally:
            for _, context, *_ in opened:
                context.close()
    return results


def _page_weight(origin, path, response, entries):
    kinds = {"html": 0, "css": 0, "js": 0}
    other = 0
    for e in entries:
        if not e["url"].startswith(origin + "/"):
            other += e["body"]
            continue
        ctype = e["content_type"].split(";")[0].strip()
        if ctype == "text/html":
            kinds["html"] += e["body"]
        elif ctype == "text/css":
            kinds["css"] += e["body"]
        elif "javascript" in ctype:
            kinds["js"] += e["body"]
        else:
            other += e["body"]
    runtime = [e["path"] for e in entries if any(m in e["path"].lower() for m in RUNTIME_MARKERS)]
    return {"path": path, "status": response.status if response else None, **kinds,
            "total": sum(kinds.values()), "other_bytes": other, "requests": len(entries),
            "runtime_requests": runtime}
