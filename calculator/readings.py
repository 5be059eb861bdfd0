"""Load the register of readings (readings.toml): where the policy is silent or ambiguous,
the meaning this site and its calculator take, by id.

Loading is strict, like params.py: an entry with a missing or unknown key, an empty text,
an id that is not snake_case or a clause that is not a clause id stops the load by name.
"""

import re
import tomllib
from pathlib import Path

from .params import CLAUSE_PATTERN

READINGS_FILE = Path(__file__).resolve().parent / "readings.toml"
# The one marker a reading is shown with, on the site's pages and leaflets and on the printed 公示.
MARKER = {"zh": "本站理解", "en": "Our reading"}

KEYS = ("clause", "policy_zh", "policy_en", "reading_zh", "reading_en", "why_zh", "why_en")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class ReadingError(ValueError):
    """The register of readings is incomplete or malformed."""


def _check(reading_id, entry):
    if not ID_PATTERN.match(reading_id):
        raise ReadingError(f"reading {reading_id!r}: the id must be snake_case")
    if not isinstance(entry, dict):
        raise ReadingError(f"reading {reading_id}: must be a table of {', '.join(KEYS)}")
    missing = [key for key in KEYS if key not in entry]
    if missing:
        raise ReadingError(f"reading {reading_id} lacks {', '.join(missing)}")
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise ReadingError(f"reading {reading_id} has unknown keys {', '.join(unknown)}")
    empty = [key for key in KEYS if not isinstance(entry[key], str) or not entry[key].strip()]
    if empty:
        raise ReadingError(f"reading {reading_id}: {', '.join(empty)} must be non-empty text")
    if not CLAUSE_PATTERN.match(entry["clause"]):
        raise ReadingError(f"reading {reading_id}: clause {entry['clause']!r} is not measure-1..10 or section-N[-M]")
    return dict(entry)


def load_readings(path=READINGS_FILE):
    """Read and check the register: {id: {clause, policy_zh, policy_en, reading_*, why_*}}."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    extra = sorted(set(data) - {"readings"})
    if extra or not isinstance(data.get("readings"), dict) or not data["readings"]:
        raise ReadingError(f"{path}: needs one [readings.<id>] table per reading and nothing else"
                           + (f" (found {', '.join(extra)})" if extra else ""))
    return {reading_id: _check(reading_id, entry) for reading_id, entry in data["readings"].items()}


READINGS = load_readings()
