"""The policy's calculable measures, one function each.

Each rule reads its inputs (strictly, see inputs.py), computes exactly with Decimal, and
writes into a Result: line items, subtotals, total or range, schedule, checks, warnings
and a trace whose every step names the parameter and clause it used.
"""

from decimal import Decimal

from . import inputs
from .money import fen_half_up, fen_up, grouped, percent, plain, yuan
from .params import MESSAGES, POLICY, cite

CROPS = ("solar_greenhouse", "mobile_greenhouse", "commercial_potato", "medicinal_herbs", "minor_grains")
ANIMALS = ("pig", "cattle", "donkey", "sheep", "chicken")
PROJECT_TYPES = ("rural_tourism", "processing", "e_commerce", "photovoltaic", "other", "planting", "breeding")
EXCLUDED_PROJECT_TYPES = ("planting", "breeding")
ZERO = Decimal(0)


def unit_label(unit):
    return dict(POLICY.units[unit])


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
        }

    def value(self, name):
        return POLICY[name].at(self.when)

    def step(self, key, clause, parameter=None, **fields):
        self.data["trace"].append({"parameter": parameter, "clause": clause, **MESSAGES.text(f"trace.{key}", **fields)})

    def warn(self, code, clause, **fields):
        self.data["warnings"].append({"code": code, "clause": clause, **MESSAGES.text(f"warning.{code}", **fields)})

    def rounding(self, rule):
        if not any(r["rule"] == rule for r in self.data["rounding"]):
            self.data["rounding"].append({"rule": rule, **MESSAGES.text(f"rounding.{rule}")})

    def rate_line(self, line_id, parameter, quantity, quantity_unit, label=None, period="once", rate=None):
        """A line item quantity × rate, rounded by rule fen_half_up; returns the rounded amount.

        `rate` is given only for one entry of a schedule parameter (a Grain for Green installment).
        """
        p = POLICY[parameter]
        rate = p.at(self.when) if rate is None else rate
        label = label or {"zh": p.label_zh, "en": p.label_en}
        exact = quantity * rate
        amount = fen_half_up(exact)
        self.step("rate_times_quantity", p.clause, parameter, label=label, quantity=plain(quantity),
                  unit=unit_label(quantity_unit), rate=plain(rate), rate_unit=unit_label(p.unit), exact=plain(exact))
        if amount != exact:
            self.rounding("fen_half_up")
            self.step("rounded", p.clause, parameter, exact=plain(exact), rounded=yuan(amount))
        self.add_line(line_id, label, amount, p.clause, parameter=parameter, quantity=quantity,
                      unit=quantity_unit, rate=rate, rate_unit=p.unit, period=period)
        return amount

    def add_line(self, line_id, label, amount, clause, *, parameter=None, quantity=None, unit=None,
                 rate=None, rate_unit=None, period="once"):
        self.data["lines"].append({
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
        })

    def subtotal(self, subtotal_id, amount, clause, **extra):
        self.data["subtotals"].append({"id": subtotal_id, "label": MESSAGES.text(f"subtotal.{subtotal_id}"),
                                       "amount": yuan(amount), "clause": clause, **extra})

    def total(self, total_key, amount, period="once"):
        self.data["total"] = {"label": MESSAGES.text(f"total.{total_key}"), "amount": yuan(amount), "period": period}

    def range(self, range_key, low, high, clause):
        self.data["range"] = {"label": MESSAGES.text(f"range.{range_key}"), "min": yuan(low), "max": yuan(high),
                              "clause": clause}

    def ineligible(self):
        self.data["eligible"] = False


# ---------------------------------------------------------------- readers shared by several measures

def _area(errors, request, key, *, path=None, required=False, positive=False):
    return inputs.read_decimal(errors, request, path or key, key, places=int(POLICY.limits["max_area_decimals"]),
                               maximum=POLICY.limits["max_area_mu"], required=required, positive=positive)


def _money(errors, request, key, *, required=False, positive=False):
    return inputs.read_decimal(errors, request, key, key, places=int(POLICY.limits["max_money_decimals"]),
                               maximum=POLICY.limits["max_money_yuan"], required=required, positive=positive)


def _rate_percent(errors, request):
    return inputs.read_decimal(errors, request, "agreed_rate_percent", "agreed_rate_percent", places=2,
                               maximum=Decimal(100))


def _shares(errors, request, path, key):
    return inputs.read_decimal(errors, request, path, key, places=int(POLICY.limits["max_share_decimals"]),
                               maximum=POLICY.limits["max_shares"], required=True, positive=True)


# ---------------------------------------------------------------- measure 6: household industry subsidies

