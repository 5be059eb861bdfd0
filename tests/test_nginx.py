"""A real server: deploy/nginx.conf serving a build under /fupin/, checked over HTTP and in Chromium.

The site is built with `--prefix /fupin/` into a temporary folder, deploy/nginx.conf is rendered
with that folder as its root and a free port, and Debian's nginx (with libnginx-mod-http-brotli-static)
serves it. `./dev test` installs both when it runs as root with apt; elsewhere these tests are skipped
and say why. The development server (`build.py --serve`, make_handler) must send the same
headers: the last tests compare the two on the same build.
"""

from __future__ import annotations

import html
import http.client
import http.server
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from calculator import RULES_VERSION
from sitebuild import pipeline
from sitebuild.config import CSP
from sitebuild.serve import BACKLOG, Server, MIME, SERVER_HEADERS, make_handler
from browser import SiteServer, free_port, html_pages
from test_calculator_browser import SCENARIO, assert_works_offline_after_one_visit, open_calculator, settle

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
PREFIX = "/fupin/"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def render_conf(root, port, prefix=PREFIX):
    """deploy/nginx.conf with its EDIT lines set for a test: root folder, listen port and prefix."""
    text = CONF.read_text(encoding="utf-8")
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"), ("root /var/www/qinyuan;", f"root {root};")):
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has exactly one {old!r}"
        text = text.replace(old, new)
    return text.replace("/fupin/", prefix)


