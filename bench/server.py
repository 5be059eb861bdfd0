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

Network profiles (`Server.use_profile`): a throttle in the server itself, because Chromium's
network emulation (CDP Network.emulateNetworkConditions) applies to the page target only, not
to the requests of a module worker or a service worker. Every byte the server writes (status
line, headers, body) goes through one token bucket shared by all connections and threads (one
phone, one radio link), and every request waits the profile's latency before its answer starts.
"""

from __future__ import annotations

import http.server
import re
import sys
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


class Profile:
    """A network link: `mbit` (10^6 bit/s, shared by every connection) and `latency_ms` added to each request."""

    def __init__(self, name, mbit, latency_ms):
        self.name, self.mbit, self.latency_ms = name, float(mbit), float(latency_ms)

    @property
    def bytes_per_s(self):
        return self.mbit * 1e6 / 8

    def floor_ms(self, nbytes):
        """The least time `nbytes` in one response can take on this link: latency + bytes / bandwidth."""
        return self.latency_ms + nbytes / self.bytes_per_s * 1000

    def as_dict(self):
        return {"name": self.name, "mbit_per_s": self.mbit, "latency_ms": self.latency_ms}


# Lighthouse's mobile presets: "4g" is a decent rural 4G, "slow4g" is Lighthouse's "slow 4G" throughput.
PROFILES = {
    "4g": Profile("4g", 4.0, 150),
    "slow4g": Profile("slow4g", 1.6, 150),
}


class TokenBucket:
    """A bandwidth limit shared across threads: take(n) returns when n more bytes fit the rate.

    A virtual clock: each caller reserves the next n / rate seconds of the link under a lock (first
    come, first served) and sleeps until its slot ends. The bucket holds at most `burst` bytes of
    unused capacity, so an idle link does not bank seconds of credit (a radio link does not either).
    """

    def __init__(self, bytes_per_s, burst=16 * 1024, clock=time.monotonic, sleep=time.sleep):
        self.rate = float(bytes_per_s)
        self.burst_s = burst / self.rate
        self.clock, self.sleep = clock, sleep
        self.lock = threading.Lock()
        self.free_at = clock()  # when the link has sent everything reserved so far

    def take(self, n):
        with self.lock:
            now = self.clock()
            start = max(self.free_at, now - self.burst_s)
            self.free_at = start + n / self.rate
            wait = self.free_at - now
        if wait > 0:
            self.sleep(wait)


class ThrottledWriter:
    """A socket writer whose writes go through a TokenBucket in slices (so connections interleave)."""

    SLICE = 8 * 1024

    def __init__(self, raw, bucket):
        self.raw, self.bucket = raw, bucket

    def write(self, data):
        view = memoryview(data)
        for i in range(0, len(view), self.SLICE):
            part = view[i:i + self.SLICE]
            self.bucket.take(len(part))
            self.raw.write(part)
        return len(view)

    def flush(self):
        return self.raw.flush()

    def __getattr__(self, name):
        return getattr(self.raw, name)


def make_handler(site_root, baseline_root):
    base = site_handler(site_root, "/")
    baseline_root = Path(baseline_root).resolve()
    site_root = Path(site_root).resolve()

    class Handler(base):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            self._raw_wfile = self.wfile

        def _apply_profile(self):
            """Per request: the profile in force now (it may change between requests on one connection)."""
            profile, bucket = getattr(self.server, "profile", None), getattr(self.server, "bucket", None)
            self.wfile = ThrottledWriter(self._raw_wfile, bucket) if bucket else self._raw_wfile
            if profile and profile.latency_ms:
                time.sleep(profile.latency_ms / 1000)

        def do_GET(self):
            self._apply_profile()
            super().do_GET()

        def do_HEAD(self):
            self._apply_profile()
            super().do_HEAD()

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
                self.send_response(304)  # Cache-Control: serve.py's no-cache, replaced by the policy below
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
            if keyword.lower() == "cache-control" and self.server.cache_override:
                value = self.server.cache_override  # a portal's header, whatever the file (Server.use_headers)
            super().send_header(keyword, value)

        def end_headers(self):
            etag = getattr(self, "_bench_etag", None)
            if etag:
                super().send_header("ETag", etag)
            self._bench_etag = None
            self.send_server_headers()  # serve.py's security headers and Cache-Control, through the policy above
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


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser context closed mid-download (a throttled run stops at the first result) is not an error."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


# The Cache-Control the server sends, by name: None keeps each file's own (the shipped nginx rules).
HEADERS = {"shipped": None, "no-store": "no-store"}


class Server:
    """The site and the baseline on 127.0.0.1 (a free port), in a background thread."""

    def __init__(self, site_root, baseline_root, port=0):
        self.site_root, self.baseline_root = Path(site_root), Path(baseline_root)
        self.httpd = QuietServer(("127.0.0.1", port), make_handler(site_root, baseline_root))
        self.httpd.daemon_threads = True
        self.httpd.verbose = False
        self.httpd.sent = []
        self.httpd.log_lock = threading.Lock()
        self.httpd.profile = None
        self.httpd.bucket = None
        self.httpd.cache_override = None
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

    def use_profile(self, profile):
        """Throttle every later request to `profile` (a Profile, a name in PROFILES), or None for no limit."""
        if isinstance(profile, str):
            profile = PROFILES[profile]
        self.httpd.bucket = TokenBucket(profile.bytes_per_s) if profile else None
        self.httpd.profile = profile
        return profile

    def use_headers(self, headers):
        """HEADERS[headers]: "shipped" (deploy/nginx.conf's Cache-Control, as serve.py sends it) or "no-store"
        (what a portal behind a WAF often sends for every file), for both sides."""
        self.httpd.cache_override = HEADERS[headers]
        return headers

    def take_log(self):
        """What the server sent since the last call: [{path, status, encoding, bytes, header_bytes, end_epoch_ms}]."""
        with self.httpd.log_lock:
            sent, self.httpd.sent = self.httpd.sent, []
        return sent
