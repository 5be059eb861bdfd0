"""Say only what the policy says, round 2: the document's date said everywhere a figure is shown,
printed pages that explain every reading they mark, one marker wording, and the wording fixes that
follow, each pinned by the sentence, label, rendered value or build check that fixes it."""

from __future__ import annotations

import json
import re
import tomllib
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


# ------------------------------------------------------------------ High: the document's date

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


# ------------------------------------------------------------------ High: printed pages explain their readings

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


# ------------------------------------------------------------------ one marker wording

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


# ------------------------------------------------------------------ medium items

def reading_ids(request):
    return calculate(request)["readings"]


def page(lang, slug):
    return (SRC / "content" / lang / f"{slug}.md").read_text(encoding="utf-8")


SITE = tomllib.loads((SRC / "site.toml").read_text(encoding="utf-8"))


def test_3_an_exited_registered_household_cites_the_reading_and_the_hint_says_yes():
    assert "exited_household_still_poor" in reading_ids({"measure": "household_subsidy", "registered_poor": True,
                                                         "livestock": {"pig": 1}})
    assert "exited_household_still_poor" in reading_ids({"measure": "self_run_project", "registered_poor": True,
                                                         "project_type": "processing"})
    assert "exited_household_still_poor" not in reading_ids({"measure": "household_subsidy", "registered_poor": False,
                                                             "livestock": {"pig": 1}})
    hint = SITE["text"]["hint.registered_poor"]
    assert hint["zh"].startswith("已经脱贫的建档立卡户，也选“是”。本站理解") and "also answers Yes" in hint["en"]


