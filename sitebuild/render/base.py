"""The Renderer's core: the Jinja2 environment, interface text, ids, clause links, the context
every page shares, navigation, and rendering one template into one page."""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

import calculator
from calculator import MESSAGES, POLICY, RULES_VERSION
from calculator import cite as cite_texts

from ..config import CSP, HTML_LANG, OTHER, BuildError, page_path
from ..load import CLAUSE_RE
from ..contacts import contacts_for
from .english import mark_english


class RendererBase:
    """What every page kind uses: per-page state (language, ids, stashed blocks), text, links, context."""

    def __init__(self, site):
        self.site = site
        self.source = site.source
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.source.root / "templates")),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.md_env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        self.lang = "zh"
        self.blocks = []
        self.ids = {}
        self.components = self.env.get_template("components.html").make_module(self.common("zh"))
        self.examples_shown = set()
        self.tables_shown = {}

    # ---------------------------------------------------------------- shared helpers
    def t(self, key, lang=None, **fields):
        """Interface text from site.toml [text.<key>]; a missing key stops the build by name."""
        entry = self.source.text.get(key)
        if entry is None:
            raise BuildError(f"text key '{key}' is missing from site_src/site.toml [text]")
        value = entry[lang or self.lang]
        return value.format(**fields) if fields else value

    def unique_id(self, base):
        n = self.ids.get(base, 0)
        self.ids[base] = n + 1
        return base if n == 0 else f"{base}-{n + 1}"

    def cite_link(self, clause, lang=None):
        lang = lang or self.lang
        if not CLAUSE_RE.match(clause) or clause not in self.site.anchors:
            raise BuildError(f"cite('{clause}'): the policy text has no anchor {clause}")
        text = cite_texts(clause)[lang]
        href = self.site.url(page_path(lang, "policy")) + "#" + clause
        return Markup(f'<a class="cite" href="{escape(href)}">{escape(text)}</a>')

    def common(self, lang):
        self.lang = lang
        return {
            "lang": lang,
            "other": OTHER[lang],
            "html_lang": HTML_LANG[lang],
            "t": self.t,
            "url": self.site.url,
            "site": self.site,
            "config": self.source.config,
            "asset": lambda name: self.site.assets[name],
            "cite": self.cite_link,
            "meta": POLICY.meta,
            "issued": self.issued(lang),
            "nav": self.nav(lang),
            "rules_version": RULES_VERSION,
            "module_version": calculator.__version__,
            "csp": CSP,
            "reading": self.reading,  # readings-build: the "本站理解 / Our reading" marker (render/readings.py)
            # The document's date and that it gives no end date (calculator/messages.toml notice.policy_date),
            # said on the home page, the calculator page and its slip, every leaflet and the QR kit.
            "policy_notice": MESSAGES.text("notice.policy_date")[lang],
            "contacts": contacts_for(self.site.contacts, lang),  # where to ask (templates/where-to-ask.html)
        }

    def issued(self, lang):
        d = POLICY.meta["date_of_issue"]
        months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
        return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {months[d.month - 1]} {d.year}"

    def nav(self, lang):
        pages = [c for (lg, _), c in self.source.content.items() if lg == lang and c.meta["nav"]]
        pages.sort(key=lambda c: (c.meta["order"], c.slug))
        return [{"slug": c.slug, "label": c.meta["nav"], "title": c.meta["title"],
                 "description": c.meta["description"], "href": self.site.url(page_path(lang, c.slug)),
                 "leaflet": c.meta["leaflet"]} for c in pages]

    # ---------------------------------------------------------------- pages
    def render(self, template, lang, path, alternates, **context):
        """One page: common context, canonical and hreflang alternates, English marked up."""
        self.ids = {}
        self.examples_shown = set()
        ctx = self.common(lang)
        ctx.update(context)
        ctx["path"] = path
        ctx["canonical"] = self.site.absolute(path) if alternates else None
        ctx["alternates"] = [{"hreflang": h, "href": self.site.absolute(p)} for h, p in alternates]
        ctx["switch_href"] = self.site.url(dict(alternates).get(HTML_LANG[OTHER[lang]], ""))
        html = self.env.get_template(template).render(ctx)
        if lang == "en":
            html = mark_english(html)
        return html
