"""The parameter file and the message catalogue: complete, sourced, and strict when loaded."""

import datetime
import re
from pathlib import Path

import pytest

from calculator import MESSAGES, POLICY, RULES_VERSION
from calculator.params import PLACEHOLDER, ParameterError, load_messages, load_policy

ROOT = Path(__file__).resolve().parent.parent
POLICY_TEXT = (ROOT / "site_src/policy/qinyuan-2017-industry-poverty-alleviation.zh.txt").read_text(encoding="utf-8")
SHARED_POLICY = ROOT.parent / "shared/policy/qinyuan-2017-industry-poverty-alleviation.zh.txt"


def test_policy_text_is_the_shared_source_of_truth():
    if not SHARED_POLICY.exists():
        pytest.skip("no ../shared beside this checkout")
    assert POLICY_TEXT == SHARED_POLICY.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(POLICY.parameters))
def test_each_parameter_quotes_the_policy_verbatim(name):
    assert POLICY[name].source_zh in POLICY_TEXT


@pytest.mark.parametrize("name", sorted(POLICY.parameters))
def test_each_value_appears_in_its_source_phrase(name):
    """A number typed into the data file must be the number the quoted phrase states."""
    # The same check stops the build (sitebuild.compute.value_problems); here it runs on the data alone.
    from sitebuild.compute import value_in_phrase

    parameter = POLICY[name]
    values = parameter.at() if isinstance(parameter.at(), tuple) else (parameter.at(),)
    for value in values:
        assert value_in_phrase(value, parameter.unit, parameter.source_zh), (
            f"{name}: {values} not written in {parameter.source_zh!r}")


def test_every_value_starts_on_the_date_of_issue():
    issued = POLICY.meta["date_of_issue"]
    assert issued == datetime.date(2017, 11, 13)
    assert all(p.values[0][0] == issued for p in POLICY.parameters.values())


def test_rules_version_is_keyed_by_date_and_content():
    assert re.fullmatch(r"2017-11-13\.[0-9a-f]{8}", RULES_VERSION)


def _write(tmp_path, text):
    path = tmp_path / "parameters.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _original():
    return (ROOT / "calculator/parameters.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["unit", "clause", "source_zh", "label_zh", "label_en"])
def test_loading_fails_loudly_on_a_missing_reference(tmp_path, key):
    text = _original().replace(f'{key} = ', f'# {key} = ', 1) if key != "clause" else _original().replace(
        'clause = "section-3"', "", 1)
    with pytest.raises(ParameterError, match=key):
        load_policy(_write(tmp_path, text))


def test_loading_refuses_a_float(tmp_path):
    text = _original().replace('value = "20000"', "value = 20000.0", 1)
    with pytest.raises(ParameterError, match="float"):
        load_policy(_write(tmp_path, text))


def test_loading_refuses_an_unknown_clause(tmp_path):
    text = _original().replace('clause = "measure-7"', 'clause = "measure-11"', 1)
    with pytest.raises(ParameterError, match="measure-11"):
        load_policy(_write(tmp_path, text))


def test_loading_refuses_a_schedule_that_does_not_add_up(tmp_path):
    text = _original().replace('["500", "150", "300", "150", "400"]', '["500", "150", "300", "150", "401"]')
    with pytest.raises(ParameterError, match="add up"):
        load_policy(_write(tmp_path, text))


def test_an_amendment_is_a_data_change(tmp_path):
    text = _original().replace(
        'values = [{ from = 2017-11-13, value = "20000" }]',
        'values = [{ from = 2017-11-13, value = "20000" }, { from = 2030-01-01, value = "25000" }]')
    policy = load_policy(_write(tmp_path, text))
    assert policy["solar_greenhouse"].at(datetime.date(2029, 12, 31)) == 20000
    assert policy["solar_greenhouse"].at(datetime.date(2030, 1, 1)) == 25000
    assert policy.rules_version.startswith("2030-01-01.")


def test_messages_have_both_languages_and_the_same_placeholders():
    for key, texts in MESSAGES.entries.items():
        assert texts["zh"].strip() and texts["en"].strip(), key
        assert set(PLACEHOLDER.findall(texts["zh"])) == set(PLACEHOLDER.findall(texts["en"])), key


def test_message_loading_refuses_mismatched_placeholders(tmp_path):
    path = tmp_path / "messages.toml"
    path.write_text('[error.x]\nzh = "{a}"\nen = "{b}"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="placeholders"):
        load_messages(path)


def test_every_message_key_the_code_uses_exists():
    """Keys written literally in the rule module must be in the catalogue."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "calculator").glob("*.py"))
    literal = set(re.findall(r'"((?:measure|cite|line|subtotal|total|range|check|status|warning|trace|rounding|'
                             r'error|field)\.[a-z_]+)"', source))
    for group, call in (("warning", r"\.warn\(\s*\"([a-z_]+)\""), ("trace", r"\.step\(\s*\"([a-z_]+)\""),
                        ("error", r"\.add\([^,]+,\s*\"([a-z_]+)\"")):
        literal |= {f"{group}.{key}" for key in re.findall(call, source)}
    missing = sorted(key for key in literal if key not in MESSAGES)
    assert missing == []
