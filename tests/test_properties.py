"""Invariants that must hold for every input, checked with Hypothesis."""

import json
from datetime import date
import re
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import POLICY, calculate, calculate_json
from calculator.rules import ANIMALS, CROPS

CAP = POLICY["livestock_cap_per_household"].at()
FEN = Decimal("0.01")

areas = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4)
heads = st.integers(min_value=0, max_value=1_000_000)
years = st.integers(min_value=2018, max_value=2046)  # a year the policy could apply to (inputs.year_range)
exit_years = st.integers(min_value=2014, max_value=2046)  # the named exception: exit years from 2014


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


@given(exit_year=st.one_of(st.none(), exit_years), from_year=years, span=st.integers(0, 8))
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
    of_which = lines.pop("guaranteed_return") + lines.pop("return_above_guaranteed", 0)
    assert of_which == income  # the 保底 part and the part above it add up to the return
    assert sum(lines.values()) == income == money(result["total"]["amount"])
    assert abs(lines.get("rounding_difference", 0)) <= Decimal("0.005") * len(shares) + FEN


LONG_DECIMAL = re.compile(r"[0-9]\.[0-9]{5}")


@given(funds=st.decimals(min_value=Decimal("0.01"), max_value=10**7, places=2),
       shares=st.lists(st.decimals(min_value=Decimal("0.0001"), max_value=1000, places=4), min_size=1, max_size=6),
       rate=st.decimals(min_value=6, max_value=100, places=2))
