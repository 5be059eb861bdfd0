"""Write docs/api.md: the request schema and one full request/response per measure.

The responses are computed, never typed; tests/test_docs.py checks the file is current.
Run: python docs/generate_api.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calculator import MAX_JSON_DEPTH, MAX_JSON_TEXT, MEASURES, calculate, inputs  # noqa: E402

EXAMPLES = {
    "household_subsidy": {"measure": "household_subsidy", "registered_poor": True,
                          "crops": {"mobile_greenhouse": "0.5", "commercial_potato": "3.3333"},
                          "livestock": {"cattle": 1, "sheep": 2}, "land_transfer_mu": "2"},
    "entity_land_transfer": {"measure": "entity_land_transfer", "area_mu": "120"},
    "self_run_project": {"measure": "self_run_project", "registered_poor": True, "project_type": "rural_tourism"},
    "grain_to_forest": {"measure": "grain_to_forest", "area_mu": "2.3333", "first_year": 2018},
    "afforestation_coop": {"measure": "afforestation_coop", "area_mu": "50", "labour_spending": "18000",
                           "poor_pay": "10000"},
    "asset_dividend": {"measure": "asset_dividend", "registered_poor": True, "injected_funds": "500000",
                       "agreed_rate_percent": "5", "total_shares": "300", "household_shares": "3",
                       "exit_year": 2019},
    "collective_dividends": {"measure": "collective_dividends", "injected_funds": "1.67",
                             "share_table": [{"household": "张三", "shares": "1"}, {"household": "李四", "shares": "1"},
                                             {"household": "王五", "shares": "1"}]},
    "dividend_register": {"measure": "dividend_register", "injected_funds": "1.67", "distribution_year": 2023,
                          "village": "沁河村",
                          "text": "户主,股数,脱贫年份,备注\r\n张三,1,2019,\r\n李四,1,,\"迁入, 2018\"\r\n王五,1,,\r\n"
                                  "赵六,1,2020,\r\n",
                          "export": ["notice", "csv"]},
    "entity_loan": {"measure": "entity_loan", "households": 12, "uses_revolving_fund": True},
    "household_loan": {"measure": "household_loan", "exit_year": 2015, "requested_amount": "25000"},
    "household_overview": {"measure": "household_overview", "registered_poor": True, "exit_year": 2019,
                           "start_year": 2019, "crops": {"medicinal_herbs": "1.5"}, "crop_years": {"medicinal_herbs": 2020},
                           "livestock": {"cattle": 1, "sheep": 2}, "land_transfer_mu": "2",
                           "land_transfer_from_year": 2019, "land_transfer_to_year": 2020,
                           "grain_to_forest": {"area_mu": "1"},
                           "collective": {"injected_funds": "500000", "total_shares": "300", "household_shares": "3"},
                           "project_type": "rural_tourism", "loan_amount": "20000"},
    "household_whatif": {"measure": "household_whatif", "registered_poor": True, "exit_year": 2019,
                         "crops": {"medicinal_herbs": "1"}, "livestock": {"cattle": 2},
                         "collective": {"injected_funds": "500000", "total_shares": "300", "household_shares": "2"}},
    "error": {"measure": "grain_to_forest", "area_mu": "-1", "first_year": "soon"},
}

FIELDS = {
    "household_subsidy": [
        ("registered_poor", "boolean, required", "a registered poor household (建档立卡贫困户); any other household gets 0 with the reason"),
        ("crops", "object", "area in mu per crop: solar_greenhouse, mobile_greenhouse, commercial_potato, medicinal_herbs, minor_grains"),
        ("livestock", "object", "whole head counts: pig, cattle, donkey, sheep, chicken"),
        ("land_transfer_mu", "area", "land the household transfers (流转; the policy does not say in or out), per year")],
    "entity_land_transfer": [("area_mu", "area, required, > 0", "poor households' land the enterprise takes in")],
    "self_run_project": [
        ("registered_poor", "boolean, required", ""),
        ("project_type", "choice, required", "rural_tourism, processing, e_commerce, photovoltaic, other; planting and breeding are answered as not eligible under measure 7 (they are measure 6)")],
    "grain_to_forest": [
        ("area_mu", "area, required, > 0", "cropland converted"),
        ("first_year", "year, required", "calendar year of the first installment")],
    "afforestation_coop": [
        ("area_mu", "area, required, > 0", "area afforested by the cooperative"),
        ("labour_spending", "money", "actual labour spending, to check the 45% rule"),
        ("poor_pay", "money", "actual pay to poor households, to check the 60% rule; at most labour_spending")],
    "asset_dividend": [
        ("registered_poor", "boolean, required", ""),
        ("injected_funds", "money, required, > 0", "fiscal funds injected as village collective assets"),
        ("agreed_rate_percent", "percent, ≤ 2 decimals", "agreed annual return; default and floor 6"),
        ("total_shares", "shares, required, > 0", "all shares quantified (per household or per person)"),
        ("household_shares", "shares, required, > 0", "this household's shares, ≤ total_shares"),
        ("exit_year", "year", "year of exit from poverty; absent = not exited"),
        ("from_year", "year", "first year listed; default 2018, the first start of a year after issue"),
        ("to_year", "year", "last year listed; default exit_year + 4 (or from_year + 4)")],
    "collective_dividends": [
        ("injected_funds", "money, required, > 0", ""),
        ("agreed_rate_percent", "percent", ""),
        ("share_table", "list, required, 1–2,000 rows", "rows of {household: text ≤ 40 chars, shares: shares > 0}")],
    "dividend_register": [
        ("injected_funds", "money, required, > 0", ""),
        ("agreed_rate_percent", "percent", "agreed annual return; default and floor 6"),
        ("distribution_year", "year, required, ≥ 2018", "the year whose start-of-year distribution is listed"),
        ("village", "text ≤ 40 chars", "the village's name, for the 公示 title"),
        ("text", "text ≤ 1,000,000 chars", "the household list as CSV (comma or full-width comma) or TSV pasted from "
         "Excel/WPS, a leading BOM ignored; header row (any order, Chinese or English): 户主/户主姓名/户名/姓名/household/"
         "name, 股数/份额/股份/shares or 人口/人数/people, optional 脱贫年份/脱贫年度/exit year and 备注/note; other columns "
         "are listed as ignored, blank rows as skipped; ≤ 2,000 households; errors carry `row` (the spreadsheet's row "
         "number, header = row 1) and `column` (its letter)"),
        ("household_rows", "list, 1–2,000 rows", "instead of `text`: rows of {household, shares or people, exit_year?, "
         "note?}; errors carry `row` (1 = the first)"),
        ("export", "list of `notice`, `csv`", "add the 公示 table (`notice`: title, facts, columns, rows, totals, "
         "notes, the 分配办法, the 本站理解 readings footnote, the posting period and contact lines, signatures, in zh "
         "and en) and the CSV text (`csv`: UTF-8 without BOM, CRLF, in zh and en)"),
        ("notice_options", "object", "what the 公示 prints, as the bookkeeper typed it (`calculator/register/posting.py`): "
         "`notice_start`, `notice_end` (ISO dates; the end defaults to the start + 10 days; an end before the start is "
         "refused), `objection_contact`, `village_phone`, `township_phone` (text ≤ 40 chars), `national_line` (boolean: "
         "print 12317), `distribution_method` (text ≤ 1,000 chars, line breaks kept; absent = a plain statement of what "
         "the table does); an absent date, contact or phone prints as a blank line to fill in by hand")],
    "entity_loan": [
        ("households", "whole number 1–10,000, required", "poor households brought along"),
        ("uses_revolving_fund", "boolean, required", "uses the agricultural-support revolving fund")],
    "household_loan": [
        ("exit_year", "year", "year the household exited poverty; absent = not exited"),
        ("requested_amount", "money", "amount the household wants; capped at 20,000")],
    "household_overview": [
        ("registered_poor", "boolean, required", "passed to every measure that asks it"),
        ("exit_year", "year", "year of exit from poverty; absent = not exited (dividends, loan)"),
        ("start_year", "year ≥ 2018", "the year the household enters: one-off subsidies, land transfer and dividends count from it unless their own years are given; default the earliest year the profile names (exit year, Grain for Green's first year, land-transfer, crop and livestock years; 2018 with village shares), else the year of `date`, else this year"),
        ("crops", "object", "as `household_subsidy`: area in mu per crop"),
        ("crop_years", "object of years ≥ 2018", "per crop, the year it is planted (its one-off subsidy is counted then); default start_year; years of crops not grown are ignored"),
        ("livestock", "object", "as `household_subsidy`: whole head counts"),
        ("livestock_year", "year ≥ 2018", "the year the animals are bought; one year for all, since the 3,000 cap is per household; default start_year"),
        ("land_transfer_mu", "area", "land the household transfers out, paid every year of the transfer"),
        ("land_transfer_from_year", "year ≥ 2018", "first year of the transfer; default start_year"),
        ("land_transfer_to_year", "year ≥ 2018", "last year of the transfer, ≥ the first; default the first (one year, with a warning when no year is given)"),
        ("grain_to_forest", "object", "`{area_mu, first_year}` as `grain_to_forest`; first_year defaults to start_year"),
        ("collective", "object", "`{injected_funds, agreed_rate_percent, total_shares, household_shares}` as `asset_dividend`; listed from start_year"),
        ("project_type", "choice", "as `self_run_project`: its range is shown apart, never added"),
        ("loan_amount", "money", "a loan the household would like (`household_loan`'s requested_amount): shown apart, never added")],
}

NOTES = {
    "household_overview": """The overview calls the single measures with sub-requests built from the profile and takes over their amounts, warnings, rounding and trace; an error keeps the measure's own code and text, its path pointing into the profile (`livestock.cattle`, `grain_to_forest.area_mu`, `collective.household_shares`, `loan_amount`). A blank answer or a group of blanks counts as not given. Beyond the common keys, its result has:

