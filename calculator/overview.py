"""Measure `household_overview`: one household's profile in, every measure that applies out, by calendar year.

It composes the single measures of calculator.rules: each component is computed by calling
that measure's function with a sub-request built from the profile, and its lines, schedule,
range, warnings and trace are taken over as they are. No rate, cap or rounding is written
here a second time; this module only places the results in calendar years, adds them up,
keeps the measure 7 range and the loan apart from the totals, and says what does not apply
and why.

Years: `start_year` is the year the household enters (starts under this policy). One-off
measure 6 subsidies are counted in the year a crop is planted or the animals are bought
(reading subsidy_paid_in_entry_year), which defaults to the start year; land transfer is
paid every year it lasts, from the start year unless other years are given; dividends are
listed from the start year. The start year defaults to the year of the request's `date`,
and without a date to the first year after the policy's issue (reading dividend_first_year);
no year of the profile may come before that first year.
"""

from datetime import date
from decimal import Decimal
from itertools import count

from . import display, inputs, spoken
from .money import grouped, yuan
from .params import MESSAGES, POLICY
from .rules import (ANIMALS, CROPS, FIRST_DIVIDEND_YEAR, Result, asset_dividend, dividend_year_status,
                    grain_to_forest, household_loan, household_subsidy, self_run_project)

FIELDS = ("registered_poor", "exit_year", "start_year", "crops", "crop_years", "livestock", "livestock_year",
          "land_transfer_mu", "land_transfer_from_year", "land_transfer_to_year", "grain_to_forest", "collective",
          "project_type", "loan_amount")
GRAIN_FIELDS = ("area_mu", "first_year")
COLLECTIVE_FIELDS = ("injected_funds", "agreed_rate_percent", "total_shares", "household_shares")
# The order the components are computed, shown and totalled in.
ORDER = ("household_subsidy", "grain_to_forest", "asset_dividend", "self_run_project", "household_loan")
# Warnings of the single measures that mean "this does not apply to the household": moved to not_applicable,
# with the readings the verdict relies on.
NOT_APPLICABLE = {"not_registered_poor": (), "dividend_not_registered": ("dividend_poor_only",),
                  "self_run_excluded": ("measure7_types_examples",), "loan_not_exited": (), "loan_wrong_year": ()}
# Warnings that speak of a single form and mean nothing in the overview.
DROPPED = ("nothing_entered",)
# A measure's bare "does not apply" verdict: the overview gives the reason (the warning beside it) instead.
REDUNDANT = ("not_applicable",)
RANGE_READINGS = ("self_run_per_project", "measure7_types_examples")
LOAN_READINGS = ("how_households_apply",)


def with_amounts(entry, **amounts):
    """Write money amounts (Decimals) into a result entry as decimal strings.

    The one place the overview writes an amount (year totals, items, livestock parts, measure
    totals, the loan), so the text shown beside each amount is added here too.
    """
    shown = entry.setdefault("display", {})
    said = entry.setdefault("spoken", {})  # the same amounts as words, for reading aloud (spoken.py)
    for key, value in amounts.items():
        entry[key] = yuan(value)
        shown[key] = display.both(display.amount, entry[key])
        said[key] = spoken.both(spoken.amount, entry[key])
    return entry


def with_spoken_quantity(entry, noun=None):
    """The spoken form of an entry's counted quantity ('两头牛', '零点五亩'), beside its amounts'."""
    unit = entry.get("unit") or "head"
    entry.setdefault("spoken", {})["quantity"] = spoken.both(spoken.quantity, entry["quantity"], unit, noun=noun)
    return entry


def household_overview(request, errors, when):
    profile = _read_profile(errors, request, when)
    parts = _compute(errors, request, profile, when)
    if errors:
        return None
    return _compose(profile, parts, when)


# ---------------------------------------------------------------- reading the profile

