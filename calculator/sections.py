"""Which part of the form an error is in, named with the error ("退耕还林：请填写面积（亩）。").

The household overview asks its profile in sections (who we are, what we plant and raise, land,
Grain for Green, village shares, a project, a loan); a field's section is that of the top-level
field its path starts with. Every other measure's form is one section, named by the measure's
title. The page's section headings (the overview's legends) are these same texts, so an error
always names what the resident sees. The bookkeeper's register names rows and columns instead.
"""

from .params import MESSAGES

# The household overview's sections, in the order its form asks them, and the fields of each.
OVERVIEW_SECTIONS = {
    "who": ("registered_poor", "exit_year", "start_year"),
    "farm": ("crops", "crop_years", "livestock", "livestock_year"),
    "land": ("land_transfer_mu", "land_transfer_from_year", "land_transfer_to_year"),
    "grain": ("grain_to_forest",),
    "shares": ("collective",),
    "project": ("project_type",),
    "loan": ("loan_amount",),
}
SECTION_OF_FIELD = {field: section for section, fields in OVERVIEW_SECTIONS.items() for field in fields}
PROFILE_MEASURES = ("household_overview", "household_whatif")  # the measures that take the sectioned profile
UNSECTIONED = ("dividend_register",)  # its errors name the row and column of the bookkeeper's list
COMMON = ("", "measure", "date", "rules_version")  # the request itself, not a field of a form


def section_of(measure, path):
    """{"id", "zh", "en"} of the section a field belongs to, or None (the request itself, the register)."""
    top = path.split(".")[0].split("[")[0]
    if measure in UNSECTIONED or top in COMMON:
        return None
    if measure in PROFILE_MEASURES:
        section = SECTION_OF_FIELD.get(top)
        return None if section is None else {"id": section, **MESSAGES.text(f"section.{section}")}
    return {"id": measure, **MESSAGES.text(f"measure.{measure}")}


# A message led by its field's name and a colon ("种植道地中药材：“三亩半”请写成 3.5。") already has the
# colon of its own level: led by a section too it takes the section's other separator (error.in_section_field),
# so it never reads "种什么、养什么：种植道地中药材：…". Told by the message's template, per language.
FIELD_LED = {"zh": "{field}：", "en": "{field}: "}


def _field_led(code, lang):
    template = MESSAGES.entries.get(f"error.{code}", {}).get(lang, "")
    return template.startswith(FIELD_LED[lang])


def in_section(section, item):
    """{"zh", "en"}: the item's message led by its section's name, one separator per level."""
    texts = {}
    for lang in ("zh", "en"):
        key = "error.in_section_field" if _field_led(item.get("code", ""), lang) else "error.in_section"
        texts[lang] = MESSAGES.text(key, section=section, message={"zh": item["zh"], "en": item["en"]})[lang]
    return texts


def name_sections(measure, items):
    """The error items, each with its `section` and `in_section`: the message led by the section's name.

    `zh`/`en` stay the field's own message (beside the field, the section is its heading);
    `in_section` is what a list of errors away from the fields shows (the error summary). Items
    of the request itself have neither.
    """
    named = []
    for item in items:
        section = section_of(measure, item["path"])
        if section is None:
            named.append(item)
            continue
        named.append({**item, "section": section, "in_section": in_section(section, item)})
    return named
