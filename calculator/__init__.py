"""Qinyuan County industry-based poverty alleviation (2017-11-13): the policy's rules as exact Python.

One entry point, `calculate(request) -> dict`, JSON in and JSON out: the build script, the
command line and the browser (under Pyodide) all call it, so every figure has one source.
Standard library only; valid on CPython 3.11 and Pyodide's 3.14.
"""

import itertools
import json
import re
from decimal import Decimal, localcontext

from . import inputs
from .compare import compare as _compare_overviews
from .money import PRECISION
from .overview import FIELDS as OVERVIEW_FIELDS, household_overview
from .params import MESSAGES, POLICY, cite
from .sections import name_sections
from .register import FIELDS as _REGISTER_FIELDS, dividend_register as _dividend_register
from .whatif import FIELDS as _WHATIF_FIELDS, household_whatif as _household_whatif
from .rules import MEASURES

# The household overview composes the measures of .rules, so it is registered here, after them.
MEASURES["household_overview"] = (household_overview, OVERVIEW_FIELDS)
MEASURES["dividend_register"] = (_dividend_register, _REGISTER_FIELDS)  # measures 4–5 for a whole list
MEASURES["household_whatif"] = (_household_whatif, _WHATIF_FIELDS)  # the overview's one-tap variations

__version__ = "1.0.0"
RULES_VERSION = POLICY.rules_version
COMMON_FIELDS = ("measure", "rules_version", "date")
POLICY_DATE_READING = "values_in_force_no_end_date"  # calculator/readings.toml


def calculate(request):
    """Compute one measure for one request; never raises, whatever JSON value it is given.

    Returns {"ok": true, ...the result...} or {"ok": false, "errors": [...]}, both stamped
    with the module and rules versions.
    """
    try:
        with localcontext(PRECISION):
            response = _calculate(request)
    except Exception:  # a bug must still answer in both languages, never a traceback in a resident's face
        response = {"ok": False, "errors": _single_error("internal_error")}
    return _stamped(response)


def _stamped(response):
    """Every answer says which rule module and which rules produced it."""
    response["module_version"] = __version__
    response["rules_version"] = RULES_VERSION
    return response


MAX_JSON_TEXT = 1_000_000  # characters; a full 2,000-row share table with Chinese names is well under this
MAX_JSON_DEPTH = 16  # the deepest request is 3 levels (share_table rows); deeper text is refused unparsed
MAX_JSON_EXPONENT = 999_999  # within 32-bit libmpdec's limits (Pyodide) as well as 64-bit CPython's
MAX_INT_DIGITS = 1000  # longer JSON integers are read as Decimals (CPython's int() refuses over 4,300 digits)
# A string, closed or not, matched in one forward pass: the possessive loops never backtrack, and the
# closing alternative (a quote, a final lone backslash, or the end) always matches, so nothing is rescanned.
JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\|\Z)', re.DOTALL)
NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
JSON_NUMBER = re.compile(r"(-?[0-9.]+)(?:[eE]([-+]?[0-9]+))?")


class DuplicateKey(ValueError):
    """The same key twice in one JSON object: refused, never "the last one wins"."""

    def __init__(self, key):
        super().__init__(key)
        self.key = key


def calculate_json(text):
    """JSON text in, JSON text out: what the browser worker, Node and the CLI call.

    Numbers are parsed as exact Decimals; text that is not JSON gets the same bilingual
    not_an_object error as any other non-object. Keys are sorted so output is byte-stable.
    Length, nesting and exponents are bounded before parsing, in time linear in the text,
    so CPython (64-bit) and Pyodide (32-bit, smaller stack) answer the same for every text.
    """
    if isinstance(text, str) and len(text) > MAX_JSON_TEXT:
        return _refused("too_long", maximum=f"{MAX_JSON_TEXT:,}")
    if isinstance(text, str) and _json_depth(text) > MAX_JSON_DEPTH:
        return _refused("too_deep", maximum=MAX_JSON_DEPTH)
    try:
        request = json.loads(text, parse_float=_json_decimal, parse_int=_json_int, object_pairs_hook=_json_object)
    except DuplicateKey as duplicate:
        return _refused("duplicate_key", name=inputs._shown(duplicate.key))
    except (TypeError, ValueError, RecursionError):
        request = None
    return json.dumps(calculate(request), ensure_ascii=False, sort_keys=True)