def _read_profile(errors, request, when):
    """The answers the overview itself needs; every other field is read by the measure that uses it."""
    profile = {
        "registered": inputs.read_bool(errors, request, "registered_poor", "registered_poor"),
        "exit_year": inputs.read_year(errors, request, "exit_year", "exit_year"),
        "start_given": _given(request.get("start_year")),
    }
    start = _year(errors, request, "start_year", "start_year")
    crop_years = inputs.read_mapping(errors, request, "crop_years", "crop_years", CROPS)
    profile["crop_years"] = {crop: _year(errors, crop_years, f"crop_years.{crop}", crop) for crop in crop_years}
    profile["livestock_year"] = _year(errors, request, "livestock_year", "livestock_year")
    land_from = _year(errors, request, "land_transfer_from_year", "land_transfer_from_year")
    land_to = _year(errors, request, "land_transfer_to_year", "land_transfer_to_year")
    group_errors = inputs.Errors()  # reported after the land years', in the order the form asks
    profile["grain"] = _group(group_errors, request, "grain_to_forest", GRAIN_FIELDS)
    profile["collective"] = _group(group_errors, request, "collective", COLLECTIVE_FIELDS)
    profile["start_from_profile"] = False
    if start is None:
        start, profile["start_from_profile"] = _default_start(profile, request, land_from, land_to, when)
    profile["start_year"] = start
    profile["land_years_given"] = land_from is not None or land_to is not None
    land_from = start if land_from is None else land_from
    land_to = land_from if land_to is None else land_to
    if land_to < land_from:
        errors.add("land_transfer_to_year", "year_order")
    profile["land_years"] = (land_from, land_to)
    errors.adopt(group_errors, {})
    return profile


def _implied_years(profile, request, land_from, land_to):
    """The years the profile itself names or implies a payment in: its earliest is the default start.

    An exit year (dividends and the consolidation years around it), Grain for Green's first
    year, the land transfer's years, the crop and livestock years, and, with village shares,
    the first dividend year (measure 4 pays from the first year start after issue: reading
    dividend_first_year). A year before the first dividend year counts as that year.
    """
    crops = request.get("crops") if isinstance(request.get("crops"), dict) else {}
    planted = [year for crop, year in profile["crop_years"].items() if _given(crops.get(crop))]
    livestock = request.get("livestock") if isinstance(request.get("livestock"), dict) else {}
    bought = [profile["livestock_year"]] if any(_given(v) for v in livestock.values()) else []
    land = [land_from, land_to] if _given(request.get("land_transfer_mu")) else []
    years = [year for year in (profile["exit_year"], *land, *planted, *bought) if year is not None]
    if profile["grain"] is not None:  # its own measure checks the answer; here it only places the start
        first = inputs.read_year(inputs.Errors(), profile["grain"], "first_year", "first_year")
        years += [first] if first is not None else []
    if profile["collective"] is not None:
        years.append(FIRST_DIVIDEND_YEAR)
    return [max(year, FIRST_DIVIDEND_YEAR) for year in years]


def _default_start(profile, request, land_from, land_to, when):
    """(start year, whether the profile chose it) when no start year is entered.

    The earliest year the profile implies, so that no payment it implies falls before the start
    and is dropped (reading start_year_from_profile); a profile that names no year starts in the
    year of the request's date, and without a date today, as every parameter reads it.
    """
    implied = _implied_years(profile, request, land_from, land_to)
    if implied:
        return min(implied), True
    return max((when or date.today()).year, FIRST_DIVIDEND_YEAR), False


def _given(value):
    """An answer is given unless it is absent, null or empty text."""
    return value is not None and value != ""


def _year(errors, request, path, key):
    """A calendar year the overview counts: the one rule of every year field (inputs.read_year)."""
    return inputs.read_year(errors, request, path, key)


def _group(errors, request, key, accepted):
    """A nested group of answers (Grain for Green, village shares): None when absent or left blank."""
    group = request.get(key)
    if group is None:
        return None
    if not isinstance(group, dict):
        errors.add(key, "not_an_object")
        return None
    inputs.check_fields(errors, group, key, accepted)
    answers = {name: group[name] for name in accepted if _given(group.get(name))}
    return answers or None


# ---------------------------------------------------------------- running the single measures

