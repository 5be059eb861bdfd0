"""Worked examples on pages and in the calculator: a calculate() result as the example box's view
(inputs, lines, subtotals, checks, trace, fragment), every figure formatted in the page language."""

from __future__ import annotations

from decimal import Decimal

from calculator import MEASURES, POLICY
from calculator.money import plain

from ..compute import FIELD_KINDS, field_label, message
from ..config import BuildError, page_path
from ..format import format_value, money, quantity
from ..fragment import scenario_fragment
from ..readings import marker, reading_title


class ExampleBoxes:
    """A worked example's view and its box."""

    def example_view(self, ex_id, lang):
        if ex_id not in self.source.examples:
            raise BuildError(f"example('{ex_id}'): no such example in site_src/examples.toml")
        ex = self.source.examples[ex_id]
        result = self.site.results[ex_id]
        request = ex["request"]
        amounts = [line["amount"] for line in result["lines"]] + [s["amount"] for s in result["subtotals"]]
        amounts += [result["total"]["amount"]] if result["total"] else []
        amounts += [s["amount"] for s in result["schedule"]]
        cents = any(Decimal(a) % 1 for a in amounts)

        def amount(value):
            return money(value, lang, cents)

        lines = []
        for line in result["lines"]:
            calc = ""
            if line["quantity"] is not None:
                calc = quantity(line["quantity"], line["unit"], lang)
                if line["rate"] is not None:
                    if line["rate_unit"] == "ratio":
                        rate = f"{plain(Decimal(line['rate']) * 100)}%"
                    else:
                        rate = format_value(Decimal(line["rate"]), line["rate_unit"], lang)
                    calc += f" × {rate}"
            lines.append({"label": line["label"][lang], "calc": calc, "amount": amount(line["amount"]),
                          "cite": self.cite_link(line["clause"], lang)})
        subtotals = []
        for s in result["subtotals"]:
            note = ""
            if s.get("capped"):
                note = self.t("before_cap", lang, amount=amount(s["amount_before_cap"]))
            subtotals.append({"label": s["label"][lang], "amount": amount(s["amount"]), "note": note})
        total = None
        if result["total"]:
            total = {"label": result["total"]["label"][lang], "amount": amount(result["total"]["amount"])}
        rng = None
        if result["range"]:
            rng = {"label": result["range"]["label"][lang],
                   "text": self.t("range_text", lang, low=amount(result["range"]["min"]),
                                  high=amount(result["range"]["max"])),
                   "cite": self.cite_link(result["range"]["clause"], lang)}
        schedule = None
        line_years = {line.get("year") for line in result["lines"]}
        if result["schedule"] and not all(s["year"] in line_years for s in result["schedule"]):
            schedule = [{"year": s["year"], "label": s["label"][lang] if "label" in s else "",
                         "amount": amount(s["amount"])} for s in result["schedule"]]
        checks = [{"label": c["label"][lang], "minimum": amount(c["minimum"]),
                   "actual": amount(c["actual"]) if c["actual"] is not None else "—",
                   "verdict": c["verdict"][lang], "met": c["met"], "cite": self.cite_link(c["clause"], lang)}
                  for c in result["checks"]]
        warnings = [{"text": w[lang], "cite": self.cite_link(w["clause"], lang)} for w in result["warnings"]]
        trace = []
        for step in result["trace"]:
            source = POLICY[step["parameter"]].source_zh if step.get("parameter") else ""
            source_en = POLICY[step["parameter"]].source_en if step.get("parameter") and lang == "en" else ""
            trace.append({"text": step[lang], "cite": self.cite_link(step["clause"], lang), "source": source,
                          "source_en": source_en})
        fragment = scenario_fragment(request)
        return {
            "id": ex_id,
            "anchor": f"example-{ex_id}",
            "title": ex[f"title_{lang}"],
            "measure": result["title"][lang],
            "inputs": self.describe_request(request, lang),
            "eligible": result["eligible"],
            "lines": lines, "subtotals": subtotals, "total": total, "range": rng, "schedule": schedule,
            "checks": checks, "warnings": warnings, "trace": trace,
            "rounding": [r[lang] for r in result["rounding"]],
            # readings-build: the readings the answer relies on, each a marker titled with the reading
            "readings": [marker(self.site, r, lang, reading_title(r, lang)) for r in result.get("readings", [])],
            "clauses": [self.cite_link(c["id"], lang) for c in result["clauses"]],
            "calc_href": self.site.url(page_path(lang, "calculator")) + "#" + fragment,
            "fragment": fragment,
            "page_href": self.site.url(page_path(lang, ex["page"])) + f"#example-{ex_id}",
        }

    def describe_request(self, request, lang):
        """The example's inputs as (label, value) pairs, in the rule module's field order."""
        fields = MEASURES[request["measure"]][1]
        items = []
        for name in fields:
            if name not in request:
                continue
            value = request[name]
            spec = FIELD_KINDS[name]
            kind = spec["kind"]
            if kind == "bool":
                items.append((field_label(name, lang), self.t("yes" if value else "no", lang)))
            elif kind == "choice":
                items.append((field_label(name, lang), message(f"project_type.{value}", lang)))
            elif kind == "group":
                for member in spec["members"]:
                    if member in value:
                        label = POLICY[member].label_zh if lang == "zh" else POLICY[member].label_en
                        items.append((label, quantity(Decimal(str(value[member])), spec["unit"], lang)))
            elif kind == "rows":
                sep = "；" if lang == "zh" else "; "
                rows = [f"{row['household']}: {quantity(Decimal(str(row['shares'])), 'shares', lang)}"
                        for row in value]
                items.append((field_label(name, lang), sep.join(rows)))
            elif kind == "money":
                items.append((field_label(name, lang), money(value, lang)))
            elif kind == "percent":
                items.append((field_label(name, lang), f"{plain(Decimal(str(value)))}%"))
            elif kind == "year":
                items.append((field_label(name, lang), str(value)))
            else:
                items.append((field_label(name, lang), quantity(Decimal(str(value)), spec["unit"], lang)))
        return items

    def example_box(self, ex_id, compact=False):
        view = self.example_view(ex_id, self.lang)
        self.examples_shown.add(ex_id)
        view["anchor"] = self.unique_id(view["anchor"])
        return self.components.example_box(view, compact, self.lang)
