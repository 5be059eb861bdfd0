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
