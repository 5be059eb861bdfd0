"""Exact money arithmetic and the named rounding rules.

The policy states rates per mu, per head and per household but never how to round; each
rule below is the project's reading, named so that every result and trace can say which
one it applied and why (the explanations live in messages.toml under `rounding.*`).
"""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal

FEN = Decimal("0.01")
PRECISION = Context(prec=60)  # calculate() runs in it: far more digits than any bounded input can produce


def fen_half_up(amount):
    """Rule `fen_half_up`: round a yuan amount half-up to the fen (0.005 → 0.01)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def fen_up(amount):
    """Rule `fen_up`: round a 'not less than' minimum up to the fen, the smallest payable amount that meets it."""
    return amount.quantize(FEN, rounding=ROUND_CEILING)


def yuan(amount):
    """A money amount as the decimal string results carry (always two places)."""
    return str(amount.quantize(FEN))


def plain(value):
    """A quantity, rate or exact intermediate as a decimal string without exponent or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def grouped(value):
    """A money amount with thousands separators, for messages (the UI formats its own figures)."""
    return f"{value.quantize(FEN):,}"


def percent(ratio):
    """A ratio such as 0.06 as the percent text 6."""
    return plain(ratio * 100)
