"""Measure `household_whatif`: a few one-tap variations of one household's profile, each with its difference.

The page's quick "what if" under the overview's summary. For the profile as entered it proposes
only changes that make sense for it: one more head of each animal entered, one more mu of each
crop entered, the exit a year later (when the household has village shares). Each variation is a
second household_overview run on the changed profile, and calculator.compare subtracts the two
answers' year totals exactly; nothing of the policy is computed here. Where a variation changes
nothing, the answer says why, from the base answer itself: the livestock cap is reached, the
household is not registered poor, or the change falls outside the years counted.
"""

from decimal import Decimal

from . import inputs
from .compare import compare
from .overview import FIELDS as FIELDS, household_overview  # the same profile as household_overview
from .params import MESSAGES, POLICY
from .rules import ANIMALS, CROPS, FIRST_DIVIDEND_YEAR, Result, dividend_year_status

MEASURE = "household_whatif"
MAX_VARIATIONS = 4  # a few taps under the summary; the full second column is for anything else


def household_whatif(request, errors, when):
    base = household_overview(request, errors, when)
    if errors:
        return None
    result = Result(MEASURE, [c["id"] for c in base.data["clauses"]], when)
    result.data.update(base_total=base.data["total"], start_year=base.data["start_year"], variations=[])
    for variation in _proposals(request, base)[:MAX_VARIATIONS]:
        changed = {**request, **variation.pop("request")}
        other = household_overview(changed, inputs.Errors(), when)
        if other is None:  # the changed profile is refused (a year beyond the parameter file's last): not offered
            continue
        result.data["variations"].append(_answered(variation, base, other))
    result.data["readings"] = base.data["readings"]
    return result


# ---------------------------------------------------------------- what to propose

def _count(value, reader):
    """A quantity the base answer accepted, read again (the base run has already reported any error)."""
    return reader(inputs.Errors(), {"value": value}, "value", "value")


def _proposals(request, base):
    """[{id, kind, path, label, from, to, request: changed fields}] in the order the form asks."""
    proposals = []
    livestock = request.get("livestock") if isinstance(request.get("livestock"), dict) else {}
    for animal in ANIMALS:
        heads = _count(livestock.get(animal), lambda e, r, p, k: inputs.read_whole(e, r, p, k, minimum=0,
                                                                                   maximum=10**9))
        if heads is None:
            continue
        label = MESSAGES.text("whatif.one_more_head", label=_parameter_label(animal))
        proposals.append({"id": f"livestock.{animal}", "kind": "one_more_head", "path": f"livestock.{animal}",
                          "label": label, "from": str(heads), "to": str(heads + 1),
                          "request": {"livestock": {**livestock, animal: str(heads + 1)}}})
    crops = request.get("crops") if isinstance(request.get("crops"), dict) else {}
    for crop in CROPS:
        area = _count(crops.get(crop), lambda e, r, p, k: inputs.read_decimal(e, r, p, k, places=4,
                                                                              maximum=Decimal(10**9)))
        if area is None:
            continue
        label = MESSAGES.text("whatif.one_more_mu", label=_parameter_label(crop))
        more = format(area + 1, "f")
        proposals.append({"id": f"crops.{crop}", "kind": "one_more_mu", "path": f"crops.{crop}", "label": label,
                          "from": format(area, "f"), "to": more, "request": {"crops": {**crops, crop: more}}})
    exit_year = inputs.read_year(inputs.Errors(), request, "exit_year", "exit_year")  # read again, as _count does
    if exit_year is not None and _given(request.get("collective")):
        later = max(exit_year, FIRST_DIVIDEND_YEAR - 1) + 1
        proposals.append({"id": "exit_year", "kind": "exit_later", "path": "exit_year",
                          "label": MESSAGES.text("whatif.exit_later", year=later), "from": str(exit_year),
                          "to": str(later), "request": {"exit_year": str(later)}})
    return proposals


def _given(value):
    return value is not None and value != "" and value != {}


def _parameter_label(name):
    parameter = POLICY[name]
    return {"zh": parameter.label_zh, "en": parameter.label_en}


# ---------------------------------------------------------------- each answered

def _answered(variation, base, other):
    """The variation with its per-year differences (only the years that change) and, for none, why."""
    difference = compare(base.data, other.data)
    years = [{"year": row["year"], "difference": row["difference"], "display": {"difference": row["display"]["difference"]}}
             for row in difference["years"] if Decimal(row["difference"]) != 0]
    total = difference["total"]
    variation.update(years=years, total={"difference": total["difference"],
                                         "display": {"difference": total["display"]["difference"]}},
                     zero=not years, reason=None if years else _why_nothing(variation, base))
    return variation


def _why_nothing(variation, base):
    """Why a variation changes no year: {code, zh, en}, from the base answer."""
    data = base.data
    measure = "asset_dividend" if variation["kind"] == "exit_later" else "household_subsidy"
    refused = {"household_subsidy": "not_registered_poor", "asset_dividend": "dividend_not_registered"}[measure]
    if any(n["code"] == refused for n in data["not_applicable"]):
        return {"code": "not_eligible", **MESSAGES.text("whatif.why_not_eligible")}
    if variation["kind"] == "one_more_head":
        livestock = [item for year in data["years"] for item in year["items"] if item["id"] == "livestock"]
        if livestock and livestock[0]["capped"]:
            return {"code": "cap_reached", **MESSAGES.text("whatif.why_cap_reached",
                                                           cap=livestock[0]["display"]["cap"])}
    if variation["kind"] == "exit_later":
        consolidation = int(base.value("consolidation_years"))
        gained = int(variation["to"]) + consolidation  # the one more year of dividends the later exit brings
        if dividend_year_status(gained, int(variation["from"]), consolidation)[1] is False and \
                gained < data["start_year"]:
            return {"code": "outside_years", **MESSAGES.text("whatif.why_outside_years", year=gained,
                                                             start=data["start_year"])}
    return {"code": "no_difference", **MESSAGES.text("whatif.why_no_difference")}

