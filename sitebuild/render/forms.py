"""The calculator page's static forms: roles, one form per measure of the rule module, each field
named by its request path and shaped by its kind in FIELD_KINDS."""

from __future__ import annotations

from markupsafe import Markup, escape

from calculator import MEASURES, POLICY, inputs
from calculator.register.files import MAX_FILE_BYTES
from calculator.register.posting import METHOD_MAX
from calculator.register.posting import OPTIONS as POSTING_OPTIONS
from calculator.rules import FIRST_DIVIDEND_YEAR
from calculator.sections import OVERVIEW_SECTIONS

from ..compute import FIELD_KINDS, field_label, member_label, message
from ..readings import marker
from ..config import BuildError
from .site import json_for_script


class CalculatorForms:
    """The calculator's forms, built from calculator.MEASURES."""

    def calculator_forms(self, lang):
        """The static calculator form: roles, one <form> per measure, fields named by request path."""
        cfg = self.source.config["calculator"]
        roles = []
        for role in cfg["roles"]:
            forms = []
            for measure in cfg["measures"][role]:
                if measure not in MEASURES:
                    raise BuildError(f"site.toml [calculator.measures]: '{measure}' is not a measure of the rule module")
                # ---- register view (dividend_register): its own form, see register_form()
                if measure == "dividend_register":
                    forms.append(self.register_form(measure, lang, cfg["clauses"][measure]))
                    continue
                # ---- end register view
                fields = [self.form_field(measure, name, lang) for name in MEASURES[measure][1]]
                forms.append({"measure": measure, "title": message(f"measure.{measure}", lang),
                              "clauses": [self.cite_link(c, lang) for c in cfg["clauses"][measure]],
                              "fields": fields})
                # ---- household overview: its questions in sections a household thinks in
                if measure == "household_overview":
                    forms[-1]["sections"] = self.overview_sections(fields, lang)
                # ---- end household overview
            roles.append({"id": role, "title": self.t(f"role_title.{role}", lang),
                          "intro": self.t(f"role_intro.{role}", lang), "forms": forms})
        return roles

    def form_field(self, measure, name, lang, within=None):
        spec = FIELD_KINDS[name]
        kind = spec["kind"]
        full = f"{within}.{name}" if within else name  # a field of a section (household overview) is nested
        base = f"{measure}-{full.replace('.', '-')}"
        # A field of a section may have a hint of its own (site.toml "hint.<section>.<field>"): one that
        # becomes required once another of its section is filled says so before it fails.
        hint_keys = [key for key in (f"hint.{full}", f"hint.{name}") if key in self.source.text]
        hint = self.t(hint_keys[0], lang, **self.hint_fields()) if hint_keys else ""
        if kind == "year" or spec.get("member") == "year":  # every year field says its range as its error does
            hint = Markup(("" if lang == "zh" else " ").join(filter(None, [escape(hint), self.year_range_hint(name, lang)])))
        # The question as the page asks it (site.toml "question.<field>"), where it differs from the
        # field's name in the rule module's messages (which errors use).
        label = self.t(f"question.{full}", lang) if f"question.{full}" in self.source.text else field_label(name, lang)
        item = {"name": full, "path": full, "id": f"f-{base}", "kind": kind, "label": label, "hint": hint}
        if kind == "bool":
            item["options"] = [{"value": "true", "label": self.t("yes", lang)},
                               {"value": "false", "label": self.t("no", lang)}]
        elif kind == "choice":
            item["options"] = [{"value": o, "label": message(f"project_type.{o}", lang)} for o in spec["options"]]
        elif kind == "group":
            item["members"] = [{"name": f"{name}.{m}", "path": f"{name}.{m}", "id": f"f-{base}-{m}",
                                "label": member_label(m, spec["unit"], lang),
                                "inputmode": "decimal" if spec["member"] == "decimal" else "numeric"}
                               for m in spec["members"]]
        elif kind == "section":  # household overview: a nested object of ordinary fields
            item["fields"] = [self.form_field(measure, sub, lang, within=full) for sub in spec["fields"]]
        elif kind == "rows":
            rows = []
            for i in range(int(self.source.config["calculator"].get("share_rows", 4))):
                rows.append({"label": self.t("row_n", lang, n=i + 1), "cells": [
                    {"name": f"{name}.{i}.{col}", "path": f"{name}[{i}].{col}", "id": f"f-{base}-{i}-{col}",
                     "label": field_label(col, lang),
                     "inputmode": "decimal" if col == "shares" else None} for col in spec["columns"]]})
            item["rows"] = rows
        else:
            item["inputmode"] = "numeric" if kind in ("whole", "year") else "decimal"
            item["width"] = "short" if kind in ("year", "percent") else "medium"
        return item

    def year_range_hint(self, key, lang):
        """The range a year field takes, in the words of its error ("要填2018年到2050年之间的年份。"), and the
        marker of the reading that sets it."""
        first, last = inputs.year_range(key)
        space = "" if lang == "zh" else " "
        return escape(self.t("year_range_hint", lang, first=first, last=last)) + space + marker(self.site, "policy_years", lang)

    @staticmethod
    def hint_fields():
        """What a hint may name: the policy's date of issue ({issued}, {issued_zh}) and the first year counted ({first})."""
        issued = POLICY.meta["date_of_issue"]
        return {"issued": issued.isoformat(), "issued_zh": f"{issued.year}年{issued.month}月{issued.day}日",
                "first": FIRST_DIVIDEND_YEAR}

    # ---- household overview
    def overview_sections(self, fields, lang):
        """The overview's questions in the order a household thinks (site.toml [[calculator.overview_sections]]).

        Every field of the measure is in exactly one section; a section that may not apply can be
        skipped in one tap; every answer but the required ones is marked optional.
        """
        cfg = self.source.config["calculator"]
        by_name = {f["name"]: f for f in fields}
        placed = [name for section in cfg["overview_sections"] for name in section["fields"]]
        if sorted(placed) != sorted(by_name):
            raise BuildError("site.toml [[calculator.overview_sections]] must list every field of household_overview "
                             f"once: {sorted(set(by_name) ^ set(placed))}")
        # The rule module names the same sections in its errors (calculator/sections.py): one list.
        if {s["id"]: tuple(s["fields"]) for s in cfg["overview_sections"]} != OVERVIEW_SECTIONS:
            raise BuildError("site.toml [[calculator.overview_sections]] must be the sections of "
                             "calculator/sections.py OVERVIEW_SECTIONS (the errors name them)")
        sections = []
        for section in cfg["overview_sections"]:
            items = []
            for name in section["fields"]:
                item = by_name[name]
                if name not in cfg["overview_required"]:
                    item["label"] += ("" if lang == "zh" else " ") + self.t("optional", lang)
                items.append(item)
            sections.append({"id": section["id"], "title": message(f"section.{section['id']}", lang),
                             "skippable": section.get("skippable", True), "fields": items})
        return sections
    # ---- end household overview

    # ------------------------------------------------------------ register view (dividend_register)

    def posting_fields(self, measure, lang):
        """The printed notice's options (calculator/register/posting.py), labelled by the catalogue's field.* texts;
        the 分配办法 box shows the notice's default words (for a list by shares) as its placeholder."""
        kinds = {"notice_start": "date", "notice_end": "date", "objection_contact": "text", "village_phone": "tel",
                 "township_phone": "tel", "national_line": "check", "distribution_method": "textarea"}
        if set(kinds) != set(POSTING_OPTIONS):
            raise BuildError("sitebuild/render/forms.py posting_fields must cover calculator/register/posting.py OPTIONS")
        fields = []
        for key in POSTING_OPTIONS:
            hint = f"reg_{key}_hint"
            fields.append({"key": key, "id": f"f-{measure}-{key}", "kind": kinds[key], "label": field_label(key, lang),
                           "hint": self.t(hint, lang) if hint in self.source.text else "",
                           "maxlength": METHOD_MAX if key == "distribution_method" else int(POLICY.limits["max_text_length"]),
                           "placeholder": message("register.method_default", lang, unit={
                               "zh": message("register.column_shares", "zh"), "en": message("register.unit_shares", "en")})
                           if key == "distribution_method" else ""})
        return fields

    def register_form(self, measure, lang, clauses):
        """The bookkeeper's register form (templates/register-form.html, page/register.mjs): year, funds and
        rate as ordinary named fields (so the share link carries them); the household list (file or paste)
        and the village have no `name`, so they never reach the URL fragment, and page/register.mjs sends
        them to the rule module itself. `texts`: the module's own column words for the on-screen table."""
        fields = {name: self.form_field(measure, name, lang)
                  for name in ("distribution_year", "injected_funds", "agreed_rate_percent")}
        texts = {key: message(f"register.{key}", lang) for key in (
            "column_index", "column_household", "column_shares", "column_people", "column_exit_year",
            "column_status", "column_dividend", "column_note", "totals", "ends_this_year")}
        texts["max_file_bytes"] = MAX_FILE_BYTES  # the page refuses a larger file before reading it (File.size)
        return {"measure": measure, "view": "register", "title": message(f"measure.{measure}", lang),
                "posting": self.posting_fields(measure, lang),
                "clauses": [self.cite_link(c, lang) for c in clauses], "fields": list(fields.values()),
                "village": {"id": f"f-{measure}-village", "label": field_label("village", lang)},
                "texts_json": Markup(json_for_script(texts))}