def household_subsidy(request, errors, when):
    registered = inputs.read_bool(errors, request, "registered_poor", "registered_poor")
    crops = inputs.read_mapping(errors, request, "crops", "crops", CROPS)
    animals = inputs.read_mapping(errors, request, "livestock", "livestock", ANIMALS)
    areas = {crop: _area(errors, crops, crop, path=f"crops.{crop}") for crop in crops}
    heads = {animal: inputs.read_whole(errors, animals, f"livestock.{animal}", animal, minimum=0,
                                       maximum=int(POLICY.limits["max_heads"])) for animal in animals}
    land = _area(errors, request, "land_transfer_mu")
    if errors:
        return None

    result = Result("household_subsidy", ["measure-6"], when)
    crop_total = sum((result.rate_line(c, c, areas[c], "mu") for c in CROPS if areas.get(c)), ZERO)
    livestock_before = sum((result.rate_line(a, a, Decimal(heads[a]), "head") for a in ANIMALS if heads.get(a)), ZERO)
    land_total = result.rate_line("land_transfer", "household_land_transfer", land, "mu",
                                  label=MESSAGES.text("line.land_transfer"), period="per_year") if land else ZERO

    cap = result.value("livestock_cap_per_household")
    livestock = min(livestock_before, cap)
    if crop_total:
        result.subtotal("crops", crop_total, "measure-6")
    if livestock_before:
        result.subtotal("livestock", livestock, "measure-6", amount_before_cap=yuan(livestock_before),
                        cap=yuan(cap), capped=livestock_before > cap, cut=yuan(livestock_before - livestock))
        result.step("cap", "measure-6", "livestock_cap_per_household", before=grouped(livestock_before),
                    cap=grouped(cap), after=grouped(livestock))
        if livestock_before > cap:
            result.warn("livestock_cap", "measure-6", before=grouped(livestock_before), cap=grouped(cap),
                        cut=grouped(livestock_before - livestock))
            result.warn("livestock_cap_reading", "measure-6")
    if land_total:
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
    return result


def _zero_out(result):
    """An ineligible household keeps its line items for reference, each at 0."""
    result.ineligible()
    for item in result.data["lines"] + result.data["subtotals"]:
        item["amount"] = yuan(ZERO)


# ---------------------------------------------------------------- measure 6: business entity land transfer

def entity_land_transfer(request, errors, when):
    area = _area(errors, request, "area_mu", required=True, positive=True)
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
    if project in EXCLUDED_PROJECT_TYPES:
        result.ineligible()
        result.warn("self_run_excluded", "measure-7")
        result.range("self_run_project", ZERO, ZERO, "measure-7")
        return result
    if not registered:
        result.ineligible()
        result.warn("not_registered_poor", "measure-7")
        result.step("not_registered", "measure-7")
        result.range("self_run_project", ZERO, ZERO, "measure-7")
        return result
    result.step("range", "measure-7", "self_run_project_min", label=MESSAGES.text("line.self_run_project"),
                low=grouped(low), high=grouped(high))
    result.range("self_run_project", low, high, "measure-7")
    result.warn("self_run_range", "measure-7")
    return result


# ---------------------------------------------------------------- measure 8: Grain for Green

def grain_to_forest(request, errors, when):
    area = _area(errors, request, "area_mu", required=True, positive=True)
    first_year = inputs.read_year(errors, request, "first_year", "first_year", required=True)
    if errors:
        return None
    result = Result("grain_to_forest", ["measure-8"], when)
    per_mu = result.value("grain_to_forest_installments")
    total_exact = area * result.value("grain_to_forest_total")
    total = fen_half_up(total_exact)
    result.step("rate_times_quantity", "measure-8", "grain_to_forest_total",
                label={"zh": POLICY["grain_to_forest_total"].label_zh, "en": POLICY["grain_to_forest_total"].label_en},
                quantity=plain(area), unit=unit_label("mu"), rate=plain(result.value("grain_to_forest_total")),
                rate_unit=unit_label("yuan_per_mu"), exact=plain(total_exact))
    paid = ZERO
    for index, rate in enumerate(per_mu, start=1):
        year = first_year + index - 1
        label = MESSAGES.text("line.installment", n=index, year=year)
        if index < len(per_mu):
            amount = result.rate_line(f"year_{index}", "grain_to_forest_installments", area, "mu", label=label,
                                      rate=rate)
        else:
            amount = total - paid
            result.step("last_installment", "measure-8", "grain_to_forest_installments", total=yuan(total),
                        first_four=yuan(paid), last=yuan(amount))
            result.rounding("last_installment_absorbs")
            result.add_line(f"year_{index}", label, amount, "measure-8", parameter="grain_to_forest_installments",
                            quantity=area, unit="mu", rate=rate, rate_unit="yuan_per_mu")
        result.data["lines"][-1]["year"] = year
        result.data["schedule"].append({"year": year, "installment": index, "rate": plain(rate), "amount": yuan(amount)})
        paid += amount
    if total != total_exact:
        result.rounding("fen_half_up")
    result.total("grain_to_forest", total)
    result.warn("grain_to_forest_all_households", "measure-8")
    return result


