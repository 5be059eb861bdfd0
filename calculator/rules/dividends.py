"""Measures 4–5: asset-income dividends: the collective's annual return (at least 6%), one household's
dividend over the years including the consolidation period, and a village collective's whole share table.
"""

from .. import display, inputs
from ..money import fen_half_up, grouped, percent, plain, yuan
from ..params import MESSAGES, POLICY
from .readers import read_money, read_rate_percent, read_shares
from .result import ZERO, Result

# The first start of a year after the policy's issue (2017-11-13): measure 4 pays the 保底 "每年年初", so
# 2018 is the first year a dividend can be paid (reading dividend_first_year).
FIRST_DIVIDEND_YEAR = inputs.FIRST_POLICY_YEAR  # the first start of a year after the policy's date


def rate_used(result, agreed_percent):
    """The agreed rate, but never below measure 4's minimum (with a warning when raised)."""
    minimum = result.value("dividend_min_rate")
    agreed = minimum if agreed_percent is None else agreed_percent / 100
    rate = max(agreed, minimum)
    if agreed < minimum:
        result.reading("dividend_minimum_rate")
        result.warn("rate_below_minimum", "measure-4", agreed=percent(agreed), minimum=percent(minimum))
    if agreed_percent is None:  # nothing agreed was entered: say so, not "agreed 6%"
        result.step("rate_used_default", "measure-4", "dividend_min_rate", rate=percent(rate))
    else:
        result.step("rate_used", "measure-4", "dividend_min_rate", rate=percent(rate), agreed=percent(agreed),
                    minimum=percent(minimum))
    result.data["rate_used_percent"] = percent(rate)
    return rate


def collective_income(result, funds, rate):
    """The collective's exact annual income and its line item (rule fen_half_up)."""
    exact = funds * rate
    amount = fen_half_up(exact)
    result.step("collective_income", "measure-4", "dividend_min_rate", exact=exact, funds=grouped(funds),
                rate=percent(rate))
    result.rounded_step("measure-4", "dividend_min_rate", exact, amount)
    result.add_line("collective_income", MESSAGES.text("line.collective_income"), amount, "measure-4",
                    parameter="dividend_min_rate", quantity=funds, unit="yuan", rate=rate, rate_unit="ratio",
                    period="per_year")
    _guaranteed_part(result, funds, rate, amount)
    result.reading("dividend_whole_return_split")
    return exact, amount


def _guaranteed_part(result, funds, rate, amount):
    """Of which: the guaranteed minimum (保底, measure 4's 6 %) and, at a higher agreed rate, the part above it.

    Only the 保底 part is what measure 4 guarantees; the part above is the agreed return's rest, the
    difference of the two rounded amounts so that the parts add up to the line above (rule fen_half_up)."""
    minimum = result.value("dividend_min_rate")
    guaranteed = fen_half_up(funds * minimum)
    result.reading("guaranteed_return_paid_through_collective")  # that the 6% part is the 保底 is our reading
    result.add_line("guaranteed_return", MESSAGES.text("line.guaranteed_return"), guaranteed, "measure-4",
                    parameter="dividend_min_rate", quantity=funds, unit="yuan", rate=minimum, rate_unit="ratio",
                    period="per_year")
    if rate > minimum:
        result.add_line("return_above_guaranteed", MESSAGES.text("line.return_above_guaranteed"),
                        amount - guaranteed, "measure-4", parameter="dividend_min_rate", period="per_year")


def share_amount(exact_income, shares, total_shares):
    """One holder's share of the income, (exact, rounded): exact income × shares ÷ total shares,
    rounded by rule fen_half_up. Pure; `dividend_share` adds its trace, a register one step for all rows."""
    exact = exact_income * shares / total_shares
    return exact, fen_half_up(exact)


