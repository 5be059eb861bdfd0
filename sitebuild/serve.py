"""Serving a built folder over HTTP (development, kiosks, tests, the benchmark): MIME types,
the path prefix, precompressed siblings, cache headers, the CSP, and 404.html."""

from __future__ import annotations

import http.server
import re
from pathlib import Path
from urllib.parse import urlsplit

from .config import CSP
from .write import MARKER


MIME = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm",
    ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json", ".zip": "application/zip",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".ico": "image/x-icon",
    ".tar": "application/x-tar", ".whl": "application/zip", ".data": "application/octet-stream",
}
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))
BACKLOG = 128  # pending connections: socketserver's default of 5 made a kiosk's or a test's bursts wait seconds
IMMUTABLE = "public, max-age=31536000, immutable"


def accepted_encodings(header):
    """The encodings an Accept-Encoding header accepts: named with a q-value above 0 ("br;q=0" refuses br)."""
    out = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip() and q > 0:
            out.add(name.strip().lower())
    return out

# What every answer of a server of this site carries: deploy/nginx.conf sends the same (tests/test_nginx.py).
# frame-ancestors works only in a header, not in the pages' <meta> CSP.
SERVER_HEADERS = {
    "Content-Security-Policy": CSP + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def make_handler(root, prefix="/"):
    """A request handler for dist/: explicit MIME types (application/wasm included), the path
    prefix stripped, precompressed .br/.gz siblings served when the client accepts them (never
    as files of their own), SERVER_HEADERS on every answer, and 404.html for anything missing."""
    root = Path(root)

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
        cache_control = None  # this answer's, set by send_file; "no-cache" for every other answer
        server_headers_sent = False

        def send_server_headers(self):
            """SERVER_HEADERS and Cache-Control, once per answer: files, redirects (301/302), errors (404, 501…)."""
            if self.server_headers_sent:
                return
            self.server_headers_sent = True
            for header, value in SERVER_HEADERS.items():
                self.send_header(header, value)
            self.send_header("Cache-Control", self.cache_control or "no-cache")

        def end_headers(self):
            self.send_server_headers()
            self.cache_control, self.server_headers_sent = None, False
            super().end_headers()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, fmt, *args):  # quiet unless asked
            if getattr(self.server, "verbose", False):
                super().log_message(fmt, *args)

        def translate_path(self, path):
            clean = urlsplit(path).path
            if prefix != "/" and clean.startswith(prefix):
                clean = "/" + clean[len(prefix):]
            return super().translate_path(clean)

        def send_head(self):
            clean = urlsplit(self.path).path
            if re.search(r"%(?![0-9A-Fa-f]{2})", clean):
                self.send_error(400, "Bad Request")  # a malformed address, as nginx answers it
                return None
            if prefix != "/" and not clean.startswith(prefix):
                if clean in ("", "/"):
                    self.send_response(302)
                    self.send_header("Location", prefix)
                    self.end_headers()
                    return None
                return self.not_found()
            if clean.endswith(tuple(suffix for _, suffix in PRECOMPRESSED)):
                return self.not_found()  # a .br/.gz copy is only ever sent as its original's encoding
            if clean.rstrip("/").endswith("/" + MARKER):
                return self.not_found()  # the build's marker file is the build's, not the public's
            local = Path(self.translate_path(self.path))
            if local.is_dir():
                if not clean.endswith("/"):
                    return super().send_head()  # redirects to the slash form
                local = local / "index.html"
            if not local.is_file():
                return self.not_found()
            return self.send_best(local)

        def send_best(self, local, status=200):
            """The file, or its precompressed sibling when the client accepts that encoding."""
            accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
            for encoding, suffix in PRECOMPRESSED:  # hook: siblings added by a later build step
                sibling = local.with_name(local.name + suffix)
                if encoding in accepted and sibling.is_file():
                    return self.send_file(sibling, self.guess_type(str(local)), encoding, status)
            return self.send_file(local, self.guess_type(str(local)), status=status)

        def send_file(self, path, ctype, encoding=None, status=200):
            f = open(path, "rb")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(path.stat().st_size))
            if encoding:
                self.send_header("Content-Encoding", encoding)
                self.send_header("Vary", "Accept-Encoding")
            name = path.name.removesuffix(".br").removesuffix(".gz")
            hashed = (re.search(r"\.[0-9a-f]{10}\.[a-z]+$", name)
                      # runtime/<content hash>/, runtime/pyodide-<version>/; the manifest is revalidated like nginx's
                      or ((root / "runtime") in path.parents and name != "manifest.json"))
            self.cache_control = IMMUTABLE if hashed and status == 200 else "no-cache"
            self.end_headers()
            return f

        def not_found(self):
            page = root / "404.html"
            if page.is_file():
                return self.send_best(page, status=404)
            self.send_error(404)
            return None

    return Handler


class Server(http.server.ThreadingHTTPServer):
    """A threading HTTP server with a real listen backlog (BACKLOG) and threads that do not outlive it."""

    request_queue_size = BACKLOG
    daemon_threads = True


def serve(out, port=8000, prefix="/", host="127.0.0.1", verbose=True):
    """Serve the built folder on 127.0.0.1 (blocking)."""
    server = Server((host, port), make_handler(out, prefix))
    server.verbose = verbose
    print(f"serving {out} at http://{host}:{port}{prefix}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
