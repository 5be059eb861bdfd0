"""Write docs/api.md: the request schema and one full request/response per measure.

The responses are computed, never typed; tests/test_docs.py checks the file is current.
Run: python docs/generate_api.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calculator import MEASURES, calculate  # noqa: E402

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
         "notes, signatures, in zh and en) and the CSV text (`csv`: UTF-8 without BOM, CRLF, in zh and en)")],
    "entity_loan": [
        ("households", "whole number 1–10,000, required", "poor households brought along"),
        ("uses_revolving_fund", "boolean, required", "uses the agricultural-support revolving fund")],
    "household_loan": [
        ("exit_year", "year", "year the household exited poverty; absent = not exited"),
        ("requested_amount", "money", "amount the household wants; capped at 20,000")],
}

INTRO = f"""# The rule module's request and response

This file is checked by `tests/test_docs.py`: every request below, run through `calculator.calculate`, must give exactly the response shown. Regenerate it with `python docs/generate_api.py` after a deliberate change.

## The envelope

`calculator.calculate(request: dict) -> dict` (and `calculate_json(text) -> text`, what the browser and `python -m calculator` call) takes one object with a `measure` and that measure's fields, plus two optional fields for every measure:

| field | type | meaning |
|---|---|---|
| `measure` | choice, required | one of {", ".join(f"`{m}`" for m in MEASURES)} |
| `date` | `YYYY-MM-DD` | apply the parameter values in force on that date (default: the latest); not before 2017-11-13 |
| `rules_version` | text | the version a saved link was made under; if it differs from the current one, the result carries a `rules_changed` warning |

Value types: an **area** is a non-negative decimal in mu with at most 4 decimal places, ≤ 100,000; **money** is non-negative yuan with at most 2 decimal places, ≤ 1,000,000,000; **shares** have at most 4 decimals; a **year** is 2014–2050; numbers may be JSON numbers (parsed exactly, never as floats) or strings (full-width digits and the Chinese full stop `。` are accepted; exponents and thousands separators are not). Unknown fields are errors. Bounds live in `calculator/parameters.toml` under `[limits]`.

A result (`ok: true`) always has every key: `measure`, `title`, `clauses` (ids and citations), `eligible`, `lines` (each with `quantity`, `unit`, `rate`, `rate_unit`, `amount` as a decimal string, `period` once/per_year, `clause`, `parameter`), `subtotals`, `total` (or null), `range` (or null), `schedule`, `checks`, `warnings` (code, clause, zh, en), `trace` (the "how this was calculated" steps: parameter, clause, zh, en), `rounding` (the named rounding rules applied, with their explanation), `module_version`, `rules_version`. An invalid request gives `ok: false` and `errors`: a list of `{{path, code, zh, en}}`, every problem at once, in request order. `calculate()` never raises: even a bug answers with the bilingual `internal_error`.

Rounding rules: `fen_half_up` (each line rounded half-up to 0.01 yuan; the policy is silent), `fen_up` (a "not less than" minimum is rounded up to the fen), `last_installment_absorbs` (Grain for Green year 5 takes the rounding so the five installments add up to area × 1,500 rounded half-up).
"""


def render():
    out = [INTRO]
    for measure, request in EXAMPLES.items():
        out += [f"## {'An invalid request' if measure == 'error' else f'`{measure}`'}", ""]
        if measure in FIELDS:
            out += ["| field | type | meaning |", "|---|---|---|"]
            out += [f"| `{name}` | {kind} | {meaning} |" for name, kind, meaning in FIELDS[measure]] + [""]
        out += ["Request:", "", "```json", json.dumps(request, ensure_ascii=False, indent=2), "```", "",
                "Response:", "", "```json", json.dumps(calculate(request), ensure_ascii=False, indent=2), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs/api.md").write_text(render(), encoding="utf-8")