| key | meaning |
|---|---|
| `start_year` | the start year used |
| `start_year_source` | how it was chosen: `given`, `profile` (the earliest year the profile names), `date`, `today` or `default` |
| `dropped` | payments the profile implies that the chosen start year leaves out (only dividends before it can be): `{measure, code: dividends_before_start, clause, years, first, last, start_year, amount, display, zh, en, readings}`; empty when nothing is left out |
| `years` | every calendar year from the first payment to the last: `{year, items, total}`; each item `{measure, id, label, clause, amount, period (once / yearly), readings, ...}` (crops and land carry `quantity` and `unit`; the livestock item its `parts`, `capped`, `amount_before_cap`, `cap`, `cut`; a dividend its `status` and `note`); every item also `name` (what it is, naming its measure: \"退耕还林补助 第1次（共5次）\") and `tag` (\"一次性\" / \"每年\", or null where no frequency is true) |
| `peak_year` | the first year paid the most (null when nothing is paid): what the page's summary sentence names |
| `subtotals` | the total of each measure over all years |
| `total` | all years together (`period: all_years`), without the range and the loan |
| `range` | measure 7's range with `note` saying why it is not added (null when no project or not eligible) |
| `loan` | measure 9's loan amount with `note`: a loan is not income (null when none asked or not eligible) |
| `not_applicable` | what does not apply and why: `{measure, code, clause, zh, en, readings}` |
| `readings` | the ids of every reading the answer relies on (items, range, loan, not_applicable, trace steps with `reading`) |

Trace steps and warnings carry the `measure` they come from; the overview's own steps (start year, year totals) have clause null.""",
    "household_whatif": """The same fields as `household_overview`. It answers the profile as the overview does (the same errors), then up to four one-tap variations that make sense for it, in the order the form asks: one more head of each animal entered, one more mu of each crop entered, the exit a year later (only with village shares). Each variation is a second `household_overview` of the changed profile and the exact difference per year (`calculator/compare.py`). Beyond the common keys:

| key | meaning |
|---|---|
| `base_total` | the overview's total of the profile as entered |
| `start_year` | the start year the overview used |
| `variations` | `{id, kind (one_more_head / one_more_mu / exit_later), path, label, from, to, years, total, zero, reason}`: `years` only the years whose total changes, `{year, difference, display}`; `total.difference` over all years; when `zero`, `reason` is `{code (cap_reached / not_eligible / outside_years / no_difference), zh, en}`, else null |""",
}

