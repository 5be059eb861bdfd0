"""Build tests: the site builds, is deterministic, every link resolves, the two languages pair up,
every figure shown comes from the rule module, and the build refuses broken input."""

from __future__ import annotations

import dataclasses
import http.client
import re
import shutil
import socket
import threading
import http.server
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import segno

import calculator
from calculator import POLICY
from sitebuild import checks, load, pipeline
from sitebuild.config import BuildError
from sitebuild.format import format_param, money
from sitebuild.fragment import scenario_fragment
from sitebuild.render.english import VOID
from sitebuild.serve import make_handler

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
BASE = "https://www.example.gov.cn"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "dist"
    site = pipeline.build(out, base_url=BASE, prefix="/")
    return out, site


def pages(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


class Scan(HTMLParser):
    """An independent little parser for what the tests check (not sitebuild.checks._PageScan)."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.canonical = []
        self.alternates = {}
        self.cells = []  # (data-param, data-value, text)
        self._cell = None
        self.stack = []
        self.cjk_outside_zh = []
        self.resources = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"]] = a["href"]
        if tag in ("script", "img", "link") and (a.get("src") or a.get("href")):
            self.resources.append(a.get("src") or a.get("href"))
        if tag == "td" and "data-param" in a:
            self._cell = [a["data-param"], a["data-value"], ""]
        if tag not in VOID:
            parent_zh = self.stack[-1][1] if self.stack else False
            lang = a.get("lang")
            self.stack.append((tag, lang.startswith("zh") if lang else parent_zh))

    def handle_endtag(self, tag):
        if tag == "td" and self._cell:
            self.cells.append(tuple(self._cell))
            self._cell = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        tags = {t for t, _ in self.stack}
        in_zh = self.stack[-1][1] if self.stack else False
        if not in_zh and not tags & {"script", "style", "title", "head"} and re.search(r"[\u4e00-\u9fff]", data):
            self.cjk_outside_zh.append(data.strip()[:40])


def scan(path):
    s = Scan()
    s.feed(Path(path).read_text(encoding="utf-8"))
    return s


# ------------------------------------------------------------------ the real site

def test_build_writes_every_planned_page(built):
    out, _ = built
    written = sorted(p[: -len("index.html")] if p.endswith("index.html") else p for p in pages(out))
    assert written == load.planned_pages()
    for name in ("sitemap.xml", "robots.txt", "404.html", "examples.json"):
        assert (out / name).is_file()


def test_check_finds_nothing(built):
    out, _ = built
    assert checks.check(out, BASE, "/") == []


def test_languages_pair_up(built):
    out, _ = built
    zh = {p[3:] for p in pages(out) if p.startswith("zh/")}
    en = {p[3:] for p in pages(out) if p.startswith("en/")}
    assert zh == en
    assert len(zh) >= 11 + 1  # every content page, plus the leaflet kit


def test_lang_hreflang_canonical(built):
    out, _ = built
    for rel in pages(out):
        if not rel.startswith(("zh/", "en/")):
            continue
        lang = rel[:2]
        s = scan(out / rel)
        url = BASE + "/" + rel.removesuffix("index.html")
        other = ("en" if lang == "zh" else "zh") + rel[2:]
        other_url = BASE + "/" + other.removesuffix("index.html")
        assert s.lang == {"zh": "zh-CN", "en": "en"}[lang], rel
        assert s.canonical == [url], rel
        assert s.alternates[{"zh": "zh-CN", "en": "en"}[lang]] == url, rel
        assert s.alternates[{"zh": "en", "en": "zh-CN"}[lang]] == other_url, rel
        assert s.alternates["x-default"] == BASE + "/", rel
        back = scan(out / other)
        assert back.alternates[{"zh": "zh-CN", "en": "en"}[lang]] == url, f"{other} does not point back to {rel}"


def test_root_is_a_bilingual_chooser(built):
    out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/zh/"' in html and 'href="/en/"' in html
    assert 'http-equiv="refresh"' not in html and "location" not in html  # no redirect
    assert '<section class="chooser-lang" lang="en"' in html


def test_english_pages_mark_chinese_text(built):
    out, _ = built
    for rel in pages(out):
        if rel.startswith("en/"):
            assert scan(out / rel).cjk_outside_zh == [], rel


def test_english_amounts_say_yuan_as_the_glossary_does(built):
    """The glossary's English for 元 is "yuan": no page, leaflet or pre-computed answer writes CN¥ or ¥."""
    out, _ = built
    texts = [p for p in out.rglob("*") if p.suffix in (".html", ".json", ".svg", ".mjs", ".js")]
    english = [p for p in texts if p.relative_to(out).as_posix().startswith("en/")]
    assert english, "no English page was built"
    for path in texts:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "¥" not in text and "￥" not in text, path.relative_to(out)
        assert "yuan yuan" not in text.replace("\u00a0", " "), path.relative_to(out)
    solar = (out / "en" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
    assert "20,000\u00a0yuan per mu" in solar

def test_rate_table_cells_match_the_rule_module(built):
    out, _ = built
    seen = set()
    for rel in pages(out):
        for name, raw, text in scan(out / rel).cells:
            parameter = POLICY[name]
            value = parameter.at()
            values = value if isinstance(value, tuple) else (value,)
            assert raw == ",".join(calculator.money.plain(v) for v in values), (rel, name)
            shown = [Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]
            expected = [v * 100 if parameter.unit == "ratio" else v for v in values]
            assert shown[: len(expected)] == expected, (rel, name, text)
            seen.add((rel[:2], name))
    for clause in {"measure-6", "measure-8", "measure-9"}:
        for name, p in POLICY.parameters.items():
            if p.clause == clause:
                assert ("zh", name) in seen and ("en", name) in seen, name


def test_examples_show_the_rule_modules_totals(built):
    out, site = built
    for ex_id, ex in site.source.examples.items():
        result = calculator.calculate(ex["request"])
        page = (out / "zh" / ex["page"] / "index.html").read_text(encoding="utf-8")
        box = page[page.index(f'id="example-{ex_id}"'):]
        box = box[: box.index("</section>")]
        if result["total"]:
            amount = Decimal(result["total"]["amount"])
            shown = {money(amount, "zh", cents=c).split("（")[0] for c in (False, True)}
            assert any(s in box for s in shown), ex_id
        if result["range"]:
            assert money(result["range"]["max"], "zh").split("（")[0] in box, ex_id
        assert scenario_fragment(ex["request"]) in box.replace("&amp;", "&")


def test_policy_anchors(built):
    out, _ = built
    for lang in ("zh", "en"):
        html = (out / lang / "policy" / "index.html").read_text(encoding="utf-8")
        for n in range(1, 11):
            assert f'id="measure-{n}"' in html
        for anchor in ["section-1", "section-2", "section-3", "section-4", "section-5", "section-3-1", "section-3-2",
                       "section-4-1", "section-4-2", "section-4-3"] + [f"section-5-{n}" for n in range(1, 6)]:
            assert f'id="{anchor}"' in html, (lang, anchor)
        assert {"zh": "2017年11月13日", "en": "13 November 2017"}[lang] in html
        assert {"zh": "沁源县人民政府", "en": "Qinyuan County People's Government"}[lang] in html.replace("&#39;", "'")
    en = (out / "en" / "policy" / "index.html").read_text(encoding="utf-8")
    assert en.count('<details class="original">') >= 20


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pipeline.build(a, base_url=BASE)
    pipeline.build(b, base_url=BASE)
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_sub_path_prefix(tmp_path):
    out = tmp_path / "dist"
    pipeline.build(out, base_url="https://www.qinyuan.gov.cn", prefix="/fupin/policy")
    assert checks.check(out, "https://www.qinyuan.gov.cn", "/fupin/policy/") == []
    html = (out / "zh" / "loans" / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'(?:href|src)="(/[^"]*)"', html):
        assert href.startswith("/fupin/policy/"), href
    assert 'rel="canonical" href="https://www.qinyuan.gov.cn/fupin/policy/zh/loans/"' in html
    assert "https://www.qinyuan.gov.cn/fupin/policy/sitemap.xml" in (out / "robots.txt").read_text()


def test_no_third_party_requests(built):
    out, _ = built
    for rel in pages(out):
        for resource in scan(out / rel).resources:
            assert resource.startswith("/") or resource.startswith(BASE), (rel, resource)
    for css in (out / "static").glob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css
        assert "@import" not in css.read_text() and "@font-face" not in css.read_text()


def test_assets_are_content_hashed(built):
    out, site = built
    for name, url in site.assets.items():
        stem, ext = name.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{10}}\.{ext}", url), url


def test_qr_codes_and_leaflets(built):
    out, site = built
    for lang in ("zh", "en"):
        for slug in ("index", "calculator", "household-subsidies", "grain-for-green"):
            svg = (out / "qr" / f"{lang}-{slug}.svg").read_text()
            assert svg.startswith("<svg") and "#fff" in svg
        for ex_id in site.source.examples:
            assert (out / "qr" / f"{lang}-example-{ex_id}.svg").is_file()
        leaflet = (out / lang / "leaflets" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
        assert f"/qr/{lang}-household-subsidies.svg" in leaflet
        assert "127.0.0.1" not in leaflet and "www.example.gov.cn/" + lang + "/household-subsidies/" in leaflet
    # QR parameters: error correction M, quiet zone 4 (segno's border), so the same URL gives the same code.
    code = segno.make(BASE + "/zh/", error="m", micro=False, boost_error=False)
    assert code.error == "M"


def test_sitemap_and_robots(built):
    out, _ = built
    sitemap = (out / "sitemap.xml").read_text()
    for rel in pages(out):
        if rel == "404.html":
            assert "404" not in sitemap
            continue
        assert f"<loc>{BASE}/{rel.removesuffix('index.html')}</loc>" in sitemap, rel
    assert (out / "robots.txt").read_text().endswith(f"Sitemap: {BASE}/sitemap.xml\n")


def test_calculator_form_is_ready_for_the_browser(built):
    out, _ = built
    html = (out / "zh" / "calculator" / "index.html").read_text(encoding="utf-8")
    for measure, (_, fields) in calculator.MEASURES.items():
        if measure == "household_whatif":  # answered under the overview's result (page/whatif.mjs): no form of its own
            continue
        assert f'data-measure="{measure}"' in html
        assert f'id="result-{measure}"' in html and f'id="errors-{measure}"' in html
    assert 'name="crops.solar_greenhouse"' in html and 'name="livestock.pig"' in html
    assert 'name="share_table.0.shares"' in html and 'data-path="share_table[0].shares"' in html
    assert 'type="number"' not in html
    assert "<noscript>" in html and "#rates-measure-6" in html
    for role in ("household", "entity", "collective"):
        assert f'id="role-{role}"' in html


def test_issue_8_wording_reaches_the_built_pages(built):
    """The leaflet box, the cap label and the reading markers, as printed (tests/test_wording.py pins the sources)."""
    out, _ = built
    for lang, title, box in (("zh", "到哪里问", "政策没有写贫困户怎么申请。"),
                             ("en", "Where to ask", "The policy does not say how households apply.")):
        for slug in ("dividends", "household-subsidies", "how-to-apply"):
            leaflet = (out / lang / "leaflets" / slug / "index.html").read_text(encoding="utf-8")
            side = leaflet[leaflet.index('<aside class="leaflet-side"'):leaflet.index("</aside>")]
            assert title in side and box in side and "#section-5-1" in side and "#section-5-2" not in side, slug
    zh = (out / "zh" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
    marker = '<a class="reading" href="/{}/readings/#livestock_cap_scope"'
    assert "贫困户每户奖补金额不超过 " + marker.format("zh") in zh and "养殖奖补每户上限" not in zh
    en = (out / "en" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
    assert "Subsidy per poor household not exceeding " + marker.format("en") in en
    for lang in ("zh", "en"):
        html = (out / lang / "self-run-projects" / "index.html").read_text(encoding="utf-8")
        cell = re.search(r'data-param="self_run_project_min"[^>]*>([^<]*)<', html).group(1)
        assert "/户" not in cell and "household" not in cell, cell
        dividends = (out / lang / "dividends" / "index.html").read_text(encoding="utf-8")
        assert "<!-- reading:dividend_whole_return_split -->" in dividends
        assert "<!-- reading:dividend_poor_only -->" in dividends


# ------------------------------------------------------------------ formatting and encoding

def test_money_formatting():
    nbsp = "\u00a0"
    assert money("20000", "zh") == f"20,000{nbsp}元（2万元）"
    assert money("9999.5", "zh", cents=True) == f"9,999.50{nbsp}元"
    assert money("11450", "zh") == f"11,450{nbsp}元（约1.15万元）"
    assert money("33333.33", "zh", cents=True) == f"33,333.33{nbsp}元（约3.33万元）"
    assert money("20000", "en") == f"20,000{nbsp}yuan"
    assert format_param("solar_greenhouse", "zh") == f"20,000{nbsp}元/亩（2万元/亩）"
    assert format_param("solar_greenhouse", "en") == f"20,000{nbsp}yuan per mu"
    assert format_param("grain_to_forest_installments", "zh") == f"500、150、300、150、400{nbsp}元/亩"
    assert format_param("household_loan_exit_years", "zh") == "2014年、2015年"
    assert format_param("household_loan_exit_years", "en") == "2014 and 2015"
    assert format_param("identification_year", "en") == "2015"
    assert format_param("dividend_min_rate", "en") == "6%"


def test_scenario_fragment():
    fragment = scenario_fragment({"measure": "household_subsidy", "registered_poor": True,
                                        "crops": {"solar_greenhouse": "0.5"}, "livestock": {"pig": 4}})
    assert fragment == ("measure=household_subsidy&crops.solar_greenhouse=0.5&livestock.pig=4"
                        f"&registered_poor=true&v={calculator.RULES_VERSION}")
    rows = scenario_fragment({"measure": "collective_dividends", "injected_funds": "200000",
                                    "share_table": [{"household": "王 A", "shares": "3"}]})
    assert "share_table.0.household=%E7%8E%8B%20A&share_table.0.shares=3" in rows


# ------------------------------------------------------------------ the build refuses broken input

@pytest.fixture
def src(tmp_path):
    copy = tmp_path / "site_src"
    shutil.copytree(SRC, copy)
    return copy


def failing_build(src, tmp_path):
    with pytest.raises(BuildError) as error:
        pipeline.build(tmp_path / "out", src=src, base_url=BASE)
    return str(error.value)


def test_fails_on_page_in_one_language_only(src, tmp_path):
    (src / "content" / "en" / "loans.md").unlink()
    assert "content/zh/loans.md has no translation" in failing_build(src, tmp_path)


def test_fails_on_broken_internal_link(src, tmp_path):
    page = src / "content" / "zh" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[坏链接](/zh/no-such-page/)\n", encoding="utf-8")
    assert "broken link /zh/no-such-page/" in failing_build(src, tmp_path)


def test_fails_on_broken_anchor(src, tmp_path):
    page = src / "content" / "en" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[bad](/en/policy/#measure-99)\n", encoding="utf-8")
    assert "broken anchor /en/policy/#measure-99" in failing_build(src, tmp_path)


def test_fails_on_clause_without_anchor(src, tmp_path):
    page = src / "content" / "en" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ cite("section-5-9") }}\n', encoding="utf-8")
    assert "cite('section-5-9')" in failing_build(src, tmp_path)


def test_fails_on_missing_translation_of_interface_text(src, tmp_path):
    config = src / "site.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(\[text\.disclaimer\]\nzh = "[^"]*"\n)en = "[^"]*"\n', r"\1", text), encoding="utf-8")
    assert "[text.disclaimer]: missing translation en" in failing_build(src, tmp_path)


def test_fails_on_unknown_parameter_or_example(src, tmp_path):
    page = src / "content" / "zh" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ param("no_such_rate") }}\n{{ example("nope") }}\n',
                    encoding="utf-8")
    assert "param('no_such_rate')" in failing_build(src, tmp_path)


