"""sitemap.xml with every page's language alternates, and robots.txt pointing at it.
No dates in either: builds stay byte-identical."""

from __future__ import annotations

from markupsafe import escape

from .config import HTML_LANG, LANGS


def sitemap(site, pages):
    """sitemap.xml with the language alternates of every page (no dates: builds stay byte-identical)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for path in sorted(pages):
        lines.append(f"<url><loc>{escape(site.absolute(path))}</loc>")
        if path.startswith(("zh/", "en/")):
            rest = path[3:]
            for lang in LANGS:
                lines.append(f'<xhtml:link rel="alternate" hreflang="{HTML_LANG[lang]}" '
                             f'href="{escape(site.absolute(lang + "/" + rest))}"/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site):
    return f"User-agent: *\nAllow: /\nSitemap: {site.absolute('sitemap.xml')}\n"