def _compute(errors, request, profile, when):
    """Each measure the profile asks about, run on its sub-request; {measure: Result}."""
    registered = bool(profile["registered"])  # an invalid answer is already an error; the value is never used
    exit_year = profile["exit_year"]
    runs = {}
    if any(request.get(key) not in (None, "", {}) for key in ("crops", "livestock", "land_transfer_mu")):
        runs["household_subsidy"] = (household_subsidy, {
            "registered_poor": registered, "crops": request.get("crops"), "livestock": request.get("livestock"),
            "land_transfer_mu": request.get("land_transfer_mu")}, {})
    if profile["grain"] is not None:
        runs["grain_to_forest"] = (grain_to_forest, {"first_year": profile["start_year"], **profile["grain"]},
                                   {name: f"grain_to_forest.{name}" for name in GRAIN_FIELDS})
    if profile["collective"] is not None:
        runs["asset_dividend"] = (asset_dividend, {
            "registered_poor": registered, "exit_year": exit_year, "from_year": profile["start_year"],
            **profile["collective"]}, {name: f"collective.{name}" for name in COLLECTIVE_FIELDS})
    if _given(request.get("project_type")):
        runs["self_run_project"] = (self_run_project, {"registered_poor": registered,
                                                       "project_type": request["project_type"]}, {})
    if _given(request.get("loan_amount")):
        runs["household_loan"] = (household_loan, {"exit_year": exit_year,
                                                   "requested_amount": request["loan_amount"]},
                                  {"requested_amount": "loan_amount"})
    results = {}
    for measure, (rule, sub_request, paths) in runs.items():
        sub_errors = inputs.Errors()
        result = rule(sub_request, sub_errors, when)
        errors.adopt(sub_errors, paths)  # the measure's own bilingual errors, their paths pointing into the profile
        results[measure] = result
    return results


# ---------------------------------------------------------------- composing the answer

def _compose(profile, parts, when):
    clauses = sorted({c["id"] for part in parts.values() for c in part.data["clauses"]},
                     key=lambda c: int(c.split("-")[1]))
    result = Result("household_overview", clauses, when)
    result.data.update(start_year=profile["start_year"], years=[], peak_year=None, not_applicable=[], loan=None,
                       readings=[])
    _start_step(result, profile, when)
    placed = []  # (year, item)
    for measure in ORDER:
        part = parts.get(measure)
        if part is None:
            continue
        first_step, first_warning = len(result.data["trace"]), len(result.data["warnings"])
        if measure == "grain_to_forest" and "first_year" not in profile["grain"]:
            result.step("overview_grain_first_year", "measure-8", None, year=profile["start_year"])
        result.data["trace"] += part.data["trace"]
        _take_notes(result, measure, part)
        if measure in PLACE and part.data["eligible"]:
            placed += PLACE[measure](result, profile, part)
        for entry in result.data["trace"][first_step:] + result.data["warnings"][first_warning:]:
            entry["measure"] = measure  # every step and note of this component names its measure
    _lay_out_years(result, placed)
    result.data["dropped"] = _dropped(result, profile, parts)
    _apart(result, parts)
    result.data["eligible"] = bool(placed) or _apart_amount(result) > 0
    result.data["readings"] = _readings_used(result)
    _name_items(result)
    return result


def _step(result, key, clause, parameter, reading, **fields):
    """A trace step of the overview itself; `reading` names the reading it applies, if any."""
    result.step(key, clause, parameter, **fields)
    if reading:
        result.data["trace"][-1]["reading"] = reading


def _start_step(result, profile, when):
    if profile["start_given"]:
        why = "given"
    elif profile["start_from_profile"]:
        why = "profile"
    elif profile["start_year"] == FIRST_DIVIDEND_YEAR and (when or date.today()).year < FIRST_DIVIDEND_YEAR:
        why = "default"  # a date before the first start of a year after issue
    else:
        why = "date" if when else "today"
    result.data["start_year_source"] = why  # given, profile, date, today or default: how the start was chosen
    reading = {"default": "dividend_first_year", "profile": "start_year_from_profile", "given": "policy_years"}.get(why)
    _step(result, "overview_start", None, None, reading,
          year=profile["start_year"], why=MESSAGES.text(f"overview.start_{why}",
                                                        issued=POLICY.meta["date_of_issue"].isoformat()))


def _take_notes(result, measure, part):
    """The measure's warnings: a 'does not apply' verdict goes to not_applicable, any other note to warnings.

    A measure 6 form with nothing entered says nothing: not even that a household that is not
    registered would get 0.
    """
    if any(warning["code"] in DROPPED for warning in part.data["warnings"]):
        return
    for warning in part.data["warnings"]:
        if warning["code"] in REDUNDANT:
            continue
        entry = {**warning, "measure": measure}
        if warning["code"] in NOT_APPLICABLE:
            entry["readings"] = list(NOT_APPLICABLE[warning["code"]])
            if entry not in result.data["not_applicable"]:
                result.data["not_applicable"].append(entry)
        elif entry not in result.data["warnings"]:
            result.data["warnings"].append(entry)
    for rule in part.data["rounding"]:
        if rule not in result.data["rounding"]:
            result.data["rounding"].append(rule)


