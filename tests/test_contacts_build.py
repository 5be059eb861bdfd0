"""Where to ask and what to bring (site.toml [contacts], sitebuild/contacts.py, templates/where-to-ask.html).

The policy names no office, phone or list of documents: until the county fills them in, the
calculator page, the how-to-apply page and every leaflet show a visible "待县里填写 / To be filled in
by the county" placeholder in both languages, the leaflets carry the not-for-printing band and the
build warns; filled in, each township's office, phone, address, hours and its own list are shown.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitebuild import pipeline
from sitebuild.config import BuildError

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
BASE = "https://www.example.gov.cn"
PAGES = ("calculator", "how-to-apply", "leaflets/household-subsidies", "leaflets/how-to-apply", "leaflets/loans")
PLACEHOLDER = {"zh": "待县里填写", "en": "To be filled in by the county"}
FILLED = '''
[[contacts.townships]]
name = { zh = "沁河镇", en = "Qinhe Town" }
office = { zh = "镇政府扶贫办公室", en = "Poverty alleviation office of the town government" }
phone = "0355-7000001"
address = { zh = "沁河镇政府院内", en = "In the town government compound" }
hours = { zh = "周一至周五 8:00–12:00", en = "Mon–Fri 8:00–12:00" }
bring = { zh = ["户口本", "扶贫手册"], en = ["Household register", "Poverty alleviation handbook"] }

[[contacts.townships]]
name = { zh = "郭道镇", en = "Guodao Town" }
office = { zh = "镇政府农业办公室", en = "Agriculture office of the town government" }
phone = "0355-7000002"
address = { zh = "郭道镇政府", en = "Guodao town government" }
hours = { zh = "工作日", en = "Working days" }
'''


def block(out, lang, page):
    html = (out / lang / page / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<section class="where-to-ask[^"]*" id="where-to-ask" data-filled="(\w+)".*?</section>', html, re.S)
    assert len(found) == 1, (lang, page, len(found))  # exactly one block, one id, on each page
    match = re.search(r'<section class="where-to-ask[^"]*" id="where-to-ask".*?</section>', html, re.S)
    return found[0], unescape(re.sub(r"<[^>]+>", " ", match.group(0))), html


@pytest.fixture(scope="module")
def unfilled(tmp_path_factory):
    out = tmp_path_factory.mktemp("contacts") / "dist"
    return out, pipeline.build(out, base_url=BASE, prefix="/")


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    src = tmp_path_factory.mktemp("src") / "site_src"
    shutil.copytree(SRC, src)
    toml = src / "site.toml"
    text = toml.read_text(encoding="utf-8").replace("[contacts]\ntownships = []\n", FILLED)
    assert FILLED in text
    toml.write_text(text, encoding="utf-8")
    out = src.parent / "dist"
    return out, pipeline.build(out, src=src, base_url=BASE, prefix="/")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_until_filled_every_page_shows_the_placeholder_and_leaflets_the_band(unfilled, lang):
    out, site = unfilled
    assert not site.contacts_filled
    for page in PAGES:
        state, text, html = block(out, lang, page)
        assert state == "false" and PLACEHOLDER[lang] in text, page
        if not page.startswith("leaflets/"):  # a leaflet's side column says so in its own words above the block
            assert ("政策本身没有写办公室" if lang == "zh" else "The policy itself names no office") in text
        else:
            assert ("政策没有写贫困户怎么申请" if lang == "zh" else "The policy sets out no procedure for households to apply") in html
        band = re.search(r'<p class="not-for-print" role="note">([^<]*)</p>', html)
        if page.startswith("leaflets/"):
            assert band and "[contacts]" in band.group(1), page
        else:
            assert band is None, page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_in_each_township_is_shown_with_its_own_list_and_no_band(filled, lang):
    out, site = filled
    assert site.contacts_filled
    for page in PAGES:
        state, text, html = block(out, lang, page)
        assert state == "true" and PLACEHOLDER[lang] not in text, page
        if lang == "zh":
            for words in ("沁河镇", "镇政府扶贫办公室", "0355-7000001", "沁河镇政府院内", "周一至周五 8:00–12:00",
                          "沁河镇的清单，要带：", "户口本", "扶贫手册", "郭道镇", "0355-7000002"):
                assert words in text, (page, words)
        else:
            for words in ("Qinhe Town", "Poverty alleviation office", "0355-7000001", "Mon–Fri 8:00–12:00",
                          "Qinhe Town's own list of what to bring:", "Household register", "Guodao Town"):
                assert words in text, (page, words)
        assert text.count("的清单" if lang == "zh" else "own list") == 1  # only the township that gave one
        assert "not-for-print" not in html, page


@pytest.mark.parametrize(("entry", "problem"), [
    ('name = { zh = "甲镇", en = "Jia" }\noffice = { zh = "办", en = "Office" }\naddress = { zh = "址", en = "Addr" }\n'
     'hours = { zh = "时", en = "Hours" }', "township 1: missing phone"),
    ('name = { zh = "甲镇" }\noffice = { zh = "办", en = "Office" }\nphone = "1"\naddress = { zh = "址", en = "A" }\n'
     'hours = { zh = "时", en = "H" }', "township 1 name must be"),
    ('name = { zh = "甲镇", en = "Jia" }\noffice = { zh = "办", en = "Office" }\nphone = "1"\naddress = { zh = "址", en = "A" }\n'
     'hours = { zh = "时", en = "H" }\nbring = { zh = ["户口本"], en = [] }', "bring must be"),
])
def test_an_incomplete_township_stops_the_build_by_name(tmp_path, entry, problem):
    src = tmp_path / "site_src"
    shutil.copytree(SRC, src)
    toml = src / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[contacts]\ntownships = []\n", f"[[contacts.townships]]\n{entry}\n"), encoding="utf-8")
    with pytest.raises(BuildError) as error:
        pipeline.build(tmp_path / "out", src=src, base_url=BASE)
    assert "site_src/site.toml [contacts] " in str(error.value) and problem in str(error.value)


def test_the_build_warns_until_filled(tmp_path, capsys, monkeypatch):
    import build

    def fake_build(out, base_url=None, prefix=None):  # the CLI's part only; the pages are checked above
        return SimpleNamespace(files={}, notes=[], printable=True, base_url=BASE, prefix="/", contacts_filled=False)

    monkeypatch.setattr(build, "build", fake_build)
    assert build.main(["--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "where to ask is not filled in" in err and "[[contacts.townships]]" in err
    monkeypatch.setattr(build, "build", lambda *a, **k: SimpleNamespace(
        files={}, notes=[], printable=True, base_url=BASE, prefix="/", contacts_filled=True))
    assert build.main(["--out", str(tmp_path)]) == 0
    assert "where to ask" not in capsys.readouterr().err
