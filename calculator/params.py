"""Load the policy's parameters and the message catalogue from the TOML data files.

Loading is strict on purpose: a parameter without its clause, source phrase, unit or
labels, or with a float value, stops the load with a message naming it, so a careless
edit can never silently change a rate.
"""

import datetime
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARAMETERS_FILE = HERE / "parameters.toml"
MESSAGES_FILE = HERE / "messages.toml"

REQUIRED_KEYS = ("unit", "clause", "source_zh", "label_zh", "label_en", "values")
# Optional: source_en, the matching words of the English translation (the policy page marks them);
# reading, the id of calculator/readings.toml a label relies on (pages print its marker beside the label).
OPTIONAL_KEYS = ("source_en", "reading")
CLAUSE_PATTERN = re.compile(r"^(measure-(10|[1-9])|section-[1-5](-[1-9])?)$")
SECTION_NUMERALS = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五"}
SECTION_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


class ParameterError(ValueError):
    """The parameter file is incomplete or malformed."""


# ---- the range a value of each unit may take: (the smallest, the largest or the [limits] key that holds it, the
# most decimal places). A value outside it (a typing slip such as 10^30 or 0.0000001 yuan) stops the load with the
# parameter's name, file and line, before any arithmetic on it could fail or silently round.
MONEY = (0, "max_money_yuan", 2)
UNIT_RANGES = {
    "yuan": MONEY, "yuan_per_mu": MONEY, "yuan_per_mu_per_year": MONEY, "yuan_per_tou": MONEY,
    "yuan_per_zhi": MONEY,
    "yuan_per_household": MONEY,
    "ratio": (0, 1, 4),
    "years": (0, 100, 0),
    "year": ("min_year", "max_year", 0),
    "households": (0, "max_households", 0),
    "people": (0, 1000000, 0),
    "mu": (0, "max_area_mu", "max_area_decimals"),
    "head": (0, "max_heads", 0),
    "shares": (0, "max_shares", "max_share_decimals"),
}


