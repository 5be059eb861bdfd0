"""Content pages: one Markdown page in one language into its template (page, policy or calculator),
with what the policy and calculator templates need; the no-JavaScript notice's rate links."""

from __future__ import annotations

import re

from markupsafe import Markup

from calculator import cite as cite_texts

from ..config import leaflet_path, page_path
from .site import json_for_script
from ..readings import reading_title, readings_path
from calculator.readings import READINGS


class ContentPages:
    """Content pages and their template-specific context."""

    def content_page(self, content):
        lang, slug = content.lang, content.slug
        path = page_path(lang, slug)
        alternates = [("zh-CN", page_path("zh", slug)), ("en", page_path("en", slug)), ("x-default", "")]
        self.ids = {}
        self.lang = lang
        body = self.markdown(content)
        templates = self.source.config.get("templates", {})
        template = templates.get(slug, "page.html")
        extra = {}
        if template == "policy.html":
            extra["policy"] = self.policy_view(lang)
        if template == "calculator.html":
            extra["forms"] = self.calculator_forms(lang)
            extra["runtime"] = self.site.runtime
            extra["manifest_json"] = Markup(json_for_script(self.site.runtime["manifest"]))
            ui = {key: entry[lang] for key, entry in sorted(self.source.config["calculator_ui"].items())}
            ui["cites"] = {anchor: cite_texts(anchor)[lang] for anchor in sorted(self.site.anchors)}
            # readings-build: the results carry reading ids only; the page links them by title
            ui["readings"] = {r: {"title": reading_title(r, lang), "href": self.site.url(readings_path(lang)) + "#" + r}
                              for r in sorted(READINGS)}
            ui["readings_label"] = self.t("example_readings", lang)
            extra["ui_json"] = Markup(json_for_script(ui))
            extra["examples"] = [self.example_view(ex_id, lang) for ex_id in self.source.examples]
            for view in extra["examples"]:  # pre-rendered answers: where page/prerender.mjs finds each
                view["answer_url"] = self.site.answers[view["id"]]
            extra["rate_links"] = self.rate_links(lang)
        related = [self.cite_link(c, lang) for c in content.meta["clauses"]]
        return self.render(template, lang, path, alternates, page=content.meta, slug=slug, body=body,
                           related=related, leaflet_href=self.site.url(leaflet_path(lang, slug))
                           if content.meta["leaflet"] else None, **extra)

    def rate_links(self, lang):
        """For the no-JavaScript notice: each page's first rate table, in navigation order."""
        links = []
        for item in self.nav(lang):
            body = self.source.content[(lang, item["slug"])].body
            m = re.search(r"rate_table\(\s*[\"']([^\"']+)[\"']", body)
            if m:
                links.append({"href": item["href"] + f"#rates-{m.group(1)}", "label": item["title"]})
        return links
