"""The build under attack: findings of the adversarial audit on the build side, one test each.
Each failed on the code before its fix.

- High: the build renders with an explicit as-of date; a future-dated value is a dated row beside the
  current one, never the current value; the rules version names the parameter file (see README).
- Medium: a failing build leaves the output folder untouched (built in a staging folder, swapped in).
- Medium: --out never deletes a folder the build did not write (its marker file).
- Lows: build messages name the file and line of a TOML error, the template of a Jinja error, no traceback.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import calculator
from calculator.params import PARAMETERS_FILE, load_policy
from sitebuild import pipeline
from sitebuild.compute import rate_rows
from sitebuild.config import BuildError, SRC
from sitebuild.write import MARKER

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://www.example.gov.cn"


@pytest.fixture
def src(tmp_path):
    copy = tmp_path / "site_src"
    shutil.copytree(SRC, copy)
    return copy


def snapshot(folder):
    """Every file under `folder` with its bytes' hash and modification time."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- Medium: a failing build changes nothing

def test_a_failing_build_leaves_the_published_folder_untouched(src, tmp_path):
    out = tmp_path / "dist"
    pipeline.build(out, src=src, base_url=BASE)
    before = snapshot(out)
    assert (out / MARKER).is_file() and "sw.js" in before
    page = src / "content" / "zh" / "loans.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[坏链接](/zh/no-such-page/)\n", encoding="utf-8")
    with pytest.raises(BuildError, match="broken link /zh/no-such-page/"):
        pipeline.build(out, src=src, base_url=BASE)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "site_src"]  # no staging folder left behind


# ---------------------------------------------------------------- Medium: --out only replaces a build

def test_out_refuses_a_folder_the_build_did_not_write(tmp_path):
    portal = tmp_path / "portal"
    (portal / "news").mkdir(parents=True)
    (portal / "news" / "2026.html").write_text("county news", encoding="utf-8")
    (portal / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    before = snapshot(portal)
    with pytest.raises(BuildError, match=f"no {MARKER} file"):
        pipeline.build(portal, base_url=BASE)
    assert snapshot(portal) == before
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(portal)], capture_output=True, text=True)
    assert done.returncode == 1 and "refusing to delete it" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(portal) == before


# ---------------------------------------------------------------- High: the as-of date

AMENDMENT = '{ from = 2030-01-01, value = "999", source = "沁政发〔2029〕9号：对贫困户养殖猪每头奖补999元" }'


def amended_pig_rate(tmp_path, monkeypatch, amendment):
    """The real parameter file with one future-dated amendment of the pig rate, loaded the normal way."""
    text = PARAMETERS_FILE.read_text(encoding="utf-8")
    old = 'label_en = "Pigs"\nvalues = [{ from = 2017-11-13, value = "300" }]'
    assert old in text
    path = tmp_path / "parameters.toml"
    path.write_text(text.replace(old, old[:-1] + f", {amendment}]"), encoding="utf-8")
    policy = load_policy(path)
    monkeypatch.setitem(calculator.POLICY.parameters, "pig", policy["pig"])
    return policy


@pytest.fixture
def pig_rate_999_from_2030(tmp_path, monkeypatch):
    return amended_pig_rate(tmp_path, monkeypatch, AMENDMENT)


def test_an_amendment_without_its_own_source_stops_the_build(tmp_path, monkeypatch):
    amended_pig_rate(tmp_path, monkeypatch, '{ from = 2030-01-01, value = "999" }')
    with pytest.raises(BuildError, match=r"pig .*2030-01-01 is an amendment: give source"):
        pipeline.build(tmp_path / "dist", base_url=BASE, as_of=datetime.date(2026, 11, 29))


def test_an_amendments_value_must_be_written_in_its_source(tmp_path, monkeypatch):
    amended_pig_rate(tmp_path, monkeypatch, AMENDMENT.replace('value = "999"', 'value = "998"'))
    with pytest.raises(BuildError, match=r"value 998 from 2030-01-01 is not written in its source phrase"):
        pipeline.build(tmp_path / "dist", base_url=BASE, as_of=datetime.date(2026, 11, 29))


