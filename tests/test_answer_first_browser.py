"""The resident's answer first, year cards on phones, print and share, in headless Chromium at 360x740 and
1280x800 (and 320 px wide), in Chinese and English:

- after finishing the form (计算, or the last answer given) and on arriving by a worked example's #ex= link
  or a shared link, the answer's card (its total) is inside the viewport with no scrolling by the test, the
  card has the focus and the intro is folded to one line; on a phone a bar keeps the total in view once
  the card has scrolled away, and brings the card back; nothing shifts the layout on its own (CLS 0);
- on a phone each year is a card whose lines are the rule module's item names, tags and display texts,
  while the year table stays for screen readers (and is what wide screens show); at 320 px no result
  element is wider than its box, in either language;
- the "print and share" block: its heading at least 4 characters wide, buttons on one line, "copy link"
  with the Clipboard API and with its fallback (the link selected in a box), "save QR code image" a PNG
  of this calculation's QR code; the slip names each year's items, the inputs' sections, the print date,
  lines for the head of household and the village, where to ask, and a captioned QR code instead of the
  long URL, on one A4 page or one receipt;
- axe (WCAG 2.2 AA) on each of these states.

Screenshots: test-artifacts/screenshots/answer-*.png, PDFs: test-artifacts/answer-slip-*.pdf.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from browser import SCREENSHOTS, VIEWPORTS
from calculator import calculate_json
from test_calculator_browser import READY, open_calculator, settle
from test_household_path_browser import F, TYPICAL, type_typical
from test_overview_browser import assert_axe_clean

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
RESULT = "#result-household_overview"
EXAMPLE = "household-greenhouse-pigs"
EXAMPLE_REQUEST = tomllib.loads((ROOT / "site_src/examples.toml").read_text(encoding="utf-8"))["examples"][EXAMPLE]["request"]
TODAY = datetime.date.today().isoformat()
# Watches layout shifts not caused by the resident (the figure Lighthouse's CLS adds up).
CLS = """() => { window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())
    if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true}); }"""


def answer(request):
    return json.loads(calculate_json(json.dumps({"date": TODAY, **request}, ensure_ascii=False)))


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"answer-{name}.png"))


def card_in_view(page, result):
    """The card's box and its total's, in viewport pixels, the viewport's height and the focused element's id."""
    return page.evaluate("""(sel) => {
        const card = document.querySelector(sel + ' .result-card'), total = card.querySelector('.result-card-total');
        const c = card.getBoundingClientRect(), t = total.getBoundingClientRect();
        return {card: [c.top, c.bottom], total: [t.top, t.bottom], height: innerHeight, scrolled: scrollY,
                focus: document.activeElement.id, folded: document.getElementById('calc-intro').classList.contains('is-folded')};
    }""", result)


def assert_answer_first(page, result, focus=True):
    page.locator("#calc-intro.is-folded").wait_for(state="attached", timeout=10_000)  # folded after the scroll
    where = card_in_view(page, result)
    top, bottom = where["total"]
    assert 0 <= top and bottom <= where["height"], where  # the total's box is inside the viewport
    assert where["card"][0] <= where["height"] * 0.3, where  # the card is at the top of the screen
    assert where["scrolled"] > 0, where  # the page brought it there (the card is far below the page's top)
    assert where["folded"], where  # the intro folded to one line
    if focus:
        assert where["focus"] == page.get_attribute(f"{result} .result-card", "id"), where


# The phone (360 × 740) in CI, in both languages; the desktop (1280 × 800) with ./dev test --all.
@pytest.fixture(params=["phone", pytest.param("desktop", marks=pytest.mark.slow)])
def context(request, chromium):
    ctx = chromium.new_context(viewport=VIEWPORTS[request.param])
    ctx.size = request.param
    yield ctx
    ctx.close()


def typical_fragment(site_server, chromium):
    """The typical household's link, as the page writes it."""
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = open_calculator(ctx, site_server, fragment="role=overview")
    type_typical(page)
    fragment = page.url.split("#", 1)[1]
    ctx.close()
    return fragment


