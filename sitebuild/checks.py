"""The check stage: every written page parsed (_PageScan) for internal links and anchors that
resolve, duplicate ids, and language pairs with lang, reciprocal hreflang and canonical."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .config import HTML_LANG, OTHER, output_file
from .readings import printed_page_problems

# Printed pages (the leaflets and the QR kit): paper has no hover titles, so every reading marked on
# one must be explained in words on that very page, and every marker says 本站理解 / Our reading.
PRINTED_PAGES = ("zh/leaflets/", "en/leaflets/")


class _PageScan(HTMLParser):
    """Collects what the checks need from one written HTML file."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.duplicate_ids = set()
        self.links = []  # (attribute value, tag)
        self.html_lang = None
        self.canonical = []
        self.alternates = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            if a["id"] in self.ids:
                self.duplicate_ids.add(a["id"])
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href"))
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a.get("href")
        for attr in ("href", "src"):
            if a.get(attr) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append((a[attr], tag))

    handle_startendtag = handle_starttag


def check(out, base_url, prefix):
    """Parse every written page: internal links and anchors resolve, and every page in one
    language has its counterpart, with lang, reciprocal hreflang and canonical right."""
    out = Path(out)
    site_root = base_url + prefix
    scans = {}
    problems = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        scan = _PageScan()
        html = path.read_text(encoding="utf-8")
        scan.feed(html)
        scans[rel] = scan
        if rel.startswith(PRINTED_PAGES):
            problems += printed_page_problems(rel, html, rel[:2])

    def url_of(rel):
        return site_root + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)

    def file_of(url):
        """The written file a same-site absolute URL points at, or None if it is off-site."""
        if not url.startswith(site_root):
            return None
        path = unquote(urlsplit(url).path)[len(urlsplit(site_root).path):]
        return output_file(path) if path == "" or path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path

    for rel, scan in scans.items():
        here = url_of(rel)
        if rel == "404.html":
            here = site_root + "404.html"
        for dup in sorted(scan.duplicate_ids):
            problems.append(f"{rel}: duplicate id '{dup}'")
        for href, tag in scan.links:
            if href.startswith(("mailto:", "tel:", "data:")):
                continue
            target = urljoin(here, href)
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and not target.startswith(site_root):
                if tag != "a":
                    problems.append(f"{rel}: third-party {tag} resource {href}")
                continue
            target_file = file_of(target.split("#")[0])
            if target_file is None:
                continue
            if not (out / target_file).is_file():
                problems.append(f"{rel}: broken link {href} (no file {target_file})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and "=" not in fragment and target_file.endswith(".html"):
                if fragment not in scans[target_file].ids:
                    problems.append(f"{rel}: broken anchor {href} (no id '{fragment}' in {target_file})")
        # Language pairs, lang, hreflang, canonical.
        if rel == "404.html":
            continue
        lang = rel.split("/")[0] if rel.startswith(("zh/", "en/")) else None
        if lang is None:
            continue
        expected_lang = HTML_LANG[lang]
        if scan.html_lang != expected_lang:
            problems.append(f"{rel}: <html lang> is {scan.html_lang!r}, expected {expected_lang!r}")
        if scan.canonical != [here]:
            problems.append(f"{rel}: canonical is {scan.canonical}, expected [{here!r}]")
        other = OTHER[lang]
        counterpart = other + rel[2:]
        if counterpart not in scans:
            problems.append(f"{rel}: no {other} counterpart ({counterpart} is missing)")
            continue
        if scan.alternates.get(HTML_LANG[lang]) != here:
            problems.append(f"{rel}: hreflang {HTML_LANG[lang]} should point to itself ({here})")
        if scan.alternates.get(HTML_LANG[other]) != url_of(counterpart):
            problems.append(f"{rel}: hreflang {HTML_LANG[other]} should point to {url_of(counterpart)}")
        if scans[counterpart].alternates.get(HTML_LANG[lang]) != here:
            problems.append(f"{rel}: not reciprocated by {counterpart}")
        if "x-default" not in scan.alternates:
            problems.append(f"{rel}: no x-default alternate")
    return problems
