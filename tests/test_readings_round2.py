"""Say only what the policy says, round 2: the document's date said everywhere a figure is shown,
printed pages that explain every reading they mark, one marker wording, and the wording fixes that
follow, each pinned by the sentence, label, rendered value or build check that fixes it."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from calculator import MESSAGES, calculate, calculate_json
from casefiles import load_cases
from calculator.readings import READINGS
from sitebuild import pipeline
from sitebuild.checks import check
from sitebuild.readings import MARKER_TEXT, printed_page_problems

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
BASE = "https://www.example.gov.cn"
POLICY_ZH = (SRC / "policy/qinyuan-2017-industry-poverty-alleviation.zh.txt").read_text(encoding="utf-8")
POLICY_EN = (SRC / "policy/policy.en.txt").read_text(encoding="utf-8")
LEAFLETS = ["household-subsidies", "business-entities", "dividends", "grain-for-green", "how-to-apply", "loans",
            "self-run-projects"]
NOTICE = MESSAGES.text("notice.policy_date")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("round2") / "dist"
    pipeline.build(out, base_url=BASE, prefix="/")
    return out


def read(out, path):
    return (out / path / "index.html").read_text(encoding="utf-8")


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def ok_requests():
    """Every case file's request that the rule module answers with ok: true."""
    for case_id, request_text, _ in load_cases():
        result = json.loads(calculate_json(request_text))
        if isinstance(result, dict) and result.get("ok"):
            yield case_id, result


# ------------------------------------------------------------------ High 1: the document's date

def test_the_notice_says_the_date_the_aim_no_end_date_and_where_to_ask():
    zh, en = NOTICE["zh"], NOTICE["en"]
    assert zh.startswith("这是2017年11月13日的文件") and "没有写到哪年为止" in zh and "乡（镇）人民政府" in zh
    assert "“脱贫摘帽”" in zh and "脱贫摘帽" in POLICY_ZH and "2017年11月13日" in POLICY_ZH
    assert en.startswith("This is a document of 13 November 2017") and "no end date" in en
    assert "township government" in en and "13 November 2017" in POLICY_EN


def test_the_reading_values_in_force_is_registered_with_the_policys_aim():
    r = READINGS["values_in_force_no_end_date"]
    assert r["clause"] == "section-1" and r["policy_zh"] in POLICY_ZH and r["policy_en"] in POLICY_EN
    assert "没有写到哪年为止" in r["reading_zh"] and "no end date" in r["reading_en"]


def test_every_result_cites_the_reading_and_carries_the_notice():
    results = list(ok_requests())
    assert len(results) > 40
    for name, result in results:
        assert "values_in_force_no_end_date" in result["readings"], name
        assert result["policy_notice"] == NOTICE, name


def test_an_error_carries_no_notice():
    result = calculate({"measure": "grain_to_forest", "area_mu": "-1"})
    assert result["ok"] is False and "policy_notice" not in result


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_notice_is_on_home_calculator_slip_every_leaflet_and_the_kit(built, lang):
    notice = str(NOTICE[lang]).replace('"', "&#34;")
    pages = [lang, f"{lang}/calculator", f"{lang}/leaflets"] + [f"{lang}/leaflets/{s}" for s in LEAFLETS]
    for path in pages:
        html = read(built, path)
        assert f'{notice} <a class="reading" href="/{lang}/readings/#values_in_force_no_end_date"' in html \
            or (lang == "en" and "This is a document of 13 November 2017" in html), path
        assert "#values_in_force_no_end_date" in html, path
    calc = read(built, f"{lang}/calculator")
    slip = calc[calc.index('id="result-slip"'):]
    assert f'<p class="slip-policy-date">{NOTICE[lang]}</p>' in slip.replace("&#34;", '"')


# ------------------------------------------------------------------ High 2: printed pages explain their readings

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_marker_on_a_leaflet_is_numbered_and_explained_in_words(built, lang):
    for slug in LEAFLETS + [""]:
        html = read(built, f"{lang}/leaflets/{slug}".rstrip("/"))
        assert printed_page_problems(slug, html, lang) == [], slug
        markers = re.findall(r'<a class="reading" href="/[a-z]+/readings/#([a-z0-9_]+)"[^>]*>[^<]*</a>'
                             r'<sup class="reading-ref">(\d+)</sup>', html)
        assert markers, slug
        notes = re.findall(r'<li id="reading-note-([a-z0-9_]+)" data-reading="\1">(.*?)</li>', html, flags=re.S)
        order = [rid for rid, _ in notes]
        for rid, number in markers:
            assert order.index(rid) + 1 == int(number), (slug, rid)
        for rid, body in notes:
            assert READINGS[rid][f"reading_{lang}"] in unescape(re.sub(r"<[^>]+>", "", body)), (slug, rid)


def test_the_household_leaflet_explains_the_cap_in_words_on_paper(built):
    html = read(built, "zh/leaflets/household-subsidies")
    notes = text_of(html[html.index('class="reading-notes"'):])
    assert "这个上限只管养殖奖补。种植、大棚和土地流转不受这个上限限制。" in notes
    html = read(built, "en/leaflets/dividends")
    notes = text_of(html[html.index('class="reading-notes"'):])
    assert "An agreed rate below 6% is computed at 6%." in notes or "dividend_minimum_rate" not in html


def test_the_check_fails_a_printed_page_that_does_not_explain_a_marker():
    marker = '<a class="reading" href="/zh/readings/#livestock_cap_scope" title="t">本站理解</a>'
    good = marker + ('<li id="reading-note-livestock_cap_scope" data-reading="livestock_cap_scope">'
                     + READINGS["livestock_cap_scope"]["reading_zh"] + "</li>")
    assert printed_page_problems("x", good, "zh") == []
    assert "does not explain it in words" in printed_page_problems("x", marker, "zh")[0]
    other = good.replace(">本站理解<", ">本计算器理解为<")
    assert "not '本站理解'" in printed_page_problems("x", other, "zh")[0]


def test_the_build_check_reads_every_printed_page(built, tmp_path):
    import shutil
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    page = out / "zh/leaflets/loans/index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'<li id="reading-note-how_households_apply".*?</li>', "", html, flags=re.S), encoding="utf-8")
    problems = check(out, BASE, "/")
    assert any("zh/leaflets/loans/index.html: marks reading 'how_households_apply'" in p for p in problems), problems


# ------------------------------------------------------------------ item 12: one marker wording

OTHER_WORDINGS = re.compile(r"本计算器理解|本计算器的理解|本站的理解|我们的理解|this calculator reads|"
                            r"calculator's reading|the calculator reads it|we read it as", re.I)


def sources():
    yield from sorted((SRC / "content").glob("*/*.md"))
    yield from sorted((SRC / "templates").glob("*.html"))
    yield from (SRC / "site.toml", SRC / "examples.toml", ROOT / "calculator/messages.toml",
                ROOT / "calculator/readings.toml", ROOT / "calculator/parameters.toml")


def test_no_reading_is_marked_in_other_words_anywhere():
    found = [(p.name, m.group(0)) for p in sources() for m in OTHER_WORDINGS.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bare_marker_in_the_built_site_says_the_one_wording(built, lang):
    for page in sorted((built / lang).rglob("index.html")):
        for rid, text in re.findall(r'<!-- reading:([a-z0-9_]+) --><a class="reading"[^>]*>([^<]*)</a>',
                                    page.read_text(encoding="utf-8")):
            assert text == MARKER_TEXT[lang], (page, rid, text)
