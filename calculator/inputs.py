"""Strict reading of the request: every field checked, every problem reported, nothing guessed.

A reader returns the parsed value or records an error (field path, code, message in both
languages) and returns None. Nothing here raises on any JSON value; numbers are never
rounded or clipped to fit.
"""

import datetime
import math
import re
from decimal import Decimal

from .params import MESSAGES, POLICY

NUMBER = re.compile(r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
MAX_NUMBER_TEXT = 40


MAX_ERRORS = 50  # listed in an answer; the rest are counted in one final item
# What a phone keyboard types for a number: full-width digits, stops and minus. Nothing else is mapped,
# so "10²", "1₅" or "⑫" are refused rather than read as other numbers.
FULL_WIDTH = {0xFF10 + d: str(d) for d in range(10)} | {0xFF0E: ".", 0x3002: ".", 0xFF0D: "-"}
DIGITS = re.compile(r"^[0-9]+$")
SURROGATE = re.compile("[\ud800-\udfff]")

# ---- numbers as people write them: "500,000", "50万", "1.5万", "3亩", "两头", "二十五". Each is read
# to the same Decimal as its plain digits, and the answer says how it was read (Errors.notes).
# A field's unit: the words that may follow its number ("3亩" in an area field).
UNIT_WORDS = {"mu": ("亩",), "head": ("头", "只"), "yuan": ("元", "块钱", "块"), "shares": ("股", "份"),
              "households": ("户",), "people": ("人",), "percent": ("%", "％"), "year": ("年",)}
# Units of other fields, or of nothing the policy counts in: after a number they are refused by name,
# never dropped ("5分" of land is half a mu, not 5 mu).
OTHER_UNITS = ("平方米", "平米", "公斤", "千克", "块钱", "斤", "吨", "米", "分", "个", "棵", "株", "箱", "口", "匹", "元",
               "块", "亩", "头", "只", "股", "份", "户", "人", "年", "%", "％")
GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$")  # thousands separators in their places only
TEN_THOUSAND = "万"
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Whole counts 0–99 in Chinese numerals: 三, 两, 十, 十五, 二十, 二十五 (not 两十, 一百 or 三十零).
CHINESE_NUMBER = re.compile(r"^(?:(?P<tens>[一二三四五六七八九])?十(?P<ones>[一二三四五六七八九])?|(?P<digit>[零一二两三四五六七八九]))$")
HALF = "半"


class Refused(Exception):
    """A spelling the reader will not guess at; the error is already recorded."""


def _chinese_number(text):
    """A whole number 0–99 written in Chinese numerals, as digits; None if it is not one."""
    match = CHINESE_NUMBER.match(text)
    if not match:
        return None
    if match["digit"]:
        return str(CHINESE_DIGITS[match["digit"]])
    tens = CHINESE_DIGITS[match["tens"]] if match["tens"] else 1
    return str(tens * 10 + (CHINESE_DIGITS[match["ones"]] if match["ones"] else 0))


def _strip_unit(errors, path, text, unit, typed):
    """The text without a trailing unit that matches the field's; another unit is refused by name.

    A reader that names no unit takes none: its text goes on as written (and is refused as no number).
    """
    if unit is None:
        return text
    for word in UNIT_WORDS.get(unit, ()):
        if text.endswith(word) and text != word:
            return text[:-len(word)].rstrip()
    for word in OTHER_UNITS:
        if text.endswith(word) and text != word and re.search(r"[0-9万零一二两三四五六七八九十]$", text[:-len(word)].rstrip()):
            expected = unit_words(unit)
            errors.add(path, "wrong_unit", field=field_name(path), typed=_shown(typed), unit=expected,
                       other=word)
            raise Refused
    return text


def _spelled(errors, path, text, unit):
    """Plain ASCII digits for a number as people write it, and whether it was reinterpreted.

    `text` has had full-width digits and stops mapped already. Accepted: ASCII and full-width
    thousands separators in their places, a trailing unit of the field, 万 (ten thousand) after
    a number, Chinese numerals for whole counts (一 to 九十九, 两, 十). Refused with a message
    naming the form to use: separators out of place ("1,5"), 半 ("三亩半" is 3.5), another unit.
    """
    typed = text
    body = text.replace("，", ",")
    sign = ""
    if body.startswith("-"):
        sign, body = "-", body[1:].lstrip()
    if HALF in body:
        whole = body.replace(HALF, "").strip()
        for word in UNIT_WORDS.get(unit, ()):
            whole = whole.replace(word, "")
        digits = _chinese_number(whole) if whole else "0"
        digits = digits if digits is not None else (whole if DIGITS.match(whole) else None)
        suggestion = f"{digits}.5" if digits is not None else "2.5"
        errors.add(path, "half_spelled", field=field_name(path), typed=_shown(typed), suggestion=suggestion)
        raise Refused
    body = _strip_unit(errors, path, body, unit, typed)
    changed = False
    multiplier = 1
    if body.endswith(TEN_THOUSAND) and len(body) > 1:
        body, multiplier, changed = body[:-1].rstrip(), 10000, True
    chinese = _chinese_number(body)
    if chinese is not None:
        body, changed = chinese, True
    elif "," in body:
        if not GROUPED.match(body):
            errors.add(path, "separator_misplaced", field=field_name(path), typed=_shown(typed))
            raise Refused
        body, changed = body.replace(",", ""), True
    if multiplier != 1 and NUMBER.match(body):
        body = _digits(Decimal(body) * multiplier)
    return sign + body, changed


def _digits(value):
    """A Decimal as plain digits, with no exponent and no trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def unit_words(unit):
    """How a field's unit is named in messages: {"zh", "en"}."""
    if unit in POLICY.units:
        return dict(POLICY.units[unit])
    return {"percent": {"zh": "%", "en": "%"}, "year": {"zh": "年", "en": "year"}}.get(unit, {"zh": "", "en": ""})


class Errors:
    """Collects input errors in request order; lists the first MAX_ERRORS and counts the rest."""

    def __init__(self):
        self.listed = []
        self.unlisted = 0
        self.notes = []  # how a number written as people write it was read: {path, typed, value, zh, en}
        # every number field written other than as its plain digits ("两头", "3头", "２"), as the digits it was
        # read as: what the page's +/− steppers start from, so they read a field as the rule module does
        self.read = {}

    def read_as(self, path, typed, value, unit):
        words = unit_words(unit)
        shown = f"{Decimal(value):,f}" if unit != "year" else value
        texts = MESSAGES.text("note.read_as", field=field_name(path), typed=_shown(typed), value=shown,
                              unit={lang: (" " + word if word and word != "%" else word) for lang, word in words.items()})
        texts["en"] = texts["en"][:1].upper() + texts["en"][1:]
        note = {"path": path, "typed": _shown(typed), "value": value, **texts}
        if note not in self.notes:
            self.notes.append(note)

    def add(self, path, code, **fields):
        self._keep(lambda: self._item(path, code, **fields))

    def adopt(self, other, paths):
        """A sub-request's errors and notes (a composed measure's), each path renamed by `paths` where it names one."""
        for item in other.listed:
            self._keep(lambda item=item: {**item, "path": paths.get(item["path"], item["path"])})
        self.unlisted += other.unlisted
        for path, value in other.read.items():
            self.read[paths.get(path, path)] = value
        for note in other.notes:
            renamed = {**note, "path": paths.get(note["path"], note["path"])}
            if renamed not in self.notes:
                self.notes.append(renamed)

    def _keep(self, make):
        if len(self.listed) >= MAX_ERRORS:
            self.unlisted += 1
            return
        self.listed.append(make())

    @staticmethod
    def _item(path, code, **fields):
        texts = MESSAGES.text(f"error.{code}", **fields)
        texts["en"] = texts["en"][:1].upper() + texts["en"][1:]  # field names start lower-case mid-sentence
        return {"path": path, "code": code, **texts}

    @property
    def items(self):
        more = [self._item("", "more_errors", count=f"{self.unlisted:,}")] if self.unlisted else []
        return self.listed + more

    def __bool__(self):
        return bool(self.listed)


def field_name(path):
    """How a field is named in messages: the catalogue's field label, or the parameter label for a crop or animal."""
    last = path.split(".")[-1].split("[")[0]
    if f"field.{last}" in MESSAGES:
        return MESSAGES.text(f"field.{last}")
    if last in POLICY.parameters:
        parameter = POLICY[last]
        return {"zh": parameter.label_zh, "en": parameter.label_en}
    return {"zh": last, "en": last}


def _number_text(value):
    """The user's number as plain ASCII text, or None if it is no kind of number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if abs(value) < 10**MAX_NUMBER_TEXT else "9" * (MAX_NUMBER_TEXT + 1)
    if isinstance(value, float):
        # A JSON number a caller parsed as a float: its shortest repr is what was written; never used as money.
        if not math.isfinite(value):
            return None
        value = Decimal(repr(value))  # 1e16 and 1e-05 are numbers too, read like any other
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if not value:
            return "0"  # -0.0 is zero, not a negative number
        sign = "-" if value.is_signed() else ""
        if value.adjusted() > MAX_NUMBER_TEXT:  # 1e999999999 would be a gigabyte of digits
            return sign + "9" * (MAX_NUMBER_TEXT + 1)
        if value.adjusted() < -MAX_NUMBER_TEXT:
            return sign + "0." + "0" * MAX_NUMBER_TEXT + "1"
        return format(value, "f")
    if isinstance(value, str):
        # Phones type full-width digits and the Chinese full stop; thousands separators are not guessed at.
        text = value.translate(FULL_WIDTH).strip()
        if text.startswith("-") and NUMBER.match(text[1:]) and not text.strip("-0."):
            return text[1:]  # "-0" is zero
        return text
    return None


def _absent(errors, request, path, key, required):
    """True when the field is not given (missing, null or empty); records `required` if it must be."""
    if key in request and request[key] is not None and request[key] != "":
        return False
    if required:
        errors.add(path, "required", field=field_name(path))
    return True


def _read_text(errors, request, path, key, unit):
    """The answer as plain ASCII number text (None: no kind of number), or Refused once an error is recorded.

    A string is read as people write it (_spelled); when that reinterprets it, a note says how.
    """
    text = _number_text(request[key])
    if not isinstance(request[key], str) or text is None:
        return text
    typed = request[key].strip()
    plain, changed = (text, False) if NUMBER.match(text.lstrip("-")) else _spelled(errors, path, text, unit)
    if NUMBER.match(plain.lstrip("-")):
        if changed:
            errors.read_as(path, typed, plain, unit)
        if plain != typed:
            errors.read[path] = plain
    return plain


def read_decimal(errors, request, path, key, *, places, maximum, required=False, positive=False, unit=None):
    """A non-negative decimal with at most `places` decimals and at most `maximum`, in `unit` if written."""
    if _absent(errors, request, path, key, required):
        return None
    try:
        text = _read_text(errors, request, path, key, unit)
    except Refused:
        return None
    name = field_name(path)
    if text is None:
        errors.add(path, "not_a_number", field=name)
        return None
    negative = text.startswith("-") and NUMBER.match(text[1:])
    if negative:
        errors.add(path, "negative", field=name)
        return None
    if not NUMBER.match(text):
        errors.add(path, "not_a_number", field=name)
        return None
    whole, _, fraction = text.partition(".")
    if len(fraction.rstrip("0")) > places:
        errors.add(path, "too_many_decimals", field=name, places=places)
        return None
    if len(whole.lstrip("0")) > MAX_NUMBER_TEXT or Decimal(text) > maximum:
        errors.add(path, "too_large", field=name, maximum=_plain(maximum))
        return None
    value = Decimal(text)
    if positive and value == 0:
        errors.add(path, "must_be_positive", field=name)
        return None
    return value


def read_whole(errors, request, path, key, *, minimum, maximum, required=False, unit=None):
    """A whole number from `minimum` to `maximum` (a JSON integer or digits in a string), in `unit` if written."""
    if _absent(errors, request, path, key, required):
        return None
    try:
        text = _read_text(errors, request, path, key, unit)
    except Refused:
        return None
    name = field_name(path)
    if text is None or not NUMBER.match(text.lstrip("-")):
        errors.add(path, "not_a_whole_number", field=name)
        return None
    if text.startswith("-"):
        errors.add(path, "negative", field=name)
        return None
    if not DIGITS.match(text):
        if unit is not None and isinstance(request[key], str):  # "1.5头": a count has no fraction
            errors.add(path, "fraction_in_count", field=name, typed=_shown(request[key].strip()))
        else:
            errors.add(path, "not_a_whole_number", field=name)
        return None
    if len(text) > MAX_NUMBER_TEXT or int(text) > maximum:
        errors.add(path, "too_large", field=name, maximum=_plain(maximum))
        return None
    value = int(text)
    if value < minimum:
        errors.add(path, "too_small", field=name, minimum=minimum)
        return None
    return value


# ---- years: one rule for every year field (reading policy_years)
# A year the policy could apply to: from the first calendar year after the policy's date (13 November 2017,
# so 2018) to [limits] max_year. One named exception: an exit year is a fact of the household's past, and
# may be as early as the earliest exit year the policy names ([limits] min_year: 2014, measure 9).
FIRST_POLICY_YEAR = POLICY.meta["date_of_issue"].year + 1
EXIT_YEAR_FIELDS = ("exit_year",)  # the named exception, wherever the field is (a form, a register row)


def year_range(key):
    """(first, last) year the field `key` accepts; the form's hints and the error say the same range."""
    first = int(POLICY.limits["min_year"]) if key in EXIT_YEAR_FIELDS else FIRST_POLICY_YEAR
    return first, int(POLICY.limits["max_year"])


def read_year(errors, request, path, key, *, required=False):
    """A calendar year in `year_range(key)`; outside it, the one error every year field gives."""
    low, high = year_range(key)
    if _absent(errors, request, path, key, required):
        return None
    try:
        text = _read_text(errors, request, path, key, "year")
    except Refused:
        return None
    if text is None or not DIGITS.match(text) or len(text) > 8 or not low <= int(text) <= high:
        errors.add(path, "not_a_year", field=field_name(path), minimum=low, maximum=high)
        return None
    return int(text)


def read_bool(errors, request, path, key, *, required=True):
    """A yes/no answer: JSON true or false only."""
    if key not in request or request[key] is None:
        if required:
            errors.add(path, "required", field=field_name(path))
        return None
    if not isinstance(request[key], bool):
        errors.add(path, "not_a_boolean", field=field_name(path))
        return None
    return request[key]


def read_choice(errors, request, path, key, accepted, *, required=True):
    """One of the accepted identifiers."""
    if _absent(errors, request, path, key, required):
        return None
    value = request[key]
    if not isinstance(value, str) or value not in accepted:
        errors.add(path, "unknown_choice", field=field_name(path), value=_shown(value), accepted=", ".join(accepted))
        return None
    return value


def read_text(errors, request, path, key):
    """A short free text (a household's name in a share table)."""
    value = request.get(key)
    if value is None or value == "":
        errors.add(path, "required", field=field_name(path))
        return None
    if not isinstance(value, str):
        errors.add(path, "not_text", field=field_name(path))
        return None
    maximum = int(POLICY.limits["max_text_length"])
    if len(value) > maximum:
        errors.add(path, "text_too_long", field=field_name(path), maximum=maximum)
        return None
    return _valid_unicode(value).strip()


def read_date(errors, request, path, key):
    """An ISO date on or after the date of issue; None means the rules in force now."""
    value = request.get(key)
    if value is None or value == "":
        return None
    issued = POLICY.meta["date_of_issue"]
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        when = datetime.date.fromisoformat(value)
    except ValueError:
        errors.add(path, "not_a_date", field=field_name(path))
        return None
    if when < issued:
        errors.add(path, "date_before_policy", field=field_name(path), issued=issued.isoformat())
        return None
    return when


def read_mapping(errors, request, path, key, accepted):
    """An object whose keys must all be accepted identifiers (crops, animals); {} when absent."""
    value = request.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(path, "not_an_object")
        return {}
    for name in value:
        if name not in accepted:
            errors.add(f"{path}.{_shown(name)}", "unknown_choice", field=field_name(path),
                       value=_shown(name), accepted=", ".join(accepted))
    return {name: value[name] for name in accepted if name in value}


def check_fields(errors, request, path, accepted):
    """Reject fields the measure does not know, listing the ones it does."""
    for name in request:
        if name not in accepted:
            where = f"{path}.{_shown(name)}" if path else _shown(name)
            errors.add(where, "unknown_field", name=_shown(name), accepted=", ".join(accepted))


def _shown(value):
    """A user's value made safe to echo in a message: text only, and short."""
    text = value if isinstance(value, str) else repr(value)
    return _valid_unicode(text if len(text) <= 40 else text[:37] + "...")


def _valid_unicode(text):
    """Text that can be written as UTF-8: a lone surrogate (JSON allows "\\ud800") becomes U+FFFD."""
    return SURROGATE.sub("\ufffd", text)


def _plain(value):
    """A limit written out with thousands separators, no exponent."""
    return f"{Decimal(value):,f}"
