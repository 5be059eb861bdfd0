"""The resident's household path in headless Chromium, at 360x740 and 1280x800, in Chinese and English:

- the typical household (registered poor, exited 2019, 1 mu of herbs, two cattle, 2 mu transferred out,
  Grain for Green from 2018, 2 of the village's 300 shares) with every default untouched gets the
  years and total worked by hand in tests/cases/household_overview.toml; a typed start year that
  leaves dividends out says so under the summary;
- the quick "what if" under the summary shows each variation's difference per year, or why none;
- numbers as people write them ("50万", "500,000", "两头", "３亩") are accepted through the real page and
  read to the same answer, the result saying how; "1.5头", "三亩半", "3头" are refused with the form to use;
- the error summary names the section; a field that becomes required says so in its hint first.

Screenshots: test-artifacts/screenshots/household-path-*.png.
"""

from __future__ import annotations

import json

import pytest

from browser import SCREENSHOTS, VIEWPORTS
from calculator import calculate_json
from test_calculator_browser import settle, type_into
from test_overview_browser import assert_axe_clean, overview

pytestmark = pytest.mark.browser

F = "#f-household_overview-"
RESULT = "#result-household_overview"
# The typical household's answers as a resident types them, every year left empty but Grain for Green's.
TYPICAL = {"measure": "household_overview", "registered_poor": True, "exit_year": "2019",
           "crops": {"medicinal_herbs": "1"}, "livestock": {"cattle": "2"}, "land_transfer_mu": "2",
           "grain_to_forest": {"area_mu": "1", "first_year": "2018"},
           "collective": {"injected_funds": "500000", "total_shares": "300", "household_shares": "2"}}
# Worked by hand (tests/cases/household_overview.toml): the year totals and the total.
HAND_YEARS = [(2018, "4200.00"), (2019, "350.00"), (2020, "500.00"), (2021, "350.00"), (2022, "600.00")]
HAND_TOTAL = "6000.00"


def answer(request):
    return json.loads(calculate_json(json.dumps(request, ensure_ascii=False)))


# CI runs the resident's own size (a phone, both languages); the desktop variants run with ./dev test --all.
@pytest.fixture(scope="module", params=["phone", pytest.param("desktop", marks=pytest.mark.slow)])
def context(request, chromium):
    ctx = chromium.new_context(viewport=VIEWPORTS[request.param])
    ctx.size = request.param
    yield ctx
    ctx.close()


def type_typical(page, injected="500000", cattle="2"):
    page.check(F + "registered_poor-true")
    page.fill(F + "exit_year", "2019")
    page.fill(F + "crops-medicinal_herbs", "1")
    page.fill(F + "livestock-cattle", cattle)
    page.fill(F + "land_transfer_mu", "2")
    page.fill(F + "grain_to_forest-area_mu", "1")
    page.fill(F + "grain_to_forest-first_year", "2018")
    page.fill(F + "collective-total_shares", "300")
    page.fill(F + "collective-household_shares", "2")
    type_into(page, F + "collective-injected_funds", injected)
    settle(page)


def years_on_screen(page):
    return page.evaluate(f"""() => [...document.querySelectorAll('{RESULT} tr[data-year]')]
        .map(tr => [Number(tr.dataset.year), tr.querySelector('[data-total]').dataset.total])""")