def dividend_share(result, exact_income, shares, total_shares, who):
    """One holder's dividend (share_amount), with its reading and trace step."""
    exact, amount = share_amount(exact_income, shares, total_shares)
    result.reading("dividend_pro_rata_shares")
    result.step("share_of_income", "measure-4", None, exact=exact, who=who,
                exact_income=display.approximate_grouped(exact_income),
                shares=display.both(display.unit_text, shares, "shares"),
                total_shares=display.both(display.unit_text, total_shares, "shares"))
    result.rounded_step("measure-4", None, exact, amount)
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
    funds = read_money(errors, request, "injected_funds", required=True, positive=True)
    agreed = read_rate_percent(errors, request)
    total_shares = read_shares(errors, request, "total_shares", "total_shares")
    household_shares = read_shares(errors, request, "household_shares", "household_shares")
    exit_year = inputs.read_year(errors, request, "exit_year", "exit_year")
    from_year = inputs.read_year(errors, request, "from_year", "from_year")
    to_year = inputs.read_year(errors, request, "to_year", "to_year")
    if total_shares is not None and household_shares is not None and household_shares > total_shares:
        errors.add("household_shares", "shares_exceed_total", total=plain(total_shares))
    consolidation = int(POLICY["consolidation_years"].at(when))
    first_year_read = from_year is None
    if first_year_read:  # paid at the start of each year (measure 4): the first year start after issue
        from_year = FIRST_DIVIDEND_YEAR
    if to_year is None and from_year is not None:
        to_year = max(from_year, (exit_year if exit_year is not None else from_year) + consolidation + 1)
    if from_year is not None and to_year is not None and to_year < from_year:
        errors.add("to_year", "year_order")
    if errors:
        return None

    result = Result("asset_dividend", ["measure-4", "measure-5"], when)
    result.reading("poor_means_registered")
    if first_year_read:
        result.reading("dividend_first_year")
    if exit_year is not None or not first_year_read or request.get("to_year") not in (None, ""):
        result.reading("policy_years")  # a year typed in: the one rule of every year field
    rate = rate_used(result, agreed)
    exact_income, _ = collective_income(result, funds, rate)
    if registered:
        dividend = dividend_share(result, exact_income, household_shares, total_shares,
                                  MESSAGES.text("trace.this_household"))
        _below_minimum_both(result, funds, agreed, rate, household_shares, total_shares, dividend)
    else:  # the steps end where the answer does: no share computed for a household that gets none
        dividend = ZERO
        result.step("dividend_not_registered", "measure-4", None)
    result.add_line("household_dividend", MESSAGES.text("line.household_dividend"),
                    dividend if registered else ZERO, "measure-4", quantity=household_shares, unit="shares",
                    period="per_year")
    if registered and exit_year is None:
        result.step("no_exit_year", "measure-5", "consolidation_years")
    elif registered:
        result.reading("dividend_years")
        result.step("eligibility_years", "measure-5", "consolidation_years", exit_year=exit_year,
                    last_year=exit_year + consolidation, consolidation=consolidation,
                    ended_year=exit_year + consolidation + 1)
    paid = ZERO
    for year in range(from_year, to_year + 1):
        status, eligible, n = dividend_year_status(year, exit_year, consolidation)
        if not registered:
            status, eligible, n = "not_registered", False, None
        if status == "ended":
            result.reading("shares_pass_on")
        amount = dividend if eligible else ZERO
        paid += amount
        label = MESSAGES.text(f"status.{status}", n=n)
        result.schedule_row(year=year, status=status, eligible=eligible, label=label, amount=yuan(amount),
                            clause="measure-5" if exit_year is not None else "measure-4")
    if not registered:
        result.ineligible()
        result.reading("dividend_poor_only")
        result.warn("dividend_not_registered", "measure-4")
    result.total("dividend_schedule", paid)
    return result


def _below_minimum_both(result, funds, agreed_percent, rate, shares, total_shares, dividend):
    """An agreed rate below measure 4's minimum: the household's amount at both rates, and where to raise it."""
    if agreed_percent is None or agreed_percent / 100 >= rate:
        return
    agreed = agreed_percent / 100
    _, at_agreed = share_amount(funds * agreed, shares, total_shares)
    result.reading("where_to_report")
    result.warn("rate_below_minimum_household", "measure-4", agreed=percent(agreed), minimum=percent(rate),
                at_agreed=display.both(display.amount, at_agreed), at_minimum=display.both(display.amount, dividend))


def collective_dividends(request, errors, when):
    funds = read_money(errors, request, "injected_funds", required=True, positive=True)
    agreed = read_rate_percent(errors, request)
    rows = _share_table(errors, request)
    if errors:
        return None
    result = Result("collective_dividends", ["measure-4", "measure-5"], when)
    result.reading("dividend_poor_only")
    rate = rate_used(result, agreed)
    exact_income, income = collective_income(result, funds, rate)
    total_shares = sum((shares for _, shares in rows), ZERO)
    paid = ZERO
    for index, (household, shares) in enumerate(rows):
        amount = dividend_share(result, exact_income, shares, total_shares, household)
        result.add_line(f"household_{index + 1}", MESSAGES.text("line.share_row", household=household), amount,
                        "measure-4", quantity=shares, unit="shares", period="per_year")
        paid += amount
    result.reading("rounding_per_household_share")
    result.data["total_shares"] = plain(total_shares)
    result.subtotal("dividends", paid, "measure-4")
    rounding_difference(result, income - paid)
    result.total("collective", income, period="per_year")
    return result


def rounding_difference(result, difference):
    """The return minus the rounded dividends, when not 0: a line whose label says which way, and a warning.
    Returns the warning (its zh/en state the difference in words), or None."""
    if not difference:
        return None
    side = MESSAGES.text("line.households_more" if difference < 0 else "line.households_less")
    label = MESSAGES.text("line.rounding_difference", side=side, difference=grouped(abs(difference)))
    line = result.add_line("rounding_difference", label, difference, "measure-4", period="per_year")
    line["display"]["amount"] = display.both(display.amount, abs(difference))  # the label says which way
    result.warn("rounding_difference", "measure-4", difference=label)
    return result.data["warnings"][-1]


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
        shares = read_shares(errors, row, f"{path}.shares", "shares")
        rows.append((name, shares))
    return rows
