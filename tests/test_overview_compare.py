"""calculator.compare_json, the household overview's "What if…": both answers exactly as
calculate_json gives them, and their difference per year computed exactly from the answers."""

import itertools
import json
from decimal import Decimal

from calculator import calculate_json, compare_json
from casefiles import load_cases

OVERVIEWS = [text for case_id, text, _ in load_cases() if case_id.startswith("household_overview")]


def test_both_answers_are_calculate_jsons_and_each_year_differs_by_the_year_totals():
    assert len(OVERVIEWS) > 10
    for first, second in itertools.islice(itertools.product(OVERVIEWS, repeat=2), 0, None, 7):
        out = json.loads(compare_json(first, second))
        a, b = json.loads(calculate_json(first)), json.loads(calculate_json(second))
        assert out["a"] == a and out["b"] == b
        if not (a["ok"] and b["ok"]):
            assert out["difference"] == {"ok": False, "years": [], "total": None}
            continue
        totals_a = {y["year"]: Decimal(y["total"]) for y in a["years"]}
        totals_b = {y["year"]: Decimal(y["total"]) for y in b["years"]}
        rows = out["difference"]["years"]
        assert [r["year"] for r in rows] == sorted(set(totals_a) | set(totals_b))
        for row in rows:
            before, after = totals_a.get(row["year"], Decimal(0)), totals_b.get(row["year"], Decimal(0))
            assert (Decimal(row["a"]), Decimal(row["b"]), Decimal(row["difference"])) == (before, after, after - before)
            sign = "+" if after > before else ""
            assert row["display"]["difference"]["zh"].startswith(sign or ("-" if after < before else "0"))
        total = out["difference"]["total"]
        assert Decimal(total["difference"]) == Decimal(b["total"]["amount"]) - Decimal(a["total"]["amount"])
        assert Decimal(total["difference"]) == sum((Decimal(r["difference"]) for r in rows), Decimal(0))


def test_a_profile_compared_with_itself_differs_by_nothing():
    for text in OVERVIEWS:
        out = json.loads(compare_json(text, text))
        if out["difference"]["ok"]:
            assert {r["difference"] for r in out["difference"]["years"]} <= {"0.00"}
            assert out["difference"]["total"]["display"]["difference"] == {"zh": "0.00 元", "en": "0.00 yuan"}


def test_a_bad_text_is_answered_not_raised():
    out = json.loads(compare_json("{", '{"measure": "household_overview", "registered_poor": true}'))
    assert out["a"]["ok"] is False and out["b"]["ok"] is True and out["difference"]["ok"] is False
