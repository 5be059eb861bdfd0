#!/usr/bin/env python3
"""Build the bilingual static site of the Qinyuan County policy into dist/.

    python build.py [--base-url URL] [--prefix /path/] [--out dist] [--as-of YYYY-MM-DD] [--serve [--port 8000]]
                    [--trace-stdlib]

The command line only. The build itself is the package sitebuild/, one module per stage:

    load     site.toml, content/{zh,en}/*.md, examples.toml, the policy text in both languages
    compute  worked examples through calculator.calculate, rate tables from calculator.POLICY
    render   Jinja2 templates (site_src/templates/) into a {path: bytes} mapping
    write    that mapping into the output folder, sorted, nothing else
    check    parse what was written: links, anchors, language pairs, hreflang, canonical

Every figure on every page comes from the rule module (calculator/): a rate through
POLICY, an amount through calculate(). Nothing is typed twice. Any problem the build
can detect (a broken link, a page in one language only, a missing text, a clause with
no anchor, an example that does not compute) stops it with a readable list.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

try:
    from sitebuild.config import ROOT, BuildError
    from sitebuild.pipeline import build
    from sitebuild.runtime import STDLIB_KEEP, trace_stdlib
    from sitebuild.serve import serve
except ValueError as error:  # a data file of the rule module (calculator/*.toml) is broken: say which, no traceback
    if __name__ != "__main__":
        raise
    print(f"build failed: {error}", file=sys.stderr)
    sys.exit(1)


def as_of_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-01-31: {text!r}") from None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the bilingual static site into dist/ (defaults in site_src/site.toml).")
    parser.add_argument("--base-url", help="scheme and host the site is published at, e.g. https://www.example.gov.cn")
    parser.add_argument("--prefix", help="path the site lives under, e.g. /fupin/ (default /)")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output folder (default dist/)")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="YYYY-MM-DD",
                        help="show the values in force on this date (default today); later ones appear as dated rows")
    parser.add_argument("--serve", action="store_true", help="after building, serve the output on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--trace-stdlib", action="store_true",
                        help="rewrite site_src/runtime/stdlib-keep.txt from a run of every case file in Pyodide")
    args = parser.parse_args(argv)
    if args.trace_stdlib:
        kept = trace_stdlib()
        print(f"{STDLIB_KEEP.relative_to(ROOT)}: {len(kept)} files")
        return 0
    base_url = args.base_url
    if args.serve and not base_url:
        base_url = f"http://127.0.0.1:{args.port}"
    started = time.perf_counter()
    try:
        site = build(args.out, base_url=base_url, prefix=args.prefix,
                     **({"as_of": args.as_of} if args.as_of else {}))
    except BuildError as error:
        print(f"build failed: {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    pages = sum(1 for p in site.files if p.endswith(".html"))
    print(f"built {len(site.files)} files ({pages} pages) into {args.out} in {elapsed:.2f} s")
    for note in site.notes:
        print(f"note: {note}")
    if not site.printable:
        print(f"warning: base URL {site.base_url} is not where the site is published: leaflets and the QR kit say "
              "'not for printing'. Set [site] base_url in site_src/site.toml or pass --base-url https://…",
              file=sys.stderr)
    if not site.contacts_filled:
        print("warning: where to ask is not filled in: pages say '待县里填写 / To be filled in by the county' and "
              "leaflets say 'not for printing'. Fill [[contacts.townships]] in site_src/site.toml", file=sys.stderr)
    if args.serve:
        serve(args.out, args.port, site.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
