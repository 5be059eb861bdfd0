"""Errors named with their section (calculator/sections.py): every field of every form, refused in every way
a resident can get wrong, reads "section：message" with one separator per level in both languages, never
"种什么、养什么：种植道地中药材：…" (the section's colon and the field's own colon side by side)."""

from __future__ import annotations

import re

import pytest

from calculator import MEASURES, calculate
from calculator.sections import UNSECTIONED
from sitebuild.compute import FIELD_KINDS

# Wrong answers of every kind: spelled numbers the reader refuses with a field-led message ("三亩半",
# "1,5", another unit), plain refusals (no number, negative, too many decimals, too large), a wrong choice.
WRONG = ("三亩半", "1,5", "3吨", "2亩", "abc", "-1", "1.23456", "9" * 30, "1.5头", True)
# After the section's name: its colon, then a field label and a second colon, before any quoted text or sentence end.
DOUBLE = {"zh": re.compile(r"^：[^：“。]+："), "en": re.compile(r"^: [^:'.]+:")}


def field_paths(measure):
    """Every request path the measure's form has, as (path, request-with-that-path-set-to value) makers."""
    for name in MEASURES[measure][1]:
        spec = FIELD_KINDS[name]
        if spec["kind"] == "group":
            for member in spec["members"]:
                yield f"{name}.{member}", lambda v, n=name, m=member: {n: {m: v}}
        elif spec["kind"] == "section":
            for sub in spec["fields"]:
                yield f"{name}.{sub}", lambda v, n=name, s=sub: {n: {s: v}}
        elif spec["kind"] == "rows":
            for column in spec["columns"]:
                yield f"{name}[0].{column}", lambda v, n=name, c=column: {n: [{c: v}]}
        else:
            yield name, lambda v, n=name: {n: v}


SECTIONED = sorted(m for m in MEASURES if m not in UNSECTIONED)


@pytest.mark.parametrize("measure", SECTIONED)
def test_every_fields_errors_read_with_one_separator_per_level(measure):
    seen = 0
    for path, make in field_paths(measure):
        for value in WRONG:
            answer = calculate({"measure": measure, **make(value)})
            for item in answer.get("errors", []):
                if item["path"] != path or "in_section" not in item:
                    continue
                seen += 1
                for lang in ("zh", "en"):
                    composed, message, section = item["in_section"][lang], item[lang], item["section"][lang]
                    assert composed.startswith(section) and composed.endswith(message), (path, value, composed)
                    between = composed[len(section):len(composed) - len(message)]
                    assert between in ({"zh": "：", "en": ": "}[lang], " · "), (path, value, composed)
                    assert not DOUBLE[lang].match(composed[len(section):]), (path, value, lang, composed)
    assert seen, measure


def test_a_field_led_message_sets_its_section_off_by_a_dot():
    errors = calculate({"measure": "household_overview", "crops": {"medicinal_herbs": "三亩半"},
                        "land_transfer_mu": "abc"})["errors"]
    herbs = next(e for e in errors if e["path"] == "crops.medicinal_herbs")
    assert herbs["in_section"] == {"zh": "种什么、养什么 · 种植道地中药材：“三亩半”请写成 3.5。",
                                   "en": "What we plant and raise · Authentic regional (daodi) medicinal herbs: write '三亩半' as 3.5."}
    land = next(e for e in errors if e["path"] == "land_transfer_mu")
    assert land["in_section"]["zh"].startswith("土地流转：") and "：" not in land["in_section"]["zh"][len("土地流转："):]