def afforestation_coop(request, errors, when):
    area = _area(errors, request, "area_mu", required=True, positive=True)
    labour = _money(errors, request, "labour_spending")
    poor_pay = _money(errors, request, "poor_pay")
    if labour is not None and poor_pay is not None and poor_pay > labour:
        errors.add("poor_pay", "poor_pay_exceeds_labour", labour=grouped(labour))
    if errors:
        return None
    result = Result("afforestation_coop", ["measure-8"], when)
    subsidy = result.rate_line("coop_subsidy", "afforestation_coop_subsidy", area, "mu",
                               label=MESSAGES.text("line.coop_subsidy"))
    result.total("coop", subsidy)
    labour_min = _minimum_check(result, "labour_share", "afforestation_min_labour_share", subsidy, labour)
    _minimum_check(result, "poor_pay_share", "afforestation_min_poor_pay_share",
                   labour if labour is not None else labour_min, poor_pay)
    return result


def _minimum_check(result, check_id, parameter, base, actual):
    """A 'not less than share × base' rule: the minimum (rule fen_up) and, given the actual amount, whether it holds."""
    share = result.value(parameter)
    exact = base * share
    minimum = fen_up(exact)
    label = MESSAGES.text(f"check.{check_id}", share=percent(share))
    result.step("minimum", "measure-8", parameter, label=label, base=yuan(base), share=percent(share),
                exact=plain(exact), minimum=yuan(minimum))
    if minimum != exact:
        result.rounding("fen_up")
    check = {"id": check_id, "label": label, "clause": "measure-8", "parameter": parameter,
             "base": yuan(base), "share": plain(share), "minimum": yuan(minimum),
             "actual": None, "met": None, "shortfall": None, "verdict": MESSAGES.text("check.not_given")}
    if actual is not None:
        shortfall = max(minimum - actual, ZERO)
        verdict = MESSAGES.text("check.ok") if not shortfall else MESSAGES.text("check.shortfall",
                                                                                   shortfall=grouped(shortfall))
        check.update(actual=yuan(actual), met=not shortfall, shortfall=yuan(shortfall), verdict=verdict)
        result.step("check", "measure-8", parameter, actual=grouped(actual), minimum=grouped(minimum), verdict=verdict)
    result.data["checks"].append(check)
    return minimum


# ---------------------------------------------------------------- measures 4–5: asset-income dividends

def _rate_used(result, agreed_percent):
    """The agreed rate, but never below measure 4's minimum (with a warning when raised)."""
    minimum = result.value("dividend_min_rate")
    agreed = minimum if agreed_percent is None else agreed_percent / 100
    rate = max(agreed, minimum)
    if agreed < minimum:
        result.warn("rate_below_minimum", "measure-4", agreed=percent(agreed), minimum=percent(minimum))
    result.step("rate_used", "measure-4", "dividend_min_rate", rate=percent(rate), agreed=percent(agreed),
                minimum=percent(minimum))
    result.data["rate_used_percent"] = percent(rate)
    return rate


def _collective_income(result, funds, rate):
    """The collective's exact annual income and its line item (rule fen_half_up)."""
    exact = funds * rate
    amount = fen_half_up(exact)
    result.step("collective_income", "measure-4", "dividend_min_rate", funds=grouped(funds), rate=percent(rate),
                exact=plain(exact))
    if amount != exact:
        result.rounding("fen_half_up")
    result.add_line("collective_income", MESSAGES.text("line.collective_income"), amount, "measure-4",
                    parameter="dividend_min_rate", quantity=funds, unit="yuan", rate=rate, rate_unit="ratio",
                    period="per_year")
    return exact, amount


def dividend_share(result, exact_income, shares, total_shares, who):
    """One holder's dividend: exact income × shares ÷ total shares, rounded by rule fen_half_up."""
    exact = exact_income * shares / total_shares
    amount = fen_half_up(exact)
    result.step("share_of_income", "measure-4", None, who=who, exact_income=plain(exact_income),
                shares=plain(shares), total_shares=plain(total_shares), exact=plain(exact))
    if amount != exact:
        result.rounding("fen_half_up")
    return amount