def _item(measure, line_id, label, amount, clause, period, readings, **extra):
    entry = {"measure": measure, "id": line_id, "label": label, "clause": clause, "period": period,
             "readings": list(readings), **extra}
    if "quantity" in entry and entry.get("unit"):
        with_spoken_quantity(entry)
    return with_amounts(entry, amount=amount)


def _rounded(line):
    """Whether rule fen_half_up changed a quantity × rate line (reading rounding_fen_half_up)."""
    return Decimal(line["quantity"]) * Decimal(line["rate"]) != Decimal(line["amount"])


def _place_subsidy(result, profile, part):
    """Measure 6: crops once in their year, livestock (capped per household) once in its year, land every year."""
    lines = {line["id"]: line for line in part.data["lines"]}
    subtotals = {s["id"]: s for s in part.data["subtotals"]}
    placed = []
    for crop in CROPS:
        if crop not in lines:
            continue
        line = lines[crop]
        year = profile["crop_years"].get(crop) or profile["start_year"]
        readings = ["subsidy_paid_in_entry_year"] + (["potato_extra_standalone"] if crop == "commercial_potato" else [])
        readings += ["rounding_fen_half_up"] if _rounded(line) else []
        placed.append((year, _item("household_subsidy", crop, line["label"], Decimal(line["amount"]), line["clause"],
                                   "once", readings, parameter=line["parameter"], quantity=line["quantity"],
                                   unit=line["unit"], unit_label=line["unit_label"])))
        _step(result, "overview_once", line["clause"], line["parameter"], "subsidy_paid_in_entry_year",
              label=line["label"], year=year)
    if "livestock" in subtotals:
        subtotal = subtotals["livestock"]
        year = profile["livestock_year"] or profile["start_year"]
        heads = [with_amounts(with_spoken_quantity({"id": a, "label": lines[a]["label"], "quantity": lines[a]["quantity"],
                                                    "unit_label": lines[a]["unit_label"]}, noun=a),
                              amount=Decimal(lines[a]["amount"]))
                 for a in ANIMALS if a in lines]
        readings = ["subsidy_paid_in_entry_year"] + (["livestock_cap_scope"] if subtotal["capped"] else [])
        item = _item("household_subsidy", "livestock", subtotal["label"], Decimal(subtotal["amount"]),
                     subtotal["clause"], "once", readings, parameter="livestock_cap_per_household",
                     capped=subtotal["capped"], parts=heads)
        placed.append((year, with_amounts(item, amount_before_cap=Decimal(subtotal["amount_before_cap"]),
                                          cap=Decimal(subtotal["cap"]), cut=Decimal(subtotal["cut"]))))
        _step(result, "overview_once", subtotal["clause"], "livestock_cap_per_household",
              "subsidy_paid_in_entry_year", label=subtotal["label"], year=year)
    if "land_transfer" in lines:
        line = lines["land_transfer"]
        first, last = profile["land_years"]
        readings = ["land_transfer_direction"] + (["rounding_fen_half_up"] if _rounded(line) else [])
        amount = Decimal(line["amount"])
        placed += [(year, _item("household_subsidy", "land_transfer", line["label"], amount, line["clause"], "yearly",
                                readings, parameter=line["parameter"], quantity=line["quantity"], unit=line["unit"],
                                unit_label=line["unit_label"]))
                   for year in range(first, last + 1)]
        _yearly_step(result, line["clause"], line["parameter"], line["label"], first, last, amount)
        if not profile["land_years_given"]:
            result.warn("overview_land_one_year", "measure-6", year=first)
    return placed


def _yearly_step(result, clause, parameter, label, first, last, amount):
    years = last - first + 1
    result.step("overview_yearly", clause, parameter, label=label, first=first, last=last, amount=grouped(amount),
                years=years, total=grouped(amount * years))


def _place_grain(result, profile, part):
    """Measure 8: each installment in its calendar year, as the single measure schedules it."""
    placed = []
    for line in part.data["lines"]:
        last = line["id"] == f"year_{len(part.data['lines'])}"
        readings = ["grain_for_green_all_farmers"] + (["rounding_last_installment"] if last else
                                                      ["rounding_fen_half_up"] if _rounded(line) else [])
        placed.append((line["year"], _item("grain_to_forest", line["id"], line["label"], Decimal(line["amount"]),
                                           line["clause"], "yearly", readings, parameter=line["parameter"],
                                           quantity=line["quantity"], unit=line["unit"],
                                           unit_label=line["unit_label"])))
    return placed


