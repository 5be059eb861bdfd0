"""The village collective's dividend register (measures 4–5): a whole household list for one year.

The bookkeeper's list comes as text (a CSV or tab-separated file, or cells pasted from Excel or
WPS; the page decodes the bytes and passes a string) or as rows of a JSON list. For the chosen
year every household gets its status under measure 5 (the rule of `dividend_year_status`), the
households still eligible share the year's return by their shares (`dividend_share`, rule
fen_half_up), households past their consolidation period get nothing and their shares pass on
(reading `shares_pass_on`), and the rounding difference is stated in words. The result also
carries what the page prints and saves, already written out: the 公示 table in both languages
and the CSV text in both languages (the page only adds the UTF-8 BOM when saving).

Household names are data: they are in the rows of the result, never in an error's `path`
(which names the row number and the column only). Standard library only.
"""

import csv
import io
import re
import unicodedata
from decimal import Decimal
from itertools import islice

from . import display, inputs
from .money import grouped, plain, yuan
from .params import MESSAGES, POLICY, cite
from .rules import Result, dividend_share, dividend_year_status
from .rules.dividends import _collective_income, _rate_used, rounding_difference
from .rules.readers import read_money, read_rate_percent, read_shares

MEASURE = "dividend_register"
FIELDS = ("injected_funds", "agreed_rate_percent", "distribution_year", "village", "text", "household_rows", "export")
EXPORTS = ("notice", "csv")  # asked for when printing or saving, so typing in the form does not write them each time
ROW_FIELDS = ("household", "shares", "people", "exit_year", "note")
ZERO = Decimal(0)
# The first start of a year after the policy was issued (reading dividend_first_year), as asset_dividend lists it.
FIRST_YEAR = POLICY.meta["date_of_issue"].year + 1
HEADER_SEARCH = 5  # the header is looked for in the first rows that are not blank (titles may stand above it)
MAX_TEXT_CHARS = 1_000_000  # 2,000 rows of even 40-character names and long notes stay far below this

# Header names, compared after NFKC, case folding, a trailing unit in brackets removed and spaces squeezed.
HEADER_NAMES = {
    "household": ("户主", "户主姓名", "户名", "姓名", "household", "household name", "head of household", "name"),
    "shares": ("股数", "份额", "股份", "持股数", "股份数", "shares", "share"),
    "people": ("人口", "人数", "人口数", "家庭人口", "people", "persons"),
    "exit_year": ("脱贫年份", "脱贫年度", "脱贫年", "exit year", "year of exit"),
    "note": ("备注", "说明", "note", "notes", "remark", "remarks"),
}
HEADER_LOOKUP = {name: column for column, names in HEADER_NAMES.items() for name in names}
BRACKETED_UNIT = re.compile(r"\s*\([^()]*\)$")
SPACES = re.compile(r"[\s_]+")


# ---------------------------------------------------------------- reading the household list

class Household:
    """One household row as read: the row number the user sees, and its values."""

    __slots__ = ("row", "name", "shares", "exit_year", "note")

    def __init__(self, row, name, shares, exit_year, note):
        self.row, self.name, self.shares, self.exit_year, self.note = row, name, shares, exit_year, note


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
            records.append(record)
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
    if basis == "people":
        people = _cached(cache, errors, cells, "people", lambda: inputs.read_whole(
            errors, cells, f"{path}.people", "people", minimum=1, maximum=int(POLICY.limits["max_shares"]),
            required=True))
        shares = None if people is None else Decimal(people)
    else:
        shares = _cached(cache, errors, cells, "shares", lambda: read_shares(errors, cells, f"{path}.shares", "shares"))
    exit_year = _cached(cache, errors, cells, "exit_year",
                        lambda: inputs.read_year(errors, cells, f"{path}.exit_year", "exit_year"))
    note = None
    if cells.get("note") not in (None, ""):
        note = inputs.read_text(errors, cells, f"{path}.note", "note") or None
    if len(errors.items) != before:
        return None
    return Household(row, name, shares, exit_year, note)


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


# ---------------------------------------------------------------- the measure

