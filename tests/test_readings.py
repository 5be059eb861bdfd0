"""The register of readings: every reading quotes the policy verbatim in both languages,
has both languages, a snake_case id and a real clause, and every shared reading id exists."""

import re
from pathlib import Path

import pytest

from calculator.params import POLICY
from calculator.readings import KEYS, READINGS, ReadingError, load_readings

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "calculator/readings.toml"
POLICY_ZH = (ROOT / "site_src/policy/qinyuan-2017-industry-poverty-alleviation.zh.txt").read_text(encoding="utf-8")
POLICY_EN = (ROOT / "site_src/policy/policy.en.txt").read_text(encoding="utf-8")

# The ids every helper was given (/work/wt/READINGS.md), kept here so the test runs in any checkout.
REQUIRED_IDS = {
    "livestock_cap_scope", "potato_extra_standalone", "land_transfer_direction", "land_transfer_one_year",
    "rounding_fen_half_up", "rounding_fen_up_minimum", "rounding_last_installment", "rounding_per_household_share",
    "self_run_per_project", "grain_for_green_all_farmers", "dividend_first_year", "dividend_years",
    "dividend_whole_return_split", "dividend_poor_only", "shares_pass_on", "subsidy_paid_in_entry_year",
    "how_households_apply", "measure7_types_examples",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_shared_id_is_in_the_register():
    assert sorted(REQUIRED_IDS - set(READINGS)) == []


def test_ids_are_snake_case_and_unique():
    headers = re.findall(r"^\[readings\.([^\]]+)\]", REGISTER.read_text(encoding="utf-8"), flags=re.M)
    assert len(headers) == len(set(headers)) == len(READINGS)
    for reading_id in headers:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", reading_id), reading_id


@pytest.mark.parametrize("reading_id", sorted(READINGS))
def test_policy_phrase_is_verbatim_in_both_texts(reading_id):
    entry = READINGS[reading_id]
    assert entry["policy_zh"] in POLICY_ZH, reading_id
    assert entry["policy_en"] in POLICY_EN, reading_id


@pytest.mark.parametrize("reading_id", sorted(READINGS))
def test_phrase_stands_in_its_clause(reading_id):
    """The quoted phrase is in the paragraph the clause id names (measure-N: the line 'N.…')."""
    entry = READINGS[reading_id]
    clause = entry["clause"]
    lines = [line.strip() for line in POLICY_ZH.splitlines() if line.strip()]
    if clause.startswith("measure-"):
        n = clause.split("-")[1]
        paragraph = next(line for line in lines if line.startswith(f"{n}."))
        assert entry["policy_zh"] in paragraph, reading_id
    elif clause == "section-4":  # the measures: every line after 四、 and before 五、
        first = next(i for i, line in enumerate(lines) if line.startswith("四、"))
        last = next(i for i, line in enumerate(lines) if line.startswith("五、"))
        assert any(entry["policy_zh"] in line for line in lines[first:last]), reading_id
    else:
        numerals = "一二三四五"
        parts = clause.split("-")
        section = f"{numerals[int(parts[1]) - 1]}、"
        first = next(i for i, line in enumerate(lines) if line.startswith(section))
        sub = f"（{numerals[int(parts[2]) - 1]}）" if len(parts) == 3 else None
        start = next(i for i in range(first, len(lines)) if lines[i].startswith(sub)) if sub else first
        assert any(entry["policy_zh"] in line for line in lines[start:start + 2]), reading_id


@pytest.mark.parametrize("reading_id", sorted(READINGS))
def test_both_languages_present(reading_id):
    entry = READINGS[reading_id]
    for key in ("policy", "reading", "why"):
        assert CJK.search(entry[f"{key}_zh"]), (reading_id, key)
        assert not CJK.search(entry[f"{key}_en"].replace("农户", "")), (reading_id, key)
        assert re.search(r"[A-Za-z]{3}", entry[f"{key}_en"]), (reading_id, key)


def test_clauses_are_those_of_the_parameters_or_real_anchors():
    used = {p.clause for p in POLICY.parameters.values()}
    for reading_id, entry in READINGS.items():
        clause = entry["clause"]
        assert clause in used or re.fullmatch(r"section-[1-5](-[1-5])?", clause), (reading_id, clause)


# ------------------------------------------------------------------ the loader refuses a broken register

def _write(tmp_path, text):
    path = tmp_path / "readings.toml"
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = "\n".join(f'{key} = "x"' for key in KEYS if key != "clause")


def test_loader_reads_the_real_register():
    assert load_readings() == READINGS and len(READINGS) >= len(REQUIRED_IDS)


@pytest.mark.parametrize("key", KEYS)
def test_loader_refuses_a_missing_key(tmp_path, key):
    text = REGISTER.read_text(encoding="utf-8")
    broken = re.sub(rf"^{key} = .*\n", "", text, count=1, flags=re.M)
    assert broken != text
    with pytest.raises(ReadingError, match=key):
        load_readings(_write(tmp_path, broken))


def test_loader_refuses_an_unknown_clause(tmp_path):
    with pytest.raises(ReadingError, match="measure-11"):
        load_readings(_write(tmp_path, f'[readings.some_reading]\nclause = "measure-11"\n{ENTRY}\n'))


def test_loader_refuses_an_unknown_key_an_empty_text_and_a_bad_id(tmp_path):
    with pytest.raises(ReadingError, match="unknown keys note"):
        load_readings(_write(tmp_path, f'[readings.a_b]\nclause = "measure-6"\n{ENTRY}\nnote = "y"\n'))
    with pytest.raises(ReadingError, match="why_en"):
        load_readings(_write(tmp_path, f'[readings.a_b]\nclause = "measure-6"\n{ENTRY.replace(chr(34) + "x", chr(34) + " ")}\n'))
    with pytest.raises(ReadingError, match="snake_case"):
        load_readings(_write(tmp_path, f'[readings.CapScope]\nclause = "measure-6"\n{ENTRY}\n'))


def test_loader_refuses_a_duplicate_id(tmp_path):
    entry = f'[readings.a_b]\nclause = "measure-6"\n{ENTRY}\n'
    with pytest.raises(Exception):
        load_readings(_write(tmp_path, entry + entry))


def test_the_runtime_bundle_carries_the_register():
    import io
    import zipfile

    from sitebuild import runtime

    with zipfile.ZipFile(io.BytesIO(runtime.rules_bundle())) as archive:
        assert archive.read("calculator/readings.toml") == REGISTER.read_bytes()
        assert "calculator/readings.py" in archive.namelist()