def _line_of(text, name, raw=None):
    """The line of parameters.toml where parameter `name` is (its value `raw` where given): for error messages."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.strip() == f"[parameters.{name}]"), None)
    if header is None:
        return None
    if raw is not None:
        value = re.compile(r"\bvalue\s*=\s*\[?[^\n]*" + re.escape(f'"{raw}"' if isinstance(raw, str) else str(raw)))
        for i in range(header + 1, len(lines)):
            if lines[i].lstrip().startswith("[") and not lines[i].lstrip().startswith("[{"):
                break
            if value.search(lines[i]):
                return i + 1
    return header + 1


def range_problem(unit, raw, value, limits):
    """None, or what is wrong with `value` (one figure) for a parameter of `unit`."""
    if unit not in UNIT_RANGES:  # a new unit needs its range here, or its values would go unchecked
        return f"unit {unit!r} has no range of values (calculator/params.py UNIT_RANGES)"
    low, high, places = (limits[b] if isinstance(b, str) else Decimal(b) for b in UNIT_RANGES[unit])
    if not low <= value <= high:
        return f"value {raw!r} is out of range for {unit}: {low:f} to {high:f}"
    if value.normalize().as_tuple().exponent < -int(places):
        return f"value {raw!r} has more than {int(places)} decimal places"
    return None
# ---- end value ranges


@dataclass(frozen=True)
class Parameter:
    """One policy parameter: its values by effective date and where they come from."""

    name: str
    unit: str
    clause: str
    source_zh: str
    label_zh: str
    label_en: str
    values: tuple  # ((datetime.date, value), ...) sorted by date
    source_en: str = ""
    reading: str = ""
    # ((datetime.date, text), ...): for a value that an amendment set, the amending document's own words
    # (`source` beside that value in parameters.toml); the policy's own values come from source_zh.
    amendments: tuple = ()

    def source_of(self, start):
        """The words a value comes from: its amendment's, or the policy's phrase (source_zh)."""
        return dict(self.amendments).get(start, self.source_zh)

    def at(self, when=None):
        """The value in force on `when` (a date); the one in force today when `when` is None.

        Never simply the last entry: an amendment dated in the future must not apply before its date.
        """
        when = datetime.date.today() if when is None else when
        in_force = [value for start, value in self.values if start <= when]
        if not in_force:
            raise ParameterError(f"{self.name}: no value in force on {when.isoformat()}")
        return in_force[-1]

    def upcoming(self, after=None):
        """The ((date, value), ...) that take effect after `after` (today when None), for "from DATE: value" rows."""
        after = datetime.date.today() if after is None else after
        return tuple((start, value) for start, value in self.values if start > after)

    def describe(self):
        """JSON-ready description for rate tables and the trace."""
        return {
            "name": self.name,
            "unit": self.unit,
            "clause": self.clause,
            "source_zh": self.source_zh,
            "label": {"zh": self.label_zh, "en": self.label_en},
            "values": [{"from": start.isoformat(), "value": _to_json(value)} for start, value in self.values],
        }


def _to_json(value):
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return str(value)


def _exact(name, raw):
    """A parameter value as an exact Decimal (or a tuple of them); floats are refused."""
    if isinstance(raw, list):
        return tuple(_exact(name, item) for item in raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise ParameterError(f"{name}: value {raw!r} must be a string or an integer, never a float")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ParameterError(f"{name}: value {raw!r} is not a number") from None
    if not value.is_finite():
        raise ParameterError(f"{name}: value {raw!r} is not finite")
    return value


def _parameter(name, entry, units, limits=None, where=None):
    missing = [key for key in REQUIRED_KEYS if not entry.get(key)]
    if missing:
        raise ParameterError(f"parameter {name} lacks {', '.join(missing)}")
    unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ParameterError(f"parameter {name} has unknown keys {', '.join(unknown)}")
    if entry["unit"] not in units:
        raise ParameterError(f"parameter {name}: unit {entry['unit']!r} is not defined in [units]")
    if not CLAUSE_PATTERN.match(entry["clause"]):
        raise ParameterError(f"parameter {name}: clause {entry['clause']!r} is not measure-1..10 or section-N")
    values, amendments = [], []
    for item in entry["values"]:
        if not {"from", "value"} <= set(item) <= {"from", "value", "source"} or not isinstance(item["from"], datetime.date):
            raise ParameterError(f"parameter {name}: each value needs 'from' (a date) and 'value', "
                                 "and may have 'source' (an amending document's words)")
        value = _exact(name, item["value"])
        if limits is not None:
            for raw, figure in zip(item["value"] if isinstance(item["value"], list) else [item["value"]],
                                   value if isinstance(value, tuple) else (value,)):
                problem = range_problem(entry["unit"], raw, figure, limits)
                if problem:
                    path, text = where
                    raise ParameterError(f"{path.parent.name}/{path.name}, line {_line_of(text, name, raw)}: parameter {name}: {problem} "
                                         f"(the value from {item['from']}); write the figure the document states")
        values.append((item["from"], value))
        if "source" in item:
            if not isinstance(item["source"], str) or not item["source"].strip():
                raise ParameterError(f"parameter {name}: the source of the value from {item['from']} must be non-empty text")
            amendments.append((item["from"], item["source"]))
    values.sort(key=lambda pair: pair[0])
    if len({start for start, _ in values}) != len(values):
        raise ParameterError(f"parameter {name}: two values start on the same date")
    fields = {key: entry[key] for key in REQUIRED_KEYS + OPTIONAL_KEYS if key != "values" and key in entry}
    for key in OPTIONAL_KEYS:
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            raise ParameterError(f"parameter {name}: {key} must be non-empty text")
    return Parameter(name=name, values=tuple(values), amendments=tuple(amendments), **fields)


@dataclass(frozen=True)
class Policy:
    """Everything read from parameters.toml: metadata, units, parameters and input limits."""

    meta: dict
    units: dict
    parameters: dict
    limits: dict
    rules_version: str

    def __getitem__(self, name):
        return self.parameters[name]


def _rules_version(parameters):
    """A short key that changes whenever any parameter value changes (printed links carry it)."""
    canonical = json.dumps({n: p.describe()["values"] for n, p in sorted(parameters.items())}, sort_keys=True)
    latest = max(start for p in parameters.values() for start, _ in p.values)
    return f"{latest.isoformat()}.{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"


def read_toml(path):
    """A data file of the rule module; a syntax error names the file, its line and column."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{Path(path).name}: not valid TOML: {error}") from None