@pytest.fixture(scope="module")
def typical(chromium, site_server):
    return typical_fragment(site_server, chromium)


# ---------------------------------------------------------------- answer first

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finishing_the_form_brings_the_answer_card_into_view(context, site_server, lang):
    page = open_calculator(context, site_server, lang=lang, fragment="role=overview")
    assert not card_in_view_exists(page)
    type_typical(page)
    page.click("#calc-household_overview button[type=submit]")
    settle(page)
    assert_answer_first(page, RESULT)
    expected = answer(TYPICAL)
    assert page.inner_text(f"{RESULT} .result-card-total strong") == expected["total"]["display"]["amount"][lang]
    card = page.inner_text(f"{RESULT} .result-card")
    assert page.inner_text(f"{RESULT} .ov-summary") in card  # which years
    for entry in expected["not_applicable"]:
        assert entry[lang] in card  # what does not apply
    said = page.inner_text("#answer-announce")
    assert expected["total"]["display"]["amount"][lang] in said  # the live region says the summary
    shot(page, f"finished-{lang}-{context.size}")
    assert_axe_clean(page)


def card_in_view_exists(page):
    return page.locator(".result-card").count() > 0


def test_the_last_answer_given_brings_the_card_into_view(chromium, site_server):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = open_calculator(ctx, site_server, fragment="role=overview")
    type_typical(page)
    page.evaluate("scrollTo(0, 0)")
    page.fill(F + "loan_amount", "20000")  # the form's last field
    page.press(F + "loan_amount", "Tab")  # given: its value committed
    settle(page)
    page.wait_for_timeout(100)
    assert_answer_first(page, RESULT, focus=False)  # the focus stays where the resident moved it
    ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_worked_examples_link_arrives_with_its_answer_in_view(context, site_server, lang):
    page = context.new_page()
    page.add_init_script(CLS.join(["(", ")()"]))
    page.goto(site_server.url(f"{lang}/calculator/") + f"#ex={EXAMPLE}")
    page.wait_for_selector("#result-household_subsidy .result-card-total", timeout=90_000)
    page.wait_for_timeout(200)
    assert_answer_first(page, "#result-household_subsidy")  # the pre-rendered answer, at once
    shot(page, f"example-{lang}-{context.size}")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    settle(page)
    assert_answer_first(page, "#result-household_subsidy")  # still there once the worker has confirmed it
    expected = answer(EXAMPLE_REQUEST)
    assert page.inner_text("#result-household_subsidy .result-card-total strong") == expected["total"]["display"]["amount"][lang]
    if context.size == "phone":
        assert_axe_clean(page)
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_link_arrives_with_its_answer_in_view_and_the_phone_keeps_its_total(chromium, site_server, typical, lang):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = ctx.new_page()
    page.add_init_script(CLS.join(["(", ")()"]))
    page.goto(site_server.url(f"{lang}/calculator/") + "#" + typical)
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    settle(page)
    page.wait_for_selector(f"{RESULT} .result-card")
    assert_answer_first(page, RESULT)
    assert page.locator("#answer-bar").is_hidden()  # the card is in view: no bar
    # the quick "what if" under the summary came with the answer: it pushed nothing down (it measured 0.2)
    page.locator("#ov-quick-whatif li.ov-qw-item").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cls") < 0.1
    page.evaluate("window.__cls = 0")  # from here on: the bar's own doing
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(300)
    bar = page.locator("#answer-bar")
    assert bar.is_visible()
    expected = answer(TYPICAL)
    assert expected["total"]["display"]["amount"][lang] in bar.inner_text()
    shot(page, f"bar-{lang}-phone")
    assert page.evaluate("window.__cls") == 0  # the bar lies over the page: nothing moved
    assert_axe_clean(page)
    page.click("#answer-bar button")
    page.wait_for_timeout(200)
    assert card_in_view(page, RESULT)["total"][1] <= VIEWPORTS["phone"]["height"]
    assert page.evaluate("document.activeElement.classList.contains('result-card')")
    ctx.close()


