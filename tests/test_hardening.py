"""The rule module under attack: findings of the adversarial audit, one test each.

Each test failed on the code before its fix. Cases that need only a request text live in
tests/cases/any_request.toml, so the Pyodide parity tests cover them too; what needs Python
(dated parameters, timing, the command line, direct calls with floats) lives here.
"""

import datetime
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

import calculator
from calculator import calculate, calculate_json
from calculator.params import PARAMETERS_FILE, load_policy

ROOT = Path(__file__).resolve().parent.parent
PIGS = {"measure": "household_subsidy", "registered_poor": True, "livestock": {"pig": 1}}


# ------------------------------------------------------------ High: "no date" means the values in force today

@pytest.fixture
def pig_rate_999_from_2030(tmp_path, monkeypatch):
    """The real parameter file with one future-dated amendment of the pig rate, loaded the normal way."""
    text = PARAMETERS_FILE.read_text(encoding="utf-8")
    old = '[parameters.pig]\nunit = "yuan_per_tou"\nclause = "measure-6"\nsource_zh = "养殖猪每头奖补300元"\n' \
          'label_zh = "养殖猪"\nlabel_en = "Pigs"\nvalues = [{ from = 2017-11-13, value = "300" }]'
    assert old in text
    amended = text.replace(old, old[:-1] + ', { from = 2030-01-01, value = "999" }]')
    path = tmp_path / "parameters.toml"
    path.write_text(amended, encoding="utf-8")
    pig = load_policy(path)["pig"]
    monkeypatch.setitem(calculator.POLICY.parameters, "pig", pig)
    return pig


def _pig_line(result):
    assert result["ok"], result
    return next(line for line in result["lines"] if line.get("parameter") == "pig")


def test_no_date_means_the_value_in_force_today(pig_rate_999_from_2030):
    pig = pig_rate_999_from_2030
    assert pig.at() == Decimal(300) == pig.at(None)
    assert pig.at(datetime.date.today()) == 300
    assert pig.at(datetime.date(2030, 1, 1)) == 999


def test_a_future_amendment_does_not_change_todays_answer(pig_rate_999_from_2030):
    today = calculate(PIGS)
    assert _pig_line(today)["amount"] == "300.00"
    assert _pig_line(calculate({**PIGS, "date": datetime.date.today().isoformat()}))["amount"] == "300.00"
    assert _pig_line(calculate({**PIGS, "date": "2030-06-01"}))["amount"] == "999.00"
    assert _pig_line(calculate({**PIGS, "date": "2029-12-31"}))["amount"] == "300.00"


def test_upcoming_lists_the_future_dated_values(pig_rate_999_from_2030):
    pig = pig_rate_999_from_2030
    assert pig.upcoming() == ((datetime.date(2030, 1, 1), Decimal(999)),)
    assert pig.upcoming(datetime.date(2017, 11, 13)) == ((datetime.date(2030, 1, 1), Decimal(999)),)
    assert pig.upcoming(datetime.date(2030, 1, 1)) == ()
    assert calculator.POLICY["cattle"].upcoming() == ()


# ------------------------------------------------------------ High: linear time on hostile text, and a length cap

@pytest.mark.parametrize("text", [
    '"' + '\\"' * 50_000,                 # an unterminated string of escaped quotes (was 32 s)
    '["' + '\\\\' * 50_000,               # escaped backslashes
    "[" * 50_000,                         # unterminated nesting
    '{"a": "' + "[" * 50_000,             # brackets inside an unterminated string
])
def test_hostile_text_is_answered_in_linear_time(text):
    start = time.perf_counter()
    result = json.loads(calculate_json(text))
    assert time.perf_counter() - start < 0.5
    assert result["ok"] is False


def test_a_text_longer_than_the_limit_is_refused_unparsed():
    limit = calculator.MAX_JSON_TEXT
    result = json.loads(calculate_json(" " * (limit + 1)))
    assert result["errors"][0]["code"] == "too_long"
    assert f"{limit:,}" in result["errors"][0]["en"] and result["errors"][0]["zh"]


def test_the_largest_legitimate_share_table_fits_under_the_limit():
    """2,000 rows (the row limit) with 40-character Chinese names and long notes, as the page sends them."""
    name = "沁源县王和镇某某村第十二组张三丰家户主"
    rows = [{"household": (name + f"{i:04d}" + name)[:40], "shares": "12345.6789",
             "notes": "脱贫户，二〇一八年入股，合作社分红由村集体统一发放。" * 8} for i in range(2000)]
    request = {"measure": "collective_dividends", "injected_funds": "999999999.99", "agreed_rate_percent": "6",
               "share_table": rows}
    text = json.dumps(request, ensure_ascii=False, indent=1)  # JSON.stringify keeps Chinese as it is
    assert len(text) <= calculator.MAX_JSON_TEXT
    result = json.loads(calculate_json(text))
    assert all(e["code"] != "too_long" for e in result.get("errors", []))


