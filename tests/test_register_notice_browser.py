"""The printed 公示 as a village posts it, read back from the PDF Chromium prints (page.pdf(), text by pdftotext):
every household on paper (each name in the household column, in order, whatever its script or width), the page
count equal to the Y of every footer "第 X 页，共 Y 页" / "Page X of Y" and each X right; and the bookkeeper's
posting fields (period, objection contact, supervision phones, 分配办法) printed, blank lines where left empty,
the calculator's readings as a footnote marked 本站理解, the end date 10 days after the start by default.

CI runs two: the ordinary list in Chinese with every posting field filled in, and the list of wide Latin names
(which a layout from estimated widths lost households of) in English with the fields as they open. The other two
variants, the refusal and the register on a phone are marked slow.
"""

from __future__ import annotations

import datetime
import html
import re
import shutil
import subprocess

import pytest

from browser import SCREENSHOTS
from calculator import MESSAGES
from calculator.readings import MARKER, READINGS
from test_register_browser import (ARTIFACTS, READY, TABLE, clear, cpython, fill_parameters, seq, session,  # noqa: F401
                                   wait_next)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")]

FOOTER = {"zh": re.compile(r"第\s*(\d+)\s*页，\s*共\s*(\d+)\s*页"), "en": re.compile(r"Page\s+(\d+)\s+of\s+(\d+)")}
NOTES = ["外出务工（太原）", "", "低保户", "外出务工（太原），家中老人代领", ""]


def names_list(rows=120, wide=False):
    """欧阳明华N / MAMUTI ABDUREHIM N / 司马建国N, or names of wide Latin capitals; notes like 外出务工（太原）."""
    names = []
    for n in range(1, rows + 1):
        if wide:
            names.append(f"WWWWWWWWWWWWWWWWWWWW MMMMMMMMMMM {n}" if n % 2 else f"MMMMMMMMMMMMMMMMMMMM WWWWWWWWW {n}")
        else:
            names.append((f"欧阳明华{n}", f"MAMUTI ABDUREHIM {n}", f"司马建国{n}")[n % 3])
    lines = ["户主,股数,脱贫年份,备注"]
    for n, name in enumerate(names, start=1):
        # wide names mostly beside short statuses (not exited), so that the name is what makes a row tall
        exit_year = "" if n % 4 == 0 or (wide and n % 5) else str(2014 + n % 8)
        lines.append(f"{name},{1 + n % 3},{exit_year},{NOTES[n % len(NOTES)]}")
    return names, "\n".join(lines) + "\n"


def pdf_words(pdf, tmp_path):
    """Each page's words with their boxes (pdftotext -bbox): [[(x0, y0, x1, y1, text), ...], ...]."""
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, flags=re.S):
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def pdf_text(pdf, tmp_path):
    """The PDF's text, one string per page (pdftotext -layout)."""
    path = tmp_path / "notice-text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def household_column(words, header, totals):
    """The text of the household column of one page, top to bottom, without spaces: every word that starts
    within the column under its header word (28 mm wide, its 1.5 mm padding before the header's first letter),
    down to the totals row (the lines under it start left of the column, at the table's or the page's edge)."""
    heads = [w for w in words if w[4] == header]
    if not heads:
        return ""
    head = min(heads, key=lambda w: w[1])
    mm = 72 / 25.4
    left, right = head[0] - 2 * mm, head[0] - 1.5 * mm + 28 * mm
    middle = lambda w: (w[1] + w[3]) / 2  # noqa: E731 (pdftotext's boxes are taller than the glyphs)
    below = middle(head) + 3
    foot = [w for w in words if w[4] == totals and w[0] < left and middle(w) > below]
    # the first line under the totals that starts left of the column: the full-width line or the closing words
    after = [middle(w) for w in words if foot and w[0] < left and middle(w) > middle(foot[0]) + 3]
    above = min(after) - 3 if after else float("inf")
    column = sorted((w for w in words if left <= w[0] < right and below < middle(w) < above),
                    key=lambda w: (round(w[1]), w[0]))
    return "".join(w[4] for w in column).replace(" ", "")


