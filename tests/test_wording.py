"""The site's wording defects, each pinned by the sentence or label that fixes it, in both languages.
The site says only what the policy says; where it picks a meaning it says so ("本站理解" /
"Our reading") and marks the place with <!-- reading:<id> --> for the readings register."""

import re
import tomllib
from pathlib import Path

import pytest

from sitebuild.format import format_param
from sitebuild.policytext import parse_policy
from calculator import MESSAGES, POLICY
from calculator.readings import READINGS

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
SITE = tomllib.loads((SRC / "site.toml").read_text(encoding="utf-8"))
POLICY_EN = (SRC / "policy/policy.en.txt").read_text(encoding="utf-8")
POLICY_ZH = (SRC / "policy/qinyuan-2017-industry-poverty-alleviation.zh.txt").read_text(encoding="utf-8")
MARKER = re.compile(r"<!-- reading:([a-z0-9_]+) -->")


def page(lang, slug):
    return (SRC / "content" / lang / f"{slug}.md").read_text(encoding="utf-8")


def pages(lang):
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((SRC / "content" / lang).glob("*.md"))}


def flat(text):
    """Markdown without emphasis, so a sentence can be matched as a resident reads it."""
    return text.replace("**", "")


# ------------------------------------------------------------------ the reading markers

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_marker_names_a_reading_in_the_register(lang):
    for slug, text in pages(lang).items():
        for reading_id in MARKER.findall(text):
            assert reading_id in READINGS, (lang, slug, reading_id)


def test_each_page_marks_the_same_readings_in_both_languages():
    zh, en = pages("zh"), pages("en")
    for slug in zh:
        assert sorted(set(MARKER.findall(zh[slug]))) == sorted(set(MARKER.findall(en[slug]))), slug


@pytest.mark.parametrize("lang,words", [("zh", ("本站理解",)), ("en", ("Our reading", "our reading"))])
def test_a_marker_follows_a_sentence_that_says_it_is_a_reading(lang, words):
    """Each marked paragraph, list item or heading says in words that it is our reading."""
    unmarked = [(slug, block) for slug, text in pages(lang).items()
                for block in re.split(r"\n\s*\n|\n(?=- )", text)
                if MARKER.search(block) and not any(w in block for w in words)]
    assert unmarked == []


# ------------------------------------------------------------------ the leaflet box

def test_leaflet_box_sends_households_to_the_township():
    title, box = SITE["text"]["leaflet_apply_title"], SITE["text"]["leaflet_apply"]
    assert title == {"zh": "到哪里问", "en": "Where to ask"}
    assert box["zh"].startswith("政策没有写贫困户怎么申请。") and "乡（镇）人民政府" in box["zh"]
    assert "村委" not in box["zh"]
    assert box["en"].startswith("The policy does not say how households apply.") and "village committee" not in box["en"]
    # The marker right after the box says 本站理解 / Our reading: the text does not say it a second time.
    assert "本站理解" not in box["zh"] and "Our reading" not in box["en"]
    from sitebuild.render.leaflets import WHERE_TO_ASK, WHERE_TO_ASK_HOUSEHOLD
    assert WHERE_TO_ASK_HOUSEHOLD == ("leaflet_apply", "how_households_apply", "section-5-1")
    assert WHERE_TO_ASK["business-entities"] == ("leaflet_apply_entity", None, "section-5-2")


# ------------------------------------------------------------------ 保底 is only the 6% part

def test_collective_income_label_does_not_call_the_whole_return_guaranteed():
    label = MESSAGES.entries["line.collective_income"]
    assert label["zh"] == "村集体资产年收益（含保底收益）"
    assert label["en"] == "Village collective's annual return (includes the guaranteed minimum)"


def test_dividends_page_flags_dividing_the_whole_return_as_our_reading():
    assert "本站理解：约定收益全部按股分给贫困户，不只是保底的那部分。<!-- reading:dividend_whole_return_split -->" \
        in page("zh", "dividends")
    assert ("Our reading: the whole agreed return is divided among poor households' shares, not only the "
            "guaranteed part.<!-- reading:dividend_whole_return_split -->") in page("en", "dividends")


# ------------------------------------------------------------------ the cap label in the policy's words

