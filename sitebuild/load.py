"""Reading site_src/: site.toml, content/{zh,en}/*.md with front matter, examples.toml and the
policy text, checked for completeness; and the list of pages a build of them writes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from calculator import params

from .config import LANGS, OTHER, SRC, BuildError, leaflet_path, page_path
from .policytext import parse_policy
from .readings import readings_path

FRONT_MATTER_KEYS = {"title": str, "description": str, "nav": str, "order": int, "clauses": list, "leaflet": bool}
REQUIRED_FRONT_MATTER = ("title", "description", "order")
CLAUSE_RE = re.compile(r"^(measure-(10|[1-9])|section-[1-5](-[1-9])?)$")


@dataclass
class Content:
    """One Markdown page in one language."""

    lang: str
    slug: str
    meta: dict
    body: str
    source: Path


@dataclass
class Source:
    """Everything read from site_src/."""

    root: Path
    config: dict
    text: dict  # interface text: key -> {"zh": ..., "en": ...}
    content: dict  # (lang, slug) -> Content
    examples: dict  # id -> {title_zh, title_en, page, request}
    policy: list  # [PolicyBlock]


def read_toml(path):
    """A TOML data file of the site; an error names the file, its line and column (calculator.params.read_toml)."""
    try:
        return params.read_toml(path)
    except params.ParameterError as error:
        raise BuildError(str(error)) from None


def load(src=SRC):
    """Read every input; fail early, with all problems at once, on anything incomplete."""
    src = Path(src)
    problems = []
    config = read_toml(src / "site.toml")
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
    examples = read_toml(src / "examples.toml").get("examples", {})
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


def planned_pages(src=SRC):
    """Site paths of every HTML page a build of `src` writes, without building (for test parametrisation)."""
    source = load(src)
    paths = ["", "404.html"]
    for (lang, slug), content in sorted(source.content.items()):
        paths.append(page_path(lang, slug))
        if content.meta["leaflet"]:
            paths.append(leaflet_path(lang, slug))
    paths += [leaflet_path(lang) for lang in LANGS]
    paths += [readings_path(lang) for lang in LANGS]
    return sorted(paths)
