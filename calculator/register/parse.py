"""Reading the bookkeeper's household list: CSV or tab-separated text (a file the page decoded, or cells
pasted from Excel or WPS), or JSON rows. Headers in Chinese or English in any order; every bad row is
reported by row number and column letter with the module's bilingual error; nothing is dropped silently.
Household names are data: they never appear in an error's `path` (row number and column only).
"""

import csv
import io
import re
import unicodedata
from decimal import Decimal
from itertools import islice

from .. import inputs
from ..params import MESSAGES, POLICY
from ..rules.readers import read_shares
from .cells import formula_unescaped

ROW_FIELDS = ("household", "shares", "people", "exit_year", "note", "transferred")
ZERO = Decimal(0)
HEADER_SEARCH = 20  # the header is looked for in the first rows that are not blank (titles may stand above it)
MAX_TEXT_CHARS = 1_000_000  # 2,000 rows of even 40-character names and long notes stay far below this

# Header names, compared after NFKC, case folding, a trailing unit in brackets removed and spaces squeezed.
HEADER_NAMES = {
    "household": ("户主", "户主姓名", "户名", "姓名", "household", "household name", "head of household", "name"),
    "shares": ("股数", "份额", "股份", "持股数", "股份数", "shares", "share"),
    "people": ("人口", "人数", "人口数", "家庭人口", "people", "persons"),
    "exit_year": ("脱贫年份", "脱贫年度", "脱贫年", "exit year", "year of exit"),
    "note": ("备注", "说明", "note", "notes", "remark", "remarks"),
    # A new eligible household whose shares came from households past consolidation (measure 5's 转分).
    "transferred": ("转分", "是否转分", "转分所得", "transferred", "by transfer"),
}
# What a 转分 cell may say (after NFKC and case folding); anything else is an error naming the cell.
TRANSFERRED_VALUES = {"是": True, "转分": True, "√": True, "yes": True, "y": True, "true": True, "1": True,
                      "否": False, "不是": False, "no": False, "n": False, "false": False, "0": False}
# Characters a printed name cannot show: controls (NUL, ESC, DEL, CR/LF, tab), format characters
# (bidi controls, zero-width, BOM), line and paragraph separators. Two names that print alike must
# not read as two households, so such a character is refused, never stripped quietly.
INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))
HEADER_LOOKUP = {name: column for column, names in HEADER_NAMES.items() for name in names}
BRACKETED_UNIT = re.compile(r"\s*\([^()]*\)$")
SPACES = re.compile(r"[\s_]+")


class Household:
    """One household row as read: the row number the user sees, and its values."""

    __slots__ = ("row", "name", "shares", "exit_year", "note", "transferred")

    def __init__(self, row, name, shares, exit_year, note, transferred=False):
        self.row, self.name, self.shares, self.exit_year, self.note = row, name, shares, exit_year, note
        self.transferred = transferred


class Register:
    """A household list as read: its basis (shares or people), rows, and what was skipped or ignored."""

    def __init__(self, basis="shares"):
        self.basis = basis
        self.households = []
        self.empty_rows = []  # row numbers of blank lines (skipped, and said so)
        self.ignored_columns = []  # [{"column": "C", "header": "序号"}]
        self.blank_headers = []  # columns without a header: ignored only if some row has something there
        self.above_header = []  # rows with something in them above the header (a title): not read, and said so


