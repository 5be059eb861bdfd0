"""QR codes for print: stable file names (posters carry them), the SVG encoding, and one code per
content page and per example scenario in both languages."""

from __future__ import annotations

import io

import segno

from .config import LANGS, page_path
from .fragment import scenario_fragment


def qr_name(kind, lang, slug):
    """Stable QR file names: posters are printed with these, so never change them."""
    return f"qr/{lang}-{slug}.svg" if kind == "page" else f"qr/{lang}-example-{slug}.svg"


def qr_svg(url, title):
    """A QR code for print: error correction M, quiet zone of 4 modules, black on white, SVG."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False,
              title=title, nl=True)
    return out.getvalue()


def qr_files(site):
    """QR codes: every content page, and every example scenario, in both languages, as {path: bytes}."""
    files = {}
    source = site.source
    for lang in LANGS:
        for (lg, slug) in sorted(source.content):
            if lg == lang:
                files[qr_name("page", lang, slug)] = qr_svg(site.absolute(page_path(lang, slug)),
                                                             site.short(page_path(lang, slug)))
        for ex_id, ex in source.examples.items():
            target = site.absolute(page_path(lang, "calculator")) + "#" + scenario_fragment(ex["request"])
            files[qr_name("example", lang, ex_id)] = qr_svg(target, ex[f"title_{lang}"])
    return files
