"""Amounts and parameter values on the pages: the build's door to calculator/display.py, the one formatter
(the browser shows the same module's `display` texts). Only what is build-specific lives here."""

from __future__ import annotations

from calculator import POLICY, display
from calculator.display import format_value, money, quantity  # noqa: F401  (re-exported for the renderers)
from calculator.money import plain

from .config import BuildError


def format_param(name, lang, when=None):
    """param(name) in a page: the value in force on the build's as-of date `when`, with its unit; an
    unknown name is a build error."""
    if name not in POLICY.parameters:
        raise BuildError(f"param('{name}'): no such parameter in calculator/parameters.toml")
    return display.format_param(name, lang, when)


def raw_value(value):
    """A parameter value as data attributes carry it: plain decimals, comma-joined for a schedule."""
    return ",".join(plain(v) for v in value) if isinstance(value, tuple) else plain(value)
