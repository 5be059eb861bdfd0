"""Excel workbooks as they are: .xlsx (Excel, WPS) read with openpyxl, .xls (Excel 97–2003) with xlrd, and
the year's table written as .xlsx with openpyxl. These libraries are imported inside the functions only, so
the rule module stays standard library at import; the browser worker downloads them (a zip beside the
runtime) only when a bookkeeper chooses a workbook or saves one.

A sheet becomes the same text a CSV file gives (tab-separated, one line per sheet row, so row numbers in
errors are the sheet's own), which parse.py then reads with every check a CSV file gets. Cells as a
bookkeeper sees them: a number stored as text stays that text, an integer-valued number is written
without ".0" (2019, not 2019.0), a date as YYYY-MM-DD, a formula as its last computed value.
"""

import csv
import datetime
import io
from decimal import Decimal
from itertools import islice

from .cells import formula_safe
from .parse import HEADER_SEARCH, header_column

MAX_SHEET_ROWS = 20_000  # read no further: the list is refused above 2,000 households anyway
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an .xlsx of 2,000 rows unpacks to about 1 MB; a zip bomb to far more


class TooLargeUnpacked(Exception):
    """The .xlsx would unpack to more than MAX_UNPACKED_BYTES (said before any part is unpacked)."""

    def __init__(self, size):
        super().__init__(size)
        self.size = size


class Unreadable(Exception):
    """The workbook could not be opened (damaged, encrypted, not really a workbook)."""


def _cell_text(value):
    """A cell's value as the bookkeeper sees it in the sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _xlsx_sheets(data):
    import openpyxl
    import zipfile  # after openpyxl: in the browser, the real module its zip brought (not the runtime's stand-in)

    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Unreadable(str(error)) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLargeUnpacked(unpacked)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Unreadable(str(error)) from error
    sheets = [sheet for sheet in book.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    for sheet in sheets:
        # Read-only mode trusts the size a sheet declares, which some programs write wrong (A1 only): read every row.
        sheet.reset_dimensions()
    return [(sheet.title, ([_cell_text(v) for v in row] for row in islice(sheet.iter_rows(values_only=True), MAX_SHEET_ROWS)))
            for sheet in sheets]


def _xls_sheets(data):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as error:
        raise Unreadable(str(error)) from error

    def value(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return _cell_text(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return _cell_text(bool(cell.value))
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR")
        return _cell_text(cell.value)

    return [(sheet.name, ([value(c) for c in sheet.row(r)] for r in range(min(sheet.nrows, MAX_SHEET_ROWS))))
            for sheet in book.sheets() if getattr(sheet, "visibility", 0) == 0]


def read_workbook(data, kind):
    """[(sheet name, rows of cell texts as an iterator)] of the visible sheets, in the workbook's order.
    Raises ImportError when the reader is not importable, Unreadable when the file does not open."""
    return (_xlsx_sheets if kind == "xlsx" else _xls_sheets)(data)


def list_sheet(sheets):
    """(sheet name, header row number, the sheet as tab-separated text) of the first sheet whose first
    HEADER_SEARCH rows have a household (户主) column; None when no sheet has one."""
    for name, rows in sheets:
        head = list(islice(rows, HEADER_SEARCH))
        at = next((n for n, row in enumerate(head, start=1) if any(header_column(c) == "household" for c in row)), None)
        if at is None:
            continue
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
        for row in (*head, *rows):
            while row and not row[-1].strip():
                row.pop()
            # formula_safe: parse.py takes off only an apostrophe it would have put there, so a cell reads as it is
            writer.writerow([formula_safe(c) for c in row])
        return name, at, out.getvalue()
    return None


def write_xlsx(header, rows, sheet_name):
    """The year's table as .xlsx bytes: every text cell stored as text (never a formula, whatever it starts
    with), shares and years as numbers, dividends as numbers shown to the fen."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    fixed = datetime.datetime(2017, 11, 13)  # the policy's date: the same file from the same table, any day
    book.properties.created = book.properties.modified = fixed

    def put(r, c, value, number_format=None):
        cell = sheet.cell(row=r, column=c)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            cell.value = value  # openpyxl writes a Decimal as its own digits: the fen exact, never through a float
            if number_format:
                cell.number_format = number_format
        else:
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # openpyxl would take "=…" for a formula: stored as the text it is
        return cell

    for c, value in enumerate(header, start=1):
        put(1, c, value).font = openpyxl.styles.Font(bold=True)
    widths = [len(str(v)) for v in header]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if c in (2, 3) and value not in ("", None):  # shares (or people) and exit year
                value = Decimal(str(value))
            elif c == 5:  # the dividend: a number shown as 0.00
                value = Decimal(value)
            put(r, c, value, "#,##0.00" if c == 5 else None)
            widths[c - 1] = max(widths[c - 1], len(str(value)))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(40, 4 + 1.6 * width)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