def test_trace_shows_at_most_four_decimals_and_keeps_the_exact_value(funds, shares, rate):
    table = [{"household": f"H{i}", "shares": str(s)} for i, s in enumerate(shares)]
    result = ok({"measure": "collective_dividends", "injected_funds": str(funds), "agreed_rate_percent": str(rate),
                 "share_table": table})
    for step in result["trace"]:
        for lang in ("zh", "en"):
            assert not LONG_DECIMAL.search(step[lang]), step[lang]
        if "≈" in step["zh"]:
            # the last ≈ is the step's own exact value, grouped like every amount (display.approximate_grouped)
            shown = Decimal(step["zh"].rsplit("≈", 1)[1].split(" ")[0].replace(",", ""))
            assert shown == Decimal(step["exact"]).quantize(Decimal("0.0001"), ROUND_HALF_UP)


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
                     "household_loan", "household_overview", "dividend_register"]),
    st.dictionaries(st.sampled_from(["registered_poor", "crops", "livestock", "land_transfer_mu", "area_mu",
                                     "first_year", "labour_spending", "poor_pay", "injected_funds",
                                     "agreed_rate_percent", "total_shares", "household_shares", "exit_year",
                                     "from_year", "to_year", "share_table", "households", "uses_revolving_fund",
                                     "requested_amount", "project_type", "date", "rules_version", "start_year",
                                     "crop_years", "livestock_year", "land_transfer_from_year",
                                     "land_transfer_to_year", "grain_to_forest", "collective", "loan_amount",
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


# ---------------------------------------------------------------- household_overview composes the single measures

overview_years = st.integers(min_value=2018, max_value=2040)
small_areas = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4)
optional_year = st.one_of(st.none(), overview_years)


@st.composite
def household_profiles(draw):
    """A household profile with any mix of the components, each present or not."""
    profile = {"measure": "household_overview", "registered_poor": draw(st.booleans())}
    maybe = {
        "exit_year": st.integers(min_value=2014, max_value=2046),
        "start_year": overview_years,
        "crops": st.dictionaries(st.sampled_from(CROPS), small_areas.map(str), min_size=1),
        "crop_years": st.dictionaries(st.sampled_from(CROPS), overview_years),
        "livestock": st.dictionaries(st.sampled_from(ANIMALS), st.integers(0, 50), min_size=1),
        "livestock_year": overview_years,
        "land_transfer_mu": small_areas.map(str),
        "grain_to_forest": st.fixed_dictionaries({"area_mu": small_areas.map(str)},
                                                 optional={"first_year": st.integers(2018, 2046)}),
        "project_type": st.sampled_from(["rural_tourism", "processing", "e_commerce", "photovoltaic", "other",
                                         "planting", "breeding"]),
        "loan_amount": st.decimals(min_value=0, max_value=50000, places=2).map(str),
    }
    for key, strategy in maybe.items():
        if draw(st.booleans()):
            profile[key] = draw(strategy)
    if draw(st.booleans()):
        first = draw(overview_years)
        profile["land_transfer_from_year"] = first
        profile["land_transfer_to_year"] = first + draw(st.integers(0, 6))
    if draw(st.booleans()):
        total = draw(st.decimals(min_value=1, max_value=10000, places=4))
        profile["collective"] = {"injected_funds": str(draw(st.decimals(min_value=1, max_value=10**7, places=2))),
                                 "agreed_rate_percent": str(draw(st.decimals(min_value=0, max_value=20, places=2))),
                                 "total_shares": str(total),
                                 "household_shares": str(draw(st.decimals(min_value=Decimal("0.0001"),
                                                                          max_value=total, places=4)))}
    return profile


def expected_default_start(profile):
    """No start year: the earliest year the profile names (2018 at the earliest), 2018 with village shares,
    else this year (no date)."""
    implied = [profile.get("exit_year")]
    implied += [year for crop, year in profile.get("crop_years", {}).items() if crop in profile.get("crops", {})]
    implied += [profile.get("livestock_year")] if profile.get("livestock") else []
    if "land_transfer_mu" in profile:
        implied += [profile.get("land_transfer_from_year"), profile.get("land_transfer_to_year")]
    if "grain_to_forest" in profile:
        implied.append(profile["grain_to_forest"].get("first_year"))
    if "collective" in profile:
        implied.append(2018)
    implied = [max(int(year), 2018) for year in implied if year is not None]
    return min(implied) if implied else date.today().year


def expected_overview_items(profile):
    """{(year, measure, item id): amount} as the single measures give them, placed in their calendar years."""
    registered = profile["registered_poor"]
    start = profile.get("start_year", expected_default_start(profile))
    expected = {}
    if registered:
        for crop, area in profile.get("crops", {}).items():
            single = ok({"measure": "household_subsidy", "registered_poor": True, "crops": {crop: area}})
            year = profile.get("crop_years", {}).get(crop, start)
            expected[(year, "household_subsidy", crop)] = single["lines"][0]["amount"]
        if any(profile.get("livestock", {}).values()):
            single = ok({"measure": "household_subsidy", "registered_poor": True, "livestock": profile["livestock"]})
            subtotal = next(s for s in single["subtotals"] if s["id"] == "livestock")
            expected[(profile.get("livestock_year", start), "household_subsidy", "livestock")] = subtotal["amount"]
        if "land_transfer_mu" in profile:
            single = ok({"measure": "household_subsidy", "registered_poor": True,
                         "land_transfer_mu": profile["land_transfer_mu"]})
            first = profile.get("land_transfer_from_year", start)
            for year in range(first, profile.get("land_transfer_to_year", first) + 1):
                expected[(year, "household_subsidy", "land_transfer")] = single["lines"][0]["amount"]
        if "collective" in profile:
            request = {"measure": "asset_dividend", "registered_poor": True, "from_year": start,
                       **profile["collective"]}
            if "exit_year" in profile:
                request["exit_year"] = profile["exit_year"]
            for row in ok(request)["schedule"]:
                if row["eligible"]:
                    expected[(row["year"], "asset_dividend", "household_dividend")] = row["amount"]
    if "grain_to_forest" in profile:
        single = ok({"measure": "grain_to_forest", "first_year": start, **profile["grain_to_forest"]})
        for index, row in enumerate(single["schedule"], start=1):
            expected[(row["year"], "grain_to_forest", f"year_{index}")] = row["amount"]
    return expected


@settings(max_examples=150)
@given(profile=household_profiles())
def test_overview_items_are_exactly_what_the_single_measures_give(profile):
    result = ok(profile)
    actual = {(year["year"], item["measure"], item["id"]): item["amount"]
              for year in result["years"] for item in year["items"]}
    assert actual == expected_overview_items(profile)
    if "project_type" in profile:
        single = ok({"measure": "self_run_project", "registered_poor": profile["registered_poor"],
                     "project_type": profile["project_type"]})
        shown = result["range"] and {key: result["range"][key] for key in ("min", "max")}
        assert shown == (single["eligible"] and {key: single["range"][key] for key in ("min", "max")} or None)
    if "loan_amount" in profile:
        single = ok({"measure": "household_loan", "exit_year": profile.get("exit_year"),
                     "requested_amount": profile["loan_amount"]})
        assert (result["loan"] and result["loan"]["amount"]) == (single["eligible"] and single["total"]["amount"]
                                                                 or None)


@settings(max_examples=150)
@given(profile=household_profiles())
def test_overview_year_totals_add_up_to_the_overall_total(profile):
    result = ok(profile)
    years = [year["year"] for year in result["years"]]
    assert years == sorted(set(years)) and len(years) == (years[-1] - years[0] + 1 if years else 0)  # none skipped
    for year in result["years"]:
        assert money(year["total"]) == sum((money(item["amount"]) for item in year["items"]), Decimal(0))
    overall = money(result["total"]["amount"])
    totals = [money(year["total"]) for year in result["years"]]
    # the peak year is the first year paid the most (the page's summary sentence names it)
    assert result["peak_year"] == (years[totals.index(max(totals))] if years else None)
    assert sum(totals, Decimal(0)) == overall
    assert sum((money(s["amount"]) for s in result["subtotals"]), Decimal(0)) == overall
    for subtotal in result["subtotals"]:
        assert money(subtotal["amount"]) == sum((money(item["amount"]) for year in result["years"]
                                                 for item in year["items"] if item["measure"] == subtotal["id"]),
                                                Decimal(0))
    # The measure 7 range and the measure 9 loan are shown apart: never an item, never in a total.
    assert {item["measure"] for year in result["years"] for item in year["items"]} <= {
        "household_subsidy", "grain_to_forest", "asset_dividend"}


# ---------------------------------------------------------------- numbers as people write them (calculator/inputs.py)
# Every spelling the reader accepts reads to the same Decimal as its plain digits, in every reader.

def _grouped(value, separator):
    """A Decimal with thousands separators, written independently of the reader."""
    whole, _, fraction = format(value, "f").partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:]] + groups
    return separator.join([whole] + groups) + ("." + fraction if fraction else "")