def load_policy(path=PARAMETERS_FILE):
    """Read and check the parameter file."""
    path = Path(path)
    data = read_toml(path)
    for section in ("meta", "units", "parameters", "limits"):
        if section not in data:
            raise ParameterError(f"{path}: missing [{section}]")
    for unit, labels in data["units"].items():
        if set(labels) != {"zh", "en"}:
            raise ParameterError(f"unit {unit} needs exactly zh and en labels")
    limits = {key: _exact(f"limits.{key}", value) for key, value in data["limits"].items()}
    where = (path, path.read_text(encoding="utf-8"))
    parameters = {name: _parameter(name, entry, data["units"], limits, where) for name, entry in data["parameters"].items()}
    _check_schedule(parameters)
    return Policy(data["meta"], data["units"], parameters, limits, _rules_version(parameters))


def _check_schedule(parameters):
    """The Grain for Green installments must add up to the total at every date."""
    total, installments = parameters["grain_to_forest_total"], parameters["grain_to_forest_installments"]
    for start, schedule in installments.values:
        if sum(schedule) != total.at(start):
            raise ParameterError(f"grain_to_forest_installments from {start} do not add up to grain_to_forest_total")


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load_messages(path=MESSAGES_FILE):
    """Read the catalogue as {"group.key": {"zh": ..., "en": ...}}, checking both languages agree."""
    data = read_toml(path)
    catalogue = {}
    for group, entries in data.items():
        for key, texts in entries.items():
            name = f"{group}.{key}"
            if set(texts) != {"zh", "en"}:
                raise ParameterError(f"message {name} needs exactly zh and en")
            if set(PLACEHOLDER.findall(texts["zh"])) != set(PLACEHOLDER.findall(texts["en"])):
                raise ParameterError(f"message {name}: zh and en use different placeholders")
            catalogue[name] = texts
    return catalogue


def cite(clause):
    """The {"zh", "en"} citation of a clause id such as measure-8 or section-5-2."""
    parts = clause.split("-")
    if parts[0] == "measure":
        return MESSAGES.text("cite.measure", n=parts[1])
    # Chinese numbers sections 一…五 and subsections （一）…; English as the translation: V(2).
    numeral = {"zh": SECTION_NUMERALS[parts[1]], "en": SECTION_ROMAN[parts[1]]}
    if len(parts) == 3:
        sub = {"zh": "一二三四五六七八九"[int(parts[2]) - 1], "en": parts[2]}
        return MESSAGES.text("cite.subsection", numeral=numeral, sub=sub)
    return MESSAGES.text("cite.section", numeral=numeral)


class Catalogue:
    """Formats catalogue entries into {"zh": ..., "en": ...} pairs."""

    def __init__(self, entries):
        self.entries = entries

    def __contains__(self, key):
        return key in self.entries

    def text(self, key, **fields):
        """Both languages of one message, placeholders filled; a field may itself be a {"zh","en"} pair."""
        texts = self.entries[key]
        return {
            lang: texts[lang].format_map({k: (v[lang] if isinstance(v, dict) else v) for k, v in fields.items()})
            for lang in ("zh", "en")
        }


POLICY = load_policy()
MESSAGES = Catalogue(load_messages())