def print_notice(page, lang):
    """Lays the notice out (the page's own check first), prints it to PDF, and returns (pages laid out, PDF)."""
    count = page.evaluate(f"window.registerView.prepareNotice('{lang}')")
    assert count > 0, page.text_content("[data-register-status]")
    page.emulate_media(media="print")
    overflow = page.eval_on_selector_all("#register-notice .notice-body", "bodies => bodies.map(b => b.scrollHeight - b.clientHeight)")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    page.evaluate("document.documentElement.classList.remove('printing-notice')")
    assert max(overflow) <= 0, overflow
    return count, pdf


def check_every_household(pdf, names, lang, count, tmp_path):
    """Every name in the PDF's household column, in order, once; the page count and each footer right."""
    words = pdf_words(pdf, tmp_path)
    texts = pdf_text(pdf, tmp_path)
    assert len(words) == len(texts) == count
    for number, text in enumerate(texts, start=1):
        footers = FOOTER[lang].findall(text)
        assert footers == [(str(number), str(count))], (number, footers)
    header = {"zh": "户主", "en": "Household"}[lang]
    column = "".join(household_column(page, header, MESSAGES.text("register.totals")[lang]) for page in words)
    # every name, in order, each once, then the totals' count: nothing lost, nothing printed twice
    total = MESSAGES.text("register.households_count", count=len(names))[lang]
    expected = "".join(name.replace(" ", "") for name in names) + total.replace(" ", "")
    if column != expected:
        at = next(i for i, (a, b) in enumerate(zip(column + "\0", expected + "\0")) if a != b)
        missing = [name for name in names if name.replace(" ", "") not in column]
        pytest.fail(f"the household column differs at {at}: {column[at - 30:at + 30]!r} vs {expected[at - 30:at + 30]!r}; "
                    f"not on paper: {missing[:10]}")
    return texts


def load_list(page, text, **params):
    clear(page)
    fill_parameters(page, **params)
    before = seq(page)
    page.fill("#f-dividend_register-text", text)
    wait_next(page, before)


def posting_value(page, key):
    return page.input_value(f"#f-dividend_register-{key}")


def test_every_household_on_paper_in_chinese_with_the_posting_fields(session, tmp_path):
    """120 households (欧阳明华N, MAMUTI ABDUREHIM N, 司马建国N; notes 外出务工（太原）) in Chinese, every posting
    field filled in: each name in the PDF, pages and footers right, the fields printed as typed."""
    page = session
    names, text = names_list()
    load_list(page, text, distribution_year="2022")
    fields = {"notice_start": "2027-01-05", "notice_end": "2027-01-20", "objection_contact": "村务监督委员会 李建国",
              "village_phone": "0355-7000001", "township_phone": "0355-7000002",
              "distribution_method": "经村民代表会议通过：按股数分配。\n巩固期满户的股份由村集体转分。"}
    for key, value in fields.items():
        page.fill(f"#f-dividend_register-{key}", value)
    page.check("#f-dividend_register-national_line")
    count, pdf = print_notice(page, "zh")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "register-notice-120-zh.pdf").write_bytes(pdf)
    texts = check_every_household(pdf, names, "zh", count, tmp_path)
    last = "".join(texts[-1].split())
    assert "公示期：2027年1月5日至2027年1月20日" in last
    assert "对公示内容有异议的，请联系：村务监督委员会李建国" in last
    assert "村监督电话：0355-7000001" in last and "乡（镇）监督电话：0355-7000002" in last
    assert "全国扶贫监督举报电话：12317" in last
    assert "分配办法：经村民代表会议通过：按股数分配。巩固期满户的股份由村集体转分。" in last
    # the calculator's reading is a footnote marked 本站理解, in the register's own words
    assert f"{MARKER['zh']}（" in last and "".join(READINGS["shares_pass_on"]["reading_zh"].split()) in last
    assert "本站理解" not in "".join("".join(t.split()) for t in texts[:-1])
    # none of it leaves the page: not in the address, any request or the browser's storage
    typed = ["0355-7000001", "0355-7000002", "李建国", "%E6%9D%8E%E5%BB%BA%E5%9B%BD", "村民代表会议"]
    places = [page.url] + [u for u, _ in page.sent] + [b for _, b in page.sent]
    assert not [t for t in typed for p in places if t in p]
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_every_household_on_paper_in_english_with_blank_lines(session, tmp_path):
    """120 households with names of wide capitals (WWWW… MMMM… N, three to five lines each; the layout from
    estimated widths hid 10 or more of them) in English, the posting fields left as they open: the period from today
    to today + 10 days, blank lines for the contact and phones, no 12317, the default 分配办法."""
    page = session
    names, text = names_list(wide=True)
    load_list(page, text, distribution_year="2022")
    start = posting_value(page, "notice_start")
    today = datetime.date.fromisoformat(page.evaluate(
        "(() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); })()"))
    assert start == today.isoformat() and posting_value(page, "notice_end") == ""
    count, pdf = print_notice(page, "en")
    (ARTIFACTS / "register-notice-wide-en.pdf").write_bytes(pdf)
    texts = check_every_household(pdf, names, "en", count, tmp_path)
    last = " ".join(texts[-1].split())
    end = today + datetime.timedelta(days=10)
    day = lambda d: f"{d.day} {d.strftime('%B')} {d.year}"  # noqa: E731
    assert f"Posted: from {day(today)} to {day(end)}" in last
    for label in ("Objections to this notice, please contact:", "Village supervision phone:", "Township supervision phone:"):
        line = next(ln for ln in texts[-1].splitlines() if label in ln)
        assert line.split(label, 1)[1].strip() == "", line  # a line to fill in by hand, nothing made up
    assert "12317" not in last
    result = cpython(text, distribution_year="2022", export=["notice"])
    assert " ".join(result["notice"]["en"]["method"].split()) in last
    assert f"{MARKER['en']} (" in last
    # drawn as lines in the laid-out notice
    drawn = page.eval_on_selector_all("#register-notice [data-blank]", "nodes => nodes.map(n => n.dataset.blank)")
    assert drawn == ["objection_contact", "village_phone", "township_phone"]


@pytest.mark.slow
@pytest.mark.parametrize("lang,wide", [("zh", True), ("en", False)], ids=["wide-zh", "ordinary-en"])
def test_the_other_variants_all_on_paper(session, tmp_path, lang, wide):
    """The wide names in Chinese, the ordinary list in English (another year: other statuses): every one in the PDF."""
    page = session
    names, text = names_list(wide=wide)
    load_list(page, text, distribution_year="2024")
    count, pdf = print_notice(page, lang)
    (ARTIFACTS / f"register-notice-{'wide' if wide else '120'}-{lang}-2024.pdf").write_bytes(pdf)
    check_every_household(pdf, names, lang, count, tmp_path)


@pytest.mark.slow
def test_a_part_taller_than_a_page_is_refused(session):
    """A row that cannot fit on a page: nothing is laid out to print, and the page says which row and why."""
    page = session
    names, text = names_list(rows=3)
    load_list(page, text)
    result = cpython(text, export=["notice"])
    notice = result["notice"]["zh"]
    notice["rows"][1][6] = "很长的备注" * 400  # more than a page in the note column
    laid = page.evaluate("notice => window.registerView.layout(notice, 'zh')", notice)
    assert laid == {"pages": 0, "refused": "row", "row": 1}
    assert page.eval_on_selector_all("#register-notice .notice-page", "p => p.length") == 0
    assert "printing-notice" not in page.evaluate("document.documentElement.className")


