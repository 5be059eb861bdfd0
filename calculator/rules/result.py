"""The Result builder every measure writes into, and what it writes: lines, subtotals, totals, ranges,
schedules, checks, warnings, the trace, the rounding rules and the readings relied on, each figure with its display text.
"""

from decimal import Decimal

from .. import display
from ..money import fen_half_up, plain, yuan
from ..params import MESSAGES, POLICY, cite

ZERO = Decimal(0)
# The reading (calculator/readings.toml) behind each named rounding rule of money.py.
ROUNDING_READINGS = {
    "fen_half_up": "rounding_fen_half_up",
    "fen_up": "rounding_fen_up_minimum",
    "last_installment_absorbs": "rounding_last_installment",
}


def unit_label(unit):
    return dict(POLICY.units[unit])


def exact_text(value):
    """An exact intermediate for a sentence: at most 4 decimals, with ≈ when it was cut, grouped like every amount."""
    return display.approximate_grouped(value)


class Result:
    """The JSON-ready result of one measure, built up step by step."""

    def __init__(self, measure, clauses, when):
        self.when = when
        self.data = {
            "ok": True,
            "measure": measure,
            "title": MESSAGES.text(f"measure.{measure}"),
            "clauses": [{"id": c, "cite": cite(c)} for c in clauses],
            "eligible": True,
            "lines": [],
            "subtotals": [],
            "total": None,
            "range": None,
            "schedule": [],
            "checks": [],
            "warnings": [],
            "trace": [],
            "rounding": [],
            "readings": [],
            "read_as": [],  # how numbers written as people write them were read (inputs.Errors.notes)
            "read": {},  # {path: digits} of every number not written as its plain digits (inputs.Errors.read)
        }

    def value(self, name):
        return POLICY[name].at(self.when)

    def step(self, key, clause, parameter=None, exact=None, **fields):
        """One trace step. An `exact` value is shown to at most 4 decimals; the JSON keeps it whole."""
        if exact is not None:
            fields["exact"] = exact_text(exact)
        step = {"parameter": parameter, "clause": clause, **MESSAGES.text(f"trace.{key}", **fields)}
        if exact is not None:
            step["exact"] = plain(exact)
        self.data["trace"].append(step)

    def rounded_step(self, clause, parameter, exact, amount):
        """The trace step of rule fen_half_up, when it changed the amount."""
        if amount != exact:
            self.rounding("fen_half_up")
            self.step("rounded", clause, parameter, exact=exact, rounded=display.number(amount, 2))

    def warn(self, code, clause, **fields):
        self.data["warnings"].append({"code": code, "clause": clause, **MESSAGES.text(f"warning.{code}", **fields)})

    def rounding(self, rule):
        if not any(r["rule"] == rule for r in self.data["rounding"]):
            self.data["rounding"].append({"rule": rule, **MESSAGES.text(f"rounding.{rule}")})
        self.reading(ROUNDING_READINGS[rule])

    def reading(self, reading_id):
        """Record that this result relies on a reading of calculator/readings.toml (once)."""
        if reading_id not in self.data["readings"]:
            self.data["readings"].append(reading_id)

    def rate_line(self, line_id, parameter, quantity, quantity_unit, label=None, period="once", rate=None):
        """A line item quantity × rate, rounded by rule fen_half_up; returns the rounded amount.

        `rate` is given only for one entry of a schedule parameter (a Grain for Green installment).
        """
        p = POLICY[parameter]
        rate = p.at(self.when) if rate is None else rate
        label = label or {"zh": p.label_zh, "en": p.label_en}
        exact = quantity * rate
        amount = fen_half_up(exact)
        self.step("rate_times_quantity", p.clause, parameter, exact=exact, label=label,
                  quantity=display.both(display.unit_text, quantity, quantity_unit), rate=display.number(rate),
                  rate_unit=unit_label(p.unit))
        self.rounded_step(p.clause, parameter, exact, amount)
        self.add_line(line_id, label, amount, p.clause, parameter=parameter, quantity=quantity,
                      unit=quantity_unit, rate=rate, rate_unit=p.unit, period=period)
        return amount

    def add_line(self, line_id, label, amount, clause, *, parameter=None, quantity=None, unit=None,
                 rate=None, rate_unit=None, period="once", **extra):
        line = {
            "id": line_id,
            "label": label,
            "quantity": None if quantity is None else plain(quantity),
            "unit": unit,
            "unit_label": unit_label(unit) if unit else None,
            "rate": None if rate is None else plain(rate),
            "rate_unit": rate_unit,
            "rate_unit_label": unit_label(rate_unit) if rate_unit else None,
            "amount": yuan(amount),
            "period": period,
            "clause": clause,
            "parameter": parameter,
            **extra,
        }
        self.data["lines"].append(shown(line))
        return line

    def subtotal(self, subtotal_id, amount, clause, **extra):
        self.data["subtotals"].append(shown({"id": subtotal_id, "label": MESSAGES.text(f"subtotal.{subtotal_id}"),
                                             "amount": yuan(amount), "clause": clause, **extra}))

    def total(self, total_key, amount, period="once"):
        self.data["total"] = shown({"label": MESSAGES.text(f"total.{total_key}"), "amount": yuan(amount),
                                    "period": period})

    def range(self, range_key, low, high, clause):
        self.data["range"] = shown({"label": MESSAGES.text(f"range.{range_key}"), "min": yuan(low),
                                    "max": yuan(high), "clause": clause})

    def schedule_row(self, rate_unit=None, **row):
        self.data["schedule"].append(shown(row, rate_unit=rate_unit))

    def check(self, check):
        self.data["checks"].append(shown(check))

    def ineligible(self):
        self.data["eligible"] = False

    def not_applicable(self, clause):
        """Say plainly that the measure does not apply (no 0–0 range)."""
        self.ineligible()
        self.warn("not_applicable", clause, cite=cite(clause))


def shown(item, rate_unit=None):
    """The item with its `display` text (re-computed after any change to its figures)."""
    item["display"] = display.describe(item, item.get("unit"), item.get("rate_unit") or rate_unit)
    return item
