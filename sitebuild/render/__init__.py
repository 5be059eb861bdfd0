"""The render stage: every page, asset, QR code and feed of the site as {output path: bytes}.
Renderer is composed of one mixin per page kind (content, policy, forms, leaflets, examples)."""

from __future__ import annotations

import hashlib
import json
import re

from calculator import POLICY

from ..config import HTML_LANG, LANGS, BuildError, leaflet_path, output_file, page_path
from ..compute import example_answers
from ..fragment import scenario_fragment
from ..publicity import qr_files
from ..shareimage import share_png
from ..runtime import calculator_preloads, prefetch_paths, runtime_files, service_worker
from ..sitemap import robots, sitemap
from .base import RendererBase
from .content import ContentPages
from .examples import ExampleBoxes
from .forms import CalculatorForms
from .leaflets import LeafletPages
from .markdown import MarkdownPages
from .policy import PolicyPage
from .readings import ReadingsPage
from ..readings import check_readings, page_title, page_uses, readings_path, result_uses
from .site import Site
from ..contacts import read_contacts


class Renderer(ContentPages, PolicyPage, CalculatorForms, LeafletPages, ExampleBoxes, MarkdownPages, ReadingsPage,
               RendererBase):
    """Renders one page at a time; holds the per-page state the Markdown globals need."""


def render(source, base_url, prefix, results, as_of=None):
    """All pages, QR codes, assets and feeds as {output path: bytes}; values as in force on `as_of`."""
    site = Site(source, base_url, prefix, results, as_of=as_of, contacts=read_contacts(source.config))
    site.anchors = {b.anchor for b in source.policy if b.anchor}
    files = site.files
    # Static assets get content-hashed names (a later service worker relies on it).
    static = source.root / "static"
    origin = re.match(r"^[a-z]+://[^/]+", base_url).group(0)
    for asset in sorted(static.iterdir()):
        if not asset.is_file():
            continue
        data = asset.read_bytes()
        if asset.suffix == ".css":
            data = data.replace(b"__ORIGIN__", origin.encode())
        digest = hashlib.sha256(data).hexdigest()[:10]
        name = f"static/{asset.stem}.{digest}{asset.suffix}"
        files[name] = data
        site.assets[asset.name] = site.url(name)
    # The image a shared link shows (og:image), drawn from the site's icon: only a build with a real address needs it.
    if site.printable:
        data = share_png()
        name = f"static/share.{hashlib.sha256(data).hexdigest()[:10]}.png"
        files[name] = data
        site.assets["share.png"] = site.url(name)
    runtime, manifest, manifest_path = runtime_files()
    files.update(runtime)
    folder = manifest_path.rsplit("/", 1)[0]
    site.runtime = {"manifest": manifest, "manifest_url": site.url(manifest_path),
                    "page_script": site.url(f"{folder}/{manifest['page']}"),
                    "boot_script": site.url(f"{folder}/page/boot.js"),
                    "capability_script": site.url(f"{folder}/page/capability.js"),
                    "preload": {kind: [site.url(path) for path in paths]
                                for kind, paths in calculator_preloads(folder, manifest).items()}}
    # Pre-rendered answers (speed): each worked example's answer as the rule module's JSON text,
    # content-addressed beside the assets; the calculator page fetches one only for an arrival by
    # that example's link or QR code, so its own weight does not grow with the examples.
    for ex_id, text in example_answers(source).items():
        data = text.encode("utf-8")
        name = f"static/results/{ex_id}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        files[name] = data
        site.answers[ex_id] = site.url(name)
    # Runtime prefetch on the other pages (speed): what the worker fetches before its first answer.
    if source.config.get("runtime", {}).get("prefetch", False):
        site.runtime["prefetch"] = [site.url(path) for path in prefetch_paths(folder, manifest)]
    renderer = Renderer(site)
    problems = []
    pages = []  # (path, lang or None) for the sitemap
    reading_pages = {}  # readings-build: reading id -> [(site path, lang, page title)] from this render pass

    def add(path, html, lang=None, sitemap=True):
        files[output_file(path)] = html.encode("utf-8")
        if sitemap:
            pages.append(path)
        for reading_id in sorted(page_uses(html)):
            reading_pages.setdefault(reading_id, []).append((path, lang, page_title(html)))

    for (lang, slug), content in sorted(source.content.items()):
        try:
            add(page_path(lang, slug), renderer.content_page(content), lang)
            if content.meta["leaflet"]:
                add(leaflet_path(lang, slug), renderer.leaflet(content), lang)
        except BuildError as error:
            problems.extend(error.problems)
    if problems:
        raise BuildError(problems)
    for lang in LANGS:
        add(leaflet_path(lang), renderer.kit(lang), lang)
    # readings-build: the readings page lists the uses found above; a reading shown nowhere stops the build.
    reading_results = result_uses(source.examples, results)
    problems = check_readings(reading_pages, reading_results)
    if problems:
        raise BuildError(problems)
    for lang in LANGS:
        files[output_file(readings_path(lang))] = renderer.readings_page(lang, reading_pages, reading_results).encode()
        pages.append(readings_path(lang))
    # The root: both languages side by side, no redirect (see the chooser template).
    add("", renderer.render("chooser.html", "zh", "", [("zh-CN", "zh/"), ("en", "en/"), ("x-default", "")],
                            page={"title": source.text["site_name"]["zh"] + " · " + source.text["site_name"]["en"],
                                  "description": source.text["chooser_description"]["zh"]},
                            homes=[{"lang": lg, "html_lang": HTML_LANG[lg], "href": site.url(f"{lg}/"),
                                    "items": renderer.nav(lg)} for lg in LANGS]))
    renderer.lang = "zh"
    files["404.html"] = renderer.render("404.html", "zh", "404.html", [],
                                         page={"title": "404", "description": source.text["not_found_body"]["zh"]}).encode()
    files.update(qr_files(site))  # QR codes: every content page and example, both languages
    # What the browser calculator needs to resolve #ex=<id> and to show titles.
    files["examples.json"] = (json.dumps({ex_id: {"title": {"zh": ex["title_zh"], "en": ex["title_en"]},
                                                   "page": ex["page"], "request": ex["request"],
                                                   "fragment": scenario_fragment(ex["request"])}
                                          for ex_id, ex in source.examples.items()},
                                         ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    files["assets.json"] = (json.dumps(site.assets, indent=1, sort_keys=True) + "\n").encode()
    files["sitemap.xml"] = sitemap(site, pages).encode()
    files["robots.txt"] = robots(site).encode()
    files["sw.js"] = service_worker(site)
    unshown = sorted(name for name in POLICY.parameters
                     if not all(name in renderer.tables_shown.get(lang, set()) for lang in LANGS))
    if unshown:
        site.notes.append(f"parameters shown in no rate table (only through param() or not at all): {', '.join(unshown)}")
    return site
