"""The policy text: both languages parsed into PolicyBlocks with anchors (section-N, measure-N),
aligned line by line; the Chinese text each anchor covers; a clause's lead sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from calculator import POLICY

from .config import BuildError


@dataclass
class PolicyBlock:
    """One paragraph of the policy, both languages, with its anchor if it has one."""

    kind: str  # title, addressee, preamble, section, group, sub, measure, para, issuer, date
    zh: str
    en: str
    anchor: str | None = None
    number: int | None = None
    section: int | None = None


ZH_NUMERALS = "一二三四五六七八九十"
ZH_SECTION = re.compile(r"^([一二三四五])、\s*(.+)$")
ZH_SUB = re.compile(r"^（([一二三四五六七八九])）\s*(.+)$")
ZH_MEASURE = re.compile(r"^(\d{1,2})[.．]\s*(\D.*)$")
ZH_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
EN_SECTION = re.compile(r"^(I|II|III|IV|V)\.\s+\S")
EN_SUB = re.compile(r"^\((\d)\)\s+\S")
EN_MEASURE = re.compile(r"^(\d{1,2})\.\s+\S")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def policy_lines(text):
    """Non-blank lines, stripped of all whitespace including the ideographic space U+3000."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _en_marker(line):
    if m := EN_SECTION.match(line):
        return ("section", ROMAN[m.group(1)])
    if m := EN_SUB.match(line):
        return ("sub", int(m.group(1)))
    if m := EN_MEASURE.match(line):
        return ("measure", int(m.group(1)))
    return None


def parse_policy(zh_text, en_text):
    """Both texts into one list of blocks with anchors; fail if they do not align line by line.

    Anchors: 一、..五、 -> section-1..5; （一） inside 三 and 五 -> section-3-1.., section-5-1..;
    the （一）（二）（三） groups inside 四 -> section-4-1..4-3; 1.–10. -> measure-1..measure-10.
    """
    zh_lines, en_lines = policy_lines(zh_text), policy_lines(en_text)
    problems = []
    if len(zh_lines) != len(en_lines):
        problems.append(f"policy: the Chinese text has {len(zh_lines)} non-blank lines, the English {len(en_lines)}; "
                        "they must correspond one to one")
    blocks = []
    section = 0
    sub = 0
    measure = 0
    for index, (zh, en) in enumerate(zip(zh_lines, en_lines)):
        line_no = index + 1
        expected = None
        if index == 0:
            block = PolicyBlock("title", zh, en)
        elif index == 1 and zh.endswith("："):
            block = PolicyBlock("addressee", zh, en)
        elif m := ZH_SECTION.match(zh):
            number = ZH_NUMERALS.index(m.group(1)) + 1
            if number != section + 1:
                problems.append(f"policy line {line_no}: section {m.group(1)} out of order")
            section, sub = number, 0
            block = PolicyBlock("section", zh, en, f"section-{number}", number, number)
            expected = ("section", number)
        elif (m := ZH_SUB.match(zh)) and section in (3, 4, 5):
            number = ZH_NUMERALS.index(m.group(1)) + 1
            if number != sub + 1:
                problems.append(f"policy line {line_no}: （{m.group(1)}） out of order")
            sub = number
            kind = "group" if section == 4 else "sub"
            block = PolicyBlock(kind, zh, en, f"section-{section}-{number}", number, section)
            expected = ("sub", number)
        elif (m := ZH_MEASURE.match(zh)) and section == 4:
            number = int(m.group(1))
            if number != measure + 1:
                problems.append(f"policy line {line_no}: measure {number} out of order (expected {measure + 1})")
            measure = number
            block = PolicyBlock("measure", zh, en, f"measure-{number}", number, section)
            expected = ("measure", number)
        elif zh == POLICY.meta["issuer_zh"]:
            block = PolicyBlock("issuer", zh, en)
        elif ZH_DATE.match(zh):
            block = PolicyBlock("date", zh, en)
        else:
            block = PolicyBlock("preamble" if section == 0 else "para", zh, en, None, None, section)
        found = _en_marker(en)
        if found != expected:
            problems.append(f"policy line {line_no}: the Chinese line is marked {expected or 'no marker'} "
                            f"but the English line {found or 'has no marker'}: «{en[:50]}»")
        blocks.append(block)
    if section != 5:
        problems.append(f"policy: found sections 1–{section}, expected 1–5")
    if measure != 10:
        problems.append(f"policy: found measures 1–{measure}, expected 1–10")
    if problems:
        raise BuildError(problems)
    return blocks


def clause_regions(blocks):
    """The Chinese text each anchor covers: a section and its sub-parts, or one measure."""
    regions = {}
    for i, block in enumerate(blocks):
        if not block.anchor:
            continue
        texts = [block.zh]
        depth = block.anchor.count("-")
        for later in blocks[i + 1:]:
            if later.kind in ("issuer", "date"):
                break
            if later.anchor and (later.anchor.startswith("section") and later.anchor.count("-") <= depth
                                 or block.kind == "measure"):
                break
            if block.kind == "measure":
                break
            texts.append(later.zh)
        regions[block.anchor] = "".join(texts)
    return regions


def split_lead(text, lang):
    """'8.加大退耕还林补助。对农户…' -> ('8.加大退耕还林补助。', '对农户…'): the lead becomes a heading."""
    if lang == "zh":
        cut = text.find("。")
        if 0 < cut < 40:
            return text[:cut + 1], text[cut + 1:]
        return text, ""
    m = re.match(r"^(\S+\s.*?\.)\s+(.*)$", text)
    if m and len(m.group(1)) < 140:
        return m.group(1), m.group(2)
    return text, ""