def dividend_register(request, errors, when):
    """Measures 4–5 for a whole household list and one distribution year."""
    funds = read_money(errors, request, "injected_funds", required=True, positive=True)
    agreed = read_rate_percent(errors, request)
    year = inputs.read_year(errors, request, "distribution_year", "distribution_year", required=True)
    if year is not None and year < FIRST_YEAR:
        errors.add("distribution_year", "register_year_before_first", first=FIRST_YEAR)
    village = None
    if request.get("village") not in (None, ""):
        village = inputs.read_text(errors, request, "village", "village") or None
    register = read_register(errors, request)
    exports = _read_exports(errors, request)
    if errors:
        return None

    result = Result(MEASURE, ["measure-4", "measure-5"], when)
    for reading in ("dividend_first_year", "dividend_poor_only", "dividend_years"):
        result.reading(reading)
    consolidation = int(result.value("consolidation_years"))
    rate = _rate_used(result, agreed)
    exact_income, income = _collective_income(result, funds, rate)
    statuses = [dividend_year_status(year, h.exit_year, consolidation) for h in register.households]
    eligible_shares = sum((h.shares for h, (_, eligible, _) in zip(register.households, statuses) if eligible), ZERO)
    total_shares = sum((h.shares for h in register.households), ZERO)
    ended = [h for h, (status, _, _) in zip(register.households, statuses) if status == "ended"]
    unit = MESSAGES.text(f"register.unit_{register.basis}")
    result.step("register_year", "measure-5", "consolidation_years", year=year, households=len(statuses),
                eligible=len(statuses) - len(ended), eligible_shares=plain(eligible_shares), ended=len(ended),
                ended_shares=plain(total_shares - eligible_shares), unit=unit)

    result.step("register_share", "measure-4", None, exact_income=plain(exact_income),
                eligible_shares=plain(eligible_shares), unit=unit)
    quiet = _Untraced()
    # Households with the same shares get the same dividend: each distinct value is computed once.
    dividends = {ZERO: (ZERO, yuan(ZERO), display.both(display.amount, ZERO))}
    rows, paid, ending, labels = [], ZERO, [], {}
    for household, (status, eligible, n) in zip(register.households, statuses):
        shares = household.shares if eligible else ZERO
        if shares not in dividends:
            amount = dividend_share(quiet, exact_income, shares, eligible_shares, None)
            dividends[shares] = (amount, yuan(amount), display.both(display.amount, amount))
        amount, amount_text, amount_display = dividends[shares]
        paid += amount
        ends = status == "consolidation" and n == consolidation
        if ends:
            ending.append(household.row)
        if (status, n) not in labels:
            labels[status, n] = MESSAGES.text(f"register.status_{status}", n=n)
        rows.append({"row": household.row, "household": household.name, "shares": plain(household.shares),
                     "exit_year": household.exit_year, "note": household.note, "status": status,
                     "status_label": labels[status, n], "eligible": eligible, "consolidation_year": n,
                     "consolidation_ends_this_year": ends, "dividend": amount_text,
                     "display": {"dividend": amount_display}})

    for reading in quiet.readings:
        result.reading(reading)
    if quiet.rounded:
        result.rounding("fen_half_up")
    result.reading("rounding_per_household_share")
    undistributed = income if not eligible_shares else ZERO
    difference = income - paid - undistributed
    result.subtotal("dividends", paid, "measure-4")
    said = rounding_difference(result, difference)
    if undistributed:
        result.warn("register_none_eligible", "measure-5", income=grouped(income))
    if ending:
        result.warn("register_ending_this_year", "measure-5", count=len(ending), rows=_row_list(ending))
    if ended:
        result.warn("register_shares_passed_on", "measure-5", count=len(ended),
                    shares=plain(sum((h.shares for h in ended), ZERO)), unit=unit)
    _notes_on_reading(result, register)
    result.total("collective", income, period="per_year")

    if ended:
        result.reading("shares_pass_on")
    if said:
        rounding_note = {lang: said[lang] for lang in ("zh", "en")}
    else:
        rounding_note = MESSAGES.text("register.rounding_undistributed" if undistributed else "register.rounding_none",
                                      income=grouped(income), paid=grouped(paid))
    data = result.data
    data["households"] = rows
    data["register"] = {
        "year": year, "village": village, "basis": register.basis, "households": len(rows),
        "eligible_households": len(rows) - len(ended), "ended_households": len(ended),
        "ending_this_year": len(ending), "total_shares": plain(total_shares), "eligible_shares": plain(eligible_shares),
        "injected_funds": yuan(funds), "agreed_rate_percent": None if agreed is None else plain(agreed),
        "annual_return": yuan(income), "dividends": yuan(paid), "rounding_difference": yuan(difference),
        "undistributed": yuan(undistributed), "rounding_note": rounding_note,
        "empty_rows": register.empty_rows, "ignored_columns": register.ignored_columns,
        "display": {key: display.both(display.amount, value) for key, value in (
            ("injected_funds", funds), ("annual_return", income), ("dividends", paid),
            ("rounding_difference", difference), ("undistributed", undistributed))},
    }
    data["notice"] = {lang: notice(data, lang) for lang in ("zh", "en")} if "notice" in exports else None
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


