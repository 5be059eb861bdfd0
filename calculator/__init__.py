"""Qinyuan County industry-based poverty alleviation (2017-11-13): the policy's rules as exact Python.

One entry point, `calculate(request) -> dict`, JSON in and JSON out: the build script, the
command line and the browser (under Pyodide) all call it, so every figure has one source.
Standard library only; valid on CPython 3.11 and Pyodide's 3.14.
"""

import json
from decimal import Decimal, localcontext

from . import inputs
from .money import PRECISION
from .params import MESSAGES, POLICY, cite
from .rules import MEASURES

__version__ = "1.0.0"
RULES_VERSION = POLICY.rules_version
COMMON_FIELDS = ("measure", "rules_version", "date")


def calculate(request):
    """Compute one measure for one request; never raises, whatever JSON value it is given.

    Returns {"ok": true, ...the result...} or {"ok": false, "errors": [...]}, both stamped
    with the module and rules versions.
    """
    try:
        with localcontext(PRECISION):
            response = _calculate(request)
    except Exception:  # a bug must still answer in both languages, never a traceback in a resident's face
        errors = inputs.Errors()
        errors.add("", "internal_error")
        response = {"ok": False, "errors": errors.items}
    response["module_version"] = __version__
    response["rules_version"] = RULES_VERSION
    return response


def calculate_json(text):
    """JSON text in, JSON text out: what the browser worker, Node and the CLI call.

    Numbers are parsed as exact Decimals; text that is not JSON gets the same bilingual
    not_an_object error as any other non-object. Keys are sorted so output is byte-stable.
    """
    try:
        request = json.loads(text, parse_float=Decimal)
    except (TypeError, ValueError, RecursionError):
        request = None
    return json.dumps(calculate(request), ensure_ascii=False, sort_keys=True)


def _calculate(request):
    errors = inputs.Errors()
    if not isinstance(request, dict):
        errors.add("", "not_an_object")
        return {"ok": False, "errors": errors.items}
    measure = inputs.read_choice(errors, request, "measure", "measure", tuple(MEASURES))
    if measure is None:
        return {"ok": False, "errors": errors.items}
    rule, fields = MEASURES[measure]
    inputs.check_fields(errors, request, "", COMMON_FIELDS + fields)
    when = inputs.read_date(errors, request, "date", "date")
    saved_version = request.get("rules_version")
    if saved_version is not None and not isinstance(saved_version, str):
        errors.add("rules_version", "not_text", field=inputs.field_name("rules_version"))
    result = rule(request, errors, when)
    if errors:
        return {"ok": False, "measure": measure, "errors": errors.items}
    if saved_version and saved_version != RULES_VERSION:
        result.warn("rules_changed", "section-4", old=inputs._shown(saved_version), new=RULES_VERSION)
    return result.data


__all__ = ["calculate", "calculate_json", "MEASURES", "MESSAGES", "POLICY", "RULES_VERSION", "cite", "__version__"]
