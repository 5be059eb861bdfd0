"""The policy's calculable measures, one function each, grouped by measure family.

Each measure reads its inputs (strictly, see inputs.py and readers.py), computes exactly with
Decimal, and writes into a Result (result.py): line items, subtotals, total or range, schedule,
checks, warnings, the readings it relies on and a trace whose every step names the parameter and
clause it used. Every measure is `measure(request, errors, when) -> Result | None`, so other
measures can compose them.

    subsidies.py  measures 6–7   household_subsidy, entity_land_transfer, self_run_project
    forestry.py   measure 8      grain_to_forest, afforestation_coop
    dividends.py  measures 4–5   asset_dividend, collective_dividends
    loans.py      measures 3, 9  entity_loan, household_loan
"""

from .dividends import (FIRST_DIVIDEND_YEAR, asset_dividend, collective_dividends, dividend_share,
                        dividend_year_status)
from .forestry import afforestation_coop, grain_to_forest
from .loans import entity_loan, household_loan
from .result import ZERO, Result, unit_label
from .subsidies import (ANIMALS, CROPS, EXCLUDED_PROJECT_TYPES, PROJECT_TYPES, entity_land_transfer,
                        household_subsidy, self_run_project)

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

__all__ = [
    "MEASURES", "Result", "ZERO", "unit_label", "CROPS", "ANIMALS", "PROJECT_TYPES", "EXCLUDED_PROJECT_TYPES",
    "household_subsidy", "entity_land_transfer", "self_run_project", "grain_to_forest", "afforestation_coop",
    "FIRST_DIVIDEND_YEAR", "asset_dividend", "collective_dividends", "dividend_share", "dividend_year_status",
    "entity_loan", "household_loan",
]
