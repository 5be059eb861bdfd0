"""Measure 8: Grain for Green (1,500 yuan a mu as five installments by calendar year) and the
poverty-alleviation afforestation cooperative's subsidy with its labour and poor-household pay minimums.
"""

from .. import display, inputs
from ..money import fen_half_up, fen_up, grouped, percent, plain, yuan
from ..params import MESSAGES, POLICY
from .readers import read_area, read_money
from .result import ZERO, Result, shown, unit_label


# ---------------------------------------------------------------- measure 8: Grain for Green

def grain_to_forest(request, errors, when):
    area = read_area(errors, request, "area_mu", required=True, positive=True)
    first_year = inputs.read_year(errors, request, "first_year", "first_year", required=True)
    if errors:
        return None
    result = Result("grain_to_forest", ["measure-8"], when)
    result.reading("grain_for_green_all_farmers")
    result.reading("policy_years")  # the first installment's year: from 2018
    per_mu = result.value("grain_to_forest_installments")
    total_exact = area * result.value("grain_to_forest_total")
    total = fen_half_up(total_exact)
    result.step("rate_times_quantity", "measure-8", "grain_to_forest_total", exact=total_exact,
                label={"zh": POLICY["grain_to_forest_total"].label_zh, "en": POLICY["grain_to_forest_total"].label_en},
                quantity=display.both(display.unit_text, area, "mu"),
                rate=plain(result.value("grain_to_forest_total")), rate_unit=unit_label("yuan_per_mu"))
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
        shown(result.data["lines"][-1])
        result.schedule_row(year=year, installment=index, rate=plain(rate), amount=yuan(amount),
                            rate_unit="yuan_per_mu")
        paid += amount
    if total != total_exact:
        result.rounding("fen_half_up")
    result.total("grain_to_forest", total)
    result.warn("grain_to_forest_all_households", "measure-8")
    return result


# ---------------------------------------------------------------- measure 8: afforestation cooperatives

def afforestation_coop(request, errors, when):
    area = read_area(errors, request, "area_mu", required=True, positive=True)
    labour = read_money(errors, request, "labour_spending")
    poor_pay = read_money(errors, request, "poor_pay")
    if labour is not None and poor_pay is not None and poor_pay > labour:
        errors.add("poor_pay", "poor_pay_exceeds_labour", labour=grouped(labour))
    if errors:
        return None
    result = Result("afforestation_coop", ["measure-8"], when)
    subsidy = result.rate_line("coop_subsidy", "afforestation_coop_subsidy", area, "mu",
                               label=MESSAGES.text("line.coop_subsidy"))
    result.total("coop", subsidy)
    labour_min = _minimum_check(result, "labour_share", "afforestation_min_labour_share", subsidy, labour)
    if labour is not None:
        result.reading("afforestation_pay_on_actual_labour")
    _minimum_check(result, "poor_pay_share", "afforestation_min_poor_pay_share",
                   labour if labour is not None else labour_min, poor_pay)
    return result


def _minimum_check(result, check_id, parameter, base, actual):
    """A 'not less than share × base' rule: the minimum (rule fen_up) and, given the actual amount, whether it holds."""
    share = result.value(parameter)
    exact = base * share
    minimum = fen_up(exact)
    label = MESSAGES.text(f"check.{check_id}", share=percent(share))
    # "rounded up to the fen" is said only when rule fen_up changed the amount
    result.step("minimum" if minimum != exact else "minimum_exact", "measure-8", parameter, exact=exact, label=label,
                base=yuan(base), share=percent(share), minimum=yuan(minimum))
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
    result.check(check)
    return minimum