def test_fails_on_example_that_does_not_compute(src, tmp_path):
    examples = src / "examples.toml"
    examples.write_text(examples.read_text(encoding="utf-8").replace('area_mu = "6"', 'area_mu = "-6"'),
                        encoding="utf-8")
    assert "example 'grain-for-green-six-mu' does not compute" in failing_build(src, tmp_path)


def test_fails_on_misaligned_policy_translation(src, tmp_path):
    english = src / "policy" / "policy.en.txt"
    lines = english.read_text(encoding="utf-8").splitlines()
    english.write_text("\n".join(line for line in lines if not line.startswith("7. ")) + "\n", encoding="utf-8")
    message = failing_build(src, tmp_path)
    assert "non-blank lines" in message and "policy line" in message


def test_fails_on_missing_message_key(src, tmp_path, monkeypatch):
    monkeypatch.delitem(calculator.MESSAGES.entries, "field.area_mu")
    assert "field.area_mu" in failing_build(src, tmp_path)


def test_fails_on_parameter_without_its_reference(src, tmp_path, monkeypatch):
    broken = dataclasses.replace(POLICY["pig"], source_zh="养殖猪每头奖补999元")
    monkeypatch.setitem(POLICY.parameters, "pig", broken)
    assert "parameter pig: source phrase" in failing_build(src, tmp_path)


