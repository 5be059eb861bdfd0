"""The bookkeeper's file as bytes: its size and kind checked first, its encoding decided (never guessed),
an Excel workbook read through spreadsheet.py; the result is the list as text for parse.py, with the
sentence that says how it was read. Standard library only (the Excel readers are imported by
spreadsheet.py only when a workbook is chosen).

The order, each step a rule:
1. size: at most MAX_FILE_BYTES (the page checks File.size before it reads a byte, this says it again);
2. kind, by the first bytes: empty or only a byte-order mark; a zip that is an .xlsx workbook, other zips;
   an .xls workbook (the OLE2 signature); PNG, JPEG, GIF, WebP, BMP images; PDF; NUL bytes (not text);
3. text: a byte-order mark decides (UTF-8, UTF-16 LE as Excel's "Unicode text" .txt, UTF-16 BE); else
   strict UTF-8; else GB18030 (GBK's superset, what Excel and WPS write on Chinese Windows) only when the
   bytes are strictly GB18030 and that reading has the household (户主) column in its header rows; else the
   file could not be read as a table, and the message names each encoding tried and why it failed.

A GBK file whose every non-ASCII byte pair happens to be valid UTF-8 (郑英 is D6A3 D3A2, read as ֣Ӣ)
reads as UTF-8 by rule 3: a Chinese header (户主 in GBK is not valid UTF-8) prevents it, and a name that
comes out beginning with a combining mark is refused by parse.py, so such a reading is never silent.
"""

import json

from ..params import MESSAGES
from .parse import HEADER_NAMES, HEADER_SEARCH, household_header_found

MAX_FILE_BYTES = 5 * 1024 * 1024  # 5 MB: a 2,000-row CSV is about 100 kB, an .xlsx of it about 60 kB
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls), also old Word and WPS files
IMAGES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
          (b"BM", "BMP"))
BOMS = ((b"\xef\xbb\xbf", "utf-8", "utf8_bom"), (b"\xff\xfe", "utf-16-le", "utf16le"),
        (b"\xfe\xff", "utf-16-be", "utf16be"))
SNIFF_BYTES = 8192  # NUL bytes looked for in the first 8 kB: text files have none


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def _refused(code, **fields):
    texts = MESSAGES.text(f"error.{code}", **fields)
    texts["en"] = texts["en"][:1].upper() + texts["en"][1:]
    return {"ok": False, "errors": [{"path": "file", "code": code, **texts}]}


def _read(kind, text, read_as):
    return {"ok": True, "kind": kind, "text": text, "read_as": read_as}


def _row_of(data, offset):
    """The 1-based line of a byte offset, as a spreadsheet counts rows."""
    return data.count(b"\n", 0, offset) + 1


def read_file(data, size=None):
    """{"ok": True, "kind": "text" | "xlsx" | "xls", "text", "read_as": {zh, en}, "encoding"?, "sheet"?}
    or {"ok": False, "errors": [...]}; with "needs": "spreadsheet" when a workbook's readers are not importable
    (the browser worker then downloads them and asks again). `size`: the file's size as the page knows it
    (File.size) before reading it, so a file too large is refused without a byte read."""
    size = len(data) if size is None else max(size, len(data))
    if size > MAX_FILE_BYTES:
        return _refused("register_file_too_large", size=_megabytes(size), maximum=_megabytes(MAX_FILE_BYTES))
    if not data.strip(b" \t\r\n") or any(data == bom for bom, _, _ in BOMS) or \
            any(data.startswith(bom) and not data[len(bom):].strip(b" \t\r\n\x00") for bom, _, _ in BOMS):
        return _refused("register_file_empty")
    if data.startswith(ZIP):
        # An .xlsx workbook is a zip whose parts include xl/workbook.xml (Excel and WPS alike).
        return _workbook(data, "xlsx") if b"xl/workbook" in data else _refused("register_file_zip")
    if data.startswith(OLE2):
        return _workbook(data, "xls")
    if data.startswith(b"%PDF"):
        return _refused("register_file_pdf")
    image = next((kind for magic, kind in IMAGES if data.startswith(magic)), None)
    if image is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        image = "WebP"
    if image is not None:
        return _refused("register_file_image", kind=image)
    for bom, codec, encoding in BOMS:
        if data.startswith(bom):
            try:
                return _text(data[len(bom):].decode(codec), encoding)
            except UnicodeDecodeError:
                return _refused("register_file_binary")
    if b"\x00" in data[:SNIFF_BYTES]:
        return _refused("register_file_binary")
    try:
        return _text(data.decode("utf-8"), "utf8")
    except UnicodeDecodeError as error:
        tried = [MESSAGES.text("register_file.tried_utf8", row=_row_of(data, error.start))]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        tried.append(MESSAGES.text("register_file.tried_gb18030_bad", row=_row_of(data, error.start)))
    else:
        if household_header_found(text):
            return _text(text, "gb18030")
        tried.append(MESSAGES.text("register_file.tried_gb18030_no_header"))
    return _refused("register_file_not_a_table",
                    tried={lang: ("；" if lang == "zh" else "; ").join(t[lang] for t in tried) for lang in ("zh", "en")})