def pig_cells(html):
    import re
    current = re.findall(r'<td class="num" data-param="pig" data-value="([^"]+)">([^<]+)</td>', html)
    upcoming = re.findall(r'<td class="num" data-upcoming="pig" data-from="([^"]+)" data-value="([^"]+)">([^<]+)</td>', html)
    return current, upcoming


def test_rate_tables_show_the_value_in_force_and_a_dated_row_for_a_later_one(pig_rate_999_from_2030, tmp_path):
    out = tmp_path / "dist"
    pipeline.build(out, base_url=BASE, as_of=datetime.date(2026, 11, 29))
    zh = (out / "zh" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "household-subsidies" / "index.html").read_text(encoding="utf-8")
    current, upcoming = pig_cells(zh)
    assert current and all(value == "300" for value, _ in current)
    assert upcoming and all(row[:2] == ("2030-01-01", "999") and row[2].startswith("自2030-01-01起：999") for row in upcoming)
    assert all(row[2].startswith("from 2030-01-01: 999\u00a0yuan") for row in pig_cells(en)[1])
    # As of a date after the amendment: 999 is the value in force, and no dated row is left.
    (row,) = [r for r in rate_rows("measure-6", "zh", str, datetime.date(2030, 6, 1)) if r["name"] == "pig"]
    assert row["raw"] == "999" and row["upcoming"] == []



def test_the_rules_version_names_the_file_not_the_day(pig_rate_999_from_2030):
    # Decided: the version names the parameter file, announced values included (the latest entry's date and
    # a hash). It must be the same in the build and in the browser on any day, as the page checks that the
    # rule module it loaded is the one the build used; which value is in force is the as-of date's business.
    version = pig_rate_999_from_2030.rules_version
    assert version.startswith("2030-01-01.") and version != calculator.RULES_VERSION
    assert load_policy(PARAMETERS_FILE).rules_version == calculator.RULES_VERSION


def test_build_cli_takes_an_as_of_date(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "d"), "--as-of", "2026-02-30"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "not a date like" in done.stderr


# ---------------------------------------------------------------- Lows: build messages

def test_a_toml_error_names_the_file_and_line_without_a_traceback(src, tmp_path):
    examples = src / "examples.toml"
    lines = examples.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "this is = not = toml")
    examples.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"examples\.toml.*line 4"):
        pipeline.build(tmp_path / "out", src=src, base_url=BASE)


def test_a_jinja_error_names_the_template(src, tmp_path):
    template = src / "templates" / "policy.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"policy\.html"):
        pipeline.build(tmp_path / "out", src=src, base_url=BASE)


def test_a_toml_error_in_the_rule_modules_data_names_the_file_without_a_traceback(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "node_modules", ".cache", "dist", ".git",
                                                               "test-artifacts", "__pycache__", ".hypothesis"))
    parameters = copy / "calculator" / "parameters.toml"
    lines = parameters.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "value = = 300")
    parameters.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(copy / "build.py"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "parameters.toml: not valid TOML" in done.stderr and "line 6" in done.stderr


def test_build_cli_passes_the_as_of_date_on(tmp_path, monkeypatch):
    import types

    import build

    seen = {}

    def fake_build(out, base_url=None, prefix=None, as_of=None):  # the command line's part only
        seen["as_of"] = as_of
        return types.SimpleNamespace(files={}, notes=[], printable=True, base_url=BASE, prefix="/", contacts_filled=True)

    monkeypatch.setattr(build, "build", fake_build)
    assert build.main(["--out", str(tmp_path / "d"), "--as-of", "2030-06-01"]) == 0
    assert seen["as_of"] == datetime.date(2030, 6, 1)


# ---------------------------------------------------------------- the build refuses cleanly
def project_copy(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "node_modules", ".cache", "dist", ".git",
                                                               "test-artifacts", "__pycache__", ".hypothesis"))
    return copy


