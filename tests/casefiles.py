"""Read the declarative case files in tests/cases/ and match results against them.

A case file is TOML, one per measure:

    measure = "grain_to_forest"          # filled into every input that names no measure

    [[case]]
    name = "1 mu from 2018"
    input = { area_mu = "1", first_year = 2018 }
    [case.expect]                         # a partial result: see `match`
    total = { amount = "1500.00" }

`input_json = "..."` instead of `input` gives the request as raw JSON text (any JSON value,
not just an object), for the cases that prove calculate() never raises.
TOML has no null: the string "<null>" in an expectation stands for JSON null.
"""

import json
import tomllib
from pathlib import Path

NULL = "<null>"
CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases(directory=CASES_DIR):
    """Every case as (case_id, request_text, expect), in file then case order.

    Requests stay JSON text, so CPython and Pyodide parse exactly the same bytes
    (with calculator.calculate_json).
    """
    cases = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names = set()
        for case in data["case"]:
            name = case["name"]
            if name in names:
                raise ValueError(f"{path.name}: two cases named {name!r}")
            names.add(name)
            if "input_json" in case:
                request = case["input_json"]
            else:
                request = json.dumps({"measure": data["measure"], **case["input"]}, ensure_ascii=False)
            cases.append((f"{path.stem}: {name}", request, case["expect"]))
    return cases


def match(expected, actual, where="result"):
    """Differences between an expected partial result and the actual one, as a list of strings.

    Objects match when every expected key matches (others are ignored); lists must have the
    same length and match item by item; anything else must be equal.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += match(value, actual[key], f"{where}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} items, got {actual!r}"]
        return [p for i, (e, a) in enumerate(zip(expected, actual)) for p in match(e, a, f"{where}[{i}]")]
    if expected == NULL:
        expected = None
    if expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []
