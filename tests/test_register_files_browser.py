"""The register's files in headless Chromium: an .xlsx (written by xlsxwriter) and an .xls (xlwt) chosen in the
page in both languages give CPython's table; the year saved as .xlsx and as CSV reads back as the same list;
the Excel readers are downloaded only when a workbook is chosen, once; files refused by size and kind with
the module's words; no name in any request or URL."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from browser import SCREENSHOTS
from calculator.register.files import MAX_FILE_BYTES, read_file
from test_register_browser import (FORM, READY, TABLE, expected_rows, cpython, fill_parameters, screen_rows,
                                   seq, settled, wait_next)
from test_register_files import LIST, xlsxwriter_book, xlwt_book

pytestmark = pytest.mark.browser
FILE = "#f-dividend_register-file"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = ["王福贵", "李秀英", "李䶮", "郑英"]


def open_register(chromium, site_server, lang):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    page.sent = []
    ctx.on("request", lambda r: page.sent.append((r.url, r.post_data or "")))
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(site_server.url(f"{lang}/calculator/") + "#role=bookkeeper")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    page.urls = []
    return page


def choose(page, name, data, mime):
    before = seq(page)
    page.set_input_files(FILE, files=[{"name": name, "mimeType": mime, "buffer": data}])
    wait_next(page, before)


def readers_requested(page):
    return [u for u, _ in page.sent if u.endswith("/spreadsheet.zip")]


def no_name_sent(page):
    places = [u for u, _ in page.sent] + [b for _, b in page.sent] + page.urls + [page.url]
    for name in NAMES + ["=1+2", "%E7%8E%8B"]:
        assert not [p for p in places if name in p], name


def test_an_xlsx_chosen_saved_as_xlsx_and_csv_and_chosen_again_zh(chromium, site_server):
    page = open_register(chromium, site_server, "zh")
    fill_parameters(page)
    choose(page, "list.csv", LIST.encode("gb18030"), "text/csv")
    assert readers_requested(page) == []  # a CSV needs no Excel reader: residents and CSV users download none
    book = xlsxwriter_book()
    choose(page, "名单.xlsx", book, XLSX)
    read = read_file(book)
    assert screen_rows(page) == expected_rows(cpython(read["text"]))
    assert page.inner_text("[data-register-encoding]") == read["read_as"]["zh"]
    assert "工作表“名单”" in page.inner_text("[data-register-encoding]")
    assert len(readers_requested(page)) == 1
    timing = page.evaluate("window.registerView.timing.file_ms")
    print(f"chosen file to table: CSV {timing[0]:.0f} ms, first .xlsx (readers downloaded and imported) {timing[1]:.0f} ms")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(FORM).screenshot(path=str(SCREENSHOTS / "zh_calculator-register-xlsx.png"))
    # saved as .xlsx: the CSV's columns, the formula-like name stored as text; chosen again, the same table
    with page.expect_download() as info:
        page.click('button[data-register-action="xlsx"]')
    saved = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "分红名册-2020.xlsx"
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    on_screen = screen_rows(page)
    choose(page, "分红名册-2020.xlsx", saved, XLSX)
    assert screen_rows(page) == on_screen
    print(f"an .xlsx once the readers are there: {page.evaluate('window.registerView.timing.file_ms').pop():.0f} ms")
    assert len(readers_requested(page)) == 1  # downloaded once
    # saved as CSV: the formula-like name opens as text ('=…) and reads back as it was
    with page.expect_download() as info:
        page.click('button[data-register-action="csv"]')
    data = Path(info.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[3][0] == "'=HYPERLINK(\"http://x/\",\"点此\")"
    choose(page, "分红名册-2020.csv", data, "text/csv")
    assert screen_rows(page) == on_screen
    no_name_sent(page)
    assert page.errors == []
    page.context.close()


def test_an_xlsx_and_an_xls_chosen_in_english(chromium, site_server):
    page = open_register(chromium, site_server, "en")
    fill_parameters(page)
    book = xlsxwriter_book()
    choose(page, "list.xlsx", book, XLSX)
    assert screen_rows(page) == expected_rows(cpython(read_file(book)["text"]), "en")
    assert page.inner_text("[data-register-encoding]") == "Read an Excel workbook (.xlsx), sheet '名单', header in row 3"
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator(FORM).screenshot(path=str(SCREENSHOTS / "en_calculator-register-xlsx-360.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    old = xlwt_book()
    choose(page, "old.xls", old, "application/vnd.ms-excel")
    assert screen_rows(page) == expected_rows(cpython(read_file(old)["text"]), "en")
    assert "(.xls)" in page.inner_text("[data-register-encoding]")
    no_name_sent(page)
    assert page.errors == []
    page.context.close()


def test_files_refused_by_size_kind_and_encoding_say_why(chromium, site_server):
    page = open_register(chromium, site_server, "zh")
    fill_parameters(page)
    error = "#f-dividend_register-file-error"
    choose(page, "list.csv", LIST.encode("utf-8"), "text/csv")  # a list on screen first: the refusals replace it
    assert page.locator(TABLE).count() == 1
    cases = [("big.csv", b"a," * (MAX_FILE_BYTES // 2 + 1), "5.0 MB"), ("photo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片"),
             ("empty.csv", b"\xef\xbb\xbf", "空的"), ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 64, "压缩包"),
             ("bad.csv", LIST.encode("utf-8").replace("李".encode(), b"\xff" + "李".encode()[1:]), "第3行")]
    for name, data, words in cases:
        choose(page, name, data, "text/csv")
        assert page.is_visible(error) and words in page.inner_text(error), (name, page.inner_text(error))
        assert page.locator(TABLE).count() == 0 and page.input_value("#f-dividend_register-text") == ""
        if name == "photo.csv":
            page.locator("#f-dividend_register-file-field").screenshot(path=str(SCREENSHOTS / "zh_calculator-register-refused.png"))
    # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated
    choose(page, "unicode.txt", b"\xff\xfe" + LIST.replace(",", "\t").encode("utf-16-le"), "text/plain")
    assert page.is_hidden(error)
    assert screen_rows(page) == expected_rows(cpython(LIST))
    assert "UTF-16" in page.inner_text("[data-register-encoding]")
    assert readers_requested(page) == []
    # the offline copy every resident's phone installs leaves the Excel readers out
    sw = page.request.get(site_server.url("sw.js")).text()
    assert "/stdlib.zip" in sw and "spreadsheet.zip" not in sw
    # the readers cannot be downloaded: the module says so; the next workbook chosen tries again
    page.context.route("**/spreadsheet.zip", lambda route: route.abort())  # (page.route misses the worker)
    book = xlsxwriter_book()
    choose(page, "list.xlsx", book, XLSX)
    assert "没有下载成功" in page.inner_text(error)
    page.context.unroute("**/spreadsheet.zip")
    choose(page, "list.xlsx", book, XLSX)
    assert page.is_hidden(error) and screen_rows(page) == expected_rows(cpython(read_file(book)["text"]))
    assert page.errors == []
    page.context.close()