@pytest.mark.parametrize("value, problem", [
    ("1" + "0" * 30, "is out of range for yuan_per_tou: 0 to 1000000000"),  # 10^30: once a raw InvalidOperation
    ("0.001", "has more than 2 decimal places"),
])
def test_a_dated_amendment_out_of_range_stops_the_build_naming_parameter_file_and_line(tmp_path, value, problem):
    copy = project_copy(tmp_path)
    parameters = copy / "calculator" / "parameters.toml"
    text = parameters.read_text(encoding="utf-8")
    old = 'label_en = "Pigs"\nvalues = [{ from = 2017-11-13, value = "300" }]'
    new = old[:-1] + f', {AMENDMENT.replace(chr(34) + "999" + chr(34), chr(34) + value + chr(34))}]'
    parameters.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 2  # the values line
    done = subprocess.run([sys.executable, str(copy / "build.py"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "InvalidOperation" not in done.stderr
    assert f"calculator/parameters.toml, line {line}: parameter pig: value '{value}' {problem}" in done.stderr


def test_every_value_of_the_shipped_parameter_file_is_in_its_units_range():
    from calculator.params import UNIT_RANGES, range_problem
    policy = load_policy()
    assert {p.unit for p in policy.parameters.values()} <= set(UNIT_RANGES)
    for name, parameter in policy.parameters.items():
        for _, value in parameter.values:
            for figure in value if isinstance(value, tuple) else (value,):
                assert range_problem(parameter.unit, str(figure), figure, policy.limits) is None, name


@pytest.mark.parametrize("line, refused", [
    ('<script src="/x.js"></script>', "raw HTML '<script src=\"/x.js\">'; write Markdown instead"),
    ('A picture <img src="x.png" onerror="alert(1)">.', "an event-handler attribute (on…=)"),
    ('Pigs {: onclick="alert(1)" }', "an event-handler attribute (on…=)"),
    ('[apply](javascript:alert(1))', "a javascript: address; link to a page of the site"),
    ('[apply](JavaScript&#58;alert(1))', "a javascript: address"),
    ('<div class="box">text</div>', "raw HTML '<div class=\"box\">'"),
])
def test_unsafe_markdown_is_refused_with_file_line_and_what_to_write(src, tmp_path, line, refused):
    page = src / "content" / "en" / "grain-for-green.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.insert(12, line)
    page.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as error:
        pipeline.build(tmp_path / "out", src=src, base_url=BASE)
    assert f"content/en/grain-for-green.md, line 13: {refused}" in str(error.value)


def test_what_the_content_pages_use_is_allowed():
    from sitebuild.load import load
    from sitebuild.render.markdown import unsafe_markdown
    source = load()
    assert any('<span lang="zh-CN">' in c.body for c in source.content.values())  # so the check below can fail
    assert [p for c in source.content.values() for p in unsafe_markdown(c)] == []


# ---------------------------------------------------------------- a shared link that looks official
def test_with_a_base_url_pages_carry_og_tags_with_absolute_urls_and_the_sites_own_image(tmp_path):
    import re
    import struct
    out = tmp_path / "out"
    pipeline.build(out, base_url=BASE, prefix="/fupin/")
    for path in ("zh/index.html", "en/calculator/index.html", "zh/policy/index.html"):
        page = (out / path).read_text(encoding="utf-8")
        head = page[: page.index("</head>")]
        og = dict(re.findall(r'<meta property="og:([a-z:_]+)" content="([^"]*)">', head))
        assert og["title"] and og["description"] and og["title"] in head.split("<title>")[1]
        assert og["url"].startswith(BASE + "/fupin/") and og["image"].startswith(BASE + "/fupin/static/share.")
        assert head.index('property="og:image"') < head.index('rel="stylesheet"')  # early in the page
        image = out / og["image"].removeprefix(BASE + "/fupin/")
        data = image.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert width >= 300 and height >= 300 and (og["image:width"], og["image:height"]) == (str(width), str(height))
        # the page's first image is that one, hidden and lazy: apps that take the first large image find it,
        # browsers never download it
        first = re.search(r"<img [^>]*>", page.split("<body", 1)[1]).group(0)
        assert "share." in first and " hidden" in first and 'loading="lazy"' in first

