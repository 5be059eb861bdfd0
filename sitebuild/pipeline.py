"""The whole build, load -> compute -> render -> write -> check, as one function that returns the
Site or raises BuildError listing every problem; the base URL and prefix normalised."""

from __future__ import annotations

import re
from pathlib import Path

from .checks import check
from .compute import check_catalogue, check_references, compute_examples
from .config import ROOT, SRC, BuildError
from .load import load
from .render import render
from .runtime import precompress
from .write import write


LOCAL_BASE_URL = "http://127.0.0.1:8000"


def normalise(base_url, prefix):
    base_url = base_url.rstrip("/")
    if not re.match(r"^https?://[^/]+$", base_url):
        raise BuildError(f"--base-url must be scheme and host only, like https://www.example.gov.cn (got {base_url!r}); "
                         "put any path in --prefix")
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return base_url, prefix


def build(out=None, *, src=SRC, base_url=None, prefix=None):
    """load → compute → render → write → check. Returns the Site; raises BuildError listing every problem."""
    src = Path(src)
    source = load(src)
    settings = source.config["site"]
    # No base URL anywhere (site.toml [site] base_url is empty until the county's address is known): a local
    # build whose leaflets and QR kit say "not for printing" (readings-build).
    base_url, prefix = normalise(base_url or settings["base_url"] or LOCAL_BASE_URL,
                                 prefix if prefix is not None else settings["prefix"])
    problems = check_catalogue() + check_references(source)
    if problems:
        raise BuildError(problems)
    results = compute_examples(source)
    site = render(source, base_url, prefix, results)
    out = Path(out) if out else ROOT / "dist"
    files = dict(site.files)
    precompress(files)
    write(files, out)
    problems = check(out, base_url, prefix)
    if problems:
        raise BuildError(problems)
    return site
