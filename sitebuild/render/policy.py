"""The policy page's view: every block of the policy text with its anchor, leads split off as
headings, Chinese originals beside the English, the pages explaining each clause, the table of contents."""

from __future__ import annotations

from ..config import page_path
from ..policytext import split_lead


class PolicyPage:
    """The policy text as the policy template shows it."""

    def policy_view(self, lang):
        """The policy blocks for the page: headings, leads split off, Chinese originals for English."""
        pages_by_clause = {}
        for (lg, slug), c in sorted(self.source.content.items()):
            if lg == lang and slug not in ("index", "policy", "calculator"):
                for clause in c.meta["clauses"]:
                    pages_by_clause.setdefault(clause, []).append(
                        {"href": self.site.url(page_path(lang, slug)), "label": c.meta["nav"] or c.meta["title"]})
        view = []
        for b in self.source.policy:
            text = b.zh if lang == "zh" else b.en
            lead, rest = text, ""
            if b.kind in ("measure", "sub"):
                lead, rest = split_lead(text, lang)
            view.append({"kind": b.kind, "anchor": b.anchor, "text": text, "lead": lead, "rest": rest,
                         "zh": b.zh, "section": b.section,
                         "explained": pages_by_clause.get(b.anchor, [])})
        toc = []
        for b in self.source.policy:
            if b.kind == "section":
                toc.append({"anchor": b.anchor, "text": b.zh if lang == "zh" else b.en, "children": []})
            elif b.kind in ("group", "sub", "measure") and toc:
                text = b.zh if lang == "zh" else b.en
                label = split_lead(text, lang)[0] if b.kind != "group" else text
                toc[-1]["children"].append({"anchor": b.anchor, "text": label.rstrip("。."), "kind": b.kind})
        return {"blocks": view, "toc": toc}
