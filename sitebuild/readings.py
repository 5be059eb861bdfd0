"""The register of readings (calculator/readings.toml) in the build: the one marker every page,
leaflet, rate table and example uses ("本站理解 / Our reading", a link to the readings page), the
uses the render pass collects (markers in written pages, ids carried by the worked examples'
results), and the build check: an unknown id, or a reading shown nowhere, stops the build."""

from __future__ import annotations

import re
from html import unescape

from markupsafe import Markup, escape

from calculator.readings import MARKER as MARKER_TEXT
from calculator.readings import READINGS

from .config import BuildError

# Content Markdown marks a sentence that states a reading with this comment right after it;
# the build puts the visible marker beside it (tests/test_wording.py checks the comments).
READING_COMMENT = re.compile(r"<!-- reading:([a-z0-9_]+) -->")
# A marker as written into a page (the render pass finds the pages that use each reading by it).
MARKER_LINK = re.compile(r'<a class="reading" href="[^"#]*/readings/#([a-z0-9_]+)"')


def readings_path(lang):
    """Site path of the readings page."""
    return f"{lang}/readings/"


def reading_title(reading_id, lang):
    """A reading's short title: the first whole sentence of what we read (never cut at a semicolon)."""
    text = READINGS[reading_id][f"reading_{lang}"]
    if lang == "zh":
        return re.split(r"(?<=。)", text)[0]
    return re.split(r"(?<=\.) ", text)[0].rstrip(".")


def marker(site, reading_id, lang, text=None):
    """The visible marker: a link to the reading's entry on the readings page. An unknown id stops the build."""
    if reading_id not in READINGS:
        raise BuildError(f"reading('{reading_id}'): no such reading in calculator/readings.toml")
    href = site.url(readings_path(lang)) + "#" + reading_id
    label = text or MARKER_TEXT[lang]
    return Markup(f'<a class="reading" href="{escape(href)}" title="{escape(reading_title(reading_id, lang))}">'
                  f"{escape(label)}</a>")


def mark_comments(html, site, lang):
    """Each <!-- reading:id --> of a content page gets the visible marker beside it (the comment stays)."""
    return READING_COMMENT.sub(lambda m: str(Markup(m.group(0)) + marker(site, m.group(1), lang)), html)


def page_uses(html):
    """The reading ids a written page shows markers for."""
    return set(MARKER_LINK.findall(html))


def page_title(html):
    """The page's <h1> as text (for the readings page's list of uses)."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip() if m else ""


def result_uses(examples, results):
    """{reading id: sorted measure ids} from the worked examples' results (what the calculator says)."""
    uses = {}
    for ex_id, result in results.items():
        measure = examples[ex_id]["request"]["measure"]
        for reading_id in result.get("readings", []):
            uses.setdefault(reading_id, set()).add(measure)
    return {reading_id: sorted(measures) for reading_id, measures in uses.items()}


def check_readings(pages, results):
    """Problems: an id used that the register does not have; a registered reading shown nowhere.

    pages: {reading id: [uses on pages]}; results: {reading id: [measures]}."""
    problems = [f"reading '{reading_id}' is used but is not in calculator/readings.toml"
                for reading_id in sorted((set(pages) | set(results)) - set(READINGS))]
    for reading_id in READINGS:
        if not pages.get(reading_id) and not results.get(reading_id):
            problems.append(f"reading '{reading_id}' (calculator/readings.toml) is shown nowhere: no page marks it "
                            "with <!-- reading:" + reading_id + " --> and no worked example's result carries it")
    return problems


# ---------------------------------------------------------------- printed pages: every marker explained in words
# A hover title does not print, so a leaflet or the QR kit numbers each marker and its box of notes
# says every reading in words (the check stage, sitebuild/checks.py, fails a printed page that does not).
MARKER_TAG = re.compile(r'(<a class="reading" href="[^"#]*/readings/#([a-z0-9_]+)"[^>]*>[^<]*</a>)')
NOTES_SLOT = "<!-- reading-notes -->"
NOTES_TITLE = {"zh": "本站理解（页上标的号）", "en": "Our readings (the numbers on this page)"}
NOTES_INTRO = {"zh": "政策没有写明的地方，本站选了一种理解。每一条如下：",
               "en": "Where the policy is silent or unclear, this site takes one meaning. Each is:"}


def footnote_readings(html, site, lang, extra=(), english=None):
    """A printed page: each marker gets its note's number, and NOTES_SLOT becomes the notes box that
    says each reading in words (ids in `extra`, e.g. the worked example's, are listed after those marked)."""
    from calculator import cite as cite_texts

    order = []

    def numbered(m):
        if m.group(2) not in order:
            order.append(m.group(2))
        return f'{m.group(1)}<sup class="reading-ref">{order.index(m.group(2)) + 1}</sup>'

    html = MARKER_TAG.sub(numbered, html)
    order += [r for r in extra if r not in order]
    if NOTES_SLOT not in html:
        raise BuildError("a printed page marks readings but has no place for their notes (" + NOTES_SLOT + ")")
    if not order:
        return html.replace(NOTES_SLOT, "")
    items = []
    for reading_id in order:
        entry = READINGS[reading_id]
        href = site.url(readings_path(lang)) + "#" + reading_id
        clause = cite_texts(entry["clause"])[lang]
        items.append(f'<li id="reading-note-{reading_id}" data-reading="{reading_id}">{escape(entry[f"reading_{lang}"])}'
                     f' <a class="reading-note-link" href="{escape(href)}">{escape(clause)}</a></li>')
    notes = (f'<section class="reading-notes" aria-labelledby="reading-notes-title">'
             f'<h2 id="reading-notes-title">{NOTES_TITLE[lang]}</h2><p>{NOTES_INTRO[lang]}</p>'
             f'<ol class="reading-notes-list">{"".join(items)}</ol></section>')
    if english is not None and lang == "en":
        notes = english(notes)
    return html.replace(NOTES_SLOT, notes)


def printed_page_problems(rel, html, lang):
    """A printed page's markers that its notes do not explain in words, and markers in other words."""
    problems = []
    notes = {}
    for m in re.finditer(r'<li id="reading-note-[a-z0-9_]+" data-reading="([a-z0-9_]+)">(.*?)</li>', html, flags=re.S):
        notes[m.group(1)] = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", m.group(2))))
    for m in MARKER_TAG.finditer(html):
        reading_id = m.group(2)
        text = unescape(re.sub(r"<[^>]+>", "", m.group(1)))
        if text != MARKER_TEXT[lang]:
            problems.append(f"{rel}: a reading marker says {text!r}, not {MARKER_TEXT[lang]!r}")
        if reading_id not in READINGS:
            problems.append(f"{rel}: marks reading '{reading_id}', which is not in calculator/readings.toml")
        elif READINGS[reading_id][f"reading_{lang}"] not in notes.get(reading_id, ""):
            problems.append(f"{rel}: marks reading '{reading_id}' but does not explain it in words on the page "
                            "(a printed page needs its note: sitebuild/readings.py footnote_readings)")
    return problems