@pytest.mark.slow
def test_a_posting_end_before_its_start_is_said_at_the_field(session):
    page = session
    names, text = names_list(rows=3)
    load_list(page, text)
    page.fill("#f-dividend_register-notice_start", "2027-03-10")
    page.fill("#f-dividend_register-notice_end", "2027-03-01")
    assert page.evaluate("window.registerView.prepareNotice('zh')") == 0
    error = page.text_content("#f-dividend_register-notice_end-error")
    assert "公示结束日期不能早于开始日期（2027-03-10）" in error
    assert page.get_attribute("#f-dividend_register-notice_end", "aria-invalid") == "true"
    page.fill("#f-dividend_register-notice_end", "")
    assert page.evaluate("window.registerView.prepareNotice('zh')") > 0
    page.evaluate("document.documentElement.classList.remove('printing-notice')")


@pytest.mark.slow
@pytest.mark.parametrize("lang,width,height", [("zh", 360, 740), ("en", 360, 740), ("zh", 1080, 1920), ("en", 1080, 1920)])
def test_the_register_on_a_phone(chromium, site_server, lang, width, height):
    """At 360×740 the year's table is cards (a table at 1080): every household's dividend on screen without
    scrolling sideways; the posting fields fit too. Screenshots of both (test-artifacts/screenshots/)."""
    ctx = chromium.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.urls = []  # wait_next records each address the page had
    try:
        page.goto(site_server.url(f"{lang}/calculator/") + "#role=bookkeeper")
        page.wait_for_selector(READY, state="attached", timeout=90_000)
        names, text = names_list(rows=6)
        load_list(page, text, distribution_year="2022")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.eval_on_selector_all(f"{TABLE} tbody tr", """(rows, width) => rows.map(r => {
            const cell = r.children[5].getBoundingClientRect();
            return [r.children[1].textContent, cell.left >= 0 && cell.right <= width && cell.width > 0];
        })""", width)
        assert [r[0] for r in rows] == names and all(r[1] for r in rows), rows
        # the whole table in view, the notes too: no column scrolled out of sight
        assert page.eval_on_selector(TABLE, "t => t.scrollWidth <= t.closest('.table-wrap').clientWidth")
        cards = page.eval_on_selector(f"{TABLE} tbody tr", "r => getComputedStyle(r).display")
        assert cards == ("flex" if width < 640 else "table-row")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#result-dividend_register").screenshot(path=str(SCREENSHOTS / f"register-table-{width}-{lang}.png"))
        page.locator("#f-dividend_register-posting").screenshot(path=str(SCREENSHOTS / f"register-posting-{width}-{lang}.png"))
    finally:
        ctx.close()


def method_of(lines):
    return "\n".join(f"第{n}条：按村民代表会议决定分配。" for n in range(1, lines + 1))


@pytest.mark.slow
def test_a_long_distribution_method(session, tmp_path):
    """The village's 分配办法 as long as a page allows: the closing words then stand on a page of their own
    after the totals, every household still on paper; longer than a page, nothing is printed and the page says so."""
    page = session
    names, text = names_list()
    load_list(page, text, distribution_year="2022")
    try:
        page.fill("#f-dividend_register-distribution_method", method_of(60))
        assert page.evaluate("window.registerView.prepareNotice('zh')") == 0
        assert "公示表没有打印" in page.text_content("[data-register-status]")
        # from a short method up: the first length whose closing words no longer fit beside a row
        for lines in range(10, 60):
            page.fill("#f-dividend_register-distribution_method", method_of(lines))
            count = page.evaluate("window.registerView.prepareNotice('zh')")
            assert count > 0, lines
            alone = page.eval_on_selector("#register-notice .notice-page:last-child", "p => !p.querySelector('table')")
            page.evaluate("document.documentElement.classList.remove('printing-notice')")
            if alone:
                break
        assert alone, "the closing words never needed a page of their own"
        count, pdf = print_notice(page, "zh")
        texts = check_every_household(pdf, names, "zh", count, tmp_path)
        assert all(f"第{n}条：按村民代表会议决定分配。" in texts[-1] for n in range(1, lines + 1))
        assert FOOTER["zh"].findall(texts[-1]) == [(str(count), str(count))]
    finally:
        page.fill("#f-dividend_register-distribution_method", "")
