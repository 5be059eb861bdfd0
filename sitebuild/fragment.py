"""scenario_fragment: a calculate() request as the URL fragment that QR codes, examples and
'open in calculator' links carry (the browser calculator parses the same format)."""

from __future__ import annotations

from urllib.parse import quote

from calculator import RULES_VERSION


def scenario_fragment(request):
    """A calculate() request as a URL fragment (without '#'): what QR codes and 'open in calculator' links carry.

    'measure=<m>' first, then every other field in sorted key order, nested keys dotted
    (crops.solar_greenhouse=0.5, share_table.0.shares=3), then 'v=<RULES_VERSION>' so a
    printed link can say which rules it was made under. Booleans are true/false; keys and
    values are percent-encoded (UTF-8) with only A–Z a–z 0–9 - . _ ~ left as they are.
    The browser calculator mirrors this function; keep the two in step.
    """
    pairs = [("measure", str(request["measure"]))]

    def walk(prefix, value):
        if isinstance(value, dict):
            for key in sorted(value):
                walk(f"{prefix}.{key}" if prefix else key, value[key])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}", item)
        elif value is None:
            return
        elif isinstance(value, bool):
            pairs.append((prefix, "true" if value else "false"))
        else:
            pairs.append((prefix, str(value)))

    walk("", {k: v for k, v in request.items() if k not in ("measure", "rules_version")})
    pairs.append(("v", RULES_VERSION))
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
