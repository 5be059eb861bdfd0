"""Invariants that must hold for every input, checked with Hypothesis."""

import json
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import POLICY, calculate, calculate_json
from calculator.rules import ANIMALS, CROPS

CAP = POLICY["livestock_cap_per_household"].at()
FEN = Decimal("0.01")

areas = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4)
heads = st.integers(min_value=0, max_value=1_000_000)
years = st.integers(min_value=2014, max_value=2046)


def ok(request):
    result = calculate(request)
    assert result["ok"], result.get("errors")
    return result


def money(text):
    return Decimal(text)


@given(area=areas, first_year=years)
def test_installments_sum_exactly_to_the_rounded_total(area, first_year):
    result = ok({"measure": "grain_to_forest", "area_mu": str(area), "first_year": first_year})
    amounts = [money(row["amount"]) for row in result["schedule"]]
    total = (area * 1500).quantize(FEN, rounding=ROUND_HALF_UP)
    assert sum(amounts) == total == money(result["total"]["amount"])
    rates = POLICY["grain_to_forest_installments"].at()
    for amount, rate in zip(amounts[:4], rates[:4]):
        assert amount == (area * rate).quantize(FEN, rounding=ROUND_HALF_UP)
    assert abs(amounts[4] - area * rates[4]) <= Decimal("0.03")  # year 5 absorbs at most the four roundings
    assert [row["year"] for row in result["schedule"]] == list(range(first_year, first_year + 5))


@given(livestock=st.fixed_dictionaries({}, optional={a: heads for a in ANIMALS}),
       crops=st.fixed_dictionaries({}, optional={c: areas for c in CROPS}))
def test_the_livestock_cap_is_never_exceeded_and_only_livestock_is_capped(livestock, crops):
    result = ok({"measure": "household_subsidy", "registered_poor": True, "livestock": livestock,
                 "crops": {k: str(v) for k, v in crops.items()}})
    subtotals = {s["id"]: s for s in result["subtotals"]}
    livestock_total = money(subtotals["livestock"]["amount"]) if "livestock" in subtotals else Decimal(0)
    assert livestock_total <= CAP
    crop_lines = sum(money(line["amount"]) for line in result["lines"] if line["id"] in CROPS)
    animal_lines = sum(money(line["amount"]) for line in result["lines"] if line["id"] in ANIMALS)
    assert livestock_total == min(animal_lines, CAP)
    assert money(result["total"]["amount"]) == crop_lines + livestock_total
    capped = any(w["code"] == "livestock_cap" for w in result["warnings"])
    assert capped == (animal_lines > CAP)


@given(crop=st.sampled_from(CROPS), smaller=areas, larger=areas)
def test_subsidy_grows_with_area(crop, smaller, larger):
    smaller, larger = sorted((smaller, larger))
    def total(area):
        return money(ok({"measure": "household_subsidy", "registered_poor": True,
                         "crops": {crop: str(area)}})["total"]["amount"])
    assert total(smaller) <= total(larger)


@given(measure=st.sampled_from(["entity_land_transfer", "afforestation_coop"]), smaller=areas, larger=areas)
def test_entity_amounts_grow_with_area(measure, smaller, larger):
    smaller, larger = sorted((smaller, larger))
    def total(area):
        return money(ok({"measure": measure, "area_mu": str(area)})["total"]["amount"])
    assert total(smaller) <= total(larger)


@given(registered=st.booleans(), livestock=st.fixed_dictionaries({}, optional={a: heads for a in ANIMALS}))
def test_a_household_that_is_not_registered_gets_nothing(registered, livestock):
    result = ok({"measure": "household_subsidy", "registered_poor": registered, "livestock": livestock})
    if not registered:
        assert result["total"]["amount"] == "0.00" and not result["eligible"]


