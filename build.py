#!/usr/bin/env python3
"""Build the bilingual static site of the Qinyuan County policy into dist/.

    python build.py [--base-url URL] [--prefix /path/] [--out dist] [--serve [--port 8000]]

Five explicit stages, each a plain function so tests can call them one by one:

    load     site.toml, content/{zh,en}/*.md, examples.toml, the policy text in both languages
    compute  worked examples through calculator.calculate, rate tables from calculator.POLICY
    render   Jinja2 templates (site_src/templates/) into a {path: bytes} mapping
    write    that mapping into the output folder, sorted, nothing else
    check    parse what was written: links, anchors, language pairs, hreflang, canonical

Every figure on every page comes from the rule module (calculator/): a rate through
POLICY, an amount through calculate(). Nothing is typed twice. Any problem the build
can detect (a broken link, a page in one language only, a missing text, a clause with
no anchor, an example that does not compute) stops it with a readable list.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import http.server
import json
import re
import shutil
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import jinja2
import markdown
import markdown.extensions.toc
import segno
from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import calculator  # noqa: E402
from calculator import MEASURES, MESSAGES, POLICY, RULES_VERSION, calculate  # noqa: E402
from calculator import cite as cite_texts  # noqa: E402
from calculator.money import plain  # noqa: E402
from calculator.rules import ANIMALS, CROPS, PROJECT_TYPES  # noqa: E402

SRC = ROOT / "site_src"
LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
OTHER = {"zh": "en", "en": "zh"}
FRONT_MATTER_KEYS = {"title": str, "description": str, "nav": str, "order": int, "clauses": list, "leaflet": bool}
REQUIRED_FRONT_MATTER = ("title", "description", "order")
CLAUSE_RE = re.compile(r"^(measure-(10|[1-9])|section-[1-5](-[1-9])?)$")


class BuildError(Exception):
    """One or more problems that stop the build; str() lists them one per line."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# =============================================================================== load

@dataclass
class Content:
    """One Markdown page in one language."""

    lang: str
    slug: str
    meta: dict
    body: str
    source: Path


@dataclass
class PolicyBlock:
    """One paragraph of the policy, both languages, with its anchor if it has one."""

    kind: str  # title, addressee, preamble, section, group, sub, measure, para, issuer, date
    zh: str
    en: str
    anchor: str | None = None
    number: int | None = None
    section: int | None = None


@dataclass
class Source:
    """Everything read from site_src/."""

    root: Path
    config: dict
    text: dict  # interface text: key -> {"zh": ..., "en": ...}
    content: dict  # (lang, slug) -> Content
    examples: dict  # id -> {title_zh, title_en, page, request}
    policy: list  # [PolicyBlock]


def load(src=SRC):
    """Read every input; fail early, with all problems at once, on anything incomplete."""
    src = Path(src)
    problems = []
    config = tomllib.loads((src / "site.toml").read_text(encoding="utf-8"))
    text = config.get("text", {})
    for table in ("text", "calculator_ui"):
        for key, entry in sorted(config.get(table, {}).items()):
            missing = [lang for lang in LANGS if not isinstance(entry, dict) or not entry.get(lang)]
            if missing:
                problems.append(f"site.toml [{table}.{key}]: missing translation {', '.join(missing)}")
    content = {}
    for lang in LANGS:
        folder = src / "content" / lang
        for path in sorted(folder.glob("*.md")):
            try:
                content[(lang, path.stem)] = read_content(path, lang)
            except BuildError as error:
                problems.extend(error.problems)
    slugs = {lang: {slug for (lg, slug) in content if lg == lang} for lang in LANGS}
    for lang in LANGS:
        for slug in sorted(slugs[lang] - slugs[OTHER[lang]]):
            problems.append(f"content/{lang}/{slug}.md has no translation: content/{OTHER[lang]}/{slug}.md is missing")
    for slug in sorted(slugs["zh"] & slugs["en"]):
        zh, en = content[("zh", slug)].meta, content[("en", slug)].meta
        for key in ("order", "clauses", "leaflet"):
            if zh.get(key) != en.get(key):
                problems.append(f"{slug}: front matter '{key}' differs between zh ({zh.get(key)!r}) and en ({en.get(key)!r})")
        if bool(zh.get("nav")) != bool(en.get("nav")):
            problems.append(f"{slug}: 'nav' is set in one language only")
    for required in ("index",):
        if required not in slugs["zh"]:
            problems.append(f"content/zh/{required}.md is missing (the home page)")
    examples = tomllib.loads((src / "examples.toml").read_text(encoding="utf-8")).get("examples", {})
    for ex_id, ex in examples.items():
        for key in ("title_zh", "title_en", "page", "request"):
            if not ex.get(key):
                problems.append(f"examples.toml [examples.{ex_id}]: missing {key}")
        if ex.get("page") and ex["page"] not in slugs["zh"]:
            problems.append(f"examples.toml [examples.{ex_id}]: page '{ex['page']}' is not a content page")
    try:
        policy = parse_policy(
            (src / "policy" / config["policy"]["zh"]).read_text(encoding="utf-8"),
            (src / "policy" / config["policy"]["en"]).read_text(encoding="utf-8"),
        )
    except BuildError as error:
        problems.extend(error.problems)
        policy = []
    if problems:
        raise BuildError(problems)
    return Source(src, config, text, content, examples, policy)


def read_content(path, lang):
    """A Markdown file with TOML front matter between +++ lines."""
    raw = path.read_text(encoding="utf-8")
    rel = f"content/{lang}/{path.name}"
    if not raw.startswith("+++\n"):
        raise BuildError(f"{rel}: must start with a +++ line (TOML front matter)")
    end = raw.find("\n+++\n", 3)
    if end < 0:
        raise BuildError(f"{rel}: front matter has no closing +++ line")
    try:
        meta = tomllib.loads(raw[4:end])
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{rel}: front matter is not valid TOML: {error}") from None
    problems = []
    for key in REQUIRED_FRONT_MATTER:
        if key not in meta:
            problems.append(f"{rel}: front matter lacks '{key}'")
    for key, value in meta.items():
        if key not in FRONT_MATTER_KEYS:
            problems.append(f"{rel}: unknown front matter key '{key}' (known: {', '.join(FRONT_MATTER_KEYS)})")
        elif not isinstance(value, FRONT_MATTER_KEYS[key]):
            problems.append(f"{rel}: front matter '{key}' must be a {FRONT_MATTER_KEYS[key].__name__}")
    for clause in meta.get("clauses", []):
        if not isinstance(clause, str) or not CLAUSE_RE.match(clause):
            problems.append(f"{rel}: clause {clause!r} is not measure-1..10 or section-N[-M]")
    if problems:
        raise BuildError(problems)
    meta = {"nav": "", "clauses": [], "leaflet": False, **meta}
    return Content(lang, path.stem, meta, raw[end + 5:], path)


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


# =============================================================================== formatting

def _group(text):
    """Thousands separators on a plain decimal string (no float anywhere)."""
    sign = "-" if text.startswith("-") else ""
    whole, dot, frac = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def number(value, places=None):
    """A Decimal as grouped text: exact (trailing zeros dropped) or with `places` decimals."""
    value = Decimal(value)
    if places is not None:
        return _group(format(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), "f"))
    return _group(plain(value))


def wan(value):
    """A large amount in 万元: exact when that takes at most four decimals (whole yuan), else 约 and two."""
    w = Decimal(value) / 10000
    text = plain(w)
    if "." in text and len(text.split(".")[1]) > 4:
        return "约" + number(w, 2)
    return number(w)


def money_zh(value, cents=False, suffix=""):
    """Chinese: '20,000 元（2万元）'; the 万元 form beside amounts of 10,000 or more (GB/T 15835 style)."""
    value = Decimal(value)
    text = f"{number(value, 2 if cents else None)}\u00a0元{suffix}"  # no break between figure and unit
    if abs(value) >= 10000:
        text += f"（{wan(value)}万元{suffix}）"
    return text