def compare_json(text_a, text_b):
    """Two household_overview requests (JSON texts) in; both answers and their difference per year out.

    The calculator page's "What if…" (site_src/runtime/page/compare.mjs): each text is answered by
    calculate_json exactly as on its own, then calculator.compare subtracts the year totals exactly.
    """
    first, second = json.loads(calculate_json(text_a)), json.loads(calculate_json(text_b))
    return json.dumps({"a": first, "b": second, "difference": _compare_overviews(first, second)},
                      ensure_ascii=False, sort_keys=True)


def _refused(code, **fields):
    """The answer to a text refused before it is parsed."""
    return json.dumps(_stamped({"ok": False, "errors": _single_error(code, **fields)}), ensure_ascii=False,
                      sort_keys=True)


def _json_depth(text):
    """How deeply arrays and objects nest in the text, strings (closed or not) skipped; linear time."""
    brackets = NOT_BRACKETS.sub("", JSON_STRING.sub("", text))
    return max(itertools.accumulate(map(BRACKET_STEP.__getitem__, brackets)), default=0)


def _json_object(pairs):
    """A JSON object as a dict, refusing a key given twice."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return obj


def _json_int(digits):
    """A JSON integer: an int, or an exact Decimal when it is too long for int() (then refused as too large)."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else Decimal(digits)


def _json_decimal(number):
    """A JSON number as an exact Decimal; an absurd exponent is clamped so it is refused, not raised on."""
    match = JSON_NUMBER.fullmatch(number)
    exponent = match.group(2) if match else None
    if exponent and (len(exponent.lstrip("+-").lstrip("0")) > 7 or abs(int(exponent)) > MAX_JSON_EXPONENT):
        sign = "-" if number.startswith("-") else ""
        return Decimal(f"{sign}1E{'-' if exponent.startswith('-') else '+'}{MAX_JSON_EXPONENT}")
    return Decimal(number)


def _single_error(code, **fields):
    errors = inputs.Errors()
    errors.add("", code, **fields)
    return errors.items


def _calculate(request):
    errors = inputs.Errors()
    if not isinstance(request, dict):
        return {"ok": False, "errors": _single_error("not_an_object")}
    measure = inputs.read_choice(errors, request, "measure", "measure", tuple(MEASURES))
    if measure is None:
        return {"ok": False, "errors": errors.items}
    rule, fields = MEASURES[measure]
    inputs.check_fields(errors, request, "", COMMON_FIELDS + fields)
    when = inputs.read_date(errors, request, "date", "date")
    saved_version = request.get("rules_version")
    if saved_version is not None and not isinstance(saved_version, str):
        errors.add("rules_version", "not_text", field=inputs.field_name("rules_version"))
    result = rule(request, errors, when)
    if errors:
        refused = {item["path"] for item in errors.listed}
        return {"ok": False, "measure": measure, "errors": name_sections(measure, errors.items),
                "read": {path: value for path, value in errors.read.items() if path not in refused}}
    if errors.notes and result.data.get("read_as") is not None:
        result.data["read_as"] = list(errors.notes)
    if errors.read and result.data.get("read") is not None:
        result.data["read"] = dict(errors.read)
    if saved_version and saved_version != RULES_VERSION:
        result.warn("rules_changed", "section-4", old=inputs._shown(saved_version), new=RULES_VERSION)
    # Every result says the policy is a document of 2017 with no end date, and relies on that reading.
    result.reading(POLICY_DATE_READING)
    result.data["policy_notice"] = MESSAGES.text("notice.policy_date")
    return result.data


__all__ = ["calculate", "calculate_json", "compare_json", "MEASURES", "MESSAGES", "POLICY", "RULES_VERSION", "cite", "__version__"]
