"""Measures 3 and 9: low-interest loans for business entities (10,000–30,000 a household brought along)
and poverty-alleviation loans for households that exited in 2014 or 2015 (cap, interest-subsidy years).
"""

from .. import display, inputs
from ..money import grouped
from ..params import MESSAGES, POLICY
from .readers import read_money
from .result import ZERO, Result


# ---------------------------------------------------------------- measure 3: entity loans

def entity_loan(request, errors, when):
    households = inputs.read_whole(errors, request, "households", "households", minimum=1,
                                   maximum=int(POLICY.limits["max_households"]), required=True, unit="households")
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
    result.step("range_per_household", "measure-3", "entity_loan_max_per_household",
                households=display.both(display.unit_text, households, "households"),
                low=grouped(low), high=grouped(high), total_low=grouped(low * households),
                total_high=grouped(high * households))
    result.range("entity_loan", low * households, high * households, "measure-3")
    result.warn("entity_loan_alternative", "measure-3")
    return result


# ---------------------------------------------------------------- measure 9: household loans

def household_loan(request, errors, when):
    exit_year = inputs.read_year(errors, request, "exit_year", "exit_year")
    requested = read_money(errors, request, "requested_amount")
    if errors:
        return None
    result = Result("household_loan", ["measure-9"], when)
    if exit_year is not None:
        result.reading("policy_years")  # an exit year may be from 2014, the earliest the policy names
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