class _Untraced:
    """Stands in for the Result when `dividend_share` computes one row of a register: the rule is the
    same, but its trace step per household is not written (one step states the formula for all rows)."""

    def __init__(self):
        self.rounded = False
        self.readings = []

    def step(self, *_, **__):
        pass

    def rounded_step(self, clause, parameter, exact, amount):
        self.rounded = self.rounded or amount != exact

    def reading(self, reading_id):
        if reading_id not in self.readings:
            self.readings.append(reading_id)


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
    for household in register.households:
        seen.setdefault(household.name, []).append(household.row)
    repeated = [rows for rows in seen.values() if len(rows) > 1]
    if repeated:
        lists = [_row_list(rows) for rows in repeated]
        result.warn("register_same_name", "measure-4", groups={"zh": "；".join(r["zh"] for r in lists),
                                                               "en": "; ".join(r["en"] for r in lists)})


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


# ---------------------------------------------------------------- what the page prints and saves

def _status_text(row, lang):
    """A row's status for the printed table and the CSV, with the flag when consolidation ends this year."""
    status = row["status_label"][lang]
    if row["consolidation_ends_this_year"]:
        status += MESSAGES.text("register.ends_this_year")[lang]
    return status


def notice(data, lang):
    """The 公示 table in one language: title, facts, header, rows, totals, rounding note, signature lines."""
    register = data["register"]
    text = {key: MESSAGES.text(f"register.{key}")[lang] for key in (
        "column_index", "column_household", "column_exit_year", "column_status", "column_dividend", "column_note",
        "totals", "signature_committee", "signature_supervision", "date_label")}
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
    notes = [w[lang] for w in data["warnings"] if w["code"] in ("register_shares_passed_on", "register_none_eligible")]
    return {
        "title": title, "village": village, "year": year, "facts": facts,
        "columns": [text["column_index"], text["column_household"], unit_column, text["column_exit_year"],
                    text["column_status"], text["column_dividend"], text["column_note"]],
        "rows": rows, "totals": totals, "rounding_note": register["rounding_note"][lang], "notes": notes,
        "basis": MESSAGES.text("register.basis", clauses=("、" if lang == "zh" else ", ").join(
                                   cite(c)[lang] for c in ("measure-4", "measure-5")),
                               publish=cite("section-5-3")[lang])[lang],
        "signatures": [text["signature_committee"], text["signature_supervision"]],
        "date_label": text["date_label"], "page_label": text["page_label"],
    }


def register_csv(data, lang):
    """The register as CSV text (UTF-8 without BOM, CRLF) with a header row in `lang`; the page adds the BOM.

    The first columns carry the import's own header names, so a saved file can be read back in;
    totals are not a row (a totals row would read back as a household).
    """
    register = data["register"]
    year = register["year"]
    header = [MESSAGES.text(f"register.column_{key}")[lang] for key in ("household", register["basis"], "exit_year")]
    header += [MESSAGES.text("register.csv_status", year=year)[lang],
               MESSAGES.text("register.csv_dividend", year=year)[lang], MESSAGES.text("register.column_note")[lang]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row["household"], row["shares"], "" if row["exit_year"] is None else row["exit_year"],
                      _status_text(row, lang), row["dividend"], row["note"] or ""] for row in data["households"])
    return out.getvalue()