def dividend_year_status(year, exit_year, consolidation):
    """Measure 5: paid every year up to the exit year Y, then Y+1..Y+3; from Y+4 the shares pass on."""
    if exit_year is None:
        return "not_exited", True, None
    if year < exit_year:
        return "before_exit", True, None
    if year == exit_year:
        return "exit_year", True, None
    if year <= exit_year + consolidation:
        return "consolidation", True, year - exit_year
    return "ended", False, None


def asset_dividend(request, errors, when):
    registered = inputs.read_bool(errors, request, "registered_poor", "registered_poor")
    funds = _money(errors, request, "injected_funds", required=True, positive=True)
    agreed = _rate_percent(errors, request)
    total_shares = _shares(errors, request, "total_shares", "total_shares")
    household_shares = _shares(errors, request, "household_shares", "household_shares")
    exit_year = inputs.read_year(errors, request, "exit_year", "exit_year")
    from_year = inputs.read_year(errors, request, "from_year", "from_year")
    to_year = inputs.read_year(errors, request, "to_year", "to_year")
    if total_shares is not None and household_shares is not None and household_shares > total_shares:
        errors.add("household_shares", "shares_exceed_total", total=plain(total_shares))
    consolidation = int(POLICY["consolidation_years"].at(when))
    if from_year is None:  # paid at the start of each year (measure 4): the first year start after issue
        from_year = POLICY.meta["date_of_issue"].year + 1
    if to_year is None and from_year is not None:
        to_year = max(from_year, (exit_year if exit_year is not None else from_year) + consolidation + 1)
    if from_year is not None and to_year is not None and to_year < from_year:
        errors.add("to_year", "year_order")
    if errors:
        return None

    result = Result("asset_dividend", ["measure-4", "measure-5"], when)
    rate = _rate_used(result, agreed)
    exact_income, _ = _collective_income(result, funds, rate)
    dividend = dividend_share(result, exact_income, household_shares, total_shares,
                              MESSAGES.text("trace.this_household"))
    result.add_line("household_dividend", MESSAGES.text("line.household_dividend"),
                    dividend if registered else ZERO, "measure-4", quantity=household_shares, unit="shares",
                    period="per_year")
    if exit_year is None:
        result.step("no_exit_year", "measure-5", "consolidation_years")
    else:
        result.step("eligibility_years", "measure-5", "consolidation_years", exit_year=exit_year,
                    last_year=exit_year + consolidation, consolidation=consolidation,
                    ended_year=exit_year + consolidation + 1)
    paid = ZERO
    for year in range(from_year, to_year + 1):
        status, eligible, n = dividend_year_status(year, exit_year, consolidation)
        if not registered:
            status, eligible, n = "not_registered", False, None
        amount = dividend if eligible else ZERO
        paid += amount
        label = MESSAGES.text(f"status.{status}", n=n)
        result.data["schedule"].append({"year": year, "status": status, "eligible": eligible,
                                        "label": label, "amount": yuan(amount),
                                        "clause": "measure-5" if exit_year is not None else "measure-4"})
    if not registered:
        result.ineligible()
        result.warn("dividend_not_registered", "measure-4")
    result.total("dividend_schedule", paid)
    return result


def collective_dividends(request, errors, when):
    funds = _money(errors, request, "injected_funds", required=True, positive=True)
    agreed = _rate_percent(errors, request)
    rows = _share_table(errors, request)
    if errors:
        return None
    result = Result("collective_dividends", ["measure-4", "measure-5"], when)
    rate = _rate_used(result, agreed)
    exact_income, income = _collective_income(result, funds, rate)
    total_shares = sum((shares for _, shares in rows), ZERO)
    paid = ZERO
    for index, (household, shares) in enumerate(rows):
        amount = dividend_share(result, exact_income, shares, total_shares, household)
        result.add_line(f"household_{index + 1}", MESSAGES.text("line.share_row", household=household), amount,
                        "measure-4", quantity=shares, unit="shares", period="per_year")
        paid += amount
    result.data["total_shares"] = plain(total_shares)
    result.subtotal("dividends", paid, "measure-4")
    difference = income - paid
    if difference:
        result.add_line("rounding_difference", MESSAGES.text("line.rounding_difference"), difference, "measure-4",
                        period="per_year")
        result.warn("rounding_difference", "measure-4", difference=yuan(difference))
    result.total("collective", income, period="per_year")
    return result