def _full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


CHINESE = "零一二三四五六七八九"


def _chinese(n):
    """0–99 in Chinese numerals as people write them: 三, 十, 十五, 二十, 二十五 (两 for 2 on its own)."""
    if n < 10:
        return "两" if n == 2 else CHINESE[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE[tens]) + "十" + (CHINESE[ones] if ones else "")


def _read(reader, text, **limits):
    from calculator import inputs

    errors = inputs.Errors()
    value = reader(errors, {"x": text}, "x", "x", **limits)
    assert not errors, errors.items
    return value, errors.notes


money_values = st.decimals(min_value=Decimal("0"), max_value=Decimal("999999999.99"), places=2)


@given(value=money_values, data=st.data())
def test_every_spelling_of_money_reads_as_its_plain_digits(value, data):
    from calculator import inputs

    limits = {"places": 2, "maximum": Decimal(10**9), "unit": "yuan"}
    plain, _ = _read(inputs.read_decimal, format(value, "f"), **limits)
    ten_thousands = format((value / 10000).normalize(), "f")
    spelling = data.draw(st.sampled_from([
        _grouped(value, ","), _grouped(value, "，"), _full_width(_grouped(value, "，")),
        format(value, "f") + "元", _grouped(value, ",") + " 元", format(value, "f") + "块",
        ten_thousands + "万", ten_thousands + "万元", _full_width(ten_thousands) + "万",
    ]))
    spelled, notes = _read(inputs.read_decimal, spelling, **limits)
    assert spelled == plain == value
    reinterpreted = "," in spelling or "，" in spelling or "万" in spelling
    assert [Decimal(note["value"]) for note in notes] == ([value] if reinterpreted else [])


@given(n=st.integers(min_value=0, max_value=99), unit=st.sampled_from(["", "头", "只"]))
def test_chinese_numerals_for_head_counts_read_as_their_digits(n, unit):
    from calculator import inputs

    limits = {"minimum": 0, "maximum": 10**6, "unit": "head"}
    spelled, notes = _read(inputs.read_whole, _chinese(n) + unit, **limits)
    assert spelled == _read(inputs.read_whole, str(n), **limits)[0] == n
    assert [note["value"] for note in notes] == [str(n)]


@given(n=st.integers(min_value=0, max_value=99), spelling=st.sampled_from(["chinese", "chinese头", "{}头", "{}只", "full"]),
       measure=st.sampled_from(["household_subsidy", "household_overview"]))
