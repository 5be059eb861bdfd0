"""The measure `dividend_register`: for the chosen year every household's status under measure 5
(`dividend_year_status`), the eligible households share the year's return by their shares
(`share_amount`, rule fen_half_up, over the list's own shares), households past their consolidation period
get nothing and their shares' part is one amount for the collective to pass on to new eligible households
(measure 5's 转分, reading `shares_pass_on`), and the rounding difference is stated in words.
"""

from .. import display, inputs
from ..money import grouped, plain, yuan
from ..params import MESSAGES
from ..rules import Result, dividend_year_status
from ..rules.dividends import collective_income, rate_used, rounding_difference, share_amount
from ..rules.readers import read_money, read_rate_percent
from .export import notice, register_csv
from .parse import ZERO, name_key, read_register
from .posting import read_posting

MEASURE = "dividend_register"
FIELDS = ("injected_funds", "agreed_rate_percent", "distribution_year", "village", "text", "household_rows", "export",
          "notice_options")
EXPORTS = ("notice", "csv")  # asked for when printing or saving, so typing in the form does not write them each time


def dividend_register(request, errors, when):
    """Measures 4–5 for a whole household list and one distribution year."""
    funds = read_money(errors, request, "injected_funds", required=True, positive=True)
    agreed = read_rate_percent(errors, request)
    year = inputs.read_year(errors, request, "distribution_year", "distribution_year", required=True)
    village = None
    if request.get("village") not in (None, ""):
        village = inputs.read_text(errors, request, "village", "village") or None
    register = read_register(errors, request)
    exports = _read_exports(errors, request)
    posting = read_posting(errors, request)
    if errors:
        return None

    result = Result(MEASURE, ["measure-4", "measure-5"], when)
    for reading in ("dividend_first_year", "dividend_poor_only", "dividend_years", "policy_years"):
        result.reading(reading)
    consolidation = int(result.value("consolidation_years"))
    rate = rate_used(result, agreed)
    exact_income, income = collective_income(result, funds, rate)
    statuses = [dividend_year_status(year, h.exit_year, consolidation) for h in register.households]
    households = register.households
    # Measure 5: the shares of households past consolidation pass to new eligible households by the
    # collective's 转分, never to the others on the list. So every dividend is a part of the return by
    # the list's own shares (rows that came by 转分 add none), and the ended shares not yet passed on
    # are one amount "to be passed on" (reading shares_pass_on).
    own_shares = sum((h.shares for h in households if not h.transferred), ZERO)
    total_shares = sum((h.shares for h in households), ZERO)
    ended = [h for h, (status, _, _) in zip(households, statuses) if status == "ended"]
    ended_shares = sum((h.shares for h in ended), ZERO)
    transferred_shares = sum((h.shares for h in households if h.transferred), ZERO)
    eligible_shares = sum((h.shares for h, (_, eligible, _) in zip(households, statuses) if eligible), ZERO)
    if transferred_shares > ended_shares or not own_shares:
        errors.add("text" if request.get("text") not in (None, "") else "household_rows",
                   "register_transfer_exceeds_ended", transferred=plain(transferred_shares),
                   ended=plain(ended_shares), unit=MESSAGES.text(f"register.unit_{register.basis}"))
        return None
    pending_shares = ended_shares - transferred_shares
    unit = MESSAGES.text(f"register.unit_{register.basis}")
    result.step("register_year", "measure-5", "consolidation_years", year=year, households=len(statuses),
                eligible=len(statuses) - len(ended), eligible_shares=plain(eligible_shares), ended=len(ended),
                ended_shares=plain(ended_shares), unit=unit)

    result.step("register_share", "measure-4", None, exact_income=plain(exact_income),
                own_shares=plain(own_shares), unit=unit)
    computed = rounded = False  # whether any share was computed (reading dividend_pro_rata_shares), any rounded
    # Households with the same shares get the same dividend: each distinct value is computed once.
    dividends = {ZERO: (ZERO, yuan(ZERO), display.both(display.amount, ZERO))}
    rows, paid, ending, labels = [], ZERO, [], {}
    for index, (household, (status, eligible, n)) in enumerate(zip(households, statuses), start=1):
        shares = household.shares if eligible else ZERO
        if shares not in dividends:
            exact, amount = share_amount(exact_income, shares, own_shares)
            computed, rounded = True, rounded or amount != exact
            dividends[shares] = (amount, yuan(amount), display.both(display.amount, amount))
        amount, amount_text, amount_display = dividends[shares]
        paid += amount
        ends = status == "consolidation" and n == consolidation
        if ends:
            ending.append((index, household.name))
        if (status, n, household.transferred) not in labels:
            label = MESSAGES.text(f"register.status_{status}", n=n)
            if household.transferred:
                label = {lang: label[lang] + MESSAGES.text("register.by_transfer")[lang] for lang in ("zh", "en")}
            labels[status, n, household.transferred] = label
        rows.append({"row": household.row, "household": household.name, "shares": plain(household.shares),
                     "exit_year": household.exit_year, "note": household.note, "status": status,
                     "status_label": labels[status, n, household.transferred], "eligible": eligible,
                     "consolidation_year": n, "consolidation_ends_this_year": ends,
                     "transferred": household.transferred, "dividend": amount_text,
                     "display": {"dividend": amount_display}})

    pending = ZERO
    if pending_shares:
        exact_pending, pending = share_amount(exact_income, pending_shares, own_shares)
        rounded = rounded or pending != exact_pending
    if computed:
        result.reading("dividend_pro_rata_shares")  # as dividend_share says it for one holder
    if rounded:
        result.rounding("fen_half_up")
    result.reading("rounding_per_household_share")
    difference = income - paid - pending
    result.subtotal("dividends", paid, "measure-4")
    if pending:
        result.subtotal("to_pass_on", pending, "measure-5")
    said = rounding_difference(result, difference)
    if not eligible_shares:
        result.warn("register_none_eligible", "measure-5", income=grouped(income))
    if ending:
        result.warn("register_ending_this_year", "measure-5", count=len(ending), households=_household_list(ending))
    if ended:
        result.warn("register_shares_passed_on", "measure-5", count=len(ended), shares=plain(ended_shares),
                    unit=unit, transferred=plain(transferred_shares), pending_shares=plain(pending_shares),
                    pending=grouped(pending))
    _notes_on_reading(result, register)
    result.total("collective", income, period="per_year")

    if ended:
        result.reading("shares_pass_on")
    if said:
        rounding_note = {lang: said[lang] for lang in ("zh", "en")}
        if pending:  # the part waiting for 转分 is rounded by the same named rule, and the note says so
            rule = MESSAGES.text("register.rounding_pass_on_rule", pending=grouped(pending))
            rounding_note = {lang: rounding_note[lang] + ("" if lang == "zh" else " ") + rule[lang] for lang in ("zh", "en")}
    else:
        rounding_note = MESSAGES.text("register.rounding_pass_on" if pending else "register.rounding_none",
                                      income=grouped(income), paid=grouped(paid), pending=grouped(pending))
    shown = {key: display.both(display.amount, value) for key, value in (
        ("injected_funds", funds), ("annual_return", income), ("dividends", paid),
        ("rounding_difference", difference), ("to_pass_on", pending))}
    # The line under the totals, on screen and on the 公示: what waits for the collective's 转分 (measure 5),
    # so that the dividends paid and this amount visibly make the year's return.
    pass_on = None
    if pending_shares:
        pass_on = {lang: MESSAGES.text("register.to_pass_on", amount=shown["to_pass_on"][lang],
                                       shares=plain(pending_shares),
                                       unit=MESSAGES.text(f"register.unit_{register.basis}")[lang])[lang]
                   for lang in ("zh", "en")}
    data = result.data
    data["households"] = rows
    data["register"] = {
        "year": year, "village": village, "basis": register.basis, "households": len(rows),
        "eligible_households": len(rows) - len(ended), "ended_households": len(ended),
        "ending_this_year": len(ending), "total_shares": plain(total_shares), "eligible_shares": plain(eligible_shares),
        "injected_funds": yuan(funds), "agreed_rate_percent": None if agreed is None else plain(agreed),
        "annual_return": yuan(income), "dividends": yuan(paid), "rounding_difference": yuan(difference),
        "own_shares": plain(own_shares), "transferred_shares": plain(transferred_shares),
        "ended_shares": plain(ended_shares), "to_pass_on_shares": plain(pending_shares), "to_pass_on": yuan(pending),
        "rounding_note": rounding_note,
        "empty_rows": register.empty_rows, "ignored_columns": register.ignored_columns,
        "pass_on": pass_on,
        "display": shown,
    }
    data["notice"] = {lang: notice(data, lang, posting) for lang in ("zh", "en")} if "notice" in exports else None
    data["csv"] = {lang: register_csv(data, lang) for lang in ("zh", "en")} if "csv" in exports else None
    return result