def money_en(value, cents=False, suffix=""):
    """English: 'CN¥20,000'."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    return f"{sign}CN¥{number(abs(value), 2 if cents else None)}{suffix}"


def money(value, lang, cents=False, suffix=""):
    """An amount of yuan in the page language; amounts are Decimals or decimal strings, never floats."""
    return money_zh(value, cents, suffix) if lang == "zh" else money_en(value, cents, suffix)


def _join(items, lang):
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def money_suffix(unit, lang):
    """'/亩' or ' per mu' for a money unit such as yuan_per_mu; '' for plain yuan."""
    label = POLICY.units[unit][lang]
    if lang == "zh":
        return label[1:]  # 元/亩 -> /亩
    parts = [p for p in label.split("/")[1:]]
    return "".join(f" per {p}" for p in parts)


def is_money(unit):
    return unit == "yuan" or unit.startswith("yuan_")


def format_value(value, unit, lang):
    """A parameter value (a Decimal or a tuple of them) with its unit, in the page language."""
    values = value if isinstance(value, tuple) else (value,)
    if is_money(unit):
        suffix = money_suffix(unit, lang)
        if lang == "zh" and len(values) > 1:
            return "、".join(number(v) for v in values) + f"\u00a0元{suffix}"
        if lang == "zh":
            return money_zh(values[0], suffix=suffix)
        return _join([money_en(v) for v in values], lang) + suffix
    if unit == "ratio":
        return _join([f"{plain(v * 100)}%" for v in values], lang)
    if unit == "year":
        return _join([plain(v) for v in values], lang)
    label = POLICY.units[unit][lang]
    if lang == "en" and unit == "years" and all(v == 1 for v in values):
        label = "year"
    joined = _join([number(v) for v in values], lang)
    return f"{joined}{label}" if lang == "zh" else f"{joined} {label}"


def format_param(name, lang):
    """param(name): the value in force now, with its unit, for the page language."""
    if name not in POLICY.parameters:
        raise BuildError(f"param('{name}'): no such parameter in calculator/parameters.toml")
    parameter = POLICY[name]
    return format_value(parameter.at(), parameter.unit, lang)


def raw_value(value):
    return ",".join(plain(v) for v in value) if isinstance(value, tuple) else plain(value)


def quantity(value, unit, lang):
    """A quantity in a result line: yuan as money, anything else with its unit label."""
    if unit == "yuan":
        return money(value, lang)
    label = POLICY.units[unit][lang] if unit else ""
    return f"{number(value)}\u00a0{label}".strip()


def scenario_fragment(request):
    """A calculate() request as a URL fragment (without '#'): what QR codes and 'open in calculator' links carry.

    'measure=<m>' first, then every other field in sorted key order, nested keys dotted
    (crops.solar_greenhouse=0.5, share_table.0.shares=3), then 'v=<RULES_VERSION>' so a
    printed link can say which rules it was made under. Booleans are true/false; keys and
    values are percent-encoded (UTF-8) with only A–Z a–z 0–9 - . _ ~ left as they are.
    The browser calculator mirrors this function; keep the two in step.
    """
    pairs = [("measure", str(request["measure"]))]

    def walk(prefix, value):
        if isinstance(value, dict):
            for key in sorted(value):
                walk(f"{prefix}.{key}" if prefix else key, value[key])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}", item)
        elif value is None:
            return
        elif isinstance(value, bool):
            pairs.append((prefix, "true" if value else "false"))
        else:
            pairs.append((prefix, str(value)))

    walk("", {k: v for k, v in request.items() if k not in ("measure", "rules_version")})
    pairs.append(("v", RULES_VERSION))
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


# =============================================================================== compute

FIELD_KINDS = {
    # How each request field of calculator.MEASURES is entered and shown. A field the rule
    # module gains without an entry here stops the build, so the form can never lag behind.
    "registered_poor": {"kind": "bool"},
    "uses_revolving_fund": {"kind": "bool"},
    "project_type": {"kind": "choice", "options": PROJECT_TYPES},
    "crops": {"kind": "group", "members": CROPS, "member": "decimal", "unit": "mu"},
    "livestock": {"kind": "group", "members": ANIMALS, "member": "whole", "unit": "head"},
    "land_transfer_mu": {"kind": "decimal", "unit": "mu"},
    "area_mu": {"kind": "decimal", "unit": "mu"},
    "first_year": {"kind": "year"},
    "exit_year": {"kind": "year"},
    "from_year": {"kind": "year"},
    "to_year": {"kind": "year"},
    "labour_spending": {"kind": "money"},
    "poor_pay": {"kind": "money"},
    "injected_funds": {"kind": "money"},
    "requested_amount": {"kind": "money"},
    "agreed_rate_percent": {"kind": "percent"},
    "total_shares": {"kind": "decimal", "unit": "shares"},
    "household_shares": {"kind": "decimal", "unit": "shares"},
    "households": {"kind": "whole", "unit": "households"},
    "share_table": {"kind": "rows", "columns": ("household", "shares")},
}


def message(key, lang, **fields):
    """A message from the rule module's catalogue; a missing key stops the build by name."""
    if key not in MESSAGES:
        raise BuildError(f"message key '{key}' is missing from calculator/messages.toml")
    return MESSAGES.text(key, **fields)[lang]


def field_label(name, lang):
    """A field's label for forms and example inputs: the catalogue's field.* text, capitalised."""
    if f"field.{name}" in MESSAGES:
        text = message(f"field.{name}", lang)
        if lang == "en":
            text = re.sub(r"^the ", "", text)
            text = text[:1].upper() + text[1:]
        return text
    if name in POLICY.parameters:
        p = POLICY[name]
        return p.label_zh if lang == "zh" else p.label_en
    raise BuildError(f"message key 'field.{name}' is missing from calculator/messages.toml "
                     f"(and '{name}' is no parameter either)")


def unit_hint(unit, lang):
    label = POLICY.units[unit][lang]
    return label.replace("（", "/").replace("）", "") if lang == "zh" else label


def member_label(name, unit, lang):
    p = POLICY[name]
    label = p.label_zh if lang == "zh" else p.label_en
    return f"{label}（{unit_hint(unit, lang)}）" if lang == "zh" else f"{label} ({unit_hint(unit, lang)})"


def check_catalogue():
    """Every measure, field, choice and unit the site shows must have its text in both languages."""
    problems = []
    for measure, (_, fields) in MEASURES.items():
        if f"measure.{measure}" not in MESSAGES:
            problems.append(f"message key 'measure.{measure}' is missing from calculator/messages.toml")
        for name in fields:
            if name not in FIELD_KINDS:
                problems.append(f"measure {measure}: field '{name}' has no entry in build.py FIELD_KINDS")
                continue
            for lang in LANGS:
                try:
                    field_label(name, lang)
                except BuildError as error:
                    problems.extend(error.problems)
            spec = FIELD_KINDS[name]
            for option in spec.get("options", ()):
                if f"project_type.{option}" not in MESSAGES:
                    problems.append(f"message key 'project_type.{option}' is missing")
            for member in spec.get("members", ()):
                if member not in POLICY.parameters:
                    problems.append(f"field {name}: member '{member}' is not a parameter")
            for column in spec.get("columns", ()):
                if f"field.{column}" not in MESSAGES:
                    problems.append(f"message key 'field.{column}' is missing")
    return sorted(set(problems))


def check_references(source):
    """Every parameter cites a clause that exists, and its source phrase is verbatim in that clause."""
    anchors = {b.anchor for b in source.policy if b.anchor}
    region = clause_regions(source.policy)
    problems = []
    for name, p in POLICY.parameters.items():
        if p.clause not in anchors:
            problems.append(f"parameter {name}: clause {p.clause} has no anchor in the policy text")
        elif p.source_zh not in region[p.clause]:
            problems.append(f"parameter {name}: source phrase «{p.source_zh}» is not in {p.clause} of the policy text")
    return problems


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


def compute_examples(source):
    """Run every example through the rule module; an example that is not ok stops the build."""
    results, problems = {}, []
    for ex_id, ex in source.examples.items():
        result = calculate(ex["request"])
        if not result.get("ok"):
            errors = "; ".join(e["en"] for e in result.get("errors", []))
            problems.append(f"example '{ex_id}' does not compute: {errors}")
        results[ex_id] = result
    if problems:
        raise BuildError(problems)
    return results


# =============================================================================== render

