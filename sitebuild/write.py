"""The write stage: the output folder replaced by exactly the built files, in sorted order
(and refusing to delete a folder that is not a previous build)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .config import BuildError


def write(files, out):
    """Replace the output folder with exactly these files, in sorted order."""
    out = Path(out)
    if out.exists():
        leftovers = [p for p in out.iterdir()]
        if leftovers and not (out / "sitemap.xml").exists():
            raise BuildError(f"{out} exists and does not look like a previous build (no sitemap.xml); "
                             "refusing to delete it")
        shutil.rmtree(out)
    write_files(files, out)


def write_files(files, out):
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