# ------------------------------------------------------------ Lows: digits, normalisation, misleading errors

@pytest.mark.parametrize("value", ["፩፪፫፬", "٢٠١٨", "２０１８", "2018"])
def test_every_field_reads_digits_the_same_way(value):
    """ASCII and full-width digits only, for years and for numbers alike."""
    year = calculate({"measure": "grain_to_forest", "area_mu": "1", "first_year": value})
    area = calculate({"measure": "grain_to_forest", "area_mu": value, "first_year": 2018})
    accepted = value in ("２０１８", "2018")
    assert year["ok"] is accepted, year
    assert area["ok"] is accepted, area
    if not accepted:
        assert year["errors"][0]["code"] == "not_a_year"
        assert area["errors"][0]["code"] == "not_a_number"


@pytest.mark.parametrize("value", ["10²", "1₅", "⑫", "１０⁰", "½", "1\u00a0000"])
def test_normalisation_never_changes_a_number(value):
    result = calculate({"measure": "entity_land_transfer", "area_mu": value})
    assert result["ok"] is False and result["errors"][0]["code"] == "not_a_number", result


@pytest.mark.parametrize(("value", "amount"), [("１２．５", "625.00"), ("12。5", "625.00"), (" 12 ", "600.00")])
def test_full_width_digits_and_stops_are_still_read(value, amount):
    assert calculate({"measure": "entity_land_transfer", "area_mu": value})["total"]["amount"] == amount


@pytest.mark.parametrize(("value", "code"), [
    (1e16, "too_large"), (1e-05, "too_many_decimals"), (1.5e3, None), (2.5, None)])
def test_floats_from_a_python_caller_get_the_right_error(value, code):
    result = calculate({"measure": "entity_land_transfer", "area_mu": value})
    if code is None:
        assert result["ok"], result
    else:
        assert result["errors"][0]["code"] == code, result


@pytest.mark.parametrize("value", [-0.0, Decimal("-0.0"), "-0", "-０.0"])
def test_negative_zero_is_zero(value):
    zero = calculate({"measure": "household_subsidy", "registered_poor": True, "land_transfer_mu": value})
    assert zero["ok"], zero
    positive = calculate({"measure": "entity_land_transfer", "area_mu": value})
    assert positive["errors"][0]["code"] == "must_be_positive", positive


def test_a_huge_integer_is_too_large_not_a_non_object():
    """CPython refuses to convert more than 4,300 digits to an int; the answer was "not an object"."""
    result = json.loads(calculate_json('{"measure": "entity_land_transfer", "area_mu": ' + "9" * 5000 + "}"))
    assert result["errors"] == [result["errors"][0]] and result["errors"][0]["code"] == "too_large"
    assert result["errors"][0]["path"] == "area_mu"


def test_duplicate_keys_are_refused_by_name():
    result = json.loads(calculate_json('{"measure": "entity_land_transfer", "area_mu": "1", "area_mu": "900"}'))
    assert result["ok"] is False
    assert result["errors"][0]["code"] == "duplicate_key"
    assert "area_mu" in result["errors"][0]["en"] and "area_mu" in result["errors"][0]["zh"]


def test_the_command_line_answers_a_lone_surrogate_cleanly():
    done = subprocess.run([sys.executable, "-m", "calculator", '{"measure":"\\ud800"}'], cwd=ROOT,
                          capture_output=True, env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"})
    assert done.stderr == b""
    assert done.returncode == 1
    result = json.loads(done.stdout.decode("utf-8"))
    assert result["errors"][0]["code"] == "unknown_choice"


def test_no_answer_carries_a_lone_surrogate():
    text = calculate_json('{"measure": "collective_dividends", "injected_funds": "100", "agreed_rate_percent": "6",'
                          ' "total_shares": "10", "share_table": [{"household": "\\ud800x", "shares": "1"}],'
                          ' "\\udfff": 1}')
    text.encode("utf-8")  # raises on a lone surrogate


def test_error_lists_are_capped():
    request = {"measure": "entity_land_transfer", "area_mu": "1", **{f"k{i}": 1 for i in range(100_000)}}
    start = time.perf_counter()
    text = json.dumps(calculate(request), ensure_ascii=False)  # a Python caller: no text length limit
    assert time.perf_counter() - start < 2
    errors = json.loads(text)["errors"]
    cap = calculator.inputs.MAX_ERRORS
    assert len(errors) == cap + 1
    assert errors[-1]["code"] == "more_errors"
    assert f"{100_000 - cap:,}" in errors[-1]["en"] and f"{100_000 - cap:,}" in errors[-1]["zh"]
    assert len(text) < 100_000