INTRO = f"""# The rule module's request and response

This file is checked by `tests/test_docs.py`: every request below, run through `calculator.calculate`, must give exactly the response shown. Regenerate it with `python docs/generate_api.py` after a deliberate change.

## The envelope

`calculator.calculate(request: dict) -> dict` (and `calculate_json(text) -> text`, what the browser and `python -m calculator` call) takes one object with a `measure` and that measure's fields, plus two optional fields for every measure:

| field | type | meaning |
|---|---|---|
| `measure` | choice, required | one of {", ".join(f"`{m}`" for m in MEASURES)} |
| `date` | `YYYY-MM-DD` | apply the parameter values in force on that date (default: today, so an amendment dated in the future never applies early); not before 2017-11-13 |
| `rules_version` | text | the version a saved link was made under; if it differs from the current one, the result carries a `rules_changed` warning |

`calculator.compare_json(text_a, text_b) -> text` is the calculator page's "What if…": two `household_overview` requests in, `{{"a": answer, "b": answer, "difference": …}}` out, each answer exactly what `calculate_json` gives on its own and the difference per year subtracted exactly (Decimal), with its display texts.

Value types: an **area** is a non-negative decimal in mu with at most 4 decimal places, ≤ 100,000; **money** is non-negative yuan with at most 2 decimal places, ≤ 1,000,000,000; **shares** have at most 4 decimals; a **year** is 2014–2050; numbers may be JSON numbers (parsed exactly, never as floats) or strings of ASCII digits (full-width digits, the full stops `．` and `。` and the full-width minus `－` are read as their ASCII forms, and nothing else is: `10²`, `⑫` or Arabic-Indic digits are refused; exponents are not accepted). Strings are read as people write them (`calculator/inputs.py`): thousands separators in their places (`500,000`, `500，000`; `1,5` is refused), `万` after a number (`50万` = 500,000, `1.5万` = 15,000), a trailing unit of the field (`3亩`, `2头`, `500元`, `2股`, `8%`, `2019年`; another unit is refused as `wrong_unit`), Chinese numerals for whole counts (`一` to `九十九`, `两`, `十`); `三亩半` is refused (`half_spelled`, naming `3.5`) and a fraction of a count too (`fraction_in_count`). Where a number was reinterpreted, the result's `read_as` says how: `{{path, typed, value, zh, en}}`, e.g. "投进去的钱（注入资金，元）：“50万”按 500,000 元计算。". The JSON text of `calculate_json` is at most {MAX_JSON_TEXT:,} characters, nested at most {MAX_JSON_DEPTH} levels, with no key given twice in an object. Unknown fields are errors. Bounds live in `calculator/parameters.toml` under `[limits]`.

A result (`ok: true`) always has every key: `measure`, `title`, `clauses` (ids and citations), `eligible`, `lines` (each with `quantity`, `unit`, `rate`, `rate_unit`, `amount` as a decimal string, `period` once/per_year, `clause`, `parameter`), `subtotals`, `total` (or null), `range` (or null), `schedule`, `checks`, `warnings` (code, clause, zh, en), `trace` (the "how this was calculated" steps: parameter, clause, zh, en; an exact value is shown to at most 4 decimals with ≈, the step's `exact` keeps it whole), `rounding` (the named rounding rules applied, with their explanation), `readings` (ids of calculator/readings.toml: where the policy is silent or ambiguous and this result relies on the calculator's reading), `read_as` (how numbers written as people write them were read; empty when none was reinterpreted), `read` (`{{path: digits}}` of every number written other than as its plain digits, `"两头"`, `"3头"` or `"２"`, as the digits it was read as: what the page's +/− steppers count on from), `module_version`, `rules_version`. Every object in `lines`, `subtotals`, `schedule`, `checks`, and `total` and `range`, has `display`: each of its figures (money such as `amount`, `min`, `max`, `cap`, `cut`; `quantity` with its unit; `rate` with its rate unit; `share` as a percent; `year`; `installment`) as `{{zh, en}}` text ready to show, e.g. `"13,000.00 元（1.3万元）"` / `"13,000.00 yuan"`, `"0.5 亩"` / `"0.5 mu"`, `"20,000 元/亩"` / `"20,000 yuan per mu"`, so a page formats no numbers itself. The household overview also gives `spoken` beside `display` (its total, each year and its total, each item and part): the same figures as words for reading aloud, exact to the fen (`calculator/spoken.py`), e.g. `"一千元零五分"` / `"one thousand yuan and five fen"`, `"二〇一九年"` / `"twenty nineteen"`, `"两头牛"` / `"two head of cattle"`. A measure that does not apply (a self-run planting project, a household that is not registered poor) has no `range` and says so in the `not_applicable` warning. An invalid request gives `ok: false` and `errors`: a list of `{{path, code, zh, en}}`, every problem at once, in request order (the first {inputs.MAX_ERRORS}, then one `more_errors` item that counts the rest), and `read` as above for the numbers it could read. `calculate()` never raises: even a bug answers with the bilingual `internal_error`.

Rounding rules: `fen_half_up` (each line rounded half-up to 0.01 yuan; the policy is silent), `fen_up` (a "not less than" minimum is rounded up to the fen), `last_installment_absorbs` (Grain for Green year 5 takes the rounding so the five installments add up to area × 1,500 rounded half-up).
"""


def render():
    out = [INTRO]
    for measure, request in EXAMPLES.items():
        out += [f"## {'An invalid request' if measure == 'error' else f'`{measure}`'}", ""]
        if measure in FIELDS:
            out += ["| field | type | meaning |", "|---|---|---|"]
            out += [f"| `{name}` | {kind} | {meaning} |" for name, kind, meaning in FIELDS[measure]] + [""]
        if measure in NOTES:
            out += [NOTES[measure], ""]
        out += ["Request:", "", "```json", json.dumps(request, ensure_ascii=False, indent=2), "```", "",
                "Response:", "", "```json", json.dumps(calculate(request), ensure_ascii=False, indent=2), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs/api.md").write_text(render(), encoding="utf-8")
