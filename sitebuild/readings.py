"""The register of readings (calculator/readings.toml) in the build: the one marker every page,
leaflet, rate table and example uses ("本站理解 / Our reading", a link to the readings page), the
uses the render pass collects (markers in written pages, ids carried by the worked examples'
results), and the build check: an unknown id, or a reading shown nowhere, stops the build."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from calculator.readings import READINGS

from .config import BuildError

# Content Markdown marks a sentence that states a reading with this comment right after it;
# the build puts the visible marker beside it (tests/test_wording.py checks the comments).
READING_COMMENT = re.compile(r"<!-- reading:([a-z0-9_]+) -->")
# A marker as written into a page (the render pass finds the pages that use each reading by it).
MARKER_LINK = re.compile(r'<a class="reading" href="[^"#]*/readings/#([a-z0-9_]+)"')
MARKER_TEXT = {"zh": "本站理解", "en": "Our reading"}


def readings_path(lang):
    """Site path of the readings page."""
    return f"{lang}/readings/"


def reading_title(reading_id, lang):
    """A reading's short title: the first sentence (zh) or clause (en) of what we read."""
    text = READINGS[reading_id][f"reading_{lang}"]
    if lang == "zh":
        return re.split(r"(?<=[。；])", text)[0].rstrip("；")
    return re.split(r"(?<=[.;]) ", text)[0].rstrip(";").rstrip(".")


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