def test_the_answer_says_which_digits_each_spelled_count_was_read_as(n, spelling, measure):
    """`read` (what the page's steppers count on from) is the reader's own reading, in answers and in refusals."""
    typed = {"chinese": _chinese(n), "chinese头": _chinese(n) + "头", "full": _full_width(str(n))}.get(spelling) \
        or spelling.format(n)
    request = {"measure": measure, "livestock": {"cattle": typed}}
    refused = calculate(request)  # not registered poor: a required answer missing
    answered = calculate({**request, "registered_poor": True})
    assert not refused["ok"] and answered["ok"]
    assert refused["read"] == answered["read"] == ({} if typed == str(n) else {"livestock.cattle": str(n)})
    # a count the reader refuses is not among them
    assert "livestock.cattle" not in calculate({**request, "livestock": {"cattle": typed + ".5"}})["read"]


@given(area=st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.9999"), places=4),
       spelling=st.sampled_from(["{}亩", "{} 亩", "{}万亩"]))
def test_every_spelling_of_an_area_reads_as_its_plain_digits(area, spelling):
    from calculator import inputs

    limits = {"places": 4, "maximum": Decimal(10**5), "unit": "mu"}
    number = format((area / 10000).normalize(), "f") if "万" in spelling else format(area, "f")
    if "万" in spelling and len(number.partition(".")[2]) > 8:
        return
    assert _read(inputs.read_decimal, spelling.format(number), **limits)[0] == area


@given(value=st.integers(min_value=1, max_value=99), unit=st.sampled_from(["亩", "元", "股", "户", "斤", "分"]))
def test_a_unit_of_another_field_is_refused_never_dropped(value, unit):
    from calculator import inputs

    errors = inputs.Errors()
    assert inputs.read_whole(errors, {"x": f"{value}{unit}"}, "x", "x", minimum=0, maximum=1000, unit="head") is None
    assert [item["code"] for item in errors.items] == ["wrong_unit"]


# ---- every year field: one rule (calculator.inputs.year_range), one error wording
YEAR_FIELDS = [  # (measure, the rest of a valid request, the year field's path in the request)
    ("grain_to_forest", {"area_mu": "1"}, "first_year"),
    ("asset_dividend", {"registered_poor": True, "injected_funds": "100000", "total_shares": "10",
                        "household_shares": "1"}, "from_year"),
    ("asset_dividend", {"registered_poor": True, "injected_funds": "100000", "total_shares": "10",
                        "household_shares": "1", "from_year": 2018}, "to_year"),
    ("asset_dividend", {"registered_poor": True, "injected_funds": "100000", "total_shares": "10",
                        "household_shares": "1"}, "exit_year"),
    ("household_loan", {}, "exit_year"),
    ("dividend_register", {"injected_funds": "100000", "text": "户主,股数\nA,1\n"}, "distribution_year"),
    ("household_overview", {"registered_poor": True}, "exit_year"),
    ("household_overview", {"registered_poor": True}, "start_year"),
    ("household_overview", {"registered_poor": True, "livestock": {"pig": 1}}, "livestock_year"),
    ("household_overview", {"registered_poor": True, "land_transfer_mu": "1", "land_transfer_to_year": 2050},
     "land_transfer_from_year"),
    ("household_overview", {"registered_poor": True, "land_transfer_mu": "1", "land_transfer_from_year": 2018},
     "land_transfer_to_year"),
    ("household_overview", {"registered_poor": True, "crops": {"minor_grains": "1"}}, "crop_years.minor_grains"),
    ("household_overview", {"registered_poor": True}, "grain_to_forest.first_year"),
]


def _with_year(rest, path, year):
    request = json.loads(json.dumps(rest))
    *groups, key = path.split(".")
    target = request
    for group in groups:
        target = target.setdefault(group, {"area_mu": "1"} if group == "grain_to_forest" else {})
    target[key] = year
    return request


@settings(max_examples=300)
@given(field=st.sampled_from(YEAR_FIELDS), year=st.integers(min_value=2000, max_value=2070))
def test_every_year_field_takes_exactly_its_range_and_says_it_in_one_wording(field, year):
    from calculator.inputs import year_range
    measure, rest, path = field
    first, last = year_range(path.split(".")[-1])
    assert (first, last) == ((2014, 2050) if path.endswith("exit_year") else (2018, 2050))
    result = calculate({"measure": measure, **_with_year(rest, path, year)})
    errors = [e for e in result.get("errors", []) if e["path"] == path]
    if first <= year <= last:
        assert errors == [], (path, year, errors)
    else:
        assert [e["code"] for e in errors] == ["not_a_year"], (path, year, result)
        assert f"要填{first}年到{last}年之间的年份" in errors[0]["zh"]
        assert f"as a year from {first} to {last}, like 2018." in errors[0]["en"]