def column_letter(index):
    """The spreadsheet letter of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_column(cell):
    """The column id a header cell names (household, shares, people, exit_year, note), or None."""
    text = unicodedata.normalize("NFKC", cell).strip().casefold()
    text = SPACES.sub(" ", BRACKETED_UNIT.sub("", text)).strip()
    return HEADER_LOOKUP.get(text)


def delimiter_of(text):
    """The separator of the header line: the first of the first lines in which tab, comma or full-width
    comma separates a known column name (a title row may stand above the header); else what the first
    line that is not blank uses: tab (pasted from Excel or WPS), else a comma (ASCII or full-width)."""
    lines = list(islice((line for line in text.splitlines() if line.strip(" \t,，")), HEADER_SEARCH))
    for line in lines:
        for delimiter in ("\t", ",", "，"):
            if delimiter in line and any(header_column(cell.strip().strip('"')) for cell in line.split(delimiter)):
                return delimiter
    first = lines[0] if lines else ""
    if "\t" in first:
        return "\t"
    if "," not in first and "，" in first:
        return "，"
    return ","


def household_header_found(text):
    """Whether the household column (户主, …) is named in the header search's rows: how files.py tells a
    GB18030 reading that is a table from one that is not."""
    delimiter = delimiter_of(text)
    lines = islice((line for line in text.splitlines() if line.strip(" \t,，")), HEADER_SEARCH)
    return any(header_column(cell.strip().strip('"')) == "household" for line in lines for cell in line.split(delimiter))


def read_register(errors, request):
    """The household list from `text` or `household_rows` (exactly one of them), or None after errors."""
    has_text = request.get("text") not in (None, "")
    has_rows = request.get("household_rows") is not None
    if has_text and has_rows:
        errors.add("text", "register_text_or_rows")
        return None
    if has_rows:
        return read_rows(errors, request["household_rows"])
    if not has_text:
        errors.add("text", "required", field=inputs.field_name("text"))
        return None
    if not isinstance(request["text"], str):
        errors.add("text", "not_text", field=inputs.field_name("text"))
        return None
    return parse_text(errors, request["text"])


def parse_text(errors, text):
    """Parse a CSV/TSV household list; every bad row and column is reported, nothing is dropped silently.

    Row numbers are the spreadsheet's (the header is row 1 when it is the first line); blank rows
    are skipped and listed; columns the module does not know are listed as ignored.
    """
    label = inputs.field_name("text")
    if len(text) > MAX_TEXT_CHARS:
        errors.add("text", "text_too_long", field=label, maximum=f"{MAX_TEXT_CHARS:,}")
        return None
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    records = []
    try:
        for record in reader:
            # The apostrophe a saved file put before a cell that would run as a formula, taken off (cells.py).
            records.append([formula_unescaped(cell) for cell in record])
    except csv.Error:
        row = len(records) + 1
        errors.add(f"text.row_{row}", "register_bad_quotes", row=row)
        errors.items[-1]["row"] = row
        return None
    register = Register()
    filled = list(islice((n for n, record in enumerate(records, start=1) if "".join(record).strip()), HEADER_SEARCH))
    if not filled:
        errors.add("text", "required", field=label)
        return None
    # The header: the first row naming a known column; if none does, the first row (its errors say why).
    header_at = next((n for n in filled if any(header_column(cell) for cell in records[n - 1])), filled[0])
    register.above_header = [n for n in filled if n < header_at]
    register.empty_rows = [n for n in range(1, header_at) if n not in register.above_header]
    columns = _read_header(errors, records[header_at - 1], header_at, register)
    if columns is None:
        return None
    data = []
    for number in range(header_at + 1, len(records) + 1):
        record = records[number - 1]
        if "".join(record).strip():
            data.append((number, record))
        else:
            register.empty_rows.append(number)
    if not data:
        errors.add("text", "register_no_rows", field=label)
        return None
    if not _within_limit(errors, "text", label, len(data)):
        return None
    for index in register.blank_headers:
        if any(index < len(record) and record[index].strip() for _, record in data):
            register.ignored_columns.append({"column": column_letter(index), "header": ""})
    register.ignored_columns.sort(key=lambda c: (len(c["column"]), c["column"]))
    width = len(records[header_at - 1])
    headers = [cell.strip() for cell in records[header_at - 1]]
    cache = {}
    for number, record in data:
        cells = {column: record[index].strip() for column, index in columns.items() if index < len(record)}
        extra = next((i for i in range(width, len(record)) if record[i].strip()), None)
        path = f"text.row_{number}"
        if extra is not None:
            errors.add(f"{path}.{column_letter(extra)}", "register_extra_cells", column=column_letter(extra))
            _at_row(errors.items[-1], number)
            errors.items[-1]["column"] = column_letter(extra)
        before = len(errors.items)
        household = _read_household(errors, cells, path, number, register.basis, cache)
        for item in errors.items[before:]:
            index = columns[item["path"].rsplit(".", 1)[-1]]
            _at_cell(item, number, index, headers[index])
        if household is not None:
            register.households.append(household)
    return None if errors else register


def _within_limit(errors, path, label, count):
    """At most max_share_table_rows households (2,000): more is refused whole, never cut."""
    maximum = int(POLICY.limits["max_share_table_rows"])
    if count > maximum:
        errors.add(path, "too_many_rows", field=label, maximum=f"{maximum:,}")
        return False
    return True


def _read_header(errors, record, number, register):
    """{column id: index} from the header row, or None after a missing or repeated column."""
    columns = {}
    ok = True
    for index, cell in enumerate(record):
        column = header_column(cell)
        if column is None and not cell.strip():
            register.blank_headers.append(index)
        elif column is None:
            register.ignored_columns.append({"column": column_letter(index), "header": inputs._shown(cell.strip())})
        elif column in columns:
            errors.add(f"text.row_{number}.{column_letter(index)}", "register_duplicate_column",
                       first=column_letter(columns[column]), second=column_letter(index),
                       column=MESSAGES.text(f"register.column_{column}"))
            errors.items[-1]["row"] = number
            ok = False
        else:
            columns[column] = index
    if "shares" in columns and "people" in columns:
        errors.add(f"text.row_{number}", "register_both_bases", first=column_letter(columns["shares"]),
                   second=column_letter(columns["people"]))
        errors.items[-1]["row"] = number
        ok = False
    for column in ("household", "shares"):
        if column not in columns and not (column == "shares" and "people" in columns):
            errors.add(f"text.row_{number}", "register_missing_column",
                       column=MESSAGES.text(f"register.missing_{column}"), names=_known_names(column))
            errors.items[-1]["row"] = number
            ok = False
    if not ok:
        return None
    register.basis = "people" if "people" in columns else "shares"
    return columns


def _known_names(column):
    names = HEADER_NAMES[column] + (HEADER_NAMES["people"] if column == "shares" else ())
    return {"zh": "、".join(names), "en": ", ".join(names)}


def _at_cell(item, row, index, header):
    """Say where an error is, as the user sees the sheet: row number and column letter (and its header)."""
    where = MESSAGES.text("register.at_cell", row=row, column=column_letter(index), header=header or "—")
    item["zh"], item["en"] = where["zh"] + item["zh"], where["en"] + item["en"]
    item["row"], item["column"] = row, column_letter(index)


def _at_row(item, row):
    """Say which row an error is in (a row number as the user counts them)."""
    where = MESSAGES.text("register.at_row", row=row)
    item["zh"], item["en"] = where["zh"] + item["zh"], where["en"] + item["en"]
    item["row"] = row


def read_rows(errors, rows):
    """The household list given as JSON rows {household, shares | people, exit_year?, note?}."""
    label = inputs.field_name("household_rows")
    if not isinstance(rows, list):
        errors.add("household_rows", "not_a_list", field=label)
        return None
    if not _within_limit(errors, "household_rows", label, len(rows)):
        return None
    if not rows:
        errors.add("household_rows", "empty_list", field=label)
        return None
    basis = next((b for row in rows if isinstance(row, dict) for b in ("people", "shares") if row.get(b) is not None),
                 "shares")
    register = Register(basis)
    cache = {}
    for index, row in enumerate(rows):
        path = f"household_rows[{index}]"
        before = len(errors.items)
        if not isinstance(row, dict):
            errors.add(path, "not_an_object")
        else:
            inputs.check_fields(errors, row, path, ROW_FIELDS)
            other = "shares" if basis == "people" else "people"
            mixed = row.get(other) is not None
            if mixed:
                errors.add(f"{path}.{other}", "register_mixed_basis", basis=MESSAGES.text(f"register.column_{basis}"))
            household = _read_household(errors, row, path, index + 1, other if mixed else basis, cache)
            if household is not None and len(errors.items) == before:
                register.households.append(household)
        for item in errors.items[before:]:
            _at_row(item, index + 1)
    return None if errors else register


def _read_household(errors, cells, path, row, basis, cache):
    """One household's values through the module's strict readers (the same errors as every other form).

    `cache` keeps values already read without error (shares and years repeat down a list), so a
    2,000-row list reads each distinct value once; a value with an error is read, and reported, every time.
    """
    before = len(errors.items)
    name = inputs.read_text(errors, cells, f"{path}.household", "household")
    if name == "":
        errors.add(f"{path}.household", "required", field=inputs.field_name("household"))
    _visible(errors, name, f"{path}.household", "household")
    if basis == "people":
        people = _cached(cache, errors, cells, "people", lambda: inputs.read_whole(
            errors, cells, f"{path}.people", "people", minimum=1, maximum=int(POLICY.limits["max_shares"]),
            required=True))
        shares = None if people is None else Decimal(people)
    else:
        shares = _cached(cache, errors, cells, "shares", lambda: read_shares(errors, cells, f"{path}.shares", "shares"))
    year_cells = cells
    if isinstance(cells.get("exit_year"), str):  # "2019年" as a bookkeeper writes it reads as 2019
        year_cells = {"exit_year": YEAR_SUFFIX.sub("", unicodedata.normalize("NFKC", cells["exit_year"]).strip())}
    exit_year = _cached(cache, errors, year_cells, "exit_year",
                        lambda: inputs.read_year(errors, year_cells, f"{path}.exit_year", "exit_year"))
    note = None
    if cells.get("note") not in (None, ""):
        note = inputs.read_text(errors, cells, f"{path}.note", "note") or None
        _visible(errors, note, f"{path}.note", "note")
    transferred = _read_transferred(errors, cells, f"{path}.transferred")
    if len(errors.items) != before:
        return None
    return Household(row, name, shares, exit_year, note, transferred)


YEAR_SUFFIX = re.compile(r"\s*年$")


def _visible(errors, text, path, key):
    """Refuse a name or note holding a character that does not print (said by its code point)."""
    if not text:
        return
    hidden = next((c for c in text if unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        errors.add(path, "register_invisible_character", field=inputs.field_name(key), character=f"U+{ord(hidden):04X}")
    elif unicodedata.category(text[0]).startswith("M"):
        # A name cannot begin with a mark that joins the letter before it: what a GBK file read as UTF-8
        # gives (郑 is D6A3, valid UTF-8 for U+05A3), so such a reading is refused, never printed.
        errors.add(path, "register_starts_with_mark", field=inputs.field_name(key), character=f"U+{ord(text[0]):04X}")


def _read_transferred(errors, cells, path):
    """Whether this household's shares came by 转分 (JSON true/false, or 是/否, yes/no in a file)."""
    value = cells.get("transferred")
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        said = TRANSFERRED_VALUES.get(unicodedata.normalize("NFKC", value).strip().casefold())
        if said is not None:
            return said
    errors.add(path, "register_bad_transferred")
    return False


def name_key(name):
    """A name as people see it, for the duplicate check: NFKC, runs of white space folded to one."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _cached(cache, errors, cells, key, read):
    value = cells.get(key)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return read()  # a JSON number of another type, or a non-number: the reader says what it is
    memo = (key, type(value), value)
    if memo in cache:
        return cache[memo]
    before = len(errors.items)
    result = read()
    if len(errors.items) == before:
        cache[memo] = result
    return result