@dataclass
class Site:
    """Build-time settings and everything computed once for all pages."""

    source: Source
    base_url: str
    prefix: str
    results: dict
    assets: dict = field(default_factory=dict)  # logical name -> URL path (content-hashed)
    files: dict = field(default_factory=dict)  # output path -> bytes
    anchors: set = field(default_factory=set)
    notes: list = field(default_factory=list)  # worth knowing, not worth failing for
    runtime: dict = field(default_factory=dict)  # the calculator's manifest and where its files are

    def url(self, path=""):
        """Root-relative URL of a site path ('zh/policy/' -> '/prefix/zh/policy/')."""
        return self.prefix + path

    def absolute(self, path=""):
        return self.base_url + self.prefix + path

    def short(self, path=""):
        base = self.source.config["site"].get("short_url_base") or re.sub(r"^https?://", "", self.base_url + self.prefix)
        return base.rstrip("/") + "/" + path


def page_path(lang, slug):
    """Site path of a content page: zh/ for the home page, zh/<slug>/ otherwise."""
    return f"{lang}/" if slug == "index" else f"{lang}/{slug}/"


def leaflet_path(lang, slug=None):
    return f"{lang}/leaflets/{slug}/" if slug else f"{lang}/leaflets/"


def qr_name(kind, lang, slug):
    """Stable QR file names: posters are printed with these, so never change them."""
    return f"qr/{lang}-{slug}.svg" if kind == "page" else f"qr/{lang}-example-{slug}.svg"


def planned_pages(src=SRC):
    """Site paths of every HTML page a build of `src` writes, without building (for test parametrisation)."""
    source = load(src)
    paths = ["", "404.html"]
    for (lang, slug), content in sorted(source.content.items()):
        paths.append(page_path(lang, slug))
        if content.meta["leaflet"]:
            paths.append(leaflet_path(lang, slug))
    paths += [leaflet_path(lang) for lang in LANGS]
    return sorted(paths)


