"""The whole build, load -> compute -> render -> write (staged) -> check -> swap in, as one function that returns the
Site or raises BuildError listing every problem; the base URL and prefix normalised."""

from __future__ import annotations

import datetime
import re
import traceback
from pathlib import Path

import jinja2

from .checks import check
from .compute import check_catalogue, check_references, compute_examples
from .config import ROOT, SRC, BuildError
from .load import load
from .render import render
from .runtime import precompress
from .write import check_replaceable, discard, stage, swap_in


LOCAL_BASE_URL = "http://127.0.0.1:8000"


def normalise(base_url, prefix):
    base_url = base_url.rstrip("/")
    if not re.match(r"^https?://[^/]+$", base_url):
        raise BuildError(f"--base-url must be scheme and host only, like https://www.example.gov.cn (got {base_url!r}); "
                         "put any path in --prefix")
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return base_url, prefix


def template_problem(error):
    """A Jinja error as one line naming the template and line (it used to say <unknown>)."""
    if isinstance(error, jinja2.TemplateSyntaxError) and (error.filename or error.name):
        return f"templates/{Path(error.filename or error.name).name}, line {error.lineno}: {error.message}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml", ".svg"))]
    where = f"templates/{Path(frames[-1].filename).name}, line {frames[-1].lineno}" if frames else "a template"
    return f"{where}: {error}"


def build(out=None, *, src=SRC, base_url=None, prefix=None, as_of=None):
    """load → compute → render → write → check. Returns the Site; raises BuildError listing every problem.
    as_of: the date whose values the pages show (a datetime.date; today when None). Values announced for
    a later date appear as dated rows beside the current ones."""
    as_of = as_of or datetime.date.today()
    src = Path(src)
    out = Path(out) if out else ROOT / "dist"
    check_replaceable(out)  # before any work: never a folder the build did not write
    source = load(src)
    settings = source.config["site"]
    # No base URL anywhere (site.toml [site] base_url is empty until the county's address is known): a local
    # build whose leaflets and QR kit say "not for printing" (readings-build).
    base_url, prefix = normalise(base_url or settings["base_url"] or LOCAL_BASE_URL,
                                 prefix if prefix is not None else settings["prefix"])
    problems = check_catalogue() + check_references(source)
    if problems:
        raise BuildError(problems)
    results = compute_examples(source, as_of)
    try:
        site = render(source, base_url, prefix, results, as_of)
    except jinja2.TemplateError as error:
        raise BuildError(template_problem(error)) from None
    files = dict(site.files)
    precompress(files)
    # Written and checked in a staging folder; the output folder is replaced only by a build that passed.
    staging = stage(files, out)
    try:
        problems = check(staging, base_url, prefix)
        if problems:
            raise BuildError(problems)
        swap_in(staging, out)
    finally:
        discard(staging)
    return site