@given(exit_year=st.one_of(st.none(), years), from_year=years, span=st.integers(0, 8))
def test_dividend_paid_exactly_up_to_the_end_of_consolidation(exit_year, from_year, span):
    to_year = min(from_year + span, 2050)
    request = {"measure": "asset_dividend", "registered_poor": True, "injected_funds": "100000",
               "total_shares": "10", "household_shares": "1", "from_year": from_year, "to_year": to_year}
    if exit_year is not None:
        request["exit_year"] = exit_year
    result = ok(request)
    for row in result["schedule"]:
        expected = exit_year is None or row["year"] <= exit_year + 3
        assert row["eligible"] == expected
        assert row["amount"] == ("600.00" if expected else "0.00")


@given(labour=st.decimals(min_value=0, max_value=10**6, places=2), area=areas)
def test_labour_rule_is_met_exactly_when_spending_reaches_the_minimum(labour, area):
    result = ok({"measure": "afforestation_coop", "area_mu": str(area), "labour_spending": str(labour)})
    check = result["checks"][0]
    exact_minimum = money(result["total"]["amount"]) * Decimal("0.45")
    assert check["met"] == (labour >= exact_minimum)
    assert money(check["shortfall"]) == max(money(check["minimum"]) - labour, 0)


@given(funds=st.decimals(min_value=Decimal("0.01"), max_value=10**7, places=2),
       shares=st.lists(st.decimals(min_value=Decimal("0.0001"), max_value=1000, places=4), min_size=1, max_size=30))
def test_collective_dividends_and_difference_add_up_to_the_return(funds, shares):
    table = [{"household": f"H{i}", "shares": str(s)} for i, s in enumerate(shares)]
    result = ok({"measure": "collective_dividends", "injected_funds": str(funds), "share_table": table})
    lines = {line["id"]: money(line["amount"]) for line in result["lines"]}
    income = lines.pop("collective_income")
    assert sum(lines.values()) == income == money(result["total"]["amount"])
    assert abs(lines.get("rounding_difference", 0)) <= Decimal("0.005") * len(shares) + FEN


@given(text=st.decimals(min_value=0, max_value=1000, places=6).map(str))
def test_extra_decimals_are_refused_never_rounded(text):
    result = calculate({"measure": "entity_land_transfer", "area_mu": text})
    decimals = len(text.partition(".")[2].rstrip("0"))
    if Decimal(text) == 0:
        assert not result["ok"]
    elif decimals > 4:
        assert [e["code"] for e in result["errors"]] == ["too_many_decimals"]
    else:
        assert Decimal(result["lines"][0]["quantity"]) == Decimal(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
measure_requests = st.builds(
    lambda measure, fields: {"measure": measure, **fields},
    st.sampled_from(["household_subsidy", "entity_land_transfer", "self_run_project", "grain_to_forest",
                     "afforestation_coop", "asset_dividend", "collective_dividends", "entity_loan",
                     "household_loan", "dividend_register"]),
    st.dictionaries(st.sampled_from(["registered_poor", "crops", "livestock", "land_transfer_mu", "area_mu",
                                     "first_year", "labour_spending", "poor_pay", "injected_funds",
                                     "agreed_rate_percent", "total_shares", "household_shares", "exit_year",
                                     "from_year", "to_year", "share_table", "households", "uses_revolving_fund",
                                     "requested_amount", "project_type", "date", "rules_version",
                                     "distribution_year", "village", "text", "household_rows", "export"]),
                    json_values, max_size=8),
)


@settings(max_examples=400)
@given(request=st.one_of(json_values, measure_requests))
def test_calculate_never_raises_and_always_answers_in_both_languages(request):
    result = calculate(request)
    assert isinstance(result["ok"], bool)
    assert result["module_version"] and result["rules_version"]
    if not result["ok"]:
        assert result["errors"]
        for error in result["errors"]:
            assert error["code"] != "internal_error", request
            assert error["zh"] and error["en"] and isinstance(error["path"], str)
    json.dumps(result)  # JSON-ready: no Decimal, no object


@given(text=st.text(max_size=60))
def test_calculate_json_answers_any_text(text):
    assert json.loads(calculate_json(text))["ok"] in (True, False)