def output_file(path):
    """The file a site path is written to: directories get index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


class Renderer:
    """Renders one page at a time; holds the per-page state the Markdown globals need."""

    def __init__(self, site):
        self.site = site
        self.source = site.source
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.source.root / "templates")),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.md_env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        self.lang = "zh"
        self.blocks = []
        self.ids = {}
        self.components = self.env.get_template("components.html").make_module(self.common("zh"))
        self.examples_shown = set()
        self.tables_shown = {}

    # ---------------------------------------------------------------- shared helpers
    def t(self, key, lang=None, **fields):
        """Interface text from site.toml [text.<key>]; a missing key stops the build by name."""
        entry = self.source.text.get(key)
        if entry is None:
            raise BuildError(f"text key '{key}' is missing from site_src/site.toml [text]")
        value = entry[lang or self.lang]
        return value.format(**fields) if fields else value

    def unique_id(self, base):
        n = self.ids.get(base, 0)
        self.ids[base] = n + 1
        return base if n == 0 else f"{base}-{n + 1}"

    def cite_link(self, clause, lang=None):
        lang = lang or self.lang
        if not CLAUSE_RE.match(clause) or clause not in self.site.anchors:
            raise BuildError(f"cite('{clause}'): the policy text has no anchor {clause}")
        text = cite_texts(clause)[lang]
        href = self.site.url(page_path(lang, "policy")) + "#" + clause
        return Markup(f'<a class="cite" href="{escape(href)}">{escape(text)}</a>')

    def common(self, lang):
        self.lang = lang
        return {
            "lang": lang,
            "other": OTHER[lang],
            "html_lang": HTML_LANG[lang],
            "t": self.t,
            "url": self.site.url,
            "site": self.site,
            "config": self.source.config,
            "asset": lambda name: self.site.assets[name],
            "cite": self.cite_link,
            "meta": POLICY.meta,
            "issued": self.issued(lang),
            "nav": self.nav(lang),
            "rules_version": RULES_VERSION,
            "module_version": calculator.__version__,
            "csp": CSP,
        }

    def issued(self, lang):
        d = POLICY.meta["date_of_issue"]
        months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
        return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {months[d.month - 1]} {d.year}"

    def nav(self, lang):
        pages = [c for (lg, _), c in self.source.content.items() if lg == lang and c.meta["nav"]]
        pages.sort(key=lambda c: (c.meta["order"], c.slug))
        return [{"slug": c.slug, "label": c.meta["nav"], "title": c.meta["title"],
                 "description": c.meta["description"], "href": self.site.url(page_path(lang, c.slug)),
                 "leaflet": c.meta["leaflet"]} for c in pages]

    # ---------------------------------------------------------------- Markdown globals
    def block(self, html):
        """Stash block HTML; Markdown sees only a placeholder paragraph, replaced after rendering."""
        self.blocks.append(str(html))
        return Markup(f"\n\nQYBLOCK{len(self.blocks) - 1}QY\n\n")

    def g_param(self, name):
        return Markup(escape(format_param(name, self.lang)))

    def g_rate_table(self, clause):
        return self.block(self.rate_table(clause))

    def g_example(self, ex_id):
        return self.block(self.example_box(ex_id))

    def g_calculator_link(self, role):
        roles = self.source.config["calculator"]["roles"]
        if role not in roles:
            raise BuildError(f"calculator_link('{role}'): role must be one of {', '.join(roles)}")
        href = self.site.url(page_path(self.lang, "calculator")) + f"#role={role}"
        text = self.t("calculator_link", role=self.t(f"role.{role}"))
        return Markup(f'<a class="calc-link" href="{escape(href)}">{escape(text)}</a>')

    def g_url(self, slug, anchor=None):
        if (self.lang, slug) not in self.source.content:
            raise BuildError(f"url('{slug}'): no such page")
        return self.site.url(page_path(self.lang, slug)) + (f"#{anchor}" if anchor else "")

    def markdown(self, content):
        """Jinja2 (autoescaped) first, then Python-Markdown; block HTML is spliced in afterwards."""
        self.blocks = []
        template = self.md_env.from_string(content.body)
        try:
            text = template.render(param=self.g_param, rate_table=self.g_rate_table, example=self.g_example,
                                   cite=self.cite_link, calculator_link=self.g_calculator_link, url=self.g_url)
        except BuildError as error:
            raise BuildError([f"content/{content.lang}/{content.slug}.md: {p}" for p in error.problems]) from None
        except jinja2.TemplateError as error:
            raise BuildError(f"content/{content.lang}/{content.slug}.md: {error}") from None
        md = markdown.Markdown(extensions=["tables", "attr_list", "toc"],
                               extension_configs={"toc": {"slugify": markdown.extensions.toc.slugify_unicode}},
                               output_format="html")
        html = md.convert(text)
        for index, block in enumerate(self.blocks):
            token = f"QYBLOCK{index}QY"
            if f"<p>{token}</p>" in html:
                html = html.replace(f"<p>{token}</p>", block)
            elif token in html:
                html = html.replace(token, block)
            else:
                raise BuildError(f"content/{content.lang}/{content.slug}.md: a block was lost in Markdown")
        # Root-relative links typed in Markdown (/zh/...) follow the build's path prefix.
        html = re.sub(r'href="/(zh|en)/', lambda m: f'href="{self.site.prefix}{m.group(1)}/', html)
        # Python-Markdown puts '{: .steps }' written under a list on its last item: move it to the list.
        html = re.sub(r'<(ol|ul)>\n((?:<li>(?:(?!</?[ou]l>).)*?</li>\n)*)<li class="steps">',
                      r'<\1 class="steps">\n\2<li>', html, flags=re.S)
        html = self.wrap_tables(html)
        for found in re.findall(r'\sid="([^"]+)"', html):
            self.ids[found] = self.ids.get(found, 0) + 1
        return Markup(html)

    def wrap_tables(self, html):
        """Writer's Markdown tables scroll inside their own box, never the page."""
        def wrap(m):
            return (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(self.t("table"))}">'
                    f"{m.group(0)}</div>")
        return re.sub(r"(?<!>)<table>.*?</table>", wrap, html, flags=re.S)

    # ---------------------------------------------------------------- rate tables and examples
    def rate_rows(self, clause):
        rows = []
        for name, p in POLICY.parameters.items():
            if p.clause != clause:
                continue
            value = p.at()
            rows.append({"name": name, "label": p.label_zh if self.lang == "zh" else p.label_en,
                         "value": format_param(name, self.lang), "raw": raw_value(value),
                         "source": p.source_zh, "cite": self.cite_link(p.clause),
                         "history": len(p.values) > 1})
        return rows

    def rate_table(self, clause, compact=False):
        rows = self.rate_rows(clause)
        if not rows:
            raise BuildError(f"rate_table('{clause}'): no parameter in calculator/parameters.toml cites {clause}")
        self.tables_shown.setdefault(self.lang, set()).update(r["name"] for r in rows)
        table_id = self.unique_id(f"rates-{clause}")
        caption = self.t("rates_caption", clause=cite_texts(clause)[self.lang])
        return self.components.rate_table(table_id, caption, rows, compact, self.lang)

    def example_view(self, ex_id, lang):
        if ex_id not in self.source.examples:
            raise BuildError(f"example('{ex_id}'): no such example in site_src/examples.toml")
        ex = self.source.examples[ex_id]
        result = self.site.results[ex_id]
        request = ex["request"]
        amounts = [line["amount"] for line in result["lines"]] + [s["amount"] for s in result["subtotals"]]
        amounts += [result["total"]["amount"]] if result["total"] else []
        amounts += [s["amount"] for s in result["schedule"]]
        cents = any(Decimal(a) % 1 for a in amounts)

        def amount(value):
            return money(value, lang, cents)

        lines = []
        for line in result["lines"]:
            calc = ""
            if line["quantity"] is not None:
                calc = quantity(line["quantity"], line["unit"], lang)
                if line["rate"] is not None:
                    if line["rate_unit"] == "ratio":
                        rate = f"{plain(Decimal(line['rate']) * 100)}%"
                    else:
                        rate = format_value(Decimal(line["rate"]), line["rate_unit"], lang)
                    calc += f" × {rate}"
            lines.append({"label": line["label"][lang], "calc": calc, "amount": amount(line["amount"]),
                          "cite": self.cite_link(line["clause"], lang)})
        subtotals = []
        for s in result["subtotals"]:
            note = ""
            if s.get("capped"):
                note = self.t("before_cap", lang, amount=amount(s["amount_before_cap"]))
            subtotals.append({"label": s["label"][lang], "amount": amount(s["amount"]), "note": note})
        total = None
        if result["total"]:
            total = {"label": result["total"]["label"][lang], "amount": amount(result["total"]["amount"])}
        rng = None
        if result["range"]:
            rng = {"label": result["range"]["label"][lang],
                   "text": self.t("range_text", lang, low=amount(result["range"]["min"]),
                                  high=amount(result["range"]["max"])),
                   "cite": self.cite_link(result["range"]["clause"], lang)}
        schedule = None
        line_years = {line.get("year") for line in result["lines"]}
        if result["schedule"] and not all(s["year"] in line_years for s in result["schedule"]):
            schedule = [{"year": s["year"], "label": s["label"][lang] if "label" in s else "",
                         "amount": amount(s["amount"])} for s in result["schedule"]]
        checks = [{"label": c["label"][lang], "minimum": amount(c["minimum"]),
                   "actual": amount(c["actual"]) if c["actual"] is not None else "—",
                   "verdict": c["verdict"][lang], "met": c["met"], "cite": self.cite_link(c["clause"], lang)}
                  for c in result["checks"]]
        warnings = [{"text": w[lang], "cite": self.cite_link(w["clause"], lang)} for w in result["warnings"]]
        trace = []
        for step in result["trace"]:
            source = POLICY[step["parameter"]].source_zh if step.get("parameter") else ""
            trace.append({"text": step[lang], "cite": self.cite_link(step["clause"], lang), "source": source})
        fragment = scenario_fragment(request)
        return {
            "id": ex_id,
            "anchor": f"example-{ex_id}",
            "title": ex[f"title_{lang}"],
            "measure": result["title"][lang],
            "inputs": self.describe_request(request, lang),
            "eligible": result["eligible"],
            "lines": lines, "subtotals": subtotals, "total": total, "range": rng, "schedule": schedule,
            "checks": checks, "warnings": warnings, "trace": trace,
            "rounding": [r[lang] for r in result["rounding"]],
            "clauses": [self.cite_link(c["id"], lang) for c in result["clauses"]],
            "calc_href": self.site.url(page_path(lang, "calculator")) + "#" + fragment,
            "fragment": fragment,
            "page_href": self.site.url(page_path(lang, ex["page"])) + f"#example-{ex_id}",
        }

    def describe_request(self, request, lang):
        """The example's inputs as (label, value) pairs, in the rule module's field order."""
        fields = MEASURES[request["measure"]][1]
        items = []
        for name in fields:
            if name not in request:
                continue
            value = request[name]
            spec = FIELD_KINDS[name]
            kind = spec["kind"]
            if kind == "bool":
                items.append((field_label(name, lang), self.t("yes" if value else "no", lang)))
            elif kind == "choice":
                items.append((field_label(name, lang), message(f"project_type.{value}", lang)))
            elif kind == "group":
                for member in spec["members"]:
                    if member in value:
                        label = POLICY[member].label_zh if lang == "zh" else POLICY[member].label_en
                        items.append((label, quantity(Decimal(str(value[member])), spec["unit"], lang)))
            elif kind == "rows":
                sep = "；" if lang == "zh" else "; "
                rows = [f"{row['household']}: {quantity(Decimal(str(row['shares'])), 'shares', lang)}"
                        for row in value]
                items.append((field_label(name, lang), sep.join(rows)))
            elif kind == "money":
                items.append((field_label(name, lang), money(value, lang)))
            elif kind == "percent":
                items.append((field_label(name, lang), f"{plain(Decimal(str(value)))}%"))
            elif kind == "year":
                items.append((field_label(name, lang), str(value)))
            else:
                items.append((field_label(name, lang), quantity(Decimal(str(value)), spec["unit"], lang)))
        return items

    def example_box(self, ex_id, compact=False):
        view = self.example_view(ex_id, self.lang)
        self.examples_shown.add(ex_id)
        view["anchor"] = self.unique_id(view["anchor"])
        return self.components.example_box(view, compact, self.lang)

    # ---------------------------------------------------------------- pages
    def render(self, template, lang, path, alternates, **context):
        """One page: common context, canonical and hreflang alternates, English marked up."""
        self.ids = {}
        self.examples_shown = set()
        ctx = self.common(lang)
        ctx.update(context)
        ctx["path"] = path
        ctx["canonical"] = self.site.absolute(path) if alternates else None
        ctx["alternates"] = [{"hreflang": h, "href": self.site.absolute(p)} for h, p in alternates]
        ctx["switch_href"] = self.site.url(dict(alternates).get(HTML_LANG[OTHER[lang]], ""))
        html = self.env.get_template(template).render(ctx)
        if lang == "en":
            html = mark_english(html)
        return html

    def content_page(self, content):
        lang, slug = content.lang, content.slug
        path = page_path(lang, slug)
        alternates = [("zh-CN", page_path("zh", slug)), ("en", page_path("en", slug)), ("x-default", "")]
        self.ids = {}
        self.lang = lang
        body = self.markdown(content)
        templates = self.source.config.get("templates", {})
        template = templates.get(slug, "page.html")
        extra = {}
        if template == "policy.html":
            extra["policy"] = self.policy_view(lang)
        if template == "calculator.html":
            extra["forms"] = self.calculator_forms(lang)
            extra["runtime"] = self.site.runtime
            extra["manifest_json"] = Markup(json_for_script(self.site.runtime["manifest"]))
            ui = {key: entry[lang] for key, entry in sorted(self.source.config["calculator_ui"].items())}
            ui["cites"] = {anchor: cite_texts(anchor)[lang] for anchor in sorted(self.site.anchors)}
            extra["ui_json"] = Markup(json_for_script(ui))
            extra["examples"] = [self.example_view(ex_id, lang) for ex_id in self.source.examples]
            extra["rate_links"] = self.rate_links(lang)
        related = [self.cite_link(c, lang) for c in content.meta["clauses"]]
        return self.render(template, lang, path, alternates, page=content.meta, slug=slug, body=body,
                           related=related, leaflet_href=self.site.url(leaflet_path(lang, slug))
                           if content.meta["leaflet"] else None, **extra)

    def rate_links(self, lang):
        """For the no-JavaScript notice: each page's first rate table, in navigation order."""
        links = []
        for item in self.nav(lang):
            body = self.source.content[(lang, item["slug"])].body
            m = re.search(r"rate_table\(\s*[\"']([^\"']+)[\"']", body)
            if m:
                links.append({"href": item["href"] + f"#rates-{m.group(1)}", "label": item["title"]})
        return links

    def policy_view(self, lang):
        """The policy blocks for the page: headings, leads split off, Chinese originals for English."""
        pages_by_clause = {}
        for (lg, slug), c in sorted(self.source.content.items()):
            if lg == lang and slug not in ("index", "policy", "calculator"):
                for clause in c.meta["clauses"]:
                    pages_by_clause.setdefault(clause, []).append(
                        {"href": self.site.url(page_path(lang, slug)), "label": c.meta["nav"] or c.meta["title"]})
        view = []
        for b in self.source.policy:
            text = b.zh if lang == "zh" else b.en
            lead, rest = text, ""
            if b.kind in ("measure", "sub"):
                lead, rest = split_lead(text, lang)
            view.append({"kind": b.kind, "anchor": b.anchor, "text": text, "lead": lead, "rest": rest,
                         "zh": b.zh, "section": b.section,
                         "explained": pages_by_clause.get(b.anchor, [])})
        toc = []
        for b in self.source.policy:
            if b.kind == "section":
                toc.append({"anchor": b.anchor, "text": b.zh if lang == "zh" else b.en, "children": []})
            elif b.kind in ("group", "sub", "measure") and toc:
                text = b.zh if lang == "zh" else b.en
                label = split_lead(text, lang)[0] if b.kind != "group" else text
                toc[-1]["children"].append({"anchor": b.anchor, "text": label.rstrip("。."), "kind": b.kind})
        return {"blocks": view, "toc": toc}

    def calculator_forms(self, lang):
        """The static calculator form: roles, one <form> per measure, fields named by request path."""
        cfg = self.source.config["calculator"]
        roles = []
        for role in cfg["roles"]:
            forms = []
            for measure in cfg["measures"][role]:
                if measure not in MEASURES:
                    raise BuildError(f"site.toml [calculator.measures]: '{measure}' is not a measure of the rule module")
                fields = [self.form_field(measure, name, lang) for name in MEASURES[measure][1]]
                forms.append({"measure": measure, "title": message(f"measure.{measure}", lang),
                              "clauses": [self.cite_link(c, lang) for c in cfg["clauses"][measure]],
                              "fields": fields})
            roles.append({"id": role, "title": self.t(f"role_title.{role}", lang),
                          "intro": self.t(f"role_intro.{role}", lang), "forms": forms})
        return roles

    def form_field(self, measure, name, lang):
        spec = FIELD_KINDS[name]
        kind = spec["kind"]
        base = f"{measure}-{name}"
        hint_key = f"hint.{name}"
        hint = self.t(hint_key, lang) if hint_key in self.source.text else ""
        item = {"name": name, "path": name, "id": f"f-{base}", "kind": kind, "label": field_label(name, lang),
                "hint": hint}
        if kind == "bool":
            item["options"] = [{"value": "true", "label": self.t("yes", lang)},
                               {"value": "false", "label": self.t("no", lang)}]
        elif kind == "choice":
            item["options"] = [{"value": o, "label": message(f"project_type.{o}", lang)} for o in spec["options"]]
        elif kind == "group":
            item["members"] = [{"name": f"{name}.{m}", "path": f"{name}.{m}", "id": f"f-{base}-{m}",
                                "label": member_label(m, spec["unit"], lang),
                                "inputmode": "decimal" if spec["member"] == "decimal" else "numeric"}
                               for m in spec["members"]]
        elif kind == "rows":
            rows = []
            for i in range(int(self.source.config["calculator"].get("share_rows", 4))):
                rows.append({"label": self.t("row_n", lang, n=i + 1), "cells": [
                    {"name": f"{name}.{i}.{col}", "path": f"{name}[{i}].{col}", "id": f"f-{base}-{i}-{col}",
                     "label": field_label(col, lang),
                     "inputmode": "decimal" if col == "shares" else None} for col in spec["columns"]]})
            item["rows"] = rows
        else:
            item["inputmode"] = "numeric" if kind in ("whole", "year") else "decimal"
            item["width"] = "short" if kind in ("year", "percent") else "medium"
        return item

    def leaflet(self, content):
        lang, slug = content.lang, content.slug
        self.ids = {}
        self.lang = lang
        tables = [self.rate_table(c, compact=True) for c in content.meta["clauses"]
                  if any(p.clause == c for p in POLICY.parameters.values())]
        example = next((ex_id for ex_id, ex in self.source.examples.items() if ex["page"] == slug), None)
        example_html = self.example_box(example, compact=True) if example else None
        body = None
        if not tables and not example:
            body = self.markdown(content)
        page_url = page_path(lang, slug)
        return self.render("leaflet.html", lang, leaflet_path(lang, slug),
                           [("zh-CN", leaflet_path("zh", slug)), ("en", leaflet_path("en", slug)), ("x-default", "")],
                           page=content.meta, slug=slug, tables=tables, example=example_html, body=body,
                           qr=self.site.url(qr_name("page", lang, slug)),
                           qr_text=self.site.short(page_url), page_href=self.site.url(page_url),
                           related=[self.cite_link(c, lang) for c in content.meta["clauses"]])

    def kit(self, lang):
        """The publicity kit: every QR code with its short URL, and every leaflet."""
        entries = []
        for item in self.nav(lang):
            entries.append({"title": item["title"], "href": item["href"],
                            "qr": self.site.url(qr_name("page", lang, item["slug"])),
                            "short": self.site.short(page_path(lang, item["slug"])),
                            "leaflet": self.site.url(leaflet_path(lang, item["slug"])) if item["leaflet"] else None})
        examples = []
        for ex_id, ex in self.source.examples.items():
            examples.append({"title": ex[f"title_{lang}"], "id": ex_id,
                             "href": self.site.url(page_path(lang, "calculator")) + "#" + scenario_fragment(ex["request"]),
                             "qr": self.site.url(qr_name("example", lang, ex_id)),
                             "short": self.site.short(page_path(lang, "calculator")) + f"#ex={ex_id}"})
        return self.render("kit.html", lang, leaflet_path(lang),
                           [("zh-CN", leaflet_path("zh")), ("en", leaflet_path("en")), ("x-default", "")],
                           page={"title": self.t("kit_title", lang), "description": self.t("kit_description", lang)},
                           slug="leaflets", entries=entries, examples=examples)


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


CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
CJK_RUN = re.compile(f"[{CJK}](?:[{CJK}0-9A-Za-z.,·\\s]*[{CJK}])?")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NO_MARK = {"script", "style", "title", "option", "textarea", "head"}
NO_MU = NO_MARK | {"h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "th", "td", "summary", "button", "a",
                   "caption"}


class _EnglishMarker(HTMLParser):
    """Re-emits an English page with every run of Chinese text not already in a lang="zh…" element
    wrapped in <span lang="zh-CN">, and 'mu' explained at its first use in <main>."""

    def __init__(self, mu_note):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.stack = []  # [(tag, is_zh)]
        self.mu_note = mu_note
        self.mu_done = False
        self.in_main = False

    def zh(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        is_zh = lang.lower().startswith("zh") if lang is not None else self.zh()
        self.stack.append((tag, is_zh))
        if tag == "main":
            self.in_main = True

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        tags = {t for t, _ in self.stack}
        if tags & NO_MARK or self.zh():
            self.out.append(data)
            return
        if self.in_main and not self.mu_done and "667" in data:
            self.mu_done = True  # the writer explained it already
        if self.in_main and not self.mu_done and not tags & NO_MU:
            m = re.search(r"\bmu\b", data)
            if m:
                data = data[:m.end()] + self.mu_note + data[m.end():]
                self.mu_done = True
        self.out.append(CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group(0)}</span>', data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def mark_english(html):
    parser = _EnglishMarker(" (≈ 667 m²)")
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def render(source, base_url, prefix, results):
    """All pages, QR codes, assets and feeds as {output path: bytes}."""
    site = Site(source, base_url, prefix, results)
    site.anchors = {b.anchor for b in source.policy if b.anchor}
    files = site.files
    # Static assets get content-hashed names (a later service worker relies on it).
    static = source.root / "static"
    origin = re.match(r"^[a-z]+://[^/]+", base_url).group(0)
    for asset in sorted(static.iterdir()):
        if not asset.is_file():
            continue
        data = asset.read_bytes()
        if asset.suffix == ".css":
            data = data.replace(b"__ORIGIN__", origin.encode())
        digest = hashlib.sha256(data).hexdigest()[:10]
        name = f"static/{asset.stem}.{digest}{asset.suffix}"
        files[name] = data
        site.assets[asset.name] = site.url(name)
    runtime, manifest, manifest_path = runtime_files()
    files.update(runtime)
    folder = manifest_path.rsplit("/", 1)[0]
    site.runtime = {"manifest": manifest, "manifest_url": site.url(manifest_path),
                    "page_script": site.url(f"{folder}/{manifest['page']}")}
    renderer = Renderer(site)
    problems = []
    pages = []  # (path, lang or None) for the sitemap

    def add(path, html, lang=None, sitemap=True):
        files[output_file(path)] = html.encode("utf-8")
        if sitemap:
            pages.append(path)

    for (lang, slug), content in sorted(source.content.items()):
        try:
            add(page_path(lang, slug), renderer.content_page(content), lang)
            if content.meta["leaflet"]:
                add(leaflet_path(lang, slug), renderer.leaflet(content), lang)
        except BuildError as error:
            problems.extend(error.problems)
    if problems:
        raise BuildError(problems)
    for lang in LANGS:
        add(leaflet_path(lang), renderer.kit(lang), lang)
    # The root: both languages side by side, no redirect (see the chooser template).
    add("", renderer.render("chooser.html", "zh", "", [("zh-CN", "zh/"), ("en", "en/"), ("x-default", "")],
                            page={"title": source.text["site_name"]["zh"] + " · " + source.text["site_name"]["en"],
                                  "description": source.text["chooser_description"]["zh"]},
                            homes=[{"lang": lg, "html_lang": HTML_LANG[lg], "href": site.url(f"{lg}/"),
                                    "items": renderer.nav(lg)} for lg in LANGS]))
    renderer.lang = "zh"
    files["404.html"] = renderer.render("404.html", "zh", "404.html", [],
                                         page={"title": "404", "description": source.text["not_found_body"]["zh"]}).encode()
    # QR codes: every content page, and every example scenario, in both languages.
    for lang in LANGS:
        for (lg, slug) in sorted(source.content):
            if lg == lang:
                files[qr_name("page", lang, slug)] = qr_svg(site.absolute(page_path(lang, slug)),
                                                             site.short(page_path(lang, slug)))
        for ex_id, ex in source.examples.items():
            target = site.absolute(page_path(lang, "calculator")) + "#" + scenario_fragment(ex["request"])
            files[qr_name("example", lang, ex_id)] = qr_svg(target, ex[f"title_{lang}"])
    # What the browser calculator needs to resolve #ex=<id> and to show titles.
    files["examples.json"] = (json.dumps({ex_id: {"title": {"zh": ex["title_zh"], "en": ex["title_en"]},
                                                   "page": ex["page"], "request": ex["request"],
                                                   "fragment": scenario_fragment(ex["request"])}
                                          for ex_id, ex in source.examples.items()},
                                         ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    files["assets.json"] = (json.dumps(site.assets, indent=1, sort_keys=True) + "\n").encode()
    files["sitemap.xml"] = sitemap(site, pages).encode()
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {site.absolute('sitemap.xml')}\n".encode()
    files["sw.js"] = service_worker(site)
    unshown = sorted(name for name in POLICY.parameters
                     if not all(name in renderer.tables_shown.get(lang, set()) for lang in LANGS))
    if unshown:
        site.notes.append(f"parameters shown in no rate table (only through param() or not at all): {', '.join(unshown)}")
    return site


def json_for_script(data):
    """JSON safe inside <script type="application/json">: no '</' or '<!--' can close or open anything."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def service_worker(site):
    """sw.js: this build's cache name and precache list written into site_src/runtime/sw.js."""
    skip = ("sitemap.xml", "robots.txt", "assets.json", "sw.js")
    paths = []
    for path in sorted(site.files):
        if path in skip:
            continue
        paths.append(site.url(path[: -len("index.html")] if path.endswith("index.html") else path))
    digest = hashlib.sha256(b"".join(p.encode() + hashlib.sha256(site.files[p]).digest()
                                     for p in sorted(site.files) if p not in skip)).hexdigest()[:12]
    source = (RUNTIME_SRC / "sw.js").read_text(encoding="utf-8")
    return (source.replace("__CACHE__", json.dumps(f"qinyuan-{digest}"))
                  .replace("__PRECACHE__", json.dumps(paths, indent=0))
                  .replace("__NOT_FOUND__", json.dumps(site.url("404.html")))).encode()


def qr_svg(url, title):
    """A QR code for print: error correction M, quiet zone of 4 modules, black on white, SVG."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False,
              title=title, nl=True)
    return out.getvalue()


def sitemap(site, pages):
    """sitemap.xml with the language alternates of every page (no dates: builds stay byte-identical)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for path in sorted(pages):
        lines.append(f"<url><loc>{escape(site.absolute(path))}</loc>")
        if path.startswith(("zh/", "en/")):
            rest = path[3:]
            for lang in LANGS:
                lines.append(f'<xhtml:link rel="alternate" hreflang="{HTML_LANG[lang]}" '
                             f'href="{escape(site.absolute(lang + "/" + rest))}"/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- stage: the calculator's runtime
# Pyodide from the pinned npm package, trimmed to what the rule module uses, plus the rule
# module itself as a zip unpacked with pyodide.unpackArchive (see README: why not a wheel).

# Only the site's own origin; 'wasm-unsafe-eval' lets WebAssembly compile (Pyodide), nothing else is eval'd.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
RUNTIME_SRC = ROOT / "site_src" / "runtime"
STDLIB_KEEP = RUNTIME_SRC / "stdlib-keep.txt"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(members, compress=True):
    """Zip bytes that depend only on the members' names and bytes (no timestamps, fixed order)."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in sorted(members.items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9 if compress else None)
    return buffer.getvalue()


def rules_bundle():
    """The rule module exactly as CPython imports it: every .py and .toml of calculator/."""
    sources = {f"calculator/{p.name}": p.read_bytes() for p in sorted((ROOT / 'calculator').iterdir())
               if p.suffix in (".py", ".toml")}
    data = deterministic_zip(sources)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # what is shipped is what was read
        if {n: archive.read(n) for n in archive.namelist()} != sources:
            raise BuildError("the rule module bundle differs from calculator/")
    return data


def trimmed_stdlib(trim=True):
    """Pyodide's stdlib zip reduced to the modules the real loading path imports (stdlib-keep.txt)."""
    source = zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip")
    names = set(source.namelist())
    if not trim:
        keep = {n for n in names if not n.endswith("/")}
    else:
        keep = {line.strip() for line in STDLIB_KEEP.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")}
        missing = sorted(keep - names)
        if missing:
            raise BuildError(f"{STDLIB_KEEP.name} names files not in Pyodide's stdlib: {', '.join(missing[:5])}; "
                             "run python build.py --trace-stdlib")
    # Stored, not deflated: served with brotli/gzip on the wire it is smaller than a deflated zip.
    return deterministic_zip({name: source.read(name) for name in keep}, compress=False)


def pyodide_version():
    return json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]


def compiled_stdlib(zip_bytes):
    """The trimmed stdlib with every .py compiled to .pyc by Pyodide's own Python (under Node):
    starting Python no longer compiles ~3 MB of source. Cached by content, as compiling takes seconds."""
    import subprocess

    version = pyodide_version()
    script = RUNTIME_SRC / "compile-stdlib.mjs"
    key = hashlib.sha256(zip_bytes + version.encode() + script.read_bytes()).hexdigest()
    cached = ROOT / ".cache" / "pyc" / f"{key}.zip"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        source = cached.with_suffix(".in.zip")
        source.write_bytes(zip_bytes)
        done = subprocess.run(["node", str(script), str(PYODIDE_DIR), str(source), str(cached)],
                              capture_output=True, text=True, timeout=300)
        source.unlink()
        if done.returncode != 0 or not cached.is_file():
            raise BuildError(f"compiling the stdlib with Pyodide failed:\n{done.stderr[-2000:]}")
    return cached.read_bytes()


def minimal_lockfile():
    """Pyodide's lockfile without its ~250 package entries: the calculator loads no package."""
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, sort_keys=True).encode()


def sri(data):
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


QRCODE_JS = ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs"
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".zip", ".webmanifest"}


def runtime_files(trim=True):
    """The calculator's runtime as {site path: bytes}, its manifest, and the manifest's site path.

    runtime/pyodide-<version>/  the three Pyodide files the calculator loads, as the npm package ships them
    runtime/<content hash>/     the page script, the worker and its loader, the rule module, the trimmed
                                stdlib, the lockfile, the QR encoder and manifest.json; the folder name
                                changes with any byte inside, so caches can keep it forever
    """
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        raise BuildError("node_modules/pyodide is missing: run npm ci (./dev does)")
    version = pyodide_version()
    pyodide = {f"runtime/pyodide-{version}/{name}": (PYODIDE_DIR / name).read_bytes() for name in PYODIDE_FILES}
    own = {
        "calculator-page.mjs": (RUNTIME_SRC / "calculator-page.mjs").read_bytes(),
        "worker.mjs": (RUNTIME_SRC / "worker.mjs").read_bytes(),
        "load-rules.mjs": (RUNTIME_SRC / "load-rules.mjs").read_bytes(),
        "qrcode.mjs": QRCODE_JS.read_bytes(),
        "rules.zip": rules_bundle(),
        "stdlib.zip": compiled_stdlib(trimmed_stdlib(trim)) if trim else trimmed_stdlib(trim),
        "lock.json": minimal_lockfile(),
    }
    digest = hashlib.sha256(b"".join(name.encode() + hashlib.sha256(own[name]).digest() for name in sorted(own)))
    folder = f"runtime/{digest.hexdigest()[:12]}"
    # What the worker fetches before the first result, compressed as served: the progress bar's total.
    fetched = {name: own[name] for name in ("worker.mjs", "load-rules.mjs", "rules.zip", "stdlib.zip", "lock.json")}
    fetched |= {name.rsplit("/", 1)[1]: data for name, data in pyodide.items()}
    manifest = {
        "pyodide": {"version": version, "module": f"../pyodide-{version}/pyodide.mjs",
                    "indexURL": f"../pyodide-{version}/", "lockFile": "lock.json", "stdlib": "stdlib.zip"},
        "bundle": {"file": "rules.zip", "integrity": sri(own["rules.zip"])},
        "worker": "worker.mjs",
        "page": "calculator-page.mjs",
        "qrcode": "qrcode.mjs",
        "rules_version": RULES_VERSION,
        "module_version": calculator.__version__,
        "transfer": {name: len(compressed(data)["gzip"]) for name, data in sorted(fetched.items())},
    }
    files = {**pyodide, **{f"{folder}/{name}": data for name, data in own.items()}}
    files[f"{folder}/manifest.json"] = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    return files, manifest, f"{folder}/manifest.json"


PRECOMPRESS_CACHE = ROOT / ".cache" / "precompressed"


def compressed(data):
    """{"gzip": bytes, "br": bytes or absent}: deterministic (no timestamps), cached by content
    because brotli at its best setting takes seconds on the 9.6 MB WebAssembly binary."""
    key = hashlib.sha256(data).hexdigest()
    out = {}
    for encoding in ("gzip", "br"):
        cached = PRECOMPRESS_CACHE / f"{key}.{encoding}"
        if cached.is_file():
            out[encoding] = cached.read_bytes()
            continue
        if encoding == "gzip":
            packed = gzip.compress(data, compresslevel=9, mtime=0)
        else:
            try:
                import brotli
            except ImportError:  # brotli is a listed dependency; without it hosts still get gzip
                continue
            packed = brotli.compress(data, quality=11)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(packed)
        out[encoding] = packed
    return out


def precompress(files):
    """Add .gz and .br siblings for every compressible file that they make smaller, as a production host serves."""
    extra = {}
    for path, data in files.items():
        if Path(path).suffix in COMPRESSIBLE and len(data) > 512:
            for encoding, packed in compressed(data).items():
                if len(packed) < len(data):
                    extra[path + (".gz" if encoding == "gzip" else ".br")] = packed
    files.update(extra)


NODE_RUNNER = ROOT / "tests" / "pyodide" / "run_calculator.mjs"


def write_runtime(out, trim=True):
    """Only the calculator's runtime, written into `out`; returns the manifest's path there.
    For the Node parity tests and the stdlib trace, which need no pages."""
    files, _, manifest_path = runtime_files(trim)
    write_files(files, Path(out))
    return Path(out) / manifest_path


def run_in_pyodide(manifest_path, requests, modules=False, timeout=300):
    """calculate_json on each request text inside Pyodide under Node, through the browser's loading path."""
    import subprocess

    command = ["node", str(NODE_RUNNER), str(manifest_path)] + (["--modules"] if modules else [])
    done = subprocess.run(command, input=json.dumps(requests), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise BuildError(f"Pyodide under Node failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def trace_stdlib():
    """Rewrite site_src/runtime/stdlib-keep.txt: the stdlib files Python loads on the real loading
    path (Pyodide's start, unpackArchive, import) while running every case file, plus a few hostile
    requests. The parity tests then run every case on the runtime trimmed to that list."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from casefiles import load_cases

    requests = [text for _, text, _ in load_cases()] + ["[", "null", '{"measure": "x", "date": "2018-02-30"}']
    with tempfile.TemporaryDirectory() as tmp:
        report = run_in_pyodide(write_runtime(tmp, trim=False), requests, modules=True)
    header = ("# Files of Pyodide's python_stdlib.zip that the calculator's runtime keeps (see build.py trace_stdlib).\n"
              f"# Traced with Python {report['python_version']} in Pyodide on the loading path and every case file; "
              "regenerate with: python build.py --trace-stdlib\n")
    STDLIB_KEEP.write_text(header + "\n".join(report["modules"]) + "\n", encoding="utf-8")
    return report["modules"]


# =============================================================================== write

def write(files, out):
    """Replace the output folder with exactly these files, in sorted order."""
    out = Path(out)
    if out.exists():
        leftovers = [p for p in out.iterdir()]
        if leftovers and not (out / "sitemap.xml").exists():
            raise BuildError(f"{out} exists and does not look like a previous build (no sitemap.xml); "
                             "refusing to delete it")
        shutil.rmtree(out)
    write_files(files, out)


def write_files(files, out):
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])


# =============================================================================== check

class _PageScan(HTMLParser):
    """Collects what the checks need from one written HTML file."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.duplicate_ids = set()
        self.links = []  # (attribute value, tag)
        self.html_lang = None
        self.canonical = []
        self.alternates = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            if a["id"] in self.ids:
                self.duplicate_ids.add(a["id"])
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href"))
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a.get("href")
        for attr in ("href", "src"):
            if a.get(attr) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append((a[attr], tag))

    handle_startendtag = handle_starttag


def check(out, base_url, prefix):
    """Parse every written page: internal links and anchors resolve, and every page in one
    language has its counterpart, with lang, reciprocal hreflang and canonical right."""
    out = Path(out)
    site_root = base_url + prefix
    scans = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        scan = _PageScan()
        scan.feed(path.read_text(encoding="utf-8"))
        scans[rel] = scan
    problems = []

    def url_of(rel):
        return site_root + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)

    def file_of(url):
        """The written file a same-site absolute URL points at, or None if it is off-site."""
        if not url.startswith(site_root):
            return None
        path = unquote(urlsplit(url).path)[len(urlsplit(site_root).path):]
        return output_file(path) if path == "" or path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path

    for rel, scan in scans.items():
        here = url_of(rel)
        if rel == "404.html":
            here = site_root + "404.html"
        for dup in sorted(scan.duplicate_ids):
            problems.append(f"{rel}: duplicate id '{dup}'")
        for href, tag in scan.links:
            if href.startswith(("mailto:", "tel:", "data:")):
                continue
            target = urljoin(here, href)
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and not target.startswith(site_root):
                if tag != "a":
                    problems.append(f"{rel}: third-party {tag} resource {href}")
                continue
            target_file = file_of(target.split("#")[0])
            if target_file is None:
                continue
            if not (out / target_file).is_file():
                problems.append(f"{rel}: broken link {href} (no file {target_file})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and "=" not in fragment and target_file.endswith(".html"):
                if fragment not in scans[target_file].ids:
                    problems.append(f"{rel}: broken anchor {href} (no id '{fragment}' in {target_file})")
        # Language pairs, lang, hreflang, canonical.
        if rel == "404.html":
            continue
        lang = rel.split("/")[0] if rel.startswith(("zh/", "en/")) else None
        if lang is None:
            continue
        expected_lang = HTML_LANG[lang]
        if scan.html_lang != expected_lang:
            problems.append(f"{rel}: <html lang> is {scan.html_lang!r}, expected {expected_lang!r}")
        if scan.canonical != [here]:
            problems.append(f"{rel}: canonical is {scan.canonical}, expected [{here!r}]")
        other = OTHER[lang]
        counterpart = other + rel[2:]
        if counterpart not in scans:
            problems.append(f"{rel}: no {other} counterpart ({counterpart} is missing)")
            continue
        if scan.alternates.get(HTML_LANG[lang]) != here:
            problems.append(f"{rel}: hreflang {HTML_LANG[lang]} should point to itself ({here})")
        if scan.alternates.get(HTML_LANG[other]) != url_of(counterpart):
            problems.append(f"{rel}: hreflang {HTML_LANG[other]} should point to {url_of(counterpart)}")
        if scans[counterpart].alternates.get(HTML_LANG[lang]) != here:
            problems.append(f"{rel}: not reciprocated by {counterpart}")
        if "x-default" not in scan.alternates:
            problems.append(f"{rel}: no x-default alternate")
    return problems


# =============================================================================== driver

def normalise(base_url, prefix):
    base_url = base_url.rstrip("/")
    if not re.match(r"^https?://[^/]+$", base_url):
        raise BuildError(f"--base-url must be scheme and host only, like https://www.example.gov.cn (got {base_url!r}); "
                         "put any path in --prefix")
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return base_url, prefix


def build(out=None, *, src=SRC, base_url=None, prefix=None):
    """load → compute → render → write → check. Returns the Site; raises BuildError listing every problem."""
    src = Path(src)
    source = load(src)
    settings = source.config["site"]
    base_url, prefix = normalise(base_url or settings["base_url"], prefix if prefix is not None else settings["prefix"])
    problems = check_catalogue() + check_references(source)
    if problems:
        raise BuildError(problems)
    results = compute_examples(source)
    site = render(source, base_url, prefix, results)
    out = Path(out) if out else ROOT / "dist"
    files = dict(site.files)
    precompress(files)
    write(files, out)
    problems = check(out, base_url, prefix)
    if problems:
        raise BuildError(problems)
    return site


MIME = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm",
    ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json", ".zip": "application/zip",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".ico": "image/x-icon",
    ".tar": "application/x-tar", ".whl": "application/zip", ".data": "application/octet-stream",
}
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


# What every answer of a server of this site carries: deploy/nginx.conf sends the same (tests/test_nginx.py).
# frame-ancestors works only in a header, not in the pages' <meta> CSP.
SERVER_HEADERS = {
    "Content-Security-Policy": CSP + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def make_handler(root, prefix="/"):
    """A request handler for dist/: explicit MIME types (application/wasm included), the path
    prefix stripped, precompressed .br/.gz siblings served when the client accepts them (never
    as files of their own), SERVER_HEADERS on every answer, and 404.html for anything missing."""
    root = Path(root)

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, fmt, *args):  # quiet unless asked
            if getattr(self.server, "verbose", False):
                super().log_message(fmt, *args)

        def translate_path(self, path):
            clean = urlsplit(path).path
            if prefix != "/" and clean.startswith(prefix):
                clean = "/" + clean[len(prefix):]
            return super().translate_path(clean)

        def send_head(self):
            clean = urlsplit(self.path).path
            if prefix != "/" and not clean.startswith(prefix):
                if clean in ("", "/"):
                    self.send_response(302)
                    self.send_header("Location", prefix)
                    self.end_headers()
                    return None
                return self.not_found()
            if clean.endswith(tuple(suffix for _, suffix in PRECOMPRESSED)):
                return self.not_found()  # a .br/.gz copy is only ever sent as its original's encoding
            local = Path(self.translate_path(self.path))
            if local.is_dir():
                if not clean.endswith("/"):
                    return super().send_head()  # redirects to the slash form
                local = local / "index.html"
            if not local.is_file():
                return self.not_found()
            return self.send_best(local)

        def send_best(self, local, status=200):
            """The file, or its precompressed sibling when the client accepts that encoding."""
            accepted = self.headers.get("Accept-Encoding", "")
            for encoding, suffix in PRECOMPRESSED:  # hook: siblings added by a later build step
                sibling = local.with_name(local.name + suffix)
                if encoding in accepted and sibling.is_file():
                    return self.send_file(sibling, self.guess_type(str(local)), encoding, status)
            return self.send_file(local, self.guess_type(str(local)), status=status)

        def send_file(self, path, ctype, encoding=None, status=200):
            f = open(path, "rb")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(path.stat().st_size))
            if encoding:
                self.send_header("Content-Encoding", encoding)
                self.send_header("Vary", "Accept-Encoding")
            name = path.name.removesuffix(".br").removesuffix(".gz")
            hashed = (re.search(r"\.[0-9a-f]{10}\.[a-z]+$", name)
                      # runtime/<content hash>/, runtime/pyodide-<version>/; the manifest is revalidated like nginx's
                      or ((root / "runtime") in path.parents and name != "manifest.json"))
            for header, value in SERVER_HEADERS.items():
                self.send_header(header, value)
            self.send_header("Cache-Control", "public, max-age=31536000, immutable" if hashed else "no-cache")
            self.end_headers()
            return f

        def not_found(self):
            page = root / "404.html"
            if page.is_file():
                return self.send_best(page, status=404)
            self.send_error(404)
            return None

    return Handler


def serve(out, port=8000, prefix="/", host="127.0.0.1", verbose=True):
    """Serve the built folder on 127.0.0.1 (blocking)."""
    server = http.server.ThreadingHTTPServer((host, port), make_handler(out, prefix))
    server.verbose = verbose
    print(f"serving {out} at http://{host}:{port}{prefix}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the bilingual static site into dist/ (defaults in site_src/site.toml).")
    parser.add_argument("--base-url", help="scheme and host the site is published at, e.g. https://www.example.gov.cn")
    parser.add_argument("--prefix", help="path the site lives under, e.g. /fupin/ (default /)")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output folder (default dist/)")
    parser.add_argument("--serve", action="store_true", help="after building, serve the output on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--trace-stdlib", action="store_true",
                        help="rewrite site_src/runtime/stdlib-keep.txt from a run of every case file in Pyodide")
    args = parser.parse_args(argv)
    if args.trace_stdlib:
        kept = trace_stdlib()
        print(f"{STDLIB_KEEP.relative_to(ROOT)}: {len(kept)} files")
        return 0
    base_url = args.base_url
    if args.serve and not base_url:
        base_url = f"http://127.0.0.1:{args.port}"
    started = time.perf_counter()
    try:
        site = build(args.out, base_url=base_url, prefix=args.prefix)
    except BuildError as error:
        print(f"build failed: {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    pages = sum(1 for p in site.files if p.endswith(".html"))
    print(f"built {len(site.files)} files ({pages} pages) into {args.out} in {elapsed:.2f} s")
    for note in site.notes:
        print(f"note: {note}")
    if args.serve:
        serve(args.out, args.port, site.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