def total_on_screen(page):
    return page.get_attribute(f"{RESULT} p.total strong[data-total]", "data-total")


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_typical_household_with_defaults_untouched_gets_the_hand_computed_years(context, site_server, lang):
    page = overview(context, site_server, lang=lang)
    start = page.locator(F + "start_year")
    assert start.input_value() == ""  # nothing prefilled
    label = page.inner_text(f'label[for="f-household_overview-start_year"]')
    hint = page.inner_text("#f-household_overview-start_year-hint")
    if lang == "zh":
        assert "您家从哪一年开始享受这些政策" in label and "2017年11月13日" in hint and "空着" in hint
    else:
        assert "From which year" in label and "2017-11-13" in hint and "empty" in hint
    type_typical(page)
    assert years_on_screen(page) == [[year, total] for year, total in HAND_YEARS]
    assert total_on_screen(page) == HAND_TOTAL
    expected = answer(TYPICAL)
    assert page.inner_text(f"{RESULT} p.total strong") == expected["total"]["display"]["amount"][lang]
    assert page.locator(f"{RESULT} .ov-dropped").count() == 0  # nothing left out
    assert no_horizontal_scroll(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"household-path-typical-{lang}-{context.size}.png"), full_page=True)
    # This year typed as the start: every dividend dropped, and the line under the summary says so.
    type_into(page, F + "start_year", "2026")
    assert total_on_screen(page) == "5000.00"
    dropped = answer({**TYPICAL, "start_year": "2026"})["dropped"][0]
    line = page.locator(f"{RESULT} .ov-dropped[data-code=dividends_before_start]")
    assert line.inner_text() == dropped[lang]
    assert ("1,000.00" in line.inner_text()) and ("2018" in line.inner_text())
    # it sits right after the summary sentence
    assert page.evaluate(f"""() => document.querySelector('{RESULT} .ov-summary').nextElementSibling
        .classList.contains('ov-dropped')""")
    page.screenshot(path=str(SCREENSHOTS / f"household-path-dropped-{lang}-{context.size}.png"), full_page=True)
    type_into(page, F + "start_year", "")
    assert total_on_screen(page) == HAND_TOTAL
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quick_what_if_shows_differences_and_reasons_under_the_summary(context, site_server, lang):
    page = overview(context, site_server, lang=lang)
    type_typical(page)
    expected = answer({**TYPICAL, "measure": "household_whatif"})["variations"]
    box = page.locator("#ov-quick-whatif")
    box.locator("li.ov-qw-item").first.wait_for()
    items = box.locator("li.ov-qw-item")
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == \
        ["livestock.cattle", "crops.medicinal_herbs", "exit_year"]
    cattle = box.locator('li[data-id="livestock.cattle"]')
    assert cattle.get_attribute("data-zero") == "true"
    assert cattle.locator(".ov-qw-reason").inner_text() == expected[0]["reason"][lang]
    assert ("3,000.00" in cattle.inner_text())  # the cap is named
    herbs = box.locator('li[data-id="crops.medicinal_herbs"]')
    assert herbs.locator("li[data-year]").evaluate_all("(ls) => ls.map(l => [l.dataset.year, l.dataset.difference])") == \
        [["2018", "400.00"]]
    assert expected[1]["years"][0]["display"]["difference"][lang] in herbs.inner_text()
    later = box.locator('li[data-id="exit_year"]')
    assert later.locator("li[data-year]").evaluate_all("(ls) => ls.map(l => [l.dataset.year, l.dataset.difference])") == \
        [["2023", "200.00"]]
    # placed under the summary, above the year table
    assert page.evaluate(f"""() => {{
        const quick = document.getElementById('ov-quick-whatif');
        const table = document.querySelector('{RESULT} table, {RESULT} .ov-years');
        const summary = document.querySelector('{RESULT} .ov-summary');
        return !!(summary.compareDocumentPosition(quick) & Node.DOCUMENT_POSITION_FOLLOWING)
          && (!table || !!(quick.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING));
    }}""")
    assert no_horizontal_scroll(page)
    # a change of the profile is answered again: one cattle, under the cap now
    type_into(page, F + "livestock-cattle", "0")
    cattle = page.locator('#ov-quick-whatif li[data-id="livestock.cattle"]')
    assert cattle.get_attribute("data-zero") == "false"
    assert cattle.locator("li[data-year]").get_attribute("data-difference") == "3000.00"
    page.screenshot(path=str(SCREENSHOTS / f"household-path-whatif-{lang}-{context.size}.png"), full_page=True)
    assert_axe_clean(page)
    page.close()