def _read_exports(errors, request):
    """Which written-out forms to add: a list of "notice" and/or "csv" (none when absent)."""
    value = request.get("export")
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.add("export", "not_a_list", field=inputs.field_name("export"))
        return ()
    return tuple(inputs.read_choice(errors, {"export": item}, f"export[{index}]", "export", EXPORTS)
                 for index, item in enumerate(value))



def _notes_on_reading(result, register):
    """Blank rows skipped and columns ignored are said, never silent."""
    if register.empty_rows:
        result.warn("register_empty_rows", "measure-4", count=len(register.empty_rows),
                    rows=_row_list(register.empty_rows))
    if register.above_header:
        result.warn("register_above_header", "measure-4", rows=_row_list(register.above_header))
    if register.ignored_columns:
        columns = {"zh": "、".join(f"{c['column']}（{c['header'] or '—'}）" for c in register.ignored_columns),
                   "en": ", ".join(f"{c['column']} ({c['header'] or '—'})" for c in register.ignored_columns)}
        result.warn("register_ignored_columns", "measure-4", columns=columns)
    seen = {}
    for index, household in enumerate(register.households, start=1):
        seen.setdefault(name_key(household.name), []).append((index, household.name))
    repeated = [rows for rows in seen.values() if len(rows) > 1]
    if repeated:
        lists = [_household_list(rows) for rows in repeated]
        result.warn("register_same_name", "measure-4", groups={"zh": "；".join(r["zh"] for r in lists),
                                                               "en": "; ".join(r["en"] for r in lists)})


def _household_list(households, limit=20):
    """Households as the table shows them, by 序号 and name: '序号3 王福贵、序号10 李四' / 'No. 3 王福贵, No. 10 李四'."""
    shown = households[:limit]
    texts = {lang: [MESSAGES.text("register.household_ref", index=i, name=name)[lang] for i, name in shown]
             for lang in ("zh", "en")}
    more = ["…"] if len(households) > limit else []
    return {"zh": "、".join(texts["zh"] + more), "en": ", ".join(texts["en"] + more)}


def _row_list(rows, limit=20):
    """Row numbers as ranges in both languages, '2–4、9' / '2–4, 9', shortened after `limit` ranges."""
    ranges = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    texts = [str(a) if a == b else f"{a}–{b}" for a, b in ranges]
    shown = texts[:limit] + (["…"] if len(texts) > limit else [])
    return {"zh": "、".join(shown), "en": ", ".join(shown)}
