"""The write stage: the built files written into a fresh staging folder beside the output folder,
checked there, then swapped into place, so a failing build never touches the published folder; and
an output folder is only ever replaced when the build wrote it (its marker file)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .config import BuildError

# Written into every output folder; a folder is replaced only when it holds this file (or is empty).
MARKER = ".qinyuan-build.txt"
MARKER_TEXT = ("Written by build.py (Qinyuan policy site). This whole folder is replaced on every build;\n"
               "do not keep other files in it.\n")


def check_replaceable(out):
    """Refuse, before any work, an output folder the build did not write: a non-empty folder without the marker."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(f"--out {out} is not empty and was not written by this build (no {MARKER} file in it); "
                         "refusing to delete it: choose an empty or new folder")


def stage(files, out):
    """Write the files into a new temporary folder beside `out` (same file system, so the swap is a rename)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    write_files(files, staging)
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return staging


def swap_in(staging, out):
    """Put the checked staging folder in place of `out`: the old folder renamed aside, the new one renamed
    in (two renames: never a half-written folder), then the old one deleted."""
    staging, out = Path(staging), Path(out)
    check_replaceable(out)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging):
    shutil.rmtree(staging, ignore_errors=True)


def write_files(files, out):
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