# Spellings of the typical household's numbers: each gives the typical answer, and a note saying how it was read.
ACCEPTED = [
    ("collective-injected_funds", "50万", {"zh": "“50万”按 500,000 元计算", "en": "'50万' is read as 500,000 yuan"}),
    ("collective-injected_funds", "500,000", {"zh": "“500,000”按 500,000 元计算", "en": "'500,000' is read as 500,000 yuan"}),
    ("collective-injected_funds", "５００，０００元", {"zh": "按 500,000 元计算", "en": "read as 500,000 yuan"}),
    ("collective-injected_funds", "50 万元", {"zh": "按 500,000 元计算", "en": "read as 500,000 yuan"}),
    ("livestock-cattle", "两头", {"zh": "“两头”按 2 头（只）计算", "en": "'两头' is read as 2 head"}),
    ("crops-medicinal_herbs", "一亩", {"zh": "“一亩”按 1 亩计算", "en": "'一亩' is read as 1 mu"}),
    ("crops-medicinal_herbs", "１亩", None),  # a unit of the field only: nothing reinterpreted, no note
]
REFUSED = [
    ("livestock-cattle", "1.5头", {"zh": "养殖牛要填整数，例如 2。", "en": "Cattle must be a whole number, like 2"}),
    ("crops-medicinal_herbs", "三亩半", {"zh": "“三亩半”请写成 3.5。", "en": "write '三亩半' as 3.5"}),
    ("crops-medicinal_herbs", "3头", {"zh": "按亩填，您写的“3头”是按头算的", "en": "the unit is mu, but '3头' is in 头"}),
    ("collective-injected_funds", "50,00", {"zh": "“50,00”看不出是多少", "en": "'50,00' is unclear"}),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_as_people_write_them_through_the_real_page(context, site_server, lang):
    page = overview(context, site_server, lang=lang)
    type_typical(page)
    for field, typed, note in ACCEPTED:
        plain = page.input_value(F + field)
        type_into(page, F + field, typed)
        assert page.locator("#errors-household_overview").is_hidden(), (typed, page.inner_text("#errors-household_overview"))
        assert total_on_screen(page) == HAND_TOTAL, typed
        notes = page.locator(f"{RESULT} ul.read-as li").all_inner_texts()
        if note is None:
            assert notes == [], typed
        else:
            assert any(note[lang] in text for text in notes), (typed, notes)
        assert page.input_value(F + field) == typed  # the page keeps what was typed
        type_into(page, F + field, plain)
    for field, typed, message in REFUSED:
        plain = page.input_value(F + field)
        type_into(page, F + field, typed)
        error = page.locator(f"{F}{field}-error")
        assert error.is_visible(), typed
        assert message[lang] in error.inner_text(), (typed, error.inner_text())
        assert message[lang] in page.inner_text("#errors-household_overview")
        type_into(page, F + field, plain)
        assert error.is_hidden()
    assert total_on_screen(page) == HAND_TOTAL
    page.close()


def test_steppers_count_on_from_the_field_as_the_rule_module_reads_it(context, site_server):
    """'两' then + is 3 (it was 1: the stepper took what it could not read for 0); a count the module refuses
    is left as typed, with its message, and the field focused."""
    page = overview(context, site_server)
    cattle = F + "livestock-cattle"
    plus = page.locator(f'#calc-household_overview button.stepper[data-target="{cattle[1:]}"][data-step="1"]')
    minus = page.locator(f'#calc-household_overview button.stepper[data-target="{cattle[1:]}"][data-step="-1"]')
    for typed, button, wanted in [("两", plus, "3"), ("二十", plus, "21"), ("3头", minus, "2"), ("２", plus, "3")]:
        page.fill(cattle, typed)
        button.click()
        settle(page)
        assert page.input_value(cattle) == wanted, typed
    page.fill(cattle, "1.5头")
    plus.click()
    settle(page)
    assert page.input_value(cattle) == "1.5头"
    assert "养殖牛要填整数" in page.inner_text(cattle + "-error")
    assert page.evaluate("document.activeElement.id") == cattle[1:]
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_error_summary_names_the_section_and_hints_say_what_becomes_required(context, site_server, lang):
    page = overview(context, site_server, lang=lang)
    hint = page.inner_text("#f-household_overview-grain_to_forest-area_mu-hint")
    assert ("填了退耕还林这一部分，就要填面积" if lang == "zh" else "Needed once anything of Grain for Green") in hint
    assert ("填了股份这一部分" if lang == "zh" else "Needed once anything of the shares") in \
        page.inner_text("#f-household_overview-collective-total_shares-hint")
    page.check(F + "registered_poor-true")
    page.fill(F + "grain_to_forest-first_year", "2018")
    type_into(page, F + "collective-household_shares", "2")
    page.click("#calc-household_overview button[type=submit]")
    settle(page)
    summary = page.locator("#errors-household_overview")
    assert summary.is_visible()
    texts = summary.locator("li").all_inner_texts()
    wanted = {"zh": ["退耕还林：请填写面积（亩）。", "村集体的股份：请填写投进去的钱（注入资金，元）。", "村集体的股份：请填写总股数。"],
              "en": ["Grain for Green: Enter the area (mu).", "Shares in the village collective: Enter the injected funds (yuan).",
                     "Shares in the village collective: Enter the total shares."]}[lang]
    for text in wanted:
        assert text in texts, texts
    # every listed error starts with the name of a section heading the page shows
    legends = page.locator("#calc-household_overview fieldset.ov-section > legend").all_inner_texts()
    assert all(any(text.startswith(legend.strip()) for legend in legends) for text in texts), (texts, legends)
    page.screenshot(path=str(SCREENSHOTS / f"household-path-errors-{lang}-{context.size}.png"), full_page=True)
    assert_axe_clean(page)
    page.close()


def test_a_single_measure_form_names_itself_in_its_errors(context, site_server):
    page = overview(context, site_server, lang="zh", fragment="role=household")
    type_into(page, "#f-grain_to_forest-area_mu", "三亩半")
    assert "退耕还林补助 · 面积（亩）：“三亩半”请写成 3.5。" in page.inner_text("#errors-grain_to_forest")  # one colon
    assert "请写成 3.5" in page.inner_text("#f-grain_to_forest-area_mu-error")
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_where_to_ask_shows_the_countys_placeholder_on_the_calculator_and_how_to_apply(context, site_server, lang):
    page = overview(context, site_server, lang=lang)
    block = page.locator("#where-to-ask")
    assert block.get_attribute("data-filled") == "false"
    placeholder = block.locator(".wta-placeholder")
    assert placeholder.is_visible()
    assert ("待县里填写" if lang == "zh" else "To be filled in by the county") in placeholder.inner_text()
    assert no_horizontal_scroll(page)
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(SCREENSHOTS / f"household-path-where-{lang}-{context.size}.png"))
    page.goto(site_server.url(f"{lang}/how-to-apply/"))
    assert page.locator("#where-to-ask .wta-placeholder").is_visible()
    assert no_horizontal_scroll(page)
    assert_axe_clean(page)
    page.close()


