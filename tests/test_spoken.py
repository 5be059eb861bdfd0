"""calculator/spoken.py: figures as words for reading aloud, exact to the fen, and the overview's `spoken` fields."""

from decimal import Decimal

from hypothesis import given, strategies as st

from calculator import calculate, spoken

AMOUNTS = [
    ("0.01", "一分", "one fen"),
    ("0.10", "一角", "ten fen"),
    ("10", "十元", "ten yuan"),
    ("1000.05", "一千元零五分", "one thousand yuan and five fen"),
    ("9850.00", "九千八百五十元", "nine thousand eight hundred and fifty yuan"),
    ("20000", "两万元", "twenty thousand yuan"),
    ("100000.10", "十万元零一角", "one hundred thousand yuan and ten fen"),
    ("3.50", "三元五角", "three yuan and fifty fen"),
    ("10.55", "十元零五角五分", "ten yuan and fifty-five fen"),
    ("105000", "十万零五千元", "one hundred and five thousand yuan"),
    ("10010", "一万零一十元", "ten thousand and ten yuan"),
    ("13000.00", "一万三千元", "thirteen thousand yuan"),
    ("2", "两元", "two yuan"),
    ("200", "二百元", "two hundred yuan"),
    ("0", "零元", "zero yuan"),
]


def test_amounts_in_both_languages():
    for value, zh, en in AMOUNTS:
        assert spoken.amount(value, "zh") == zh, value
        assert spoken.amount(value, "en") == en, value
        assert spoken.amount(Decimal(value), "zh") == zh


def test_years_read_as_years():
    assert spoken.year(2019, "zh") == "二〇一九年"
    assert spoken.year(2020, "zh") == "二〇二〇年"
    assert spoken.year(2019, "en") == "twenty nineteen"
    assert spoken.year(2005, "en") == "two thousand and five"
    assert spoken.year(2000, "en") == "two thousand"


def test_heads_and_mu():
    assert spoken.quantity("2", "head", "zh", noun="cattle") == "两头牛"
    assert spoken.quantity("2", "head", "en", noun="cattle") == "two head of cattle"
    assert spoken.quantity("1", "head", "en", noun="pig") == "one pig"
    assert spoken.quantity("30", "head", "zh", noun="sheep") == "三十只羊"
    assert spoken.quantity("0.5", "mu", "zh") == "零点五亩"
    assert spoken.quantity("2", "mu", "zh") == "两亩"
    assert spoken.quantity("0.5", "mu", "en") == "zero point five mu"
    assert spoken.quantity("1", "shares", "en") == "one share"


# Reading the Chinese words back: every fen must survive the trip.
DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
SMALL = {"十": 10, "百": 100, "千": 1000}


def _zh_section(text):
    total, digit = 0, None
    for ch in text:
        if ch in DIGIT:
            digit = DIGIT[ch]
        elif ch in SMALL:
            total += (1 if digit is None else digit) * SMALL[ch]
            digit = None
    return total + (digit or 0)


def _zh_integer(text):
    total = 0
    for unit, size in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if unit in text:
            head, text = text.split(unit, 1)
            total += _zh_integer(head) * size if unit == "亿" else _zh_section(head) * size
    return total + _zh_section(text)


def _read_back(words):
    yuan, _, rest = words.partition("元") if "元" in words else ("", "", words)
    value = Decimal(_zh_integer(yuan)) if yuan else Decimal(0)
    rest = rest.lstrip("零")
    if "角" in rest:
        jiao, rest = rest.split("角")
        value += Decimal(DIGIT[jiao]) / 10
    if "分" in rest:
        value += Decimal(DIGIT[rest.rstrip("分")]) / 100
    return value


@given(st.integers(min_value=0, max_value=10 ** 11))
def test_every_fen_reads_back(fen):
    value = Decimal(fen) / 100
    words = spoken.amount(value, "zh")
    assert _read_back(words) == value, words
    assert "零零" not in words and not words.endswith("零")


def test_overview_answer_carries_spoken_forms():
    answer = calculate({"measure": "household_overview", "registered_poor": True, "start_year": 2019,
                        "livestock": {"cattle": 2}, "crops": {"solar_greenhouse": "0.5"}})
    assert answer["ok"]
    year = answer["years"][0]
    assert year["spoken"]["year"] == {"zh": "二〇一九年", "en": "twenty nineteen"}
    assert year["spoken"]["total"] == {"zh": "一万三千元", "en": "thirteen thousand yuan"}
    assert answer["total"]["spoken"]["amount"]["zh"] == "一万三千元"
    livestock = next(item for item in year["items"] if item["id"] == "livestock")
    assert livestock["parts"][0]["spoken"]["quantity"]["zh"] == "两头牛"
    greenhouse = next(item for item in year["items"] if item["id"] == "solar_greenhouse")
    assert greenhouse["spoken"]["quantity"] == {"zh": "零点五亩", "en": "zero point five mu"}
    # Every spoken amount is the same figure as the display text beside it.
    for item in year["items"]:
        assert _read_back(item["spoken"]["amount"]["zh"]) == Decimal(item["amount"])
