"""What the page prints and saves, written out by the module: the 公示 table and the CSV text, both languages."""

import csv
import io

from ..params import MESSAGES, cite
from .cells import formula_safe
from .posting import posting_parts


def _status_text(row, lang):
    """A row's status for the printed table and the CSV, with the flag when consolidation ends this year."""
    status = row["status_label"][lang]
    if row["consolidation_ends_this_year"]:
        status += MESSAGES.text("register.ends_this_year")[lang]
    return status


def notice(data, lang, options):
    """The 公示 table in one language: title, facts, header, rows, totals, rounding note, the village's 分配办法,
    the readings footnote, the posting period, objection and supervision lines (posting.py), signature lines."""
    register = data["register"]
    text = {key: MESSAGES.text(f"register.{key}")[lang] for key in (
        "column_index", "column_household", "column_exit_year", "column_status", "column_dividend", "column_note",
        "totals", "signature_committee", "signature_supervision")}
    text["page_label"] = MESSAGES.text("register.page_label", page="{page}", pages="{pages}")[lang]  # the page fills in
    year = register["year"]
    village = register["village"]
    title = MESSAGES.text("register.title_village" if village else "register.title", year=year,
                          village=village or "")[lang]
    agreed = register["agreed_rate_percent"]
    raised = any(w["code"] == "rate_below_minimum" for w in data["warnings"])
    rate_key = "rate_default" if agreed is None else "rate_raised" if raised else "rate_plain"
    rate = MESSAGES.text(f"register.{rate_key}", rate=data["rate_used_percent"], agreed=agreed or "")[lang]
    display = register["display"]
    facts = [
        {"label": MESSAGES.text("register.fact_year")[lang], "value": MESSAGES.text("register.year", year=year)[lang]},
        {"label": MESSAGES.text("register.fact_funds")[lang], "value": display["injected_funds"][lang],
         "amount": register["injected_funds"]},
        {"label": MESSAGES.text("register.fact_rate")[lang], "value": rate, "percent": data["rate_used_percent"]},
        {"label": MESSAGES.text("register.fact_return")[lang], "value": display["annual_return"][lang],
         "amount": register["annual_return"]},
    ]
    unit_column = MESSAGES.text(f"register.column_{register['basis']}")[lang]
    rows = [[str(i), row["household"], row["shares"], "" if row["exit_year"] is None else str(row["exit_year"]),
             _status_text(row, lang), row["display"]["dividend"][lang], row["note"] or ""]
            for i, row in enumerate(data["households"], start=1)]
    totals = [text["totals"], MESSAGES.text("register.households_count", count=register["households"])[lang],
              register["total_shares"], "", MESSAGES.text("register.eligible_count",
                                                          count=register["eligible_households"])[lang],
              display["dividends"][lang], ""]
    # The calculator's reading of the ended shares is the readings footnote's (posting.py), not a note of the village's.
    notes = [w[lang] for w in data["warnings"] if w["code"] == "register_none_eligible"]
    pass_on = None if register["pass_on"] is None else register["pass_on"][lang]
    return {
        "title": title, "village": village, "year": year, "facts": facts,
        "columns": [text["column_index"], text["column_household"], unit_column, text["column_exit_year"],
                    text["column_status"], text["column_dividend"], text["column_note"]],
        "rows": rows, "totals": totals, "pass_on": pass_on, "rounding_note": register["rounding_note"][lang], "notes": notes,
        "basis": MESSAGES.text("register.basis", clauses=("、" if lang == "zh" else ", ").join(
                                   cite(c)[lang] for c in ("measure-4", "measure-5")),
                               publish=cite("section-5-3")[lang])[lang],
        "signatures": [text["signature_committee"], text["signature_supervision"]],
        "page_label": text["page_label"], **posting_parts(data, options, lang),
    }


def register_csv(data, lang):
    """The register as CSV text (UTF-8 without BOM, CRLF) with a header row in `lang`; the page adds the BOM.

    The first columns carry the import's own header names, so a saved file can be read back in;
    totals are not a row (a totals row would read back as a household).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header, rows = register_table(data, lang)
    # Every cell formula-safe (cells.py): a name or note starting with = + - @ opens as text, not a formula.
    writer.writerow([formula_safe(cell) for cell in header])
    writer.writerows([formula_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def register_table(data, lang):
    """The saved table's header and rows, as values: the CSV and the .xlsx file write the same columns."""
    register = data["register"]
    year = register["year"]
    header = [MESSAGES.text(f"register.column_{key}")[lang] for key in ("household", register["basis"], "exit_year")]
    header += [MESSAGES.text("register.csv_status", year=year)[lang],
               MESSAGES.text("register.csv_dividend", year=year)[lang], MESSAGES.text("register.column_note")[lang]]
    rows = [[row["household"], row["shares"], "" if row["exit_year"] is None else row["exit_year"],
             _status_text(row, lang), row["dividend"], row["note"] or ""] for row in data["households"]]
    return header, rows
