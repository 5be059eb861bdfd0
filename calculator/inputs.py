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


class Errors:
    """Collects input errors in request order; lists the first MAX_ERRORS and counts the rest."""

    def __init__(self):
        self.listed = []
        self.unlisted = 0

    def add(self, path, code, **fields):
        self._keep(lambda: self._item(path, code, **fields))

    def adopt(self, other, paths):
        """A sub-request's errors (a composed measure's), each path renamed by `paths` where it names one."""
        for item in other.listed:
            self._keep(lambda item=item: {**item, "path": paths.get(item["path"], item["path"])})
        self.unlisted += other.unlisted

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


def read_decimal(errors, request, path, key, *, places, maximum, required=False, positive=False):
    """A non-negative decimal with at most `places` decimals and at most `maximum`."""
    if _absent(errors, request, path, key, required):
        return None
    text = _number_text(request[key])
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


def read_whole(errors, request, path, key, *, minimum, maximum, required=False):
    """A whole number from `minimum` to `maximum` (a JSON integer or digits in a string)."""
    if _absent(errors, request, path, key, required):
        return None
    text = _number_text(request[key])
    name = field_name(path)
    if text is None or not NUMBER.match(text.lstrip("-")):
        errors.add(path, "not_a_whole_number", field=name)
        return None
    if text.startswith("-"):
        errors.add(path, "negative", field=name)
        return None
    if not DIGITS.match(text):
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


def read_year(errors, request, path, key, *, required=False):
    """A calendar year within the limits of the parameter file."""
    low, high = int(POLICY.limits["min_year"]), int(POLICY.limits["max_year"])
    if _absent(errors, request, path, key, required):
        return None
    text = _number_text(request[key])
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
