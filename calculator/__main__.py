"""`python -m calculator '{"measure": ...}'` (or the JSON on stdin): print the result as JSON."""

import json
import sys
from decimal import Decimal

from . import calculate


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text = argv[0] if argv else sys.stdin.read()
    try:
        request = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        request = error  # not JSON: calculate() answers with its bilingual not_an_object error
    result = calculate(request)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
