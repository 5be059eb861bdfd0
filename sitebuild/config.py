"""Paths, languages, site paths (page, leaflet, output file), the CSP and BuildError:
what every stage of the build shares and nothing else."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "site_src"
LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
OTHER = {"zh": "en", "en": "zh"}

# Only the site's own origin; 'wasm-unsafe-eval' lets WebAssembly compile (Pyodide), nothing else is eval'd.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


class BuildError(Exception):
    """One or more problems that stop the build; str() lists them one per line."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def page_path(lang, slug):
    """Site path of a content page: zh/ for the home page, zh/<slug>/ otherwise."""
    return f"{lang}/" if slug == "index" else f"{lang}/{slug}/"


def leaflet_path(lang, slug=None):
    return f"{lang}/leaflets/{slug}/" if slug else f"{lang}/leaflets/"


def output_file(path):
    """The file a site path is written to: directories get index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path
