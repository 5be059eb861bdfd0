"""Cells that are safe to open in a spreadsheet program, and read back exactly as they were written.

Excel and WPS run a CSV cell that starts with `=`, `+`, `-` or `@` as a formula (and treat a leading
tab or carriage return the same way), so a household name such as `=HYPERLINK("http://…?"&A3,"点此")`
could send other households' names off the device when the saved file is opened. Such a cell is
written with a leading apostrophe, as OWASP advises, and the importer takes exactly that apostrophe
off again, so a file saved here and chosen again reads as the same list.

A value that itself begins with apostrophes followed by one of those characters (`'=x`) is given one
more apostrophe on the way out (`''=x`), and the importer takes one off: every value survives the
round trip. A leading apostrophe before anything else (`'阿福`) is written and read as it is.
"""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _triggers(text):
    """Whether a spreadsheet would read `text`, once its leading apostrophes are gone, as a formula."""
    return text.lstrip("'").startswith(TRIGGERS)


def formula_safe(value):
    """The cell as written to a CSV file: text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if _triggers(text) else text


def formula_unescaped(text):
    """A cell as read from a file: the one apostrophe `formula_safe` added, taken off; anything else as it is."""
    return text[1:] if text.startswith("'") and _triggers(text[1:]) else text
