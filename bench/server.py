"""One local HTTP server for the site and the baseline, behaving like a production static host.

It reuses build.py's handler (MIME types with application/wasm, precompressed .br/.gz siblings
served with Content-Encoding when the client accepts them, long-lived caching for content-hashed
names) and adds what a production host also does:

- HTTP/1.1 keep-alive;
- an ETag on every file and `304 Not Modified` for a matching If-None-Match, so a `no-cache`
  page is revalidated, not downloaded again, on a second visit;
- /baseline/ mapped to the baseline folder, its Pyodide files (a pinned, versioned set) served
  with `Cache-Control: public, max-age=3600`, its page with `no-cache`;
- files inside a content-hashed or versioned folder of the site (runtime/<hash>/,
  runtime/pyodide-<version>/) cached like content-hashed file names (immutable); build.py's
  handler only recognises hashed file names.

Every response is logged (path, status, encoding, header and body bytes, when it was written):
the exact bytes on the wire, which the browser-side counts are checked against.
"""

from __future__ import annotations

import http.server
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from sitebuild.serve import make_handler as site_handler

BASELINE_PREFIX = "/baseline/"
BASELINE_CACHE = "public, max-age=3600"
# A folder named by a content hash (runtime/7a91e578a394/) or a version (runtime/pyodide-314.0.7/)
# never changes its files: cached like content-hashed file names.
VERSIONED_DIR = re.compile(r"^(?:[0-9a-f]{8,}|[A-Za-z][\w.]*-\d+(?:\.\d+)+)$")
VERSIONED_CACHE = "public, max-age=31536000, immutable"


def make_handler(site_root, baseline_root):
    base = site_handler(site_root, "/")
    baseline_root = Path(baseline_root).resolve()
    site_root = Path(site_root).resolve()

    class Handler(base):
        protocol_version = "HTTP/1.1"

        def translate_path(self, path):
            clean = urlsplit(path).path
            if clean.startswith(BASELINE_PREFIX):
                rest = clean[len(BASELINE_PREFIX):]
                # reuse the stdlib's safe path translation, rooted at the baseline folder
                saved, self.directory = self.directory, str(baseline_root)
                try:
                    return http.server.SimpleHTTPRequestHandler.translate_path(self, "/" + rest)
                finally:
                    self.directory = saved
            return super().translate_path(path)

        def cache_policy(self, path):
            path = Path(path).resolve()
            if baseline_root in path.parents:
                return None if path.name.startswith("index.html") else BASELINE_CACHE
            if site_root in path.parents:
                folders = path.relative_to(site_root).parts[:-1]
                if any(VERSIONED_DIR.match(part) for part in folders):
                    return VERSIONED_CACHE
            return None  # build.py's own rule: content-hashed file names immutable, the rest no-cache

        def send_file(self, path, ctype, encoding=None, status=200):
            path = Path(path)
            st = path.stat()
            etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
            self._bench_cache = self.cache_policy(path)
            self._bench_etag = etag if status == 200 else None
            self._bench_encoding = encoding
            if status == 200 and etag in self.headers.get("If-None-Match", ""):
                self.send_response(304)
                self.send_header("Cache-Control", "no-cache")  # replaced by the policy below when one applies
                if encoding:
                    self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                self._record(0, 304)
                return None
            self._bench_status = status
            return super().send_file(path, ctype, encoding, status)

        def send_header(self, keyword, value):
            if keyword.lower() == "cache-control" and getattr(self, "_bench_cache", None):
                value = self._bench_cache
            super().send_header(keyword, value)

        def end_headers(self):
            etag = getattr(self, "_bench_etag", None)
            if etag:
                super().send_header("ETag", etag)
            self._bench_etag = None
            self._bench_cache = None
            # status line + headers + the blank line, exactly as they go on the wire
            self._bench_header_bytes = sum(len(b) for b in getattr(self, "_headers_buffer", [])) + 2
            super().end_headers()

        def copyfile(self, source, outputfile):
            sent = 0
            while True:
                chunk = source.read(256 * 1024)
                if not chunk:
                    break
                outputfile.write(chunk)
                sent += len(chunk)
            self._record(sent, getattr(self, "_bench_status", 200))

        def _record(self, sent, status):
            entry = {"path": urlsplit(self.path).path, "status": status,
                     "encoding": getattr(self, "_bench_encoding", None), "bytes": sent,
                     "header_bytes": getattr(self, "_bench_header_bytes", 0), "end_epoch_ms": time.time() * 1000}
            with self.server.log_lock:
                self.server.sent.append(entry)

        def send_error(self, code, message=None, explain=None):
            super().send_error(code, message, explain)
            self._record(0, code)  # the small error body is not counted; headers are

    return Handler


class Server:
    """The site and the baseline on 127.0.0.1 (a free port), in a background thread."""

    def __init__(self, site_root, baseline_root, port=0):
        self.site_root, self.baseline_root = Path(site_root), Path(baseline_root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site_root, baseline_root))
        self.httpd.daemon_threads = True
        self.httpd.verbose = False
        self.httpd.sent = []
        self.httpd.log_lock = threading.Lock()
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="bench-server", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def take_log(self):
        """What the server sent since the last call: [{path, status, encoding, bytes, header_bytes, end_epoch_ms}]."""
        with self.httpd.log_lock:
            sent, self.httpd.sent = self.httpd.sent, []
        return sent
