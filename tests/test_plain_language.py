"""Plain Chinese: the site's own zh sentences use plain words and stay short.

What is checked: content/zh/*.md (front matter title and description, and the body), the zh
strings of site_src/site.toml and of calculator/messages.toml.

What is a policy quotation (left alone, it must stay verbatim): text inside “…” or 「…」, and
Markdown blockquote lines (starting with >). The content quotes the policy with “…”.

A term of site_src/plain_terms.toml is glossed when one of its plain wordings stands in the same
sentence (which covers brackets right after the term: 自然减员（因去世等原因减少的人）).
A sentence ends at 。！？； or a line break; {{ cite(...) }} counts as 4 characters, {{ param(...) }}
as 8, placeholders {x} as 4, other template calls (examples, tables, links) as nothing.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
TERMS = tomllib.loads((SRC / "plain_terms.toml").read_text(encoding="utf-8"))["terms"]
MAX_SENTENCE = 50
CJK = re.compile(r"[\u4e00-\u9fff]")

def _calls(text):
    text = re.sub(r"\{\{\s*cite\([^}]*\)\s*\}\}", "第N条", text)
    text = re.sub(r"\{\{\s*param\([^}]*\)\s*\}\}", "12345678", text)
    return re.sub(r"\{\{.*?\}\}", "", text)


def _markdown(text):
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"^\s*(#+|[-*]|\d+\.)\s+", "", text, flags=re.M)
    return text.replace("**", "")


def sources():
    """(where, zh text) for every piece of the site's own Chinese."""
    found = []
    for path in sorted((SRC / "content" / "zh").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        _, front, body = raw.split("+++", 2)
        meta = tomllib.loads(front)
        for key in ("title", "description", "nav"):
            found.append((f"content/zh/{path.name} {key}", _calls(meta[key])))
        found.append((f"content/zh/{path.name}", _markdown(_calls(body))))
    site = tomllib.loads((SRC / "site.toml").read_text(encoding="utf-8"))
    for table in ("text", "calculator_ui"):
        for key, texts in site[table].items():
            found.append((f"site.toml [{table}.{key}]", texts["zh"]))
    messages = tomllib.loads((ROOT / "calculator/messages.toml").read_text(encoding="utf-8"))
    for group, entries in messages.items():
        for key, texts in entries.items():
            found.append((f"messages.toml [{group}.{key}]", re.sub(r"\{\w+\}", "{xx}", texts["zh"])))
    return found


def unquoted(sentence):
    return re.sub(r"“[^”]*”|「[^」]*」", "", sentence)


def sentences(text):
    for part in re.split(r"(?<=[。！？；])|\n", text):
        part = part.strip()
        if CJK.search(part):
            yield part


def problems(text):
    found = []
    for sentence in sentences(text):
        own = unquoted(sentence)
        for entry in TERMS:
            if entry["term"] in own and not any(p in own for p in entry["plain"]):
                found.append(f"«{entry['term']}» without «{entry['plain'][0]}»: {sentence}")
        length = len(re.sub(r"\s", "", sentence))
        if length > MAX_SENTENCE:
            found.append(f"{length} characters, split it: {sentence}")
    return found


SOURCES = sources()


@pytest.mark.parametrize("where,text", SOURCES, ids=[w for w, _ in SOURCES])
def test_own_chinese_is_plain_and_short(where, text):
    assert problems(text) == [], "\n".join(problems(text))


def test_the_term_list_is_well_formed():
    terms = [entry["term"] for entry in TERMS]
    assert len(terms) == len(set(terms))
    for entry in TERMS:
        assert set(entry) == {"term", "plain"} and entry["plain"], entry
        assert all(entry["term"] not in plain for plain in entry["plain"]), entry


def test_the_check_catches_a_bare_term_and_a_long_sentence():
    assert problems("这些人自然减员了。")
    assert not problems("自然减员（去世等原因减少的人）不算。")
    assert not problems("原文是“分5年兑现”。")
    assert problems("一" * (MAX_SENTENCE + 1) + "。")
    assert not problems("一" * (MAX_SENTENCE - 1) + "。")
