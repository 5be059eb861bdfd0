"""The policy page's view: every block of the policy text with its anchor, leads split off as
headings, Chinese originals beside the English, the pages explaining each clause, the table of contents."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from calculator import POLICY

from ..config import BuildError, page_path
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
        targets = self.phrase_targets(lang)
        marked = set()
        for b in self.source.policy:
            text = b.zh if lang == "zh" else b.en
            lead, rest = text, ""
            if b.kind in ("measure", "sub"):
                lead, rest = split_lead(text, lang)
            phrases = self.block_phrases(b, lang)
            if b.kind in ("measure", "sub"):  # the template shows lead and rest
                lead = self.mark_phrases(lead, phrases, targets, marked)
                rest = self.mark_phrases(rest, phrases, targets, marked)
            else:
                text = self.mark_phrases(text, phrases, targets, marked)
            view.append({"kind": b.kind, "anchor": b.anchor, "text": text, "lead": lead, "rest": rest,
                         "zh": b.zh, "section": b.section,
                         "explained": pages_by_clause.get(b.anchor, [])})
        missing = sorted(set(POLICY.parameters) - marked)
        if missing:  # the phrase is not in its clause's text, or it straddles a heading and the paragraph
            raise BuildError([f"parameter {name}: its phrase «{getattr(POLICY[name], 'source_' + lang)}» is not marked "
                              f"on the {lang} policy page (calculator/parameters.toml source_{lang})" for name in missing])
        toc = []
        for b in self.source.policy:
            if b.kind == "section":
                toc.append({"anchor": b.anchor, "text": b.zh if lang == "zh" else b.en, "children": []})
            elif b.kind in ("group", "sub", "measure") and toc:
                text = b.zh if lang == "zh" else b.en
                label = split_lead(text, lang)[0] if b.kind != "group" else text
                toc[-1]["children"].append({"anchor": b.anchor, "text": label.rstrip("。."), "kind": b.kind})
        return {"blocks": view, "toc": toc}

    # ---------------------------------------------------------------- readings-build: law beside the rules
    # Every phrase a parameter quotes (source_zh; source_en in English) is marked where it stands in the
    # policy text and links to its rate-table row and to the calculator form that uses it.

    def block_phrases(self, block, lang):
        """{phrase: [parameter names]} of the parameters whose clause this block belongs to."""
        phrases = {}
        for name, p in POLICY.parameters.items():
            clause = p.clause
            inside = block.anchor == clause or (re.fullmatch(r"section-[1-5]", clause) and block.section == int(clause[-1])
                                                and block.kind not in ("measure", "group"))
            if inside:
                phrases.setdefault(p.source_zh if lang == "zh" else p.source_en, []).append(name)
        return phrases

    def phrase_targets(self, lang):
        """name -> (rate row href or None, calculator href or None)."""
        first_table = {}
        for item in self.nav(lang):
            body = self.source.content[(lang, item["slug"])].body
            for clause in re.findall(r"rate_table\(\s*[\"']([^\"']+)[\"']", body):
                first_table.setdefault(clause, item["href"])
        cfg = self.source.config["calculator"]
        calc = self.site.url(page_path(lang, "calculator"))
        used_by = {}  # parameter -> measures whose worked examples' steps use it
        for ex_id, result in self.site.results.items():
            for step in result.get("trace", []):
                if step.get("parameter"):
                    used_by.setdefault(step["parameter"], []).append(self.source.examples[ex_id]["request"]["measure"])
        targets = {}
        for name, p in POLICY.parameters.items():
            rate = first_table.get(p.clause)
            measures = [m for m in used_by.get(name, []) if p.clause in cfg["clauses"].get(m, [])]
            measures = measures or [m for m, clauses in cfg["clauses"].items() if p.clause in clauses]
            targets[name] = (f"{rate}#rate-{name}" if rate else None, f"{calc}#measure={measures[0]}" if measures else None)
        return targets

    def mark_phrases(self, text, phrases, targets, marked):
        """The text escaped, each phrase wrapped in <mark class="phrase"> with its links; a phrase inside a
        longer one (the year inside the count of households) links through the longer one."""
        if not text:
            return text
        spans = []  # (start, end, [names])
        for phrase in sorted(phrases, key=len, reverse=True):
            start = text.find(phrase)
            if start < 0:
                continue
            end = start + len(phrase)
            outer = next((s for s in spans if s[0] <= start and end <= s[1]), None)
            if outer:
                outer[2].extend(phrases[phrase])
            elif not any(s[0] < end and start < s[1] for s in spans):
                spans.append((start, end, list(phrases[phrase])))
        if not spans:
            return text
        out, at = [], 0
        for start, end, names in sorted(spans):
            marked.update(names)
            rate = next((targets[n][0] for n in names if targets[n][0]), None)
            calc = next((targets[n][1] for n in names if targets[n][1]), None)
            links = []
            if rate:
                links.append(f'<a href="{escape(rate)}">{escape(self.t("phrase_rate"))}</a>')
            if calc:
                links.append(f'<a href="{escape(calc)}">{escape(self.t("phrase_calc"))}</a>')
            out.append(escape(text[at:start]))
            out.append(Markup(f'<mark class="phrase" id="{escape(self.unique_id("phrase-" + names[0]))}" '
                              f'data-params="{escape(" ".join(names))}">{escape(text[start:end])}</mark>'))
            if links:
                open_, close = ("〔→ ", "〕") if self.lang == "zh" else (" [→ ", "]")  # not the policy's own （）: our links, visibly
                out.append(Markup(f'<span class="phrase-links">{open_}{" · ".join(links)}{close}</span>'))
            at = end
        out.append(escape(text[at:]))
        return Markup("").join(out)