def test_the_quick_what_if_costs_no_more_than_its_overviews_inside_pyodide(context, site_server):
    """The quick what-if is the base overview and one per variation, nothing more: timed interleaved with the
    overview itself so that machine load weighs on both alike (the keystroke's own budget is pinned by
    tests/test_overview_browser.py). The medians are printed for the record."""
    page = overview(context, site_server)
    texts = [json.dumps(TYPICAL, ensure_ascii=False), json.dumps({**TYPICAL, "measure": "household_whatif"}, ensure_ascii=False)]
    runs = len(answer({**TYPICAL, "measure": "household_whatif"})["variations"]) + 1
    times = page.evaluate("""async (texts) => {
        const out = [[], []];
        for (let i = 0; i < 24; i++) {
            for (const k of [0, 1]) {
                const t0 = performance.now();
                JSON.parse(await window.calculator.run(texts[k]));
                out[k].push(performance.now() - t0);
            }
        }
        return out.map((list) => list.slice(8).sort((a, b) => a - b));  // the first calls warm the engine up
    }""", texts)
    one, quick = (sorted(t)[len(t) // 2] for t in times)
    print(f"Pyodide ({context.size}): household_overview median {one:.1f} ms, household_whatif median {quick:.1f} ms "
          f"({runs} overviews)")
    assert quick <= 2 * runs * one  # each run composes, subtracts and writes out its answer too
    page.close()
