"""docs/api.md is generated from the rule module: it must match what the module says now."""

from pathlib import Path

import pytest

from calculator import MEASURES

ROOT = Path(__file__).resolve().parent.parent


def test_api_doc_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_api", ROOT / "docs/generate_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    assert current == module.render(), "docs/api.md is stale: run python docs/generate_api.py"


@pytest.mark.parametrize("measure", sorted(MEASURES))
def test_api_doc_shows_every_measure(measure):
    assert f"## `{measure}`" in (ROOT / "docs/api.md").read_text(encoding="utf-8")
