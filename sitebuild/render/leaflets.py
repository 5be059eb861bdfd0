"""Printable pages: one leaflet per content page that asks for one (rate tables, an example, a QR
code back to the page), and the publicity kit listing every QR code and leaflet."""

from __future__ import annotations

from calculator import POLICY

from ..config import leaflet_path, page_path
from ..fragment import scenario_fragment
from ..publicity import qr_name
from ..readings import footnote_readings
from .english import mark_english


# "Where to ask" on each leaflet says the procedure the policy gives for whom the leaflet is about:
# (site.toml text key, the reading it relies on or None, the clause it cites).
WHERE_TO_ASK = {
    "business-entities": ("leaflet_apply_entity", None, "section-5-2"),
    "loans": ("leaflet_apply_loan", "how_households_apply", "measure-9"),
    "grain-for-green": ("leaflet_apply_farmer", "how_households_apply", "measure-8"),
}
WHERE_TO_ASK_HOUSEHOLD = ("leaflet_apply", "how_households_apply", "section-5-1")


class LeafletPages:
    """Leaflets and the publicity kit."""

    def leaflet(self, content):
        lang, slug = content.lang, content.slug
        self.ids = {}
        self.lang = lang
        tables = [self.rate_table(c, compact=True) for c in content.meta["clauses"]
                  if any(p.clause == c for p in POLICY.parameters.values())]
        example = next((ex_id for ex_id, ex in self.source.examples.items() if ex["page"] == slug), None)
        example_html = self.example_box(example, compact=True) if example else None
        body = None
        if not tables and not example:
            self.in_leaflet = True  # where to ask is in the side column (templates/leaflet.html)
            try:
                body = self.markdown(content)
            finally:
                self.in_leaflet = False
        page_url = page_path(lang, slug)
        example_qr = None  # readings-build: the second QR, to the calculator with this leaflet's example
        example_readings = []  # readings-build: and the readings its answer relies on, in the notes box
        if example:
            example_readings = self.site.results[example]["readings"]
            example_qr = {"src": self.site.url(qr_name("example", lang, example)),
                          "short": self.site.short(page_path(lang, "calculator")) + f"#ex={example}"}
        html = self.render("leaflet.html", lang, leaflet_path(lang, slug),
                           [("zh-CN", leaflet_path("zh", slug)), ("en", leaflet_path("en", slug)), ("x-default", "")],
                           page=content.meta, slug=slug, tables=tables, example=example_html, body=body,
                           example_qr=example_qr, where_to_ask=WHERE_TO_ASK.get(slug, WHERE_TO_ASK_HOUSEHOLD),
                           qr=self.site.url(qr_name("page", lang, slug)),
                           qr_text=self.site.short(page_url), page_href=self.site.url(page_url),
                           related=[self.cite_link(c, lang) for c in content.meta["clauses"]])
        # Paper has no hover titles: every marker is numbered and explained in words in the notes box.
        return footnote_readings(html, self.site, lang, extra=example_readings, english=mark_english)

    def kit(self, lang):
        """The publicity kit: every QR code with its short URL, and every leaflet."""
        entries = []
        for item in self.nav(lang):
            entries.append({"title": item["title"], "href": item["href"],
                            "qr": self.site.url(qr_name("page", lang, item["slug"])),
                            "short": self.site.short(page_path(lang, item["slug"])),
                            "leaflet": self.site.url(leaflet_path(lang, item["slug"])) if item["leaflet"] else None})
        examples = []
        for ex_id, ex in self.source.examples.items():
            examples.append({"title": ex[f"title_{lang}"], "id": ex_id,
                             "href": self.site.url(page_path(lang, "calculator")) + "#" + scenario_fragment(ex["request"]),
                             "qr": self.site.url(qr_name("example", lang, ex_id)),
                             "short": self.site.short(page_path(lang, "calculator")) + f"#ex={ex_id}"})
        html = self.render("kit.html", lang, leaflet_path(lang),
                           [("zh-CN", leaflet_path("zh")), ("en", leaflet_path("en")), ("x-default", "")],
                           page={"title": self.t("kit_title", lang), "description": self.t("kit_description", lang)},
                           slug="leaflets", entries=entries, examples=examples)
        return footnote_readings(html, self.site, lang, english=mark_english)
