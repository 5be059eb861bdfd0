"""How numbers read, in Chinese and English: the one formatter of amounts, quantities, rates and years.

The build's pages (rate tables, worked examples) and the rule module's answers (the `display`
text beside every figure, which the calculator page shows as it is) both format here.
Values are Decimals or decimal strings, never floats. Standard library only.
"""

from decimal import ROUND_HALF_UP, Decimal

from .money import plain
from .params import POLICY

NBSP = "\u00a0"  # no break between a figure and its unit on pages
LANGS = ("zh", "en")
# English unit labels for exactly one of them ("1 share", "2 shares"); other units read the same.
EN_SINGULAR = {"shares": "share", "households": "household", "people": "person", "years": "year"}


# ---------------------------------------------------------------- numbers

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


def approximate(value, places=4):
    """An exact value for a sentence: as it is when it has at most `places` decimals, else ≈ and `places`."""
    value = Decimal(value)
    text = plain(value)
    if "." in text and len(text.split(".")[1]) > places:
        return "≈" + plain(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
    return text


def approximate_grouped(value, places=4):
    """`approximate` with thousands separators: the one way a trace writes an exact figure ('≈6,538.4615')."""
    text = approximate(value, places)
    mark = "≈" if text.startswith("≈") else ""
    return mark + _group(text[len(mark):])


def wan(value):
    """A large amount in 万元 for the gloss beside it: exact when that takes at most two decimals
    ('1.5'), else 约 and at most two decimals ('约1.2' for 11,999.99 yuan)."""
    w = Decimal(value) / 10000
    cut = w.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if cut == w:
        return number(w)
    return "约" + number(cut)


def year(value, lang):
    """A calendar year: '2015年' in Chinese, '2015' in English."""
    text = plain(Decimal(value))
    return f"{text}年" if lang == "zh" else text


# ---------------------------------------------------------------- money on pages

def money_zh(value, cents=False, suffix=""):
    """Chinese: '20,000 元（2万元）'; the 万元 form beside amounts of 10,000 or more (GB/T 15835 style)."""
    value = Decimal(value)
    text = f"{number(value, 2 if cents else None)}{NBSP}元{suffix}"
    if abs(value) >= 10000:
        text += f"（{wan(value)}万元{suffix}）"
    return text


def money_en(value, cents=False, suffix="", space=NBSP):
    """English: '20,000 yuan' (the glossary's word, after the figure, as the traces write it);
    no break before 'yuan' on pages, a plain space in the `display` texts, as in Chinese."""
    value = Decimal(value)
    return f"{number(value, 2 if cents else None)}{space}yuan{suffix}"


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
            return "、".join(number(v) for v in values) + f"{NBSP}元{suffix}"
        if lang == "zh":
            return money_zh(values[0], suffix=suffix)
        if len(values) > 1:
            return _join([number(v) for v in values], lang) + f"{NBSP}yuan{suffix}"
        return money_en(values[0], suffix=suffix)
    if unit == "ratio":
        return _join([f"{plain(v * 100)}%" for v in values], lang)
    if unit == "year":
        return _join([year(v, lang) for v in values], lang)
    label = POLICY.units[unit][lang]
    if lang == "en" and unit == "years" and all(v == 1 for v in values):
        label = "year"
    joined = _join([number(v) for v in values], lang)
    return f"{joined}{label}" if lang == "zh" else f"{joined} {label}"


def format_param(name, lang, when=None):
    """param(name): the value in force on `when` (today when None), with its unit, for the page language.

    Raises KeyError for a name that is not a parameter (the build turns it into its own error).
    """
    parameter = POLICY[name]
    return format_value(parameter.at(when), parameter.unit, lang)


def quantity(value, unit, lang):
    """A quantity in a result line on a page: yuan as money, anything else with its unit label."""
    if unit == "yuan":
        return money(value, lang)
    label = POLICY.units[unit][lang] if unit else ""
    return f"{number(value)}{NBSP}{label}".strip()


# ---------------------------------------------------------------- the `display` text of results

def amount(value, lang):
    """A result's money amount as the calculator page shows it: '13,000.00 元（1.3万元）', '13,000.00 yuan'.

    Two decimals always; in Chinese the 万元 gloss (`wan`: exact to two decimals, else 约) beside
    amounts of 10,000 yuan or more.
    """
    value = Decimal(value)
    if lang == "en":
        return money_en(value, cents=True, space=" ")
    text = f"{number(value, 2)} 元"
    if abs(value) >= 10000:
        text += f"（{wan(value)}万元）"
    return text


def unit_text(value, unit, lang):
    """A counted quantity with its unit label: '0.5 亩', '2 shares', '1 share'."""
    label = POLICY.units[unit][lang]
    if lang == "en" and Decimal(value) == 1:
        label = EN_SINGULAR.get(unit, label)
    return f"{number(value)} {label}"


def rate_text(value, unit, lang):
    """A rate with its unit: '20,000 元/亩', '20,000 yuan per mu', '6%'."""
    value = Decimal(value)
    if unit == "ratio":
        return f"{plain(value * 100)}%"
    if is_money(unit):
        if lang == "en":
            return money_en(value, space=" ") + money_suffix(unit, lang)
        return f"{number(value)} {POLICY.units[unit][lang]}"
    return unit_text(value, unit, lang)


def both(function, *args):
    """{"zh": ..., "en": ...} of one formatter."""
    return {lang: function(*args, lang) for lang in LANGS}


MONEY_FIELDS = ("amount", "amount_before_cap", "cap", "cut", "min", "max", "base", "minimum", "actual", "shortfall")


def describe(item, quantity_unit=None, rate_unit=None):
    """The `display` dict of one result object: every numeric field of `item` as zh/en text.

    Money fields read as amounts; `quantity` in `quantity_unit` (money when that is yuan);
    `rate` in `rate_unit`; `share` as a percent; `year` as a calendar year; `installment` as its number.
    """
    shown = {}
    for field, value in item.items():
        if value is None or field == "display":
            continue
        if field in MONEY_FIELDS:
            shown[field] = both(amount, value)
        elif field == "quantity" and quantity_unit:
            shown[field] = both(amount, value) if quantity_unit == "yuan" else both(unit_text, value, quantity_unit)
        elif field == "rate" and rate_unit:
            shown[field] = both(rate_text, value, rate_unit)
        elif field == "share":
            shown[field] = both(rate_text, value, "ratio")
        elif field == "year":
            shown[field] = both(year, value)
        elif field == "installment":
            shown[field] = {lang: number(value) for lang in LANGS}
    return shown