def _place_dividends(result, profile, part):
    """Measures 4–5: the dividend in every year the single measure's schedule pays it."""
    line = next(line for line in part.data["lines"] if line["id"] == "household_dividend")
    rounded = any(rule["rule"] == "fen_half_up" for rule in part.data["rounding"])
    placed = []
    for row in part.data["schedule"]:
        if not row["eligible"]:
            continue
        readings = ["dividend_whole_return_split", "dividend_poor_only"]
        readings += ["dividend_first_year"] if row["year"] == FIRST_DIVIDEND_YEAR else []
        readings += ["dividend_years"] if row["status"] in ("exit_year", "consolidation") else []
        readings += ["rounding_fen_half_up"] if rounded else []
        placed.append((row["year"], _item("asset_dividend", "household_dividend", line["label"],
                                          Decimal(row["amount"]), row["clause"], "yearly", readings,
                                          status=row["status"], note=row["label"], quantity=line["quantity"],
                                          unit=line["unit"], unit_label=line["unit_label"])))
    if placed:
        _yearly_step(result, placed[0][1]["clause"], None, line["label"], placed[0][0], placed[-1][0],
                     Decimal(line["amount"]))
    if any(row["status"] == "ended" for row in part.data["schedule"]):
        exit_year = profile["exit_year"]
        consolidation = int(result.value("consolidation_years"))
        ended = next(year for year in count(exit_year) if not dividend_year_status(year, exit_year, consolidation)[1])
        result.data["not_applicable"].append({
            "measure": "asset_dividend", "code": "dividends_ended", "clause": "measure-5",
            "readings": ["dividend_years", "shares_pass_on"],
            **MESSAGES.text("overview.dividends_ended", exit_year=exit_year, last_year=ended - 1, ended_year=ended)})
    elif profile["exit_year"] is None:
        result.warn("overview_dividends_go_on", "measure-5", last=part.data["schedule"][-1]["year"])
    return placed


def _dropped(result, profile, parts):
    """Payments the profile implies that fall before the chosen start year and so are not counted.

    Only dividends can fall there: one-off subsidies, land transfer and Grain for Green move with
    the start year or keep the years entered for them. Measure 4 pays from the first dividend year
    (reading dividend_first_year), in every year dividend_year_status allows; a start year after
    that drops those years, and the answer says which, how much, and what to enter instead.
    """
    part = parts.get("asset_dividend")
    start = profile["start_year"]
    if part is None or not part.data["eligible"] or start <= FIRST_DIVIDEND_YEAR:
        return []
    consolidation = int(result.value("consolidation_years"))
    years = [year for year in range(FIRST_DIVIDEND_YEAR, start)
             if dividend_year_status(year, profile["exit_year"], consolidation)[1]]
    if not years:
        return []
    line = next(line for line in part.data["lines"] if line["id"] == "household_dividend")
    first, last = years[0], years[-1]
    span = MESSAGES.text("overview.year_one" if first == last else "overview.year_span", first=first, last=last)
    entry = with_amounts({"measure": "asset_dividend", "code": "dividends_before_start", "clause": "measure-4",
                          "readings": ["dividend_first_year"], "years": years, "first": first, "last": last,
                          "start_year": start}, amount=Decimal(line["amount"]) * len(years))
    entry.update(MESSAGES.text("overview.dropped_dividends", start=start, years=span, first=first,
                               amount=entry["display"]["amount"]))
    return [entry]


# Measures whose amounts are income in a calendar year; measures 7 and 9 (a range, a loan) are kept apart.
PLACE = {"household_subsidy": _place_subsidy, "grain_to_forest": _place_grain, "asset_dividend": _place_dividends}


def _lay_out_years(result, placed):
    """Every calendar year from the first payment to the last, its items in measure order, and the totals."""
    if not placed:
        _total(result, Decimal(0))
        return
    by_measure = {}
    years = [item_year for item_year, _ in placed]
    for year in range(min(years), max(years) + 1):
        items = [item for item_year, item in placed if item_year == year]
        amounts = [Decimal(item["amount"]) for item in items]
        total = sum(amounts, Decimal(0))
        entry = {"year": year, "items": items, "spoken": {"year": spoken.both(spoken.year, year)}}
        result.data["years"].append(with_amounts(entry, total=total))
        if items:
            result.step("sum", None, None, label=MESSAGES.text("overview.year_total", year=year),
                        terms=" + ".join(grouped(a) for a in amounts), total=grouped(total))
        for item, amount in zip(items, amounts):
            by_measure[item["measure"]] = by_measure.get(item["measure"], Decimal(0)) + amount
    # The year most is paid (the first of equal ones): what the page's summary sentence names.
    result.data["peak_year"] = max(result.data["years"], key=lambda y: Decimal(y["total"]))["year"]
    for measure in ORDER:
        if measure in by_measure:
            label = MESSAGES.text("overview.measure_total", title=MESSAGES.text(f"measure.{measure}"))
            result.data["subtotals"].append(with_amounts({"id": measure, "measure": measure, "label": label},
                                                         amount=by_measure[measure]))
    overall = sum(by_measure.values(), Decimal(0))
    result.step("sum", None, None, label=MESSAGES.text("total.household_overview"),
                terms=" + ".join(grouped(by_measure[m]) for m in ORDER if m in by_measure), total=grouped(overall))
    _total(result, overall)


