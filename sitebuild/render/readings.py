"""The readings page (/zh/readings/, /en/readings/): every reading of calculator/readings.toml with
its clause, the policy's words, our reading, why, and every page and calculator result that uses it;
and the `reading(id)` marker the templates print (sitebuild/readings.py makes it)."""

from __future__ import annotations

from calculator.readings import READINGS

from ..compute import message
from ..config import page_path
from ..readings import marker, reading_title, readings_path


class ReadingsPage:
    """The marker as a template global, and the generated readings page."""

    def reading(self, reading_id, text=None):
        return marker(self.site, reading_id, self.lang, text)

    def readings_page(self, lang, pages, results):
        """pages: {id: [(site path, lang, title)]} from the render pass; results: {id: [measure]}."""
        self.lang = lang
        entries = []
        for reading_id, entry in READINGS.items():
            leaflet = self.t("kit_leaflet", lang)
            used_on = sorted({(f"{title} · {leaflet}" if "/leaflets/" in path else title, self.site.url(path))
                              for path, lg, title in pages.get(reading_id, []) if lg == lang}, key=lambda item: item[1])
            measures = [{"label": message(f"measure.{m}", lang),
                         "href": self.site.url(page_path(lang, "calculator")) + f"#measure={m}"}
                        for m in results.get(reading_id, [])]
            entries.append({"id": reading_id, "title": reading_title(reading_id, lang),
                            "cite": self.cite_link(entry["clause"], lang),
                            "policy": entry[f"policy_{lang}"], "policy_zh": entry["policy_zh"],
                            "reading": entry[f"reading_{lang}"], "why": entry[f"why_{lang}"],
                            "pages": [{"title": title, "href": href} for title, href in used_on],
                            "measures": measures})
        return self.render("readings.html", lang, readings_path(lang),
                           [("zh-CN", readings_path("zh")), ("en", readings_path("en")), ("x-default", "")],
                           page={"title": self.t("readings_title", lang), "description": self.t("readings_intro", lang)},
                           slug="readings", entries=entries)
