"""`python -m calculator '{"measure": ...}'` (or the JSON on stdin): print the result as JSON."""

import json
import sys

from . import calculate_json


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    result = json.loads(calculate_json(argv[0] if argv else sys.stdin.read()))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