def _share_table(errors, request):
    table = request.get("share_table")
    if table is None:
        errors.add("share_table", "required", field=inputs.field_name("share_table"))
        return []
    if not isinstance(table, list):
        errors.add("share_table", "not_a_list", field=inputs.field_name("share_table"))
        return []
    maximum = int(POLICY.limits["max_share_table_rows"])
    if len(table) > maximum:
        errors.add("share_table", "too_many_rows", field=inputs.field_name("share_table"), maximum=maximum)
        return []
    if not table:
        errors.add("share_table", "empty_list", field=inputs.field_name("share_table"))
        return []
    rows = []
    for index, row in enumerate(table):
        path = f"share_table[{index}]"
        if not isinstance(row, dict):
            errors.add(path, "not_an_object")
            continue
        inputs.check_fields(errors, row, path, ("household", "shares"))
        name = inputs.read_text(errors, row, f"{path}.household", "household")
        shares = _shares(errors, row, f"{path}.shares", "shares")
        rows.append((name, shares))
    return rows


# ---------------------------------------------------------------- measure 3: entity loans

def entity_loan(request, errors, when):
    households = inputs.read_whole(errors, request, "households", "households", minimum=1,
                                   maximum=int(POLICY.limits["max_households"]), required=True)
    uses_fund = inputs.read_bool(errors, request, "uses_revolving_fund", "uses_revolving_fund")
    if errors:
        return None
    result = Result("entity_loan", ["measure-3"], when)
    low, high = result.value("entity_loan_min_per_household"), result.value("entity_loan_max_per_household")
    if not uses_fund:
        result.ineligible()
        result.warn("entity_no_revolving_fund", "measure-3")
        result.range("entity_loan", ZERO, ZERO, "measure-3")
        return result
    result.step("range_per_household", "measure-3", "entity_loan_max_per_household", households=households,
                low=grouped(low), high=grouped(high), total_low=grouped(low * households),
                total_high=grouped(high * households))
    result.range("entity_loan", low * households, high * households, "measure-3")
    result.warn("entity_loan_alternative", "measure-3")
    return result


# ---------------------------------------------------------------- measure 9: household loans

def household_loan(request, errors, when):
    exit_year = inputs.read_year(errors, request, "exit_year", "exit_year")
    requested = _money(errors, request, "requested_amount")
    if errors:
        return None
    result = Result("household_loan", ["measure-9"], when)
    cap = result.value("household_loan_cap")
    years = result.value("household_loan_interest_subsidy_years")
    qualifying = {int(y) for y in result.value("household_loan_exit_years")}
    result.data["interest_subsidy_years"] = int(years)
    eligible = exit_year in qualifying
    verdict = MESSAGES.text("trace.eligible" if eligible else "trace.not_eligible")
    if exit_year is None:
        result.step("loan_not_exited", "measure-9", "household_loan_exit_years")
    else:
        result.step("loan_eligibility", "measure-9", "household_loan_exit_years", year=exit_year, verdict=verdict)
    if exit_year is None:
        result.ineligible()
        result.warn("loan_not_exited", "measure-9")
    elif not eligible:
        result.ineligible()
        result.warn("loan_wrong_year", "measure-9", year=exit_year)
    else:
        result.warn("loan_eligible", "measure-9", year=exit_year, years=int(years), cap=grouped(cap))
    amount = cap if requested is None else min(requested, cap)
    if not eligible:
        amount = ZERO
    elif requested is not None:
        result.step("loan_cap", "measure-9", "household_loan_cap", requested=grouped(requested), cap=grouped(cap),
                    amount=grouped(amount))
        if requested > cap:
            result.warn("loan_capped", "measure-9", requested=grouped(requested), cap=grouped(cap))
    result.add_line("household_loan", MESSAGES.text("line.household_loan"), amount, "measure-9",
                    parameter="household_loan_cap", quantity=requested, unit="yuan" if requested is not None else None)
    result.total("household_loan", amount)
    return result


MEASURES = {
    "household_subsidy": (household_subsidy, ("registered_poor", "crops", "livestock", "land_transfer_mu")),
    "entity_land_transfer": (entity_land_transfer, ("area_mu",)),
    "self_run_project": (self_run_project, ("registered_poor", "project_type")),
    "grain_to_forest": (grain_to_forest, ("area_mu", "first_year")),
    "afforestation_coop": (afforestation_coop, ("area_mu", "labour_spending", "poor_pay")),
    "asset_dividend": (asset_dividend, ("registered_poor", "injected_funds", "agreed_rate_percent", "total_shares",
                                        "household_shares", "exit_year", "from_year", "to_year")),
    "collective_dividends": (collective_dividends, ("injected_funds", "agreed_rate_percent", "share_table")),
    "entity_loan": (entity_loan, ("households", "uses_revolving_fund")),
    "household_loan": (household_loan, ("exit_year", "requested_amount")),
}
