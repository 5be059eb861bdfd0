"""calculator/display.py: the one formatter of amounts, and the `display` text every result carries."""

import json

import pytest

from calculator import calculate_json, display
from casefiles import load_cases

NBSP = "\u00a0"


# ------------------------------------------------------------------ pages (the build's formats)

def test_page_money_formats():
    assert display.money("20000", "zh") == f"20,000{NBSP}元（2万元）"
    assert display.money("9999.5", "zh", cents=True) == f"9,999.50{NBSP}元"
    assert display.money("11450", "zh") == f"11,450{NBSP}元（约1.15万元）"
    assert display.money("33333.33", "zh", cents=True) == f"33,333.33{NBSP}元（约3.33万元）"
    assert display.money("20000", "en") == f"20,000{NBSP}yuan"
    assert display.money("-5", "en") == f"-5{NBSP}yuan"
    assert display.format_param("solar_greenhouse", "zh") == f"20,000{NBSP}元/亩（2万元/亩）"
    assert display.format_param("solar_greenhouse", "en") == f"20,000{NBSP}yuan per mu"
    assert display.format_param("grain_to_forest_installments", "zh") == f"500、150、300、150、400{NBSP}元/亩"
    assert display.format_param("dividend_min_rate", "en") == "6%"
    assert display.format_param("consolidation_years", "zh") == "3年"
    assert display.quantity("0.5", "mu", "zh") == f"0.5{NBSP}亩"
    assert display.quantity("100000", "yuan", "en") == f"100,000{NBSP}yuan"


def test_years_read_as_years_in_chinese():
    """A wording defect: "全县2015底", "2014、2015已经脱贫" lacked 年."""
    assert display.format_param("identification_year", "zh") == "2015年"
    assert display.format_param("household_loan_exit_years", "zh") == "2014年、2015年"
    assert display.format_param("identification_year", "en") == "2015"
    assert display.format_param("household_loan_exit_years", "en") == "2014 and 2015"


# ------------------------------------------------------------------ results (what the calculator page shows)

@pytest.mark.parametrize(("value", "zh", "en"), [
    ("0.00", "0.00 元", "0.00 yuan"),
    ("9999.99", "9,999.99 元", "9,999.99 yuan"),
    ("10000.00", "10,000.00 元（1万元）", "10,000.00 yuan"),
    ("13000.00", "13,000.00 元（1.3万元）", "13,000.00 yuan"),
    ("15428.57", "15,428.57 元（约1.54万元）", "15,428.57 yuan"),  # the 万元 gloss: exact to two decimals, else 约
    ("11999.99", "11,999.99 元（约1.2万元）", "11,999.99 yuan"),
    ("300000000.00", "300,000,000.00 元（30,000万元）", "300,000,000.00 yuan"),
    ("-0.01", "-0.01 元", "-0.01 yuan"),
    ("-12345.60", "-12,345.60 元（约-1.23万元）", "-12,345.60 yuan"),
])
def test_result_amounts_read_as_the_calculator_page_showed_them(value, zh, en):
    assert display.both(display.amount, value) == {"zh": zh, "en": en}


def test_quantities_and_rates_with_their_units():
    assert display.both(display.unit_text, "0.5", "mu") == {"zh": "0.5 亩", "en": "0.5 mu"}
    assert display.both(display.unit_text, "1", "shares") == {"zh": "1 股", "en": "1 share"}
    assert display.both(display.unit_text, "2", "shares") == {"zh": "2 股", "en": "2 shares"}
    assert display.both(display.unit_text, "1", "head") == {"zh": "1 头（只）", "en": "1 head"}
    assert display.both(display.unit_text, "1", "households") == {"zh": "1 户", "en": "1 household"}
    assert display.both(display.unit_text, "1500", "mu") == {"zh": "1,500 亩", "en": "1,500 mu"}
    assert display.both(display.rate_text, "20000", "yuan_per_mu") == {"zh": "20,000 元/亩", "en": "20,000 yuan per mu"}
    assert display.both(display.rate_text, "50", "yuan_per_mu_per_year") == {
        "zh": "50 元/亩/年", "en": "50 yuan per mu per year"}
    assert display.both(display.rate_text, "0.0625", "ratio") == {"zh": "6.25%", "en": "6.25%"}


def test_exact_values_in_sentences_keep_at_most_four_decimals():
    assert display.approximate("5142.857142857142857") == "≈5142.8571"
    assert display.approximate("349.995") == "349.995"
    assert display.approximate("10000") == "10000"
    assert display.approximate("0.00005") == "≈0.0001"


OBJECT_LISTS = ("lines", "subtotals", "schedule", "checks")
MONEY_FIELDS = ("amount", "amount_before_cap", "cap", "cut", "min", "max", "base", "minimum", "actual", "shortfall")


def _objects(result):
    for key in OBJECT_LISTS:
        yield from ((key, item) for item in result[key])
    for key in ("total", "range"):
        if result[key] is not None:
            yield key, result[key]


@pytest.mark.parametrize(("case_id", "request_text"), [c[:2] for c in load_cases()], ids=[c[0] for c in load_cases()])
def test_every_figure_of_every_result_has_display_text(case_id, request_text):
    result = json.loads(calculate_json(request_text))
    if not result["ok"]:
        return
    for where, item in _objects(result):
        shown = item["display"]
        for field in MONEY_FIELDS + ("quantity", "rate", "share", "year", "installment"):
            if item.get(field) is None:
                continue
            assert set(shown.get(field, {})) == {"zh", "en"}, f"{where}.{field} has no display text"
            assert all(text.strip() for text in shown[field].values())
        for field in set(shown) & set(MONEY_FIELDS):
            if not (where == "lines" and item["id"] == "rounding_difference"):
                assert shown[field] == display.both(display.amount, item[field])


def test_english_citations_number_clauses_as_the_translation_does():
    """A wording defect: results said "section 三(一)" where pages and the translation say "Section V(2)"."""
    from pathlib import Path

    from calculator import cite

    assert cite("section-5-2") == {"zh": "第五部分（二）", "en": "Section V(2)"}
    assert cite("section-3") == {"zh": "第三部分", "en": "Section III"}
    assert cite("measure-6") == {"zh": "第6条", "en": "Measure 6"}
    translation = (Path(__file__).resolve().parent.parent / "site_src" / "policy" / "policy.en.txt").read_text("utf-8")
    lines = translation.splitlines()
    for n in "12345":
        numeral = cite(f"section-{n}")["en"].removeprefix("Section ")
        assert any(line.startswith(f"{numeral}. ") for line in lines), f"the translation has no section {numeral}"
    assert any(line.startswith("(2) Apply strict application procedures") for line in lines)


def test_no_answer_writes_cn_yen_or_yuan_twice():
    """The glossary's English for 元 is "yuan", after the figure: every case file's answer, compared as JSON text."""
    for case_id, request_text, _ in load_cases():
        answer = calculate_json(request_text)
        assert "¥" not in answer and "yuan yuan" not in answer.replace("\\u00a0", " "), case_id
