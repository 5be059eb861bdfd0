"""What the build takes from the rule module: how each request field is entered (FIELD_KINDS),
catalogue and clause checks, worked examples through calculate(), rate-table rows from POLICY."""

from __future__ import annotations

import json
import re

from calculator import MEASURES, MESSAGES, POLICY, RULES_VERSION, calculate, calculate_json
from calculator.rules import ANIMALS, CROPS, PROJECT_TYPES
from calculator.params import range_problem

from .config import LANGS, BuildError
from .format import format_param, format_value, raw_value
from .policytext import clause_regions


FIELD_KINDS = {
    # How each request field of calculator.MEASURES is entered and shown. A field the rule
    # module gains without an entry here stops the build, so the form can never lag behind.
    "registered_poor": {"kind": "bool"},
    "uses_revolving_fund": {"kind": "bool"},
    "project_type": {"kind": "choice", "options": PROJECT_TYPES},
    "crops": {"kind": "group", "members": CROPS, "member": "decimal", "unit": "mu"},
    "livestock": {"kind": "group", "members": ANIMALS, "member": "whole", "unit": "head"},
    "land_transfer_mu": {"kind": "decimal", "unit": "mu"},
    "area_mu": {"kind": "decimal", "unit": "mu"},
    "first_year": {"kind": "year"},
    "exit_year": {"kind": "year"},
    "from_year": {"kind": "year"},
    "to_year": {"kind": "year"},
    "labour_spending": {"kind": "money"},
    "poor_pay": {"kind": "money"},
    "injected_funds": {"kind": "money"},
    "requested_amount": {"kind": "money"},
    "agreed_rate_percent": {"kind": "percent"},
    "total_shares": {"kind": "decimal", "unit": "shares"},
    "household_shares": {"kind": "decimal", "unit": "shares"},
    "households": {"kind": "whole", "unit": "households"},
    "share_table": {"kind": "rows", "columns": ("household", "shares")},
    # household_overview (calculator/overview.py): the profile's own fields; "section" is a nested
    # object whose fields are described above. Its form is the overview tab's, not a per-measure form.
    "start_year": {"kind": "year"},
    "crop_years": {"kind": "group", "members": CROPS, "member": "year", "unit": "year"},
    "livestock_year": {"kind": "year"},
    "land_transfer_from_year": {"kind": "year"},
    "land_transfer_to_year": {"kind": "year"},
    "grain_to_forest": {"kind": "section", "fields": ("area_mu", "first_year")},
    "collective": {"kind": "section", "fields": ("injected_funds", "agreed_rate_percent", "total_shares",
                                                 "household_shares")},
    "loan_amount": {"kind": "money"},
    # dividend_register (calculator/register/): the bookkeeper's list comes from a file or a paste
    # ("text") or as rows; its form is the collective's register view, not a per-measure form.
    "distribution_year": {"kind": "year"},
    "village": {"kind": "text"},
    "text": {"kind": "file"},
    "household_rows": {"kind": "rows", "columns": ("household", "shares", "exit_year", "note")},
    "export": {"kind": "export"},
    "notice_options": {"kind": "notice"},  # the printed notice's options, typed in the register form (never in the URL)
}


def message(key, lang, **fields):
    """A message from the rule module's catalogue; a missing key stops the build by name."""
    if key not in MESSAGES:
        raise BuildError(f"message key '{key}' is missing from calculator/messages.toml")
    return MESSAGES.text(key, **fields)[lang]


def field_label(name, lang):
    """A field's label for forms and example inputs: the catalogue's label.* question where it has one
    (a yes/no field reads as a question), else its field.* text, capitalised."""
    if f"label.{name}" in MESSAGES:
        return message(f"label.{name}", lang)
    if f"field.{name}" in MESSAGES:
        text = message(f"field.{name}", lang)
        if lang == "en":
            text = re.sub(r"^the ", "", text)
            text = text[:1].upper() + text[1:]
        return text
    if name in POLICY.parameters:
        p = POLICY[name]
        return p.label_zh if lang == "zh" else p.label_en
    raise BuildError(f"message key 'field.{name}' is missing from calculator/messages.toml "
                     f"(and '{name}' is no parameter either)")


def unit_hint(unit, lang):
    label = POLICY.units[unit][lang]
    return label.replace("（", "/").replace("）", "") if lang == "zh" else label


def member_label(name, unit, lang):
    p = POLICY[name]
    label = p.label_zh if lang == "zh" else p.label_en
    return f"{label}（{unit_hint(unit, lang)}）" if lang == "zh" else f"{label} ({unit_hint(unit, lang)})"


def check_catalogue():
    """Every measure, field, choice and unit the site shows must have its text in both languages."""
    problems = []
    for measure, (_, fields) in MEASURES.items():
        if f"measure.{measure}" not in MESSAGES:
            problems.append(f"message key 'measure.{measure}' is missing from calculator/messages.toml")
        for name in fields:
            if name not in FIELD_KINDS:
                problems.append(f"measure {measure}: field '{name}' has no entry in sitebuild/compute.py FIELD_KINDS")
                continue
            for lang in LANGS:
                try:
                    field_label(name, lang)
                except BuildError as error:
                    problems.extend(error.problems)
            spec = FIELD_KINDS[name]
            for option in spec.get("options", ()):
                if f"project_type.{option}" not in MESSAGES:
                    problems.append(f"message key 'project_type.{option}' is missing")
            for member in spec.get("members", ()):
                if member not in POLICY.parameters:
                    problems.append(f"field {name}: member '{member}' is not a parameter")
            for column in spec.get("columns", ()):
                if f"field.{column}" not in MESSAGES:
                    problems.append(f"message key 'field.{column}' is missing")
    return sorted(set(problems))