def _total(result, amount):
    """The household's total over all years, with its spoken form beside its display text."""
    result.total("household_overview", amount, period="all_years")
    result.data["total"]["spoken"] = {"amount": spoken.both(spoken.amount, result.data["total"]["amount"])}


def _apart(result, parts):
    """The measure 7 range and the measure 9 loan: shown, never added to the totals, and said so."""
    project = parts.get("self_run_project")
    if project is not None and project.data["eligible"]:
        taken = project.data["range"]
        result.range("self_run_project", Decimal(taken["min"]), Decimal(taken["max"]), taken["clause"])
        result.data["range"].update(measure="self_run_project", project_type=project.data["project_type"],
                                    readings=list(RANGE_READINGS), note=MESSAGES.text("overview.range_apart"))
    loan = parts.get("household_loan")
    if loan is not None and loan.data["eligible"]:
        line = loan.data["lines"][0]
        result.data["loan"] = with_amounts({
            "measure": "household_loan", "label": line["label"], "clause": line["clause"],
            "parameter": line["parameter"], "interest_subsidy_years": loan.data["interest_subsidy_years"],
            "readings": list(LOAN_READINGS), "note": MESSAGES.text("overview.loan_apart")},
            amount=Decimal(line["amount"]))


def _apart_amount(result):
    high = Decimal(result.data["range"]["max"]) if result.data["range"] else Decimal(0)
    return high + (Decimal(result.data["loan"]["amount"]) if result.data["loan"] else Decimal(0))


# ---------------------------------------------------------------- the names of the year rows' items

def _name_items(result):
    """Every item of the year rows gets `name` (what it is, naming its measure) and `tag` (how often it is paid).

    The page shows these instead of the single measures' line labels, which name a line within its own
    form ("第1年（2018年）发放", "养殖小计") and may carry a frequency already. `tag` is written only
    where it is true: one-off subsidies are paid once, land transfer and dividends the same amount every
    year; Grain for Green installments differ from year to year, so their name counts them instead.
    """
    items = [item for year in result.data["years"] for item in year["items"]]
    installments = sum(1 for item in items if item["measure"] == "grain_to_forest")
    for item in items:
        item["name"], item["tag"] = _item_name(item, installments)


def _item_name(item, installments):
    """(name, tag) of one item of a year row; installments: how many Grain for Green installments there are."""
    def area():
        return display.both(display.unit_text, item["quantity"], item["unit"])
    once, yearly = MESSAGES.text("overview_item.tag_once"), MESSAGES.text("overview_item.tag_yearly")
    if item["measure"] == "grain_to_forest":
        return MESSAGES.text("overview_item.installment", n=item["id"].removeprefix("year_"), count=installments), None
    if item["measure"] == "asset_dividend":
        return MESSAGES.text("overview_item.dividend"), yearly
    if item["id"] == "land_transfer":
        return MESSAGES.text("overview_item.land_transfer", quantity=area()), yearly
    if item["id"] == "livestock":
        return MESSAGES.text("overview_item.livestock_capped" if item["capped"] else "overview_item.livestock"), once
    return MESSAGES.text("overview_item.crop", crop=item["label"], quantity=area()), once


def _readings_used(result):
    """Every reading id the answer relies on, in order of first use."""
    used = []
    entries = [item for year in result.data["years"] for item in year["items"]]
    entries += [e for e in (result.data["range"], result.data["loan"]) if e] + result.data["not_applicable"]
    entries += result.data["dropped"]
    entries += [step for step in result.data["trace"] if "reading" in step]
    for entry in entries:
        for reading in entry.get("readings", [entry.get("reading")]):
            if reading and reading not in used:
                used.append(reading)
    return used
