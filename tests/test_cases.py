"""The case files are the spec: every case, run on CPython, must match its expectation."""

import json

import pytest

from calculator import calculate_json
from casefiles import load_cases, match

CASES = load_cases()


@pytest.mark.parametrize(("request_text", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(request_text, expect):
    result = json.loads(calculate_json(request_text))
    assert match(expect, result) == []


def test_every_measure_has_its_case_file():
    from calculator import MEASURES
    from casefiles import CASES_DIR

    assert {p.stem for p in CASES_DIR.glob("*.toml")} >= set(MEASURES)


def test_every_reading_a_result_relies_on_is_in_the_register():
    import tomllib
    from pathlib import Path

    register = Path(__file__).resolve().parent.parent / "calculator" / "readings.toml"
    if not register.is_file():
        pytest.skip("calculator/readings.toml (the register of readings) is not in this checkout")
    known = set(tomllib.loads(register.read_text(encoding="utf-8"))["readings"])
    used = {}
    for case_id, request_text, _ in CASES:
        for reading in json.loads(calculate_json(request_text)).get("readings", []):
            used.setdefault(reading, case_id)
    assert {reading: case for reading, case in used.items() if reading not in known} == {}
