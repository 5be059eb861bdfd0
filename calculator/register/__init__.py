"""The village collective's dividend register (measures 4–5): a whole household list for one year.

The bookkeeper's list comes as text (a CSV or tab-separated file, or cells pasted from Excel or
WPS; the page decodes the bytes and passes a string) or as rows of a JSON list. The result also
carries what the page prints and saves, already written out: the 公示 table in both languages and
the CSV text in both languages (the page only adds the UTF-8 BOM when saving). Standard library only.

    parse.py       the household list: header, rows, errors by row number and column
    distribute.py  the measure: status by year, each household's dividend, totals, rounding difference
    export.py      the 公示 table and the CSV text
    cells.py       CSV cells safe to open in Excel and WPS (a leading apostrophe), read back exactly
    files.py       a chosen file's bytes: size, kind and encoding decided; the .xlsx export
    spreadsheet.py .xlsx and .xls read, .xlsx written (openpyxl, xlrd: imported only when a workbook is used)
"""

# files and spreadsheet are imported here (both standard library at import; the Excel readers only inside
# spreadsheet's functions) so that a memory snapshot of Python holds them: a restored start has no rule module
# files to import them from.
from . import files, spreadsheet  # noqa: F401
from .distribute import EXPORTS, FIELDS, MEASURE, dividend_register
from .export import notice, register_csv
from .parse import column_letter, delimiter_of, header_column, parse_text, read_register, read_rows

__all__ = ["EXPORTS", "FIELDS", "MEASURE", "column_letter", "delimiter_of", "dividend_register", "header_column",
           "notice", "parse_text", "read_register", "read_rows", "register_csv"]
