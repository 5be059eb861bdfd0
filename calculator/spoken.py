"""How figures sound when a page reads them aloud, in Chinese and English.

display.py writes a figure for the eye ("9,850.00 元"); a speech voice reads such text
unreliably (separators, decimals), so every figure the calculator may read aloud also
carries words written here ("九千八百五十元", "nine thousand eight hundred and fifty yuan"), exact
to the fen. Values are Decimals or decimal strings, never floats; standard library only, the same
text in CPython and in Pyodide.
"""

from decimal import Decimal

from .params import MESSAGES, POLICY

LANGS = ("zh", "en")

# ---------------------------------------------------------------- Chinese

ZH_DIGITS = "零一二三四五六七八九"
ZH_YEAR_DIGITS = "〇一二三四五六七八九"  # a year is read digit by digit: 二〇一九年
ZH_SMALL_UNITS = ("", "十", "百", "千")
ZH_GROUP_UNITS = ("", "万", "亿", "万亿")


def _zh_group(n):
    """0 < n < 10000 as Chinese words, zeros inside collapsed to one 零, none at the end."""
    digits = f"{n:04d}"
    words, zero = [], False
    for i, ch in enumerate(digits):
        d = int(ch)
        if d == 0:
            zero = bool(words)
            continue
        if zero:
            words.append("零")
            zero = False
        words.append(ZH_DIGITS[d] + ZH_SMALL_UNITS[3 - i])
    return "".join(words)


def zh_integer(n):
    """A whole number as Chinese words: 10 → 十, 10010 → 一万零一十, 20000 → 两万."""
    if n < 0:
        return "负" + zh_integer(-n)
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        if words and (group < 1000 or groups[index + 1] % 10 == 0):
            words.append("零")  # a zero between: 十万零五千, 一万零一十
        words.append(_zh_group(group) + ZH_GROUP_UNITS[index])
    text = "".join(words)
    if text.startswith("一十"):
        text = text[1:]  # 十万, not 一十万
    if text.startswith("二") and text[1:2] in ("千", "万", "亿"):
        text = "两" + text[1:]  # 两千, 两万: as said aloud
    return text


def zh_decimal(value):
    """A non-money decimal as Chinese words: 0.5 → 零点五, 2 → 二, 1.25 → 一点二五."""
    value = Decimal(value)
    sign = "负" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _, frac = text.partition(".")
    words = zh_integer(int(whole))
    if frac:
        words += "点" + "".join(ZH_DIGITS[int(d)] for d in frac)
    return sign + words


def zh_count(value):
    """A count before a measure word: 2 → 两 (两头, 两亩), else the number's words."""
    words = zh_decimal(value)
    return "两" if words == "二" else words


def zh_amount(value):
    """An amount of yuan to the fen: 9850 → 九千八百五十元, 1000.05 → 一千元零五分, 100000.10 → 十万元零一角."""
    value = Decimal(value).quantize(Decimal("0.01"))
    if value < 0:
        return "负" + zh_amount(-value)
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if yuan == 0 and jiao == 0 and fen == 0:
        return "零元"
    words = ""
    if yuan:
        words = ("两" if yuan == 2 else zh_integer(yuan)) + "元"
    if jiao:
        if yuan and yuan % 10 == 0:
            words += "零"  # 十万元零一角
        words += ZH_DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            words += "零"  # 一千元零五分
        words += ZH_DIGITS[fen] + "分"
    return words


def zh_year(value):
    """A calendar year read as a year: 2019 → 二〇一九年."""
    return "".join(ZH_YEAR_DIGITS[int(d)] for d in str(int(Decimal(value)))) + "年"


# ---------------------------------------------------------------- English

EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
EN_SCALES = ("", " thousand", " million", " billion", " trillion")


def _en_below_hundred(n):
    if n < 20:
        return EN_ONES[n]
    return EN_TENS[n // 10] + ("-" + EN_ONES[n % 10] if n % 10 else "")


def _en_below_thousand(n):
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(EN_ONES[hundreds] + " hundred")
    if rest:
        words.append(("and " if hundreds else "") + _en_below_hundred(rest))
    return " ".join(words)


def en_integer(n):
    """A whole number in English words: 9850 → nine thousand eight hundred and fifty."""
    if n < 0:
        return "minus " + en_integer(-n)
    if n == 0:
        return "zero"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        part = _en_below_thousand(group) + EN_SCALES[index]
        if index == 0 and words and group < 100:
            part = "and " + part  # one thousand and five
        words.append(part)
    return " ".join(words)


def en_decimal(value):
    """A non-money decimal in English words: 0.5 → zero point five."""
    value = Decimal(value)
    sign = "minus " if value < 0 else ""
    whole, _, frac = format(abs(value).normalize(), "f").partition(".")
    words = en_integer(int(whole))
    if frac:
        words += " point " + " ".join(EN_ONES[int(d)] for d in frac)
    return sign + words


def en_amount(value):
    """An amount of yuan to the fen: 1000.05 → one thousand yuan and five fen; 0.01 → one fen."""
    value = Decimal(value).quantize(Decimal("0.01"))
    if value < 0:
        return "minus " + en_amount(-value)
    fen_total = int(value * 100)
    yuan, fen = divmod(fen_total, 100)
    parts = []
    if yuan or not fen:
        parts.append(en_integer(yuan) + " yuan")
    if fen:
        parts.append(en_integer(fen) + " fen")
    return " and ".join(parts)


def en_year(value):
    """A calendar year as said: 2019 → twenty nineteen, 2005 → two thousand and five."""
    n = int(Decimal(value))
    high, low = divmod(n, 100)
    if 2000 <= n < 2010 or low == 0 and high % 10 == 0:
        return en_integer(n)
    if low == 0:
        return en_integer(high) + " hundred"
    return en_integer(high) + " " + ("oh-" + EN_ONES[low] if low < 10 else _en_below_hundred(low))


# ---------------------------------------------------------------- both languages

def amount(value, lang):
    """An amount of yuan, exact to the fen, as words."""
    return zh_amount(value) if lang == "zh" else en_amount(value)


def year(value, lang):
    """A calendar year as words."""
    return zh_year(value) if lang == "zh" else en_year(value)


# Chinese measure words where a unit's label is not one (头（只） is written for both 头 and 只).
ZH_MEASURE_WORDS = {"head": "头", "mu": "亩", "shares": "股", "people": "人", "households": "户", "years": "年"}


def quantity(value, unit, lang, noun=None):
    """A counted quantity: '两头牛' / 'two head of cattle' with an animal's noun (spoken.<animal> in
    messages.toml), else the number and its unit: '零点五亩' / 'zero point five mu'."""
    if noun is not None:
        key = f"spoken.{noun}_one" if lang == "en" and Decimal(value) == 1 else f"spoken.{noun}"
        number = zh_count(value) if lang == "zh" else en_decimal(value)
        return MESSAGES.text(key, n=number)[lang]
    if lang == "zh":
        return zh_count(value) + ZH_MEASURE_WORDS.get(unit, POLICY.units[unit]["zh"])
    label = POLICY.units[unit]["en"]
    if Decimal(value) == 1 and label.endswith("s") and unit != "mu":
        label = label[:-1] if unit != "people" else "person"
    return f"{en_decimal(value)} {label}"


def both(function, *args, **kwargs):
    """{"zh": ..., "en": ...} of one spoken form."""
    return {lang: function(*args, lang, **kwargs) for lang in LANGS}
