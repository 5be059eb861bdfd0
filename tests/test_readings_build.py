"""Readings in the built site: the "本站理解 / Our reading" markers on pages, rate tables,
leaflets and worked examples; the generated readings page with every reading and its uses; the
build refusing an unknown or an unused reading; the policy page marking every parameter's phrase in
both languages; the value and phrase build checks; the not-for-printing band of loopback builds."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from types import SimpleNamespace
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from calculator import POLICY
from calculator.readings import READINGS
from sitebuild import pipeline
from sitebuild.readings import READING_COMMENT, check_readings, reading_title
from sitebuild.render.site import is_loopback

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
BASE = "https://www.example.gov.cn"
POLICY_EN = (SRC / "policy/policy.en.txt").read_text(encoding="utf-8")
MARKER = re.compile(r'<a class="reading" href="/(zh|en)/readings/#([a-z0-9_]+)"[^>]*>([^<]*)</a>')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("readings") / "dist"
    site = pipeline.build(out, base_url=BASE, prefix="/")
    return out, site


def read(out, path):
    return (out / path / "index.html").read_text(encoding="utf-8")


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def entry(html, reading_id):
    start = html.index(f'<li class="reading-entry" id="{reading_id}">')
    return html[start:html.index("</li>\n", html.index("</dl>", start))]


# ------------------------------------------------------------------ markers on the pages

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_reading_comment_gets_its_marker(built, lang):
    out, _ = built
    word = {"zh": "本站理解", "en": "Our reading"}[lang]
    for md in sorted((SRC / "content" / lang).glob("*.md")):
        ids = READING_COMMENT.findall(md.read_text(encoding="utf-8"))
        if not ids:
            continue
        html = read(out, f"{lang}/{md.stem}" if md.stem != "index" else lang)
        for reading_id in ids:
            assert re.search(rf'<!-- reading:{reading_id} --><a class="reading" href="/{lang}/readings/#{reading_id}"'
                             rf'[^>]*>{word}</a>', html), (md.name, reading_id)


@pytest.mark.parametrize("lang,label", [("zh", "贫困户每户奖补金额不超过"), ("en", "Subsidy per poor household not exceeding")])
def test_rate_tables_and_leaflets_print_the_policys_words_with_the_marker(built, lang, label):
    out, _ = built
    for path in (f"{lang}/household-subsidies", f"{lang}/leaflets/household-subsidies"):
        html = read(out, path)
        cell = re.search(r'<th scope="row" id="rate-livestock_cap_per_household">(.*?)(?:<span class="source-inline">|</th>)',
                         html).group(1)
        assert cell.startswith(label + " ") and "#livestock_cap_scope" in cell, (path, cell)
        assert "本站理解：只限" not in cell and "our reading: livestock" not in cell
    cap = POLICY["livestock_cap_per_household"]
    assert cap.reading == "livestock_cap_scope" and cap.label_zh in cap.source_zh
    assert cap.label_en.lower() in cap.source_en.lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leaflets_mark_how_households_apply_and_examples_their_readings(built, lang):
    out, site = built
    for slug in ("dividends", "household-subsidies", "how-to-apply"):
        html = read(out, f"{lang}/leaflets/{slug}")
        side = html[html.index('<aside class="leaflet-side"'):html.index("</aside>")]
        assert f'href="/{lang}/readings/#how_households_apply"' in side, slug
    # The leaflet's example: its readings in the notes box, in words, once each (the rate table's numbered).
    html = read(out, f"{lang}/leaflets/household-subsidies")
    notes = html[html.index('<section class="reading-notes"'):html.index("</section>", html.index('class="reading-notes"'))]
    table = html[html.index('<table class="rates'):html.index("</table>")]
    assert f"#livestock_cap_scope" in table and notes.count('data-reading="livestock_cap_scope"') == 1
    assert f'href="/{lang}/readings/#livestock_heads_once"' in notes
    assert READINGS["livestock_heads_once"][f"reading_{lang}"] in unescape(notes)
    page = read(out, f"{lang}/household-subsidies")
    box = page[page.index('id="example-household-cattle-cap"'):]
    box = box[:box.index("</section>")]
    readings = site.results["household-cattle-cap"]["readings"]
    assert "livestock_cap_scope" in readings
    for reading_id in readings:
        assert f'href="/{lang}/readings/#{reading_id}"' in box and reading_title(reading_id, lang) in unescape(box)


# ------------------------------------------------------------------ the readings page

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_readings_page_lists_every_reading_with_its_uses(built, lang):
    out, site = built
    html = read(out, f"{lang}/readings")
    other = "en" if lang == "zh" else "zh"
    assert f'hreflang="{"en" if lang == "zh" else "zh-CN"}" href="{BASE}/{other}/readings/"' in html
    assert f"<loc>{BASE}/{lang}/readings/</loc>" in (out / "sitemap.xml").read_text()
    assert f'href="/{lang}/readings/"' in read(out, f"{lang}/loans")  # the footer
    # Which pages carry a marker of each reading, from the written pages themselves.
    used_on = {}
    for page in sorted((out / lang).rglob("index.html")):
        rel = page.relative_to(out).as_posix()[:-len("index.html")]
        if rel == f"{lang}/readings/":
            continue
        for _, reading_id, _ in MARKER.findall(page.read_text(encoding="utf-8")):
            used_on.setdefault(reading_id, set()).add("/" + rel)
    measures = {}
    for ex_id, result in site.results.items():
        for reading_id in result["readings"]:
            measures.setdefault(reading_id, set()).add(site.source.examples[ex_id]["request"]["measure"])
    for reading_id, reading in READINGS.items():
        block = entry(html, reading_id)
        words = text_of(block).replace(" (≈ 667 m²)", "")  # English pages explain 'mu' at its first use
        assert reading[f"policy_{lang}"] in words and reading[f"reading_{lang}"] in words, reading_id
        assert reading[f"why_{lang}"] in words, reading_id
        assert f'href="/{lang}/policy/#{reading["clause"]}"' in block, reading_id
        listed = set(re.findall(r'<a href="(/[^"#]+/)">', block))
        assert listed == used_on.get(reading_id, set()), reading_id
        linked = set(re.findall(r'#measure=([a-z_]+)"', block))
        assert linked == measures.get(reading_id, set()), reading_id
        assert listed or linked, reading_id


def test_readings_page_quotes_the_chinese_policy_beside_the_english(built):
    out, _ = built
    html = read(out, "en/readings")
    block = entry(html, "livestock_cap_scope")
    assert '<span class="quote" lang="zh-CN">“贫困户每户奖补金额不超过3000元”</span>' in block


def test_calculator_page_carries_the_reading_titles(built):
    out, _ = built
    html = read(out, "zh/calculator")
    ui = re.search(r'<script[^>]*id="calculator-ui"[^>]*>(.*?)</script>', html, flags=re.S).group(1)
    import json
    readings = json.loads(ui)["readings"]
    assert set(readings) == set(READINGS)
    assert readings["livestock_cap_scope"] == {"title": "这个上限只管养殖奖补。", "href": "/zh/readings/#livestock_cap_scope"}
    render = (ROOT / "site_src/runtime/page/render.mjs").read_text(encoding="utf-8")
    assert "result.readings" in render and "ui.readings[id]" in render


# ------------------------------------------------------------------ law beside the rules: the policy page

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_policy_page_marks_every_parameter_phrase_and_links_it(built, lang):
    out, _ = built
    html = read(out, f"{lang}/policy")
    marks = re.findall(r'<mark class="phrase" id="([^"]+)" data-params="([^"]+)">([^<]*)</mark>'
                       r'(<span class="phrase-links">.*?</span>)?', html)
    covered = {name for _, names, _, _ in marks for name in names.split()}
    assert covered == set(POLICY.parameters)
    for mark_id, names, words, links in marks:
        first = names.split()[0]
        assert mark_id == f"phrase-{first}"
        phrase = POLICY[first].source_zh if lang == "zh" else POLICY[first].source_en
        assert unescape(words) == phrase
    by_name = {names.split()[0]: links for _, names, _, links in marks}
    greenhouse = by_name["solar_greenhouse"]
    assert f'href="/{lang}/household-subsidies/#rate-solar_greenhouse"' in greenhouse
    assert f'href="/{lang}/calculator/#measure=household_subsidy"' in greenhouse
    assert 'id="rate-solar_greenhouse"' in read(out, f"{lang}/household-subsidies")
    assert f'#measure=grain_to_forest"' in by_name["grain_to_forest_total"]
    if lang == "zh":
        assert "<mark" in html and ">新建日光温室大棚每亩奖补2万元</mark>" in html


@pytest.mark.parametrize("name", sorted(POLICY.parameters))
def test_each_parameter_has_its_english_phrase_verbatim(name):
    parameter = POLICY[name]
    assert parameter.source_en and parameter.source_en in POLICY_EN, name


# ------------------------------------------------------------------ the build refuses

# A temporary copy of site_src/ to break, and the build's error: the same helpers as tests/test_build.py.
from test_build import failing_build, src  # noqa: E402,F401


def test_fails_on_a_reading_id_that_does_not_exist(src, tmp_path):
    page = src / "content" / "zh" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n本站理解：没有这一条。<!-- reading:no_such_reading -->\n",
                    encoding="utf-8")
    message = failing_build(src, tmp_path)
    assert "content/zh/loans.md: reading('no_such_reading'): no such reading in calculator/readings.toml" in message


def test_fails_on_a_template_reading_id_that_does_not_exist(src, tmp_path):
    template = src / "templates" / "leaflet.html"
    template.write_text(template.read_text(encoding="utf-8").replace('reading("values_in_force_no_end_date")',
                                                                     'reading("how_to_apply_typo")'), encoding="utf-8")
    assert "reading('how_to_apply_typo')" in failing_build(src, tmp_path)


def test_check_refuses_a_reading_shown_nowhere_and_an_unknown_one(monkeypatch):
    monkeypatch.setitem(READINGS, "never_shown", dict(READINGS["livestock_cap_scope"]))
    pages = {reading_id: [("zh/x/", "zh", "X")] for reading_id in READINGS if reading_id != "never_shown"}
    problems = check_readings(pages, {"not_registered": ["household_subsidy"]})
    assert problems == ["reading 'not_registered' is used but is not in calculator/readings.toml",
                        "reading 'never_shown' (calculator/readings.toml) is shown nowhere: no page marks it with "
                        "<!-- reading:never_shown --> and no worked example's result carries it"]
    del pages["dividend_years"]
    assert check_readings(pages, {"dividend_years": ["asset_dividend"]}) == [problems[1]]


def test_fails_when_the_only_marker_of_a_reading_is_removed(src, tmp_path):
    for lang in ("zh", "en"):
        page = src / "content" / lang / "household-subsidies.md"
        page.write_text(page.read_text(encoding="utf-8").replace("<!-- reading:subsidy_paid_in_entry_year -->", ""),
                        encoding="utf-8")
    assert "reading 'subsidy_paid_in_entry_year'" in failing_build(src, tmp_path)


def test_fails_on_an_english_phrase_not_in_the_translation(src, tmp_path, monkeypatch):
    broken = dataclasses.replace(POLICY["pig"], source_en="999 yuan per pig")
    monkeypatch.setitem(POLICY.parameters, "pig", broken)
    assert "parameter pig (calculator/parameters.toml): source_en «999 yuan per pig» is not in the English" \
        in failing_build(src, tmp_path)


def test_fails_on_a_negative_value_or_one_not_in_its_phrase(src, tmp_path, monkeypatch):
    pig = POLICY["pig"]
    monkeypatch.setitem(POLICY.parameters, "pig", dataclasses.replace(pig, values=((pig.values[0][0], Decimal("-300")),)))
    monkeypatch.setitem(POLICY.parameters, "cattle",
                        dataclasses.replace(POLICY["cattle"], values=((pig.values[0][0], Decimal("3500")),)))
    message = failing_build(src, tmp_path)
    assert "parameter pig (calculator/parameters.toml): value -300 from 2017-11-13 is negative" in message
    assert ("parameter cattle (calculator/parameters.toml): value 3500 from 2017-11-13 is not written in its "
            "source phrase «牛每头奖补3000元»") in message


# ------------------------------------------------------------------ printing for real

def test_loopback_or_unset_base_url_is_not_printable():
    assert is_loopback("http://127.0.0.1:8000") and is_loopback("http://localhost:8000") and is_loopback("")
    assert is_loopback("http://[::1]:8000") and not is_loopback(BASE)


def test_band_with_a_real_base_url_speaks_only_of_what_is_missing(built):
    """The kit: no band with a real base URL. Leaflets: the band names only the unfilled contacts
    (tests/test_contacts_build.py: with them filled, no band either)."""
    out, _ = built
    for lang in ("zh", "en"):
        assert "not-for-print" not in read(out, f"{lang}/leaflets"), lang
        for path in (f"{lang}/leaflets/household-subsidies", f"{lang}/leaflets/loans"):
            band = re.search(r'<p class="not-for-print" role="note">([^<]*)</p>', read(out, path))
            assert band and "[contacts]" in band.group(1) and "base_url" not in band.group(1), path


def test_build_without_a_base_url_is_local_and_warns(tmp_path, capsys, monkeypatch):
    import build

    assert tomllib.loads((SRC / "site.toml").read_text(encoding="utf-8"))["site"]["base_url"] == ""
    built_with = {}

    def fake_build(out, base_url=None, prefix=None):  # the CLI's part only; the band is checked on a real build
        built_with["base_url"] = base_url
        return SimpleNamespace(files={}, notes=[], printable=False, base_url=pipeline.LOCAL_BASE_URL, prefix="/",
                               contacts_filled=True)

    monkeypatch.setattr(build, "build", fake_build)
    assert build.main(["--out", str(tmp_path)]) == 0
    assert built_with["base_url"] is None
    assert "not for printing" in capsys.readouterr().err


@pytest.mark.browser  # uses the session's served build, made with a 127.0.0.1 base URL
def test_band_on_every_leaflet_and_the_kit_of_a_loopback_build(site_server):
    out = site_server.out
    texts = {"zh": "样张，不能印发", "en": "Not for printing"}
    for lang, words in texts.items():
        leaflets = [p for p in (out / lang / "leaflets").iterdir() if p.is_dir()]
        assert len(leaflets) >= 5
        for path in [out / lang / "leaflets"] + leaflets:
            html = (path / "index.html").read_text(encoding="utf-8")
            band = re.search(r'<p class="not-for-print" role="note">([^<]*)</p>', html)
            assert band and words in band.group(1) and "base_url" in band.group(1), path
        assert "not-for-print" not in read(out, f"{lang}/loans")
    css = next((out / "static").glob("site.*.css")).read_text(encoding="utf-8")
    assert re.search(r"@media print \{[^@]*\.not-for-print \{ display: block !important", css)


def test_leaflet_carries_a_second_qr_to_its_worked_example(built):
    out, site = built
    html = read(out, "zh/leaflets/household-subsidies")
    example = next(ex_id for ex_id, ex in site.source.examples.items() if ex["page"] == "household-subsidies")
    assert f'src="/qr/zh-example-{example}.svg"' in html and f"#ex={example}" in html
    assert (out / "qr" / f"zh-example-{example}.svg").is_file()


# ------------------------------------------------------------------ the calculator page lists a result's readings

@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en"])  # the zh titles: test_calculator_page_carries_the_reading_titles
def test_calculator_result_links_its_readings(site_server, chromium, lang):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_server.url(f"{lang}/calculator/") + "#measure=household_subsidy&registered_poor=true"
                  "&livestock.cattle=2")
        page.wait_for_selector('#calculator-status[data-state="ready"]', state="attached", timeout=90_000)
        page.evaluate("window.calculator.settled()")
        links = page.locator("#result-household_subsidy .result-readings a.reading")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert f"/{lang}/readings/#livestock_cap_scope" in hrefs
        assert f"/{lang}/readings/#poor_means_registered" in hrefs
        cap = page.locator(f'#result-household_subsidy a.reading[href$="#livestock_cap_scope"]')
        assert cap.inner_text() == reading_title("livestock_cap_scope", lang)
    finally:
        context.close()
