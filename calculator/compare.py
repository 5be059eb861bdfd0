"""Two household overviews side by side: the difference per calendar year (the page's "What if…").

The page runs household_overview on two profiles; this puts both answers in the same years and
subtracts exactly (Decimals from the answers' decimal strings), so no money arithmetic lives in
the page's JavaScript. It computes nothing of the policy: every amount comes from the two answers.
"""

from decimal import Decimal

from . import display


def _amounts(answer):
    """{year: Decimal total} of an ok overview answer; {} otherwise."""
    if not answer.get("ok"):
        return {}
    return {row["year"]: Decimal(row["total"]) for row in answer.get("years", [])}


def _money(value):
    text = format(value.quantize(Decimal("0.01")), "f")
    return text, display.both(display.amount, text)


def _signed(value):
    """The difference as people read it: '+600.00 元', '-600.00 元', '0.00 元'."""
    text, shown = _money(value)
    if value > 0:
        shown = {lang: "+" + words for lang, words in shown.items()}
    return text, shown


def compare(first, second):
    """{ok, years: [{year, a, b, difference, display}], total: {...}} of two overview answers.

    ok is false unless both answers are ok; a year missing from one answer is 0 there.
    """
    if not (first.get("ok") and second.get("ok")):
        return {"ok": False, "years": [], "total": None}
    a, b = _amounts(first), _amounts(second)
    rows = []
    for year in sorted(set(a) | set(b)):
        row = {"year": year, "display": {}}
        for key, value in (("a", a.get(year, Decimal(0))), ("b", b.get(year, Decimal(0)))):
            row[key], row["display"][key] = _money(value)
        row["difference"], row["display"]["difference"] = _signed(b.get(year, Decimal(0)) - a.get(year, Decimal(0)))
        rows.append(row)
    total = {"display": {}}
    totals = (Decimal(first["total"]["amount"]), Decimal(second["total"]["amount"]))
    for key, value in zip(("a", "b"), totals):
        total[key], total["display"][key] = _money(value)
    total["difference"], total["display"]["difference"] = _signed(totals[1] - totals[0])
    return {"ok": True, "years": rows, "total": total}