def main_conf(run, site_conf):
    """What Debian's /etc/nginx/nginx.conf provides around a sites-enabled file, in a private folder."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # pytest's temporary folders are private to us
    temp = "".join(f"    {kind}_temp_path {run}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}load_module {BROTLI_MODULE};\nworker_processes 1;\npid {run}/nginx.pid;\n"
            f"error_log {run}/error.log;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log {run}/access.log;\n    sendfile on;\n    gzip on;\n{temp}"
            f"    include {site_conf};\n}}\n")


def nginx_missing():
    """Why nginx cannot run here, or None."""
    if not os.path.exists(NGINX):
        return "nginx is not installed"
    if not BROTLI_MODULE.exists():
        return "libnginx-mod-http-brotli-static is not installed"
    return None


def _skip_or_fail(reason):
    hint = "./dev test installs nginx and libnginx-mod-http-brotli-static when it runs as root with apt"
    if os.environ.get("CI") and os.geteuid() == 0 and shutil.which("apt-get"):
        pytest.fail(f"{reason} on CI, where {hint}")
    print(f"\nSKIP test_nginx: {reason} ({hint})")
    pytest.skip(f"{reason}: {hint}")


def wait_for_port(port, process, log):
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(f"nginx exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("nginx did not open its port")


@pytest.fixture(scope="module")
def nginx_site():
    """A build under /fupin/ served by nginx with deploy/nginx.conf, for the whole module."""
    reason = nginx_missing()
    if reason:
        _skip_or_fail(reason)
    tmp = Path(tempfile.mkdtemp(prefix="qinyuan-nginx-"))
    run = tmp / "run"
    run.mkdir()
    out = tmp / "www" / PREFIX.strip("/")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    pipeline.build(out, base_url=base_url, prefix=PREFIX)
    (run / "site.conf").write_text(render_conf(tmp / "www", port), encoding="utf-8")
    (run / "nginx.conf").write_text(main_conf(run, run / "site.conf"), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf"),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, run / "error.log")
        yield SiteServer(out, base_url, PREFIX, html_pages(out))
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop of this nginx (and its worker) only
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def get(port, path, headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def _port(site):
    return int(site.base_url.rsplit(":", 1)[1])


def _runtime(out):
    """(the runtime's content-hash folder, the Pyodide folder), as site paths."""
    manifest = next(out.glob("runtime/*/manifest.json"))
    pyodide = next(out.glob("runtime/pyodide-*/pyodide.asm.wasm"))
    return manifest.parent.relative_to(out).as_posix(), pyodide.parent.relative_to(out).as_posix()


def _sample_paths(out):
    """One site path per kind of file, for comparing headers."""
    hashed, pyodide = _runtime(out)
    css = next((out / "static").glob("site.*.css")).relative_to(out).as_posix()
    return ["", "zh/", "en/calculator/", "sw.js", "assets.json", "examples.json", css, "robots.txt", "sitemap.xml",
            f"{hashed}/manifest.json", f"{hashed}/worker.mjs", f"{hashed}/rules.zip", f"{pyodide}/pyodide.asm.wasm",
            f"{pyodide}/pyodide.mjs", next(out.glob("qr/*.svg")).relative_to(out).as_posix(), "zh/no-such-page/",
            "sw.js.br", f"{pyodide}/pyodide.asm.wasm.gz"]


def on_nginx(test):
    """The browser smoke through nginx (marked browser, as it builds the site and runs Chromium) and nginx."""
    return pytest.mark.browser(pytest.mark.nginx(test))


# ---------------------------------------------------------------- plain HTTP against nginx

@on_nginx
def test_every_security_header_on_every_answer(nginx_site):
    port = _port(nginx_site)
    for path in _sample_paths(nginx_site.out):
        status, headers, _ = get(port, PREFIX + path)
        for name, value in SERVER_HEADERS.items():
            assert headers.get(name.lower()) == value, (path, status, name)
    csp = get(port, PREFIX + "zh/")[1]["content-security-policy"]
    assert csp.endswith("; frame-ancestors 'none'") and CSP in csp  # the pages' <meta> CSP, plus framing
    page = html.unescape((nginx_site.out / "zh" / "index.html").read_text(encoding="utf-8"))
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page


@on_nginx
def test_content_types_are_the_builds(nginx_site):
    port = _port(nginx_site)
    seen = {}
    for path in sorted(nginx_site.out.rglob("*")):
        if path.name.startswith("."):
            continue  # the build's marker: not served (test_error_answers_carry_the_security_headers_once…)
        if path.is_file() and path.suffix not in (".br", ".gz") and path.suffix not in seen:
            seen[path.suffix] = path.relative_to(nginx_site.out).as_posix()
    assert {".html", ".mjs", ".wasm", ".js", ".css", ".json", ".svg", ".zip"} <= set(seen)
    for suffix, path in seen.items():
        status, headers, _ = get(port, PREFIX + path)
        assert status == 200, path
        assert headers["content-type"] == MIME[suffix], path
    assert get(port, PREFIX + "zh/")[1]["content-type"] == "text/html; charset=utf-8"


@on_nginx
def test_caching_immutable_for_content_addressed_files_and_revalidated_for_the_rest(nginx_site):
    port, out = _port(nginx_site), nginx_site.out
    hashed, pyodide = _runtime(out)
    css = next((out / "static").glob("site.*.css")).relative_to(out).as_posix()
    for path in (f"{hashed}/worker.mjs", f"{hashed}/stdlib.zip", f"{pyodide}/pyodide.asm.wasm", css):
        assert get(port, PREFIX + path)[1]["cache-control"] == IMMUTABLE, path
    for path in ("", "zh/", "en/policy/", "sw.js", f"{hashed}/manifest.json", "assets.json", "examples.json"):
        status, headers, _ = get(port, PREFIX + path)
        assert status == 200 and headers["cache-control"] == "no-cache", path
        assert headers.get("etag"), path
        again = get(port, PREFIX + path, {"If-None-Match": headers["etag"]})
        assert again[0] == 304, path


@on_nginx
def test_precompressed_files_are_sent_to_browsers_that_accept_them(nginx_site):
    port, out = _port(nginx_site), nginx_site.out
    _, pyodide = _runtime(out)
    wasm = f"{pyodide}/pyodide.asm.wasm"
    status, headers, body = get(port, PREFIX + wasm, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers.get("content-encoding") == "br"
    assert headers["content-type"] == "application/wasm" and "accept-encoding" in headers.get("vary", "").lower()
    assert body == (out / (wasm + ".br")).read_bytes()
    status, headers, body = get(port, PREFIX + wasm, {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip" and body == (out / (wasm + ".gz")).read_bytes()
    status, headers, body = get(port, PREFIX + wasm)
    assert "content-encoding" not in headers and body == (out / wasm).read_bytes()
    status, headers, body = get(port, PREFIX + "zh/", {"Accept-Encoding": "br"})
    assert headers.get("content-encoding") == "br" and body == (out / "zh" / "index.html.br").read_bytes()


@on_nginx
def test_the_sites_404_page_and_no_raw_compressed_copies(nginx_site):
    port = _port(nginx_site)
    for path in ("zh/no-such-page/", "runtime/nothing.wasm", "sw.js.br", "zh/index.html.gz"):
        status, headers, body = get(port, PREFIX + path)
        assert status == 404, path
        assert "找不到这个页面".encode() in body and headers["content-type"] == "text/html; charset=utf-8", path
    assert get(port, "/")[0] == 302 and get(port, "/")[1]["location"] == PREFIX
    status, headers, _ = get(port, PREFIX + "zh")
    assert status == 301 and headers["location"] == PREFIX + "zh/"


# ---------------------------------------------------------------- the real site in Chromium through nginx

@on_nginx
def test_the_calculator_through_nginx_first_result_and_offline(chromium, nginx_site):
    ctx = chromium.new_context()
    page = open_calculator(ctx, nginx_site, fragment=SCENARIO.format(v=RULES_VERSION))
    settle(page)
    assert "10,900.00" in page.inner_text("#result-household_subsidy")
    assert page.errors == []  # no CSP violation, no failed load
    ctx.close()
    assert_works_offline_after_one_visit(chromium, nginx_site)


@on_nginx
def test_every_page_loads_through_nginx_without_a_console_error(chromium, nginx_site):
    ctx = chromium.new_context()
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in nginx_site.pages:
        if path == "404.html":
            continue
        response = page.goto(nginx_site.url(path))
        assert response.status == 200, path
        assert response.headers["x-frame-options"] == "DENY", path
    assert errors == []
    ctx.close()


# ---------------------------------------------------------------- the development server sends the same

def _dev_server(out, prefix):
    port = free_port()
    server = Server(("127.0.0.1", port), make_handler(out, prefix))  # what build.py --serve runs
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


@on_nginx
@pytest.mark.parametrize("accept", ["", "br", "gzip"])
def test_the_development_server_sends_the_same_headers_as_nginx(nginx_site, accept):
    server, dev_port = _dev_server(nginx_site.out, PREFIX)
    compared = ("content-type", "cache-control", "content-encoding", *(h.lower() for h in SECURITY))
    try:
        for path in _sample_paths(nginx_site.out):
            request = {"Accept-Encoding": accept} if accept else {}
            dev_status, dev, dev_body = get(dev_port, PREFIX + path, request)
            status, ours, body = get(_port(nginx_site), PREFIX + path, request)
            assert dev_status == status, path
            assert {h: dev.get(h) for h in compared} == {h: ours.get(h) for h in compared}, path
            assert dev_body == body, path
    finally:
        server.shutdown()
        server.server_close()


def test_the_development_server_sends_the_security_headers_and_hides_compressed_copies(tmp_path):
    """Without nginx: build.py --serve's handler on a tiny folder."""
    (tmp_path / "404.html").write_text("<p>找不到这个页面</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    (tmp_path / "runtime" / "abc").mkdir(parents=True)
    (tmp_path / "runtime" / "abc" / "manifest.json").write_text("{}")
    (tmp_path / "runtime" / "abc" / "manifest.json.br").write_bytes(b"brotli!")
    server, port = _dev_server(tmp_path, "/")
    try:
        status, headers, _ = get(port, "/index.html")
        assert headers["content-security-policy"] == CSP + "; frame-ancestors 'none'"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        status, headers, body = get(port, "/runtime/abc/manifest.json.br")
        assert status == 404 and "找不到这个页面".encode() in body
        assert headers["x-frame-options"] == "DENY"
        status, headers, body = get(port, "/runtime/abc/manifest.json", {"Accept-Encoding": "br"})
        assert headers["content-encoding"] == "br" and headers["content-type"] == "application/json"
        assert headers["cache-control"] == "no-cache"  # a manifest is revalidated, like nginx does
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- error answers, hidden files, both servers

def raw_request(port, data):
    """Send bytes as they are (a malformed request), return (status, [header lines])."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return int(head[0].split()[1]), [line.lower() for line in head[1:]]


def error_answers(port, out):
    """{what: (status, header lines)} for the error answers a server of this site gives."""
    hashed, _ = _runtime(out)
    page_module = f"{PREFIX}{hashed}/page/main.mjs"
    return {
        "400": raw_request(port, f"GET {PREFIX}zh/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
        "404": raw_request(port, f"GET {PREFIX}no-such/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
        "405/501": raw_request(port, f"DELETE {PREFIX}zh/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
        "414": raw_request(port, f"GET {PREFIX}{'a' * 70000} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
        "range past the end": raw_request(port, f"GET {page_module} HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999-\r\n"
                                                "Connection: close\r\n\r\n".encode()),
        "marker": raw_request(port, f"GET {PREFIX}.qinyuan-build.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
        "redirect": raw_request(port, f"GET {PREFIX}zh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
    }


def check_error_answers(answers):
    for what, (status, lines) in answers.items():
        for name, value in SERVER_HEADERS.items():
            assert lines.count(f"{name.lower()}: {value.lower()}") == 1, (what, status, name, lines)
        cache = [line for line in lines if line.startswith("cache-control:")]
        if what == "range past the end":  # whole files only: the file itself, with its own caching
            assert status == 200 and cache == [f"cache-control: {IMMUTABLE}"], (what, lines)
        else:
            assert status >= 300 and cache == ["cache-control: no-cache"], (what, status, lines)
    assert answers["404"][0] == 404 and answers["marker"][0] == 404 and answers["400"][0] == 400
    assert answers["414"][0] in (414, 400) and answers["405/501"][0] in (405, 501) and answers["redirect"][0] == 301


@on_nginx
def test_error_answers_carry_the_security_headers_once_and_are_never_kept(nginx_site):
    assert (nginx_site.out / ".qinyuan-build.txt").is_file()  # there, and not served
    check_error_answers(error_answers(_port(nginx_site), nginx_site.out))


def assert_short_error_answer(status, lines, body, expected):
    """An error answer with no page of the site's own that fits: the headers once, never kept, nginx's short page."""
    assert status == expected, (status, lines)
    for name, value in SERVER_HEADERS.items():
        assert lines.count(f"{name.lower()}: {value.lower()}") == 1, (status, name, lines)
    assert [line for line in lines if line.startswith("cache-control:")] == ["cache-control: no-cache"], lines
    assert "content-type: text/html; charset=utf-8" in lines
    assert f"<title>{expected} ".encode() in body and "找不到这个页面".encode() not in body  # not the 404 page


def raw_answer(port, data):
    """Like raw_request, with the body: (status, [header lines], body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    head = head.decode("latin-1").split("\r\n")
    return int(head[0].split()[1]), [line.lower() for line in head[1:]], body


@on_nginx
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_request_body_over_the_limit_is_refused_with_413_and_the_headers_once(nginx_site, method):
    """client_max_body_size (the site takes no uploads): refused from the length alone, before the body is read."""
    body = b"x" * 4096  # the start of a 100 kB body; nginx answers without waiting for the rest
    request = (f"{method} {PREFIX}zh/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
               f"Content-Length: 100000\r\nConnection: close\r\n\r\n").encode() + body
    assert_short_error_answer(*raw_answer(_port(nginx_site), request), 413)
    # a small body on the same address is not a 413: the site has no form to post to (nginx's 405)
    small = (f"{method} {PREFIX}zh/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc").encode()
    assert_short_error_answer(*raw_answer(_port(nginx_site), small), 405)


@on_nginx
def test_a_file_nginx_cannot_open_answers_500_with_the_headers_once(nginx_site):
    """A real 500 from the shipped configuration: a UNIX socket where a file should be (open() fails with ENXIO, as for a
    damaged disk or a copy gone wrong) is neither missing (404) nor forbidden (403)."""
    broken = nginx_site.out / "zh" / "broken.txt"
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(broken))
        status, lines, body = raw_answer(_port(nginx_site), f"GET {PREFIX}zh/broken.txt HTTP/1.1\r\nHost: x\r\n"
                                                            "Connection: close\r\n\r\n".encode())
    finally:
        listener.close()
        broken.unlink(missing_ok=True)
    assert_short_error_answer(status, lines, body, 500)


@on_nginx
def test_the_page_modules_are_immutable_like_the_rest_of_the_runtime(nginx_site):
    hashed, _ = _runtime(nginx_site.out)
    for name in ("page/main.mjs", "page/boot.js", "page/capability.js", "worker.mjs"):
        assert get(_port(nginx_site), f"{PREFIX}{hashed}/{name}")[1]["cache-control"] == IMMUTABLE, name


@on_nginx
def test_the_development_server_answers_errors_as_nginx_does(nginx_site):
    server, port = _dev_server(nginx_site.out, PREFIX)
    try:
        check_error_answers(error_answers(port, nginx_site.out))
        hashed, _ = _runtime(nginx_site.out)
        assert get(port, f"{PREFIX}{hashed}/page/main.mjs")[1]["cache-control"] == IMMUTABLE
    finally:
        server.shutdown()
        server.server_close()


def test_the_development_server_honours_q_0_and_has_a_real_backlog(tmp_path):
    (tmp_path / "404.html").write_text("<p>找不到这个页面</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    (tmp_path / "index.html.br").write_bytes(b"brotli!")
    (tmp_path / "index.html.gz").write_bytes(b"gzip!")
    (tmp_path / ".qinyuan-build.txt").write_text("marker")
    server, port = _dev_server(tmp_path, "/")
    try:
        assert server.request_queue_size == BACKLOG >= 128
        assert get(port, "/", {"Accept-Encoding": "br;q=0, gzip"})[1].get("content-encoding") == "gzip"
        assert get(port, "/", {"Accept-Encoding": "br;q=0, gzip;q=0"})[1].get("content-encoding") is None
        assert get(port, "/", {"Accept-Encoding": "gzip;q=0.5, br"})[1].get("content-encoding") == "br"
        status, headers, body = get(port, "/.qinyuan-build.txt")
        assert status == 404 and b"marker" not in body
        # every answer carries the headers once: a redirect, a method the server does not have
        for request in (b"GET /runtime HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        b"DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"):
            (tmp_path / "runtime").mkdir(exist_ok=True)
            status, lines = raw_request(port, request)
            assert status in (301, 501), request
            for name, value in SERVER_HEADERS.items():
                assert lines.count(f"{name.lower()}: {value.lower()}") == 1, (request, name)
            assert [line for line in lines if line.startswith("cache-control:")] == ["cache-control: no-cache"]
        # fifty clients at once: none waits for a connection
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            started = time.monotonic()
            statuses = list(pool.map(lambda _: get(port, "/")[0], range(50)))
        assert statuses == [200] * 50 and time.monotonic() - started < 5
    finally:
        server.shutdown()
        server.server_close()