def test_4_crops_are_counted_once_as_a_reading_and_the_why_text_no_longer_states_it_as_fact():
    assert "crops_counted_once" in reading_ids({"measure": "household_subsidy", "registered_poor": True,
                                                "crops": {"medicinal_herbs": "1"}})
    assert "crops_counted_once" not in reading_ids({"measure": "household_subsidy", "registered_poor": True,
                                                    "livestock": {"pig": 1}})
    why = READINGS["land_transfer_one_year"]
    assert "其他奖补是一次性的" not in why["why_zh"] and "本站按一次算" in why["why_zh"]
    assert "are one-off" not in why["why_en"] and "this site counts them once" in why["why_en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_6_and_22_each_clause_says_its_own_part_and_the_chain_is_marked(lang):
    text = page(lang, "dividends")
    assert "<!-- reading:guaranteed_return_paid_through_collective -->" in text
    if lang == "zh":
        assert "这{{ param(\"dividend_min_rate\") }}是保底收益" not in text
        assert "第4条说，经营主体“需在每年年初将村集体保底收益先行分配给贫困户”" in text
        assert "第5条说，“资产收益由村集体分配到贫困户”" in text
    else:
        assert 'That {{ param("dividend_min_rate") }} is the guaranteed minimum return' not in text
        assert "Our reading: the guaranteed minimum return" in text


def test_7_the_not_registered_warning_says_what_measure_4_converts():
    w = MESSAGES.text("warning.dividend_not_registered")
    assert "把资产收益算成股份" not in w["zh"] and "建档立卡" not in w["zh"]
    assert "“折股量化到户到人”" in w["zh"] and "折股量化到户到人" in POLICY_ZH
    assert "exited stably" not in w["en"] and "made a lasting exit from poverty" in w["en"]
    assert "converts the fiscal support funds into shares" in w["en"]


def test_8_enterprise_where_the_policy_says_enterprise():
    assert MESSAGES.text("measure.entity_loan")["zh"] == "企业低息贷款（带动贫困户）"
    assert "enterprises" in MESSAGES.text("measure.entity_loan")["en"]
    assert MESSAGES.text("measure.entity_land_transfer")["en"].startswith("Enterprise:")
    w = MESSAGES.text("warning.entity_no_revolving_fund")
    assert "经营主体" not in w["zh"] and "“带动贫困户企业使用支农周转金的”" in w["zh"]
    assert "带动贫困户企业使用支农周转金的" in POLICY_ZH and "enterprise" in w["en"]


def test_9_the_other_project_option_says_which_measure_is_open():
    assert MESSAGES.text("project_type.other")["zh"] == "其他自主经营项目（不是种植、养殖）"
    result = calculate({"measure": "self_run_project", "registered_poor": True, "project_type": "other"})
    w = next(w for w in result["warnings"] if w["code"] == "self_run_other_open")
    assert "“其他可带动贫困户增收的特色产业项目奖补参照执行”" in w["zh"] and "其他可带动贫困户增收的特色产业项目奖补参照执行" in POLICY_ZH
    assert "measure 6 or measure 7" in w["en"]
    assert "按第6条还是第7条算，政策没有写" in page("zh", "self-run-projects")
    assert "Whether a project falls under measure 6 or measure 7 the policy does not say" in page("en", "self-run-projects")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_10_supervision_quotes_the_policy_and_marks_where_to_report(lang):
    text = page(lang, "supervision")
    assert "应当能在公开的村级财务中看到" not in text and "should be able to see" not in text
    assert "<!-- reading:where_to_report -->" in text
    quote = "村集体资产收益纳入村级财务管理，定期公开财务，做到民主管理" if lang == "zh" else \
        "The income from village collective assets is brought into village-level financial management"
    assert quote in text and quote in (POLICY_ZH if lang == "zh" else POLICY_EN)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_11_where_to_ask_is_the_entitys_procedure_the_loans_procedures_and_farmers(built, lang):
    side = lambda slug: text_of(read(built, f"{lang}/leaflets/{slug}").split('<aside class="leaflet-side"')[1].split("</aside>")[0])
    entity, loan, farm, house = side("business-entities"), side("loans"), side("grain-for-green"), side("household-subsidies")
    if lang == "zh":
        assert "先由经营主体提出申请" in entity and "报县政府批准" in entity and "第五部分（二）" in entity
        assert "“可按照相关程序申请”" in loan and "“农户”" in farm and "政策没有写贫困户怎么申请" in house
    else:
        assert "the business entity applies" in entity and "the county government approves it" in entity
        assert "may, following the relevant procedures, apply" in loan and "farming households" in farm


def test_13_the_wan_gloss_is_exact_to_two_decimals_or_approximate():
    from calculator import display
    assert display.amount("11999.99", "zh") == "11,999.99 元（约1.2万元）"
    assert display.amount("15000", "zh") == "15,000.00 元（1.5万元）"
    assert display.amount("12345.67", "zh") == "12,345.67 元（约1.23万元）"


def test_14_an_agreed_rate_below_6_shows_both_amounts_and_where_to_raise_it():
    result = calculate({"measure": "asset_dividend", "registered_poor": True, "injected_funds": "100000",
                        "agreed_rate_percent": "5", "total_shares": "20", "household_shares": "1"})
    w = next(w for w in result["warnings"] if w["code"] == "rate_below_minimum_household")
    assert w["zh"].startswith("按约定 5%：本户 250.00 元；按政策最低 6%：本户 300.00 元。约定低于第4条的最低标准。")
    assert "乡（镇）人民政府" in w["zh"] and "where_to_report" in result["readings"]
    assert w["en"].startswith("At the agreed 5%:") and "at the policy's minimum 6%" in w["en"]


def test_15_a_non_registered_households_steps_end_at_no_dividend():
    result = calculate({"measure": "asset_dividend", "registered_poor": False, "injected_funds": "100000",
                        "total_shares": "20", "household_shares": "1", "exit_year": 2019})
    steps = [s["zh"] for s in result["trace"]]
    assert not any(s.startswith("本户：") for s in steps) and not any("每年分红" in s or "分红至" in s for s in steps)
    assert steps[-1] == "不是建档立卡贫困户：本户不分红，分红为0元"
    assert result["total"]["amount"] == "0.00"


def test_16_the_loan_verdict_names_its_measure():
    result = calculate({"measure": "household_loan", "exit_year": 2020, "requested_amount": "10000"})
    step = next(s for s in result["trace"] if s.get("parameter") == "household_loan_exit_years")
    assert step["zh"] == "贴息贷款（第9条）：脱贫年份 2020，不符合"
    assert step["en"] == "Interest-subsidised loan (measure 9): exit year 2020, does not qualify"


def test_17_land_transfer_names_no_counterparty_and_the_legend_no_reading():
    r = READINGS["land_transfer_direction"]
    assert "经营主体或合作社" not in r["reading_zh"] and "business entity or cooperative" not in r["reading_en"]
    assert "也可能指贫困户转入土地" in r["why_zh"] and "may also mean land a poor household takes in" in r["why_en"]
    assert MESSAGES.text("section.land") == {"zh": "土地流转", "en": "Land transfer"}


@pytest.mark.parametrize("lang,said", [("zh", "本站理解：计算器从2018年开始列。"), ("en", "Our reading: the calculator lists them from 2018")])
def test_18_the_first_dividend_year_is_only_where_the_calculator_lists_from(lang, said):
    text = page(lang, "dividends")
    assert said in text
    assert "第一次年初分红是2018年年初" not in text and "the first dividend is paid at the start of 2018" not in text


def test_39_no_agreed_rate_says_so():
    result = calculate({"measure": "collective_dividends", "injected_funds": "1000",
                        "share_table": [{"household": "A", "shares": "1"}]})
    assert result["trace"][0]["zh"] == "没有填约定收益率：按第4条的最低收益率 6% 算"
    assert "agreed 6" not in result["trace"][0]["en"]


# ------------------------------------------------------------------ low items

def test_19_measure_9_titles_name_2014_and_2015():
    assert "2014、2015年脱贫户贴息贷款" in page("zh", "loans") and "已脱贫户贴息贷款" not in page("zh", "loans")
    assert "exited in 2014 or 2015" in page("en", "loans")


@pytest.mark.parametrize("lang,open_", [("zh", "〔→ "), ("en", " [→ ")])
def test_20_links_in_the_policy_text_are_not_in_the_policys_brackets(built, lang, open_):
    html = read(built, f"{lang}/policy")
    spans = re.findall(r'<span class="phrase-links">(.*?)</span>', html)
    assert spans and all(s.startswith(open_) for s in spans)
    assert not any(s.startswith("（") for s in spans)


def test_21_the_disclaimer_does_not_say_who_decides():
    d = SITE["text"]["disclaimer"]
    assert d["zh"].endswith("以有关部门审核为准。") and "由乡（镇）和县有关部门审核决定" not in d["zh"]
    assert "relevant departments" in d["en"] and "township and county offices" not in d["en"]


def test_23_one_date_label():
    assert SITE["text"]["policy_header_date"] == {"zh": "成文日期", "en": "Date of the document"}
    for entry in MESSAGES.entries.values():
        assert "印发日期" not in entry["zh"] and "date of issue" not in entry["en"].lower()
    for lang in ("zh", "en"):
        for slug in ("index", "policy", "dividends"):
            assert "印发" not in page(lang, slug) and " issued " not in page(lang, slug), (lang, slug)


def test_25_reading_titles_are_whole_sentences():
    from sitebuild.readings import reading_title
    assert reading_title("dividend_years", "zh") == "脱贫当年和以前每年都分红；脱贫后的3年是巩固期，继续分红；第4年起不再分红。"
    assert reading_title("rounding_last_installment", "en").endswith("so it absorbs the rounding")
    assert "Y+1" not in READINGS["dividend_years"]["reading_en"]


def test_26_where_to_ask_says_our_reading_once(built):
    side = read(built, "zh/leaflets/household-subsidies").split('<aside class="leaflet-side"')[1].split("</aside>")[0]
    assert text_of(side).count("本站理解") == 2  # the date notice's marker and the where-to-ask marker, once each
    assert "。；" not in text_of(read(built, "zh/leaflets/household-subsidies"))


def test_28_round_up_is_said_only_when_something_was_rounded_up():
    exact = calculate({"measure": "afforestation_coop", "area_mu": "10"})
    assert not any("不足一分按一分算" in s["zh"] for s in exact["trace"])
    cut = calculate({"measure": "afforestation_coop", "area_mu": "0.123"})
    assert any("不足一分按一分算" in s["zh"] for s in cut["trace"])


def test_30_english_rate_tables_and_traces_quote_the_english_words(built):
    html = read(built, "en/household-subsidies")
    row = html[html.index('id="rate-solar_greenhouse"'):]
    row = row[:row.index("</tr>")]
    from calculator import POLICY
    assert f"“{POLICY['solar_greenhouse'].source_en}”" in unescape(row)
    assert "“" + POLICY["solar_greenhouse"].source_zh + "”" in row


def test_31_33_english_wording_and_glossary_terms():
    for lang in ("en",):
        hs = page(lang, "household-subsidies")
        assert "the head you enter are counted" not in hs and "the animals you enter are counted once" in hs
        assert "studies it and agrees" not in page(lang, "how-to-apply")
        assert "township (town) people's government" not in page(lang, "supervision")
    for path in [ROOT / "calculator/messages.toml", ROOT / "calculator/readings.toml", ROOT / "calculator/parameters.toml",
                 SRC / "examples.toml", SRC / "site.toml", *sorted((SRC / "content/en").glob("*.md"))]:
        assert "labour spending" not in path.read_text(encoding="utf-8"), path
    assert "household(s)" not in (ROOT / "calculator/messages.toml").read_text(encoding="utf-8")


def test_32_zh_and_en_say_the_same():
    assert "stay valid for a long time" in SITE["text"]["kit_intro"]["en"]
    assert "new eligible poor households" in MESSAGES.text("status.ended")["en"]
    assert "to Ensure a Lasting Exit from Poverty" in SITE["text"]["footer_source"]["en"]


def test_32_the_what_if_intro_the_last_installment_and_the_shares_say_the_same_in_both_languages():
    intro = SITE["calculator_ui"]["ov_whatif_intro"]
    # one example in each (two more cattle), no "another mu of herbs" on one side only
    assert "两头牛" in intro["zh"] and "two more cattle" in intro["en"] and "herbs" not in intro["en"]
    absorbs = MESSAGES.entries["rounding.last_installment_absorbs"]
    # the total is area × 1,500 yuan in both: no "rounded half-up to the fen" after it in one language only
    assert absorbs["zh"].endswith("面积×1500元。") and absorbs["en"].endswith("area × 1,500 yuan.")
    # where the Chinese says the shares go to 新的 poor households, the English says new ones, never "another"
    for key in ("status.ended", "trace.eligibility_years", "overview.dividends_ended"):
        text = MESSAGES.entries[key]
        assert "新的" in text["zh"] and "new" in text["en"] and "another" not in text["en"], key
    assert "shares to new eligible poor households" in page("en", "dividends")


def test_34_the_household_tab_and_the_collective_intro():
    assert SITE["text"]["role.household"]["zh"] == "贫困户和农户"
    assert SITE["text"]["role_intro.collective"]["zh"] == "村集体资产年收益按股分给贫困户。"


def test_35_no_formal_words_in_the_calculators_messages():
    for key in ("warning.livestock_cap_reading", "warning.self_run_range"):
        zh = MESSAGES.text(key)["zh"]
        assert not any(w in zh for w in ("紧随", "此限", "此范围", "未给出计算公式")), key


def test_37_the_home_page_loan_bullets_have_their_subject():
    zh = page("zh", "index")
    assert "\n- 每带动一户，" not in zh and "\n- 政府贴息" not in zh
    assert "这种企业每带动一户，贷款最少" in zh


def test_38_the_round_up_reading_is_plain():
    assert "多出一点也要进到整分" not in READINGS["rounding_fen_up_minimum"]["reading_zh"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_40_no_code_ids_on_the_readings_page(built, lang):
    html = read(built, f"{lang}/readings")
    assert '<p class="reading-id">' not in html and "<code>livestock_cap_scope</code>" not in html


def test_36_each_animal_in_the_policys_own_unit(built):
    result = calculate({"measure": "household_subsidy", "registered_poor": True,
                        "livestock": {"pig": 4, "cattle": 1, "sheep": 2, "chicken": 10}})
    units = {line["id"]: line["display"]["quantity"]["zh"] for line in result["lines"]}
    assert units == {"pig": "4 头", "cattle": "1 头", "sheep": "2 只", "chicken": "10 只"}
    rates = {line["id"]: line["display"]["rate"]["zh"] for line in result["lines"]}
    assert rates["sheep"] == "300 元/只" and rates["pig"] == "300 元/头"
    table = text_of(read(built, "zh/household-subsidies")).replace("\u00a0", " ")
    assert re.search(r"养殖羊 .*? 300 元/只", table) and re.search(r"养殖牛 .*? 3,000 元/头 ", table)
    assert "元/头（只）" not in table


def test_31_a_yes_no_field_is_labelled_by_what_it_asks_not_whether():
    from sitebuild.compute import field_label
    assert field_label("registered_poor", "en") == "Registered poor household"
    assert field_label("registered_poor", "zh") == "是否建档立卡贫困户"


def test_27_traces_write_money_as_display_does():
    result = calculate({"measure": "household_subsidy", "registered_poor": True, "livestock": {"donkey": 1}})
    step = next(s for s in result["trace"] if s.get("parameter") == "donkey")
    assert step["zh"] == "养殖驴：1 头 × 3,000 元/头 = 3,000 元"
    result = calculate({"measure": "collective_dividends", "injected_funds": "600000",
                        "share_table": [{"household": "A", "shares": "3"}, {"household": "B", "shares": "4"}]})
    texts = [s["zh"] for s in result["trace"]]
    assert "A：36,000 元 × 3 股 ÷ 7 股 = ≈15,428.5714 元" in texts and "按分四舍五入：≈15,428.5714 → 15,428.57 元" in texts


def test_22_the_6_percent_line_says_it_is_our_reading_that_it_is_the_guaranteed_return():
    result = calculate({"measure": "asset_dividend", "registered_poor": True, "injected_funds": "100000",
                        "total_shares": "20", "household_shares": "1"})
    line = next(l for l in result["lines"] if l["id"] == "guaranteed_return")
    assert line["label"]["zh"] == "其中：投进去的钱的6%（本站理解：这是保底收益）"
    assert "Our reading" in line["label"]["en"]
    assert "guaranteed_return_paid_through_collective" in result["readings"]


# ------------------------------------------------------------------ Medium: one rule for every year field

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_5_every_year_field_on_the_form_says_its_range_and_marks_the_reading(built, lang):
    calc = read(built, f"{lang}/calculator")
    said = {"zh": "要填{}年到2050年之间的年份。<a ", "en": "A year from {} to 2050. <a "}[lang]
    hints = dict(re.findall(r'<p class="hint" id="f-([a-z_-]*year[a-z_-]*)-hint">(.*?)</p>', calc))
    assert len(hints) >= 13, sorted(hints)  # the overview's 7, Grain for Green, the dividend's 3, the loan, the register
    for field, hint in hints.items():
        first = 2014 if field.endswith("exit_year") else 2018
        assert said.format(first) in hint, (field, hint)
        assert f'href="/{lang}/readings/#policy_years"' in hint, field


def test_5_the_years_reading_names_the_one_exception_and_why():
    reading = READINGS["policy_years"]
    assert "2014" in reading["reading_zh"] and "2018" in reading["reading_zh"]
    assert reading["clause"] == "measure-9" and reading["policy_zh"] in POLICY_ZH
    assert reading["policy_en"] in POLICY_EN