def check_references(source):
    """Every parameter cites a clause that exists, its source phrases are verbatim in that clause (Chinese)
    and in the translation (English), and every value is non-negative and written in its Chinese phrase."""
    anchors = {b.anchor for b in source.policy if b.anchor}
    region = clause_regions(source.policy)
    english = "\n".join(b.en for b in source.policy)
    problems = []
    where = "calculator/parameters.toml"
    for name, p in POLICY.parameters.items():
        if p.clause not in anchors:
            problems.append(f"parameter {name}: clause {p.clause} has no anchor in the policy text")
        elif p.source_zh not in region[p.clause]:
            problems.append(f"parameter {name}: source phrase «{p.source_zh}» is not in {p.clause} of the policy text")
        if not p.source_en:
            problems.append(f"parameter {name} ({where}): no source_en, the matching words of the English translation")
        elif p.source_en not in english:
            problems.append(f"parameter {name} ({where}): source_en «{p.source_en}» is not in the English translation")
        problems += value_problems(name, p, where)
    return problems


def value_problems(name, parameter, where="calculator/parameters.toml"):
    """A value typed into the data file must be non-negative and be the number its quoted words state: the
    policy's phrase (source_zh) for the policy's own values, the amending document's words (`source`) for a
    value an amendment set after the policy's issue, which must say where it comes from."""
    problems = []
    issued = POLICY.meta["date_of_issue"]
    for start, value in parameter.values:
        if start > issued and start not in dict(parameter.amendments):
            problems.append(f"parameter {name} ({where}): the value from {start} is an amendment: give "
                            "source = \"<the amending document's number and words>\" beside it")
            continue
        phrase = parameter.source_of(start)
        figures = value if isinstance(value, tuple) else (value,)
        for figure in figures:
            out_of_range = range_problem(parameter.unit, str(figure), figure, POLICY.limits)
            if figure < 0:
                problems.append(f"parameter {name} ({where}): value {figure} from {start} is negative")
            elif out_of_range:  # before any arithmetic on it (a value of 10^30 would not even divide)
                problems.append(f"parameter {name} ({where}): {out_of_range} (the value from {start})")
            elif not value_in_phrase(figure, parameter.unit, phrase):
                problems.append(f"parameter {name} ({where}): value {figure} from {start} is not written in its "
                                f"source phrase «{phrase}»")
    return problems


def value_in_phrase(value, unit, phrase):
    """Is `value` written in `phrase`? A ratio as itself or as a percentage; 20000 as 2万, a range's end as 1-3万."""
    figures = {value, value * 100} if unit == "ratio" else {value}
    written = {f"{f.normalize():f}" for f in figures}
    patterns = [rf"(?<![0-9]){re.escape(w)}(?![0-9])" for w in written]
    if value % 10000 == 0 and value >= 10000:  # 2万元; the ends of a range: 1-3万元
        tens = f"{(value / 10000).normalize():f}"
        patterns += [rf"(?<![0-9]){tens}万", rf"(?<![0-9]){tens}-[0-9]+万"]
    return any(re.search(pattern, phrase) for pattern in patterns)


def compute_examples(source, as_of=None):
    """Run every example through the rule module, with the rules in force on the build's as-of date
    (a date the example gives itself wins); an example that is not ok stops the build."""
    results, problems = {}, []
    for ex_id, ex in source.examples.items():
        request = ex["request"] if as_of is None else {"date": as_of.isoformat(), **ex["request"]}
        result = calculate(request)
        if not result.get("ok"):
            errors = "; ".join(e["en"] for e in result.get("errors", []))
            problems.append(f"example '{ex_id}' does not compute: {errors}")
        results[ex_id] = result
    if problems:
        raise BuildError(problems)
    return results


# ---------------------------------------------------------------- pre-rendered answers (speed)
def example_answers(source):
    """Every worked example's answer as the calculator page's worker gives it, byte for byte:
    calculate_json on the example's request with the rules version its link carries (v=).
    The calculator page shows it at once for an #ex= or QR arrival until the worker confirms it."""
    return {ex_id: calculate_json(json.dumps({**ex["request"], "rules_version": RULES_VERSION}))
            for ex_id, ex in source.examples.items()}
# ---------------------------------------------------------------- end pre-rendered answers


def rate_rows(clause, lang, cite, as_of=None):
    """The rows of a clause's rate table: every parameter citing it, its value in force on the build's
    as-of date (today when None), its source phrase, and any value announced to take effect later
    ("upcoming": [{date, value, raw}], shown as dated rows beside the current one)."""
    rows = []
    for name, p in POLICY.parameters.items():
        if p.clause != clause:
            continue
        value = p.at(as_of)
        upcoming = [{"date": start.isoformat(), "value": format_value(later, p.unit, lang), "raw": raw_value(later)}
                    for start, later in p.upcoming(as_of)]
        rows.append({"name": name, "label": p.label_zh if lang == "zh" else p.label_en,
                     "value": format_param(name, lang, as_of), "raw": raw_value(value),
                     "source": p.source_zh, "source_en": p.source_en if lang == "en" else "", "cite": cite(p.clause),
                     "history": len(p.values) > 1, "upcoming": upcoming})
    return rows