def test_cap_label_prints_the_policys_words_and_marks_the_reading():
    cap = POLICY["livestock_cap_per_household"]
    # The label is the policy's words only; the reading is named by the parameter and printed as the
    # "本站理解 / Our reading" marker beside the label (tests/test_readings_build.py checks the pages).
    assert cap.label_zh == "贫困户每户奖补金额不超过"
    assert cap.label_zh in cap.source_zh
    assert cap.label_en == "Subsidy per poor household not exceeding"
    assert cap.label_en.lower() in POLICY_EN.lower()
    assert cap.reading == "livestock_cap_scope" and cap.reading in READINGS
    assert "“贫困户每户奖补金额不超过3000元”。本站理解：只管养殖奖补" in page("zh", "household-subsidies")
    assert "Our reading: it caps livestock only" in page("en", "household-subsidies")


# ------------------------------------------------------------------ measure 7's unit

def test_measure_7_is_in_yuan_and_says_per_household_or_project_is_open():
    for name in ("self_run_project_min", "self_run_project_max"):
        assert POLICY[name].unit == "yuan"
        assert "/户" not in format_param(name, "zh") and "household" not in format_param(name, "en")
    assert "没有写是每户一次，还是每个项目一次。" in page("zh", "self-run-projects")
    assert "It does not say whether it is once per household or once per project." in page("en", "self-run-projects")


# ------------------------------------------------------------------ Grain for Green says 农户

def test_grain_for_green_quotes_the_text_and_marks_the_reading():
    zh, en = flat(page("zh", "grain-for-green")), flat(page("en", "grain-for-green"))
    assert "政策原文写的是对农户实施退耕还林给补助" in zh
    assert "本站理解：不限于贫困户，实施退耕还林的农户都能领。<!-- reading:grain_for_green_all_farmers -->" in zh
    assert "Our reading: it is not limited to poor households" in en
    assert "不只是贫困户（" not in page("zh", "index")


# ------------------------------------------------------------------ 非贫困户不参与分红 is a reading

def test_non_poor_households_is_a_reading_beside_the_all_villagers_rule():
    zh, en = page("zh", "dividends"), page("en", "dividends")
    assert "本站理解：还有贫困户的时候，非贫困户不参与分红。<!-- reading:dividend_poor_only -->" in zh
    assert "全部贫困户稳定脱贫后，集体资产（资源）由全体村民共享" in zh
    assert "Our reading: while poor households remain, other households do not share the dividends." in en
    assert "shared by all villagers" in en


# ------------------------------------------------------------------ measure 7's project types

def test_project_types_are_examples_decided_at_review():
    assert "本站理解：这些只是举例。算不算自主经营项目，由审核决定。" in page("zh", "self-run-projects")
    assert "Our reading: these are only examples. Whether a project counts is decided at review." \
        in page("en", "self-run-projects")


# ------------------------------------------------------------------ 再补贴

def test_potato_extra_says_the_policy_does_not_say_what_it_adds_to():
    zh, en = page("zh", "household-subsidies"), page("en", "household-subsidies")
    assert "没有写在哪一项之上“再”补。本站理解：商品薯按{{ param(\"commercial_potato\") }}单独算" in zh
    assert ("does not say what it is added to. Our reading: commercial potatoes count at "
            "{{ param(\"commercial_potato\") }} on their own") in en


# ------------------------------------------------------------------ who pays the 保底

@pytest.mark.parametrize("lang,pays,guarantee,first,entity,collective", [
    ("zh", "年初", "保底", "", "经营主体", "村集体"),
    ("en", "start of", "guaranteed", "first", "entity", "village collective"),
])
def test_guaranteed_return_is_paid_by_the_entity_and_distributed_by_the_collective(lang, pays, guarantee, first,
                                                                                  entity, collective):
    seen = 0
    for slug, text in pages(lang).items():
        for line in flat(text).splitlines():
            if pays in line and guarantee in line:
                seen += 1
                assert entity in line and collective in line and first in line, (slug, line)
    assert seen >= 3  # the home, business-entities and dividends pages


# ------------------------------------------------------------------ the translation

def test_translation_wording():
    assert "advantages in ecological resources" in POLICY_EN and "differences between townships" in POLICY_EN
    assert "whose advantages are fairly clear" in POLICY_EN and "comparative advantage" not in POLICY_EN
    assert "leadership by" not in POLICY_EN and "enterprises (cooperatives) bringing households along" in POLICY_EN
    assert not re.search(r"\bspecial (industr|crop)", POLICY_EN)
    assert POLICY_EN.count("specialty") == POLICY_ZH.count("特色")
    assert "planning" not in POLICY_EN and "coordinating it as a whole" in POLICY_EN


def test_translation_stays_paragraph_aligned():
    zh = [line for line in POLICY_ZH.splitlines() if line.strip()]
    en = [line for line in POLICY_EN.splitlines() if line.strip()]
    assert len(zh) == len(en)
    parse_policy(POLICY_ZH, POLICY_EN)  # raises on any misaligned marker