def _text(text, encoding):
    said = MESSAGES.text("register_file.read_text", encoding=MESSAGES.text(f"register_file.encoding_{encoding}"))
    return {**_read("text", text, said), "encoding": encoding}


def _workbook(data, kind):
    from . import spreadsheet  # its readers (openpyxl, xlrd) are imported inside it, only now

    try:
        found = spreadsheet.list_sheet(spreadsheet.read_workbook(data, kind))
    except ImportError:
        return {**_refused("register_file_no_reader"), "needs": "spreadsheet"}
    except spreadsheet.TooLargeUnpacked as error:
        return _refused("register_file_unpacks_too_large", size=_megabytes(error.size),
                        maximum=_megabytes(spreadsheet.MAX_UNPACKED_BYTES))
    except Exception:  # Unreadable, or a sheet damaged further in: the readers raise many kinds
        return _refused("register_file_bad_workbook", kind=MESSAGES.text(f"register_file.kind_{kind}"))
    if found is None:
        names = HEADER_NAMES["household"]
        return _refused("register_file_no_header_sheet", rows=HEADER_SEARCH,
                        names={"zh": "、".join(names), "en": ", ".join(names)})
    sheet, header_row, text = found
    said = MESSAGES.text("register_file.read_sheet", kind=MESSAGES.text(f"register_file.kind_{kind}"), sheet=sheet,
                         row=header_row)
    return {**_read(kind, text, said), "sheet": sheet}


def read_file_json(data, size=None):
    """read_file as JSON text: what the browser worker hands to the page. The file's name is not asked for:
    its kind is read from its bytes (a photo renamed .csv is still a photo)."""
    return json.dumps(read_file(bytes(data), None if size is None else int(size)), ensure_ascii=False)


def register_xlsx(request, lang):
    """The year's table as an .xlsx workbook (the CSV's columns, export.register_table), base64 in the answer:
    {"ok": True, "xlsx": base64, "year"} or the rule module's own answer when the request has errors; with
    "needs": "spreadsheet" when openpyxl is not importable (the browser worker then downloads it)."""
    import base64

    from .. import calculate
    from . import spreadsheet
    from .export import register_table

    result = calculate({key: value for key, value in request.items() if key != "export"}
                       if isinstance(request, dict) else request)
    if not result.get("ok"):
        return result
    header, rows = register_table(result, lang)
    try:
        data = spreadsheet.write_xlsx(header, rows, MESSAGES.text("register_file.sheet_name")[lang])
    except ImportError:
        return {**_refused("register_file_no_reader"), "needs": "spreadsheet"}
    return {"ok": True, "xlsx": base64.b64encode(data).decode("ascii"), "year": result["register"]["year"]}


def register_xlsx_json(text, lang):
    """register_xlsx on a request's JSON text, as JSON text (the browser worker's call)."""
    try:
        request = json.loads(text)
    except ValueError:
        request = None
    return json.dumps(register_xlsx(request, lang), ensure_ascii=False)