# ------------------------------------------------------------------ the development server

def test_serve_mime_types_precompressed_and_404(built, tmp_path):
    out = tmp_path / "served"
    shutil.copytree(built[0], out)
    (out / "runtime").mkdir(exist_ok=True)
    (out / "runtime" / "x.wasm").write_bytes(b"\0asm")
    (out / "runtime" / "y.mjs").write_text("export {}")
    (out / "runtime" / "y.mjs.br").write_bytes(b"brotli!")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(out, "/"))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def get(path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    try:
        assert get("/runtime/x.wasm")[1]["Content-Type"] == "application/wasm"
        assert get("/runtime/y.mjs")[1]["Content-Type"].startswith("text/javascript")
        status, headers, body = get("/runtime/y.mjs", {"Accept-Encoding": "gzip, br"})
        assert headers.get("Content-Encoding") == "br" and body == b"brotli!"
        assert get("/qr/zh-index.svg")[1]["Content-Type"] == "image/svg+xml"
        assert get("/zh/")[0] == 200
        status, _, body = get("/zh/no-such-page/")
        assert status == 404 and "找不到这个页面".encode() in body
        css = next((out / "static").glob("site.*.css")).name
        assert "immutable" in get(f"/static/{css}")[1]["Cache-Control"]
        assert "immutable" in get("/runtime/x.wasm")[1]["Cache-Control"]  # runtime/ folders are versioned
        assert get("/zh/")[1]["Cache-Control"] == "no-cache"
        assert "'wasm-unsafe-eval'" in get("/zh/")[1]["Content-Security-Policy"]
    finally:
        server.shutdown()
        server.server_close()
