"""Number and amount formatting for the pages: grouped figures, 万元, money in either language,
parameter values with their units, quantities in result lines. Decimals only, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from calculator import POLICY
from calculator.money import plain

from .config import BuildError


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