def test_an_empty_page_shifts_nothing_and_shows_no_bar(chromium, site_server):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = ctx.new_page()
    page.add_init_script(CLS.join(["(", ")()"]))
    page.goto(site_server.url("zh/calculator/"))
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    settle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cls") == 0
    assert page.locator("#answer-bar").is_hidden()
    assert not page.evaluate("document.getElementById('calc-intro').classList.contains('is-folded')")  # nothing to fold for
    ctx.close()


# ---------------------------------------------------------------- year cards

OVERFLOWING = """() => [...document.querySelectorAll('#calculator .result, #calculator .result *, #answer-bar, #answer-bar *')]
    .filter((n) => n.getClientRects().length && !n.closest('.ov-years-wrap'))
    .filter((n) => n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().right > innerWidth + 0.5)
    .map((n) => `${n.tagName}.${n.className} ${n.scrollWidth}/${n.clientWidth} right ${n.getBoundingClientRect().right}`)"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_year_cards_at_320_px_name_each_items_measure_and_clip_nothing(chromium, site_server, typical, lang):
    ctx = chromium.new_context(viewport={"width": 320, "height": 740})
    page = open_calculator(ctx, site_server, lang=lang, fragment=typical)
    settle(page)
    page.click(f"{RESULT} details.trace summary")  # the steps open too
    expected = answer(TYPICAL)
    cards = page.locator(f"{RESULT} .ov-year-cards")
    assert cards.is_visible()
    lines = page.evaluate(f"""() => [...document.querySelectorAll('{RESULT} .ov-year-card')].map((c) => [
        Number(c.dataset.year), c.querySelector('.ov-year-card-total').textContent,
        [...c.querySelectorAll('.ov-year-card-items li')].map((li) => [li.querySelector('.ov-year-card-name').textContent,
                                                                       li.querySelector('.ov-year-card-amount').textContent])])""")
    want = [[y["year"], y["display"]["total"][lang],
             [[i["name"][lang] + (" " + i["tag"][lang] if i["tag"] else ""), i["display"]["amount"][lang]] for i in y["items"]]]
            for y in expected["years"]]
    assert lines == want
    names = [name for _, _, items in lines for name, _ in items]
    for item in (i for y in expected["years"] for i in y["items"] if i["tag"]):
        assert item["tag"][lang] not in item["name"][lang]  # a frequency is said once, by the tag
    assert not any(i["tag"] for y in expected["years"] for i in y["items"] if i["measure"] == "grain_to_forest")
    assert any(("退耕还林补助 第1次（共5次）" if lang == "zh" else "Grain for Green, installment 1 of 5") in n for n in names)
    assert page.locator(f"{RESULT} .ov-year-cards a").count() == 0  # no link in the way
    # the real table is still there for screen readers (cards are hidden from them)
    assert page.get_attribute(f"{RESULT} .ov-year-cards", "aria-hidden") == "true"
    assert page.locator(f"{RESULT} table.ov-years tbody tr").count() == len(expected["years"])
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.locator(f"{RESULT} .ov-year-cards").screenshot(path=str(SCREENSHOTS / f"answer-year-cards-{lang}-320.png"))
    assert_axe_clean(page)
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert page.locator(f"{RESULT} table.ov-years").is_visible() and not cards.is_visible()
    ctx.close()


# ---------------------------------------------------------------- print and share

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tools_block_reads_across_and_its_buttons_fit_one_line(context, site_server, typical, lang):
    page = open_calculator(context, site_server, lang=lang, fragment=typical)
    settle(page)
    size = page.evaluate("""() => { const h = document.getElementById('tools-title');
        return {width: h.getBoundingClientRect().width, font: parseFloat(getComputedStyle(h).fontSize),
                lines: Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight))}; }""")
    assert size["width"] >= 4 * size["font"] and size["lines"] == 1, size
    heights = page.evaluate("""() => [...document.querySelectorAll('.calc-tools .tool-buttons .button')]
        .filter((b) => b.getClientRects().length).map((b) => [b.textContent, b.getBoundingClientRect().height,
                                                               parseFloat(getComputedStyle(b).lineHeight)])""")
    assert len(heights) >= 5
    for text, height, line in heights:
        assert height < 2 * line, (text, height)  # one line of label
    page.locator("#calc-tools").screenshot(path=str(SCREENSHOTS / f"answer-tools-{lang}-{context.size}.png"))


def test_copy_link_uses_the_clipboard(chromium, site_server, typical):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"], permissions=["clipboard-read", "clipboard-write"])
    page = open_calculator(ctx, site_server, fragment=typical)
    settle(page)
    page.click("button[data-action=copy-link]")
    page.locator("#share-status").filter(has_text="已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "measure=household_overview" in copied
    assert page.locator("#share-link").is_hidden()
    ctx.close()


def test_copy_link_without_a_clipboard_selects_the_link(chromium, site_server, typical):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    ctx.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
                        "document.execCommand = () => false;")
    page = open_calculator(ctx, site_server, lang="en", fragment=typical)
    settle(page)
    page.click("button[data-action=copy-link]")
    box = page.locator("#share-link-text")
    box.wait_for(state="visible")
    assert box.input_value() == page.url
    assert page.evaluate("""() => { const i = document.getElementById('share-link-text');
        return document.activeElement === i && i.selectionStart === 0 && i.selectionEnd === i.value.length; }""")
    assert "copy it" in page.inner_text("#share-status")
    assert_axe_clean(page)
    ctx.close()


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_save_qr_downloads_a_png_of_this_calculations_qr_code(chromium, site_server, typical):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"], accept_downloads=True)
    page = open_calculator(ctx, site_server, fragment=typical)
    settle(page)
    with page.expect_download() as info:
        page.click("button[data-action=save-qr]")
    download = info.value
    assert download.suggested_filename.endswith(".png")
    data = Path(download.path()).read_bytes()
    width, height = png_size(data)
    assert width == height and width % 8 == 0
    # the image shown (for a long press where downloads do not work) is the same file
    src = page.get_attribute("#share-qr img", "src")
    assert base64.b64decode(src.split(",", 1)[1]) == data
    # its dark squares are the QR code of this page's link, module by module (qrcode-generator's matrix)
    same = page.evaluate("""async (url) => {
        const m = JSON.parse(document.getElementById('calculator-manifest').textContent);
        const base = new URL(document.getElementById('calculator').dataset.manifest, location.href);
        const { qrcode } = await import(new URL(m.qrcode, base).href);
        const code = qrcode(0, 'M'); code.addData(url); code.make();
        const img = document.querySelector('#share-qr img'); await img.decode();
        const n = code.getModuleCount(), px = img.naturalWidth / (n + 8);
        const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
        const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
        let wrong = 0;
        for (let r = 0; r < n; r++) for (let col = 0; col < n; col++) {
            const x = Math.floor((col + 4.5) * px), y = Math.floor((r + 4.5) * px);
            const dark = pixels[(y * c.width + x) * 4] < 128;
            if (dark !== code.isDark(r, col)) wrong++;
        }
        return {n, px, wrong};
    }""", page.url)
    assert same["wrong"] == 0 and same["px"] == 8, same
    assert "measure=household_overview" in page.url
    page.locator("#calc-tools").screenshot(path=str(SCREENSHOTS / "answer-tools-qr-zh-phone.png"))
    assert_axe_clean(page)
    ctx.close()


# Each language and each paper in CI; the other two pairings with ./dev test --all.
@pytest.mark.parametrize(("lang", "size"), [("zh", "receipt"), ("en", "a4"),
                                            pytest.param("zh", "a4", marks=pytest.mark.slow),
                                            pytest.param("en", "receipt", marks=pytest.mark.slow)])
def test_the_slip_names_items_sections_date_lines_and_prints_on_one_page(chromium, site_server, typical, lang, size):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = open_calculator(ctx, site_server, lang=lang, fragment=typical)
    settle(page)
    page.evaluate(f"window.calculator.prepareSlip('{size}')")
    slip = page.locator("#result-slip")
    page.emulate_media(media="print")
    text = slip.inner_text()
    expected = answer(TYPICAL)
    for year in expected["years"]:  # every item of every year, by its name, with its amount
        for item in year["items"]:
            assert item["name"][lang] in text and item["display"]["amount"][lang] in text
    sections = page.evaluate("() => [...document.querySelectorAll('#result-slip .slip-section-title')].map((n) => n.textContent)")
    legends = page.evaluate("() => [...document.querySelectorAll('#calc-household_overview fieldset.ov-section > legend')].map((n) => n.textContent.trim())")
    assert sections and all(any(s.startswith(legend) for legend in legends) for s in sections)
    today = datetime.date.today()
    assert (f"{today.year}年{today.month}月{today.day}日" if lang == "zh" else today.isoformat()) in text
    assert ("户主" if lang == "zh" else "Head of household") in text and ("村" if lang == "zh" else "Village") in text
    assert page.locator("#result-slip .slip-blank").count() == 2
    assert page.locator("#result-slip [data-slip-qr] svg").count() == 1
    assert ("扫码" if lang == "zh" else "Scan") in page.inner_text("#result-slip .slip-qr-caption")
    assert "http" not in text  # the QR code, not the long address
    ask = page.locator("#where-to-ask")
    if ask.count():
        assert ask.inner_text().split("\n")[0] in page.inner_text("#result-slip [data-slip-ask]")
    else:
        assert page.inner_text("#result-slip [data-slip-ask]").strip() == ""
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    (SCREENSHOTS.parent / f"answer-slip-{lang}-{size}.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    ctx.close()


# A household with many years (land transferred out 2018 to 2040) and many lines: its receipt was 665 mm (zh)
# and 902 mm (en) long and the fixed 600 mm page spilt it onto a second page.
LONG = "&land_transfer_from_year=2018&land_transfer_to_year=2040&crops.solar_greenhouse=1&crops.commercial_potato=2&livestock.pig=3"


@pytest.mark.parametrize("lang", ["zh", pytest.param("en", marks=pytest.mark.slow)])
def test_a_long_households_receipt_prints_whole_on_one_page_as_long_as_the_slip(chromium, site_server, typical, lang):
    ctx = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = open_calculator(ctx, site_server, lang=lang, fragment=typical + LONG)
    settle(page)
    page.evaluate("window.calculator.prepareSlip('receipt')")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    path = SCREENSHOTS.parent / f"answer-slip-long-{lang}-receipt.pdf"
    path.write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    length = int(page.get_attribute("html", "data-receipt-length"))
    width, height = (float(n) for n in re.search(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)", pdf).groups())
    assert round(width * 25.4 / 72) == 80 and abs(height * 25.4 / 72 - length) < 1  # the page is the measured length
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    request = {**TYPICAL, "land_transfer_from_year": "2018", "land_transfer_to_year": "2040",
               "crops": {**TYPICAL["crops"], "solar_greenhouse": "1", "commercial_potato": "2"},
               "livestock": {**TYPICAL["livestock"], "pig": "3"}}
    expected = answer(request)
    assert len(expected["years"]) == 23
    for year in expected["years"]:  # every year and its total, nothing cut off the end
        assert re.search(rf"{year['year']}\s+{re.escape(year['display']['total'][lang])}", text), year["year"]
    assert expected["total"]["display"]["amount"][lang] in text
    assert ("规则版本" if lang == "zh" else "Rules version") in text  # the slip's last line
    ctx.close()
