"""What makes the printed 公示 one a village can post: the posting period, who hears an objection, the
supervision phones and the village's own words for how it distributes. All of it is typed by the bookkeeper
(request field `notice_options`, never in a URL or storage); nothing here is ever made up: a field left
empty prints as a blank line to fill in by hand.

The default posting period is the national guidance's: 《关于完善扶贫资金项目公告公示制度的指导意见》 has
villages post on the fixed notice board normally for at least 10 days, so an end date left empty is the
start date + POSTING_DAYS.
"""

import datetime
import unicodedata

from .. import inputs
from ..params import MESSAGES
from ..readings import MARKER, READINGS
from .parse import INVISIBLE  # the characters refused in names and notes; the method may also break lines

OPTIONS = ("notice_start", "notice_end", "objection_contact", "village_phone", "township_phone", "national_line",
           "distribution_method")
TEXTS = ("objection_contact", "village_phone", "township_phone")
POSTING_DAYS = 10  # the national guidance's "normally at least 10 days" on the village's notice board
METHOD_MAX = 1000  # characters of the village's own 分配办法: a paragraph, not a document
NATIONAL_LINE = "12317"  # the national poverty-alleviation supervision line, printed only when the bookkeeper ticks it
# The readings the table's arithmetic relies on, printed in the footnote marked MARKER (in this order, when used).
NOTICE_READINGS = ("dividend_pro_rata_shares", "dividend_years", "shares_pass_on", "rounding_per_household_share")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def read_posting(errors, request):
    """The bookkeeper's notice options (an object; {} when absent): dates as date, texts stripped or None."""
    value = request.get("notice_options")
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors.add("notice_options", "not_an_object")
        return {}
    inputs.check_fields(errors, value, "notice_options", OPTIONS)
    options = {}
    for key in ("notice_start", "notice_end"):
        options[key] = _read_day(errors, value, key)
    for key in TEXTS:
        options[key] = None
        if value.get(key) not in (None, ""):
            text = inputs.read_text(errors, value, f"notice_options.{key}", key)
            options[key] = _visible(errors, text, key) or None
    options["national_line"] = bool(inputs.read_bool(errors, value, "notice_options.national_line", "national_line",
                                                     required=False))
    options["distribution_method"] = _read_method(errors, value)
    start, end = options["notice_start"], options["notice_end"]
    if start and end and end < start:
        errors.add("notice_options.notice_end", "notice_end_before_start", start=start.isoformat())
    if start and not end:
        options["notice_end"] = start + datetime.timedelta(days=POSTING_DAYS)
    return options


def _read_day(errors, value, key):
    text = value.get(key)
    if text in (None, ""):
        return None
    try:
        if not isinstance(text, str) or len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.add(f"notice_options.{key}", "not_a_date", field=inputs.field_name(key))
        return None


def _read_method(errors, value):
    text = value.get("distribution_method")
    if text in (None, ""):
        return None
    path = "notice_options.distribution_method"
    if not isinstance(text, str):
        errors.add(path, "not_text", field=inputs.field_name("distribution_method"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > METHOD_MAX:
        errors.add(path, "text_too_long", field=inputs.field_name("distribution_method"), maximum=METHOD_MAX)
        return None
    return _visible(errors, text, "distribution_method", allowed="\n") or None


def _visible(errors, text, key, allowed=""):
    """A text holding a character that does not print is refused, said by its code point (as in names)."""
    if not text:
        return text
    hidden = next((c for c in text if c not in allowed and unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        errors.add(f"notice_options.{key}", "register_invisible_character", field=inputs.field_name(key),
                   character=f"U+{ord(hidden):04X}")
        return None
    return text


def _day(day, lang):
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def posting_parts(data, options, lang):
    """The notice's closing parts in one language: the 分配办法 paragraph, the readings footnote, and the
    lines of the posting period, objection contact and phones (a value None is a blank line to fill in)."""
    register = data["register"]
    start, end = options.get("notice_start"), options.get("notice_end")
    period = None
    if start:
        period = MESSAGES.text("register.period_value", start={lang: _day(start, lang) for lang in ("zh", "en")},
                               end={lang: _day(end, lang) for lang in ("zh", "en")})[lang]
    lines = [{"label": MESSAGES.text("register.period_label")[lang], "value": period, "key": "period"},
             {"label": MESSAGES.text("register.objection_label")[lang], "value": options.get("objection_contact"),
              "key": "objection_contact"},
             {"label": MESSAGES.text("register.village_phone_label")[lang], "value": options.get("village_phone"),
              "key": "village_phone"},
             {"label": MESSAGES.text("register.township_phone_label")[lang], "value": options.get("township_phone"),
              "key": "township_phone"}]
    if options.get("national_line"):
        lines.append({"label": MESSAGES.text("register.national_line_label")[lang], "value": NATIONAL_LINE,
                      "key": "national_line"})
    # "按股数 … 本户股数" in Chinese, "by their shares … the household's shares" in English (or people)
    unit = {"zh": MESSAGES.text(f"register.column_{register['basis']}")["zh"],
            "en": MESSAGES.text(f"register.unit_{register['basis']}")["en"]}
    method = options.get("distribution_method")
    if method is None:
        method = MESSAGES.text("register.method_default", unit=unit)[lang]
        if register["ended_households"]:
            method += ("" if lang == "zh" else " ") + MESSAGES.text("register.method_pass_on")[lang]
    used = [r for r in NOTICE_READINGS if r in data["readings"]]
    return {
        "method_label": MESSAGES.text("register.method_label")[lang], "method": method,
        "readings_label": MESSAGES.text("register.readings_label", marker=MARKER[lang])[lang],
        "readings": [{"id": r, "marker": MARKER[lang], "text": READINGS[r][f"reading_{lang}"]} for r in used],
        "contacts": lines,
    }
