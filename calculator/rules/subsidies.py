"""Measures 6 and 7: subsidies for poor households' own planting, greenhouses, livestock and land transfer,
for an enterprise taking in their land, and the range for a self-run business project.
"""

from decimal import Decimal

from .. import inputs
from ..money import grouped, yuan
from ..params import MESSAGES, POLICY
from .readers import read_area
from .result import ZERO, Result, shown

CROPS = ("solar_greenhouse", "mobile_greenhouse", "commercial_potato", "medicinal_herbs", "minor_grains")
ANIMALS = ("pig", "cattle", "donkey", "sheep", "chicken")
# The policy's own counting words: 每头 for pigs, cattle and donkeys, 每只 for sheep and chickens.
ANIMAL_UNITS = {"pig": "tou", "cattle": "tou", "donkey": "tou", "sheep": "zhi", "chicken": "zhi"}
PROJECT_TYPES = ("rural_tourism", "processing", "e_commerce", "photovoltaic", "other", "planting", "breeding")
EXCLUDED_PROJECT_TYPES = ("planting", "breeding")


# ---------------------------------------------------------------- measure 6: household industry subsidies

def household_subsidy(request, errors, when):
    registered = inputs.read_bool(errors, request, "registered_poor", "registered_poor")
    crops = inputs.read_mapping(errors, request, "crops", "crops", CROPS)
    animals = inputs.read_mapping(errors, request, "livestock", "livestock", ANIMALS)
    areas = {crop: read_area(errors, crops, crop, path=f"crops.{crop}") for crop in crops}
    heads = {animal: inputs.read_whole(errors, animals, f"livestock.{animal}", animal, minimum=0,
                                       maximum=int(POLICY.limits["max_heads"]), unit="head") for animal in animals}
    land = read_area(errors, request, "land_transfer_mu")
    if errors:
        return None

    result = Result("household_subsidy", ["measure-6"], when)
    result.reading("poor_means_registered")
    crop_total = sum((result.rate_line(c, c, areas[c], "mu") for c in CROPS if areas.get(c)), ZERO)
    if areas.get("commercial_potato"):
        result.reading("potato_extra_standalone")
    livestock_before = sum((result.rate_line(a, a, Decimal(heads[a]), ANIMAL_UNITS[a]) for a in ANIMALS if heads.get(a)),
                           ZERO)
    land_total = result.rate_line("land_transfer", "household_land_transfer", land, "mu",
                                  label=MESSAGES.text("line.land_transfer"), period="per_year") if land else ZERO

    cap = result.value("livestock_cap_per_household")
    livestock = min(livestock_before, cap)
    if crop_total:
        result.subtotal("crops", crop_total, "measure-6")
    if livestock_before:
        result.reading("livestock_heads_once")
        result.reading("livestock_cap_scope")
        result.subtotal("livestock", livestock, "measure-6", amount_before_cap=yuan(livestock_before),
                        cap=yuan(cap), capped=livestock_before > cap, cut=yuan(livestock_before - livestock))
        result.step("cap", "measure-6", "livestock_cap_per_household", before=grouped(livestock_before),
                    cap=grouped(cap), after=grouped(livestock))
        if livestock_before > cap:
            result.warn("livestock_cap", "measure-6", before=grouped(livestock_before), cap=grouped(cap),
                        cut=grouped(livestock_before - livestock))
            result.warn("livestock_cap_reading", "measure-6")
    if land_total:
        result.reading("land_transfer_direction")
        result.reading("land_transfer_one_year")
        result.subtotal("land_transfer", land_total, "measure-6", period="per_year")
    total = crop_total + livestock + land_total
    if not result.data["lines"]:
        result.warn("nothing_entered", "measure-6")
    if not registered:
        _zero_out(result)
        result.warn("not_registered_poor", "measure-6")
        result.step("not_registered", "measure-6")
        total = ZERO
    result.total("household_subsidy", total)
    _round2_readings(result, registered, crops=bool(crop_total))
    return result


def _round2_readings(result, registered, crops=False):
    """Readings the answer also relies on: an exited registered household still counts as poor (measures
    6 and 7 give no end); crop and greenhouse rates are counted once (the policy says neither once nor yearly)."""
    if crops:
        result.reading("crops_counted_once")
    if registered:
        result.reading("exited_household_still_poor")


def _zero_out(result):
    """An ineligible household keeps its line items for reference, each at 0."""
    result.ineligible()
    for item in result.data["lines"] + result.data["subtotals"]:
        item["amount"] = yuan(ZERO)
        shown(item)


# ---------------------------------------------------------------- measure 6: business entity land transfer

def entity_land_transfer(request, errors, when):
    area = read_area(errors, request, "area_mu", required=True, positive=True)
    if errors:
        return None
    result = Result("entity_land_transfer", ["measure-6"], when)
    amount = result.rate_line("entity_land_transfer", "entity_land_transfer", area, "mu",
                              label=MESSAGES.text("line.entity_land_transfer"), period="per_year")
    result.total("per_year", amount, period="per_year")
    return result


# ---------------------------------------------------------------- measure 7: self-run business projects

def self_run_project(request, errors, when):
    registered = inputs.read_bool(errors, request, "registered_poor", "registered_poor")
    project = inputs.read_choice(errors, request, "project_type", "project_type", PROJECT_TYPES)
    if errors:
        return None
    result = Result("self_run_project", ["measure-7"], when)
    low, high = result.value("self_run_project_min"), result.value("self_run_project_max")
    result.data["project_type"] = {"id": project, **MESSAGES.text(f"project_type.{project}")}
    result.reading("poor_means_registered")
    result.reading("measure7_types_examples")
    if project in EXCLUDED_PROJECT_TYPES:
        result.not_applicable("measure-7")
        result.warn("self_run_excluded", "measure-7")
        return result
    if not registered:
        result.not_applicable("measure-7")
        result.warn("not_registered_poor", "measure-7")
        result.step("not_registered", "measure-7")
        return result
    result.reading("self_run_per_project")
    result.step("range", "measure-7", "self_run_project_min", label=MESSAGES.text("line.self_run_project"),
                low=grouped(low), high=grouped(high))
    result.range("self_run_project", low, high, "measure-7")
    result.warn("self_run_range", "measure-7")
    if project == "other":
        # Measure 6 also has "其他可带动贫困户增收的特色产业项目奖补参照执行": which measure such a project is under is open.
        result.warn("self_run_other_open", "measure-7")
    _round2_readings(result, registered)
    return result
