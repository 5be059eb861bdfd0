"""Site: the build's settings (base URL, prefix) and what is computed once for every page
(assets, runtime manifest, anchors, files); URLs in three forms; JSON safe inside <script>."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..load import Source  # noqa: F401  (the type of Site.source)


@dataclass
class Site:
    """Build-time settings and everything computed once for all pages."""

    source: Source
    base_url: str
    prefix: str
    results: dict
    assets: dict = field(default_factory=dict)  # logical name -> URL path (content-hashed)
    files: dict = field(default_factory=dict)  # output path -> bytes
    anchors: set = field(default_factory=set)
    notes: list = field(default_factory=list)  # worth knowing, not worth failing for
    runtime: dict = field(default_factory=dict)  # the calculator's manifest and where its files are
    answers: dict = field(default_factory=dict)  # example id -> URL of its pre-rendered answer
    as_of: object = None  # the date whose values the pages show (datetime.date; today when None)
    contacts: list = field(default_factory=list)  # site.toml [contacts]: the county's township offices (contacts.py)

    @property
    def printable(self):
        """A build whose links work once printed: its base URL is not loopback (readings-build)."""
        return not is_loopback(self.base_url)

    @property
    def contacts_filled(self):
        """Whether the county has filled in where to ask (site.toml [contacts]); until then leaflets are samples."""
        return bool(self.contacts)

    def url(self, path=""):
        """Root-relative URL of a site path ('zh/policy/' -> '/prefix/zh/policy/')."""
        return self.prefix + path

    def absolute(self, path=""):
        return self.base_url + self.prefix + path

    def short(self, path=""):
        base = self.source.config["site"].get("short_url_base") or re.sub(r"^https?://", "", self.base_url + self.prefix)
        return base.rstrip("/") + "/" + path


def is_loopback(base_url):
    """True for an unset base URL or one on this machine (127.x, localhost, ::1): QR codes would be dead links."""
    host = re.sub(r"^https?://", "", base_url or "").split("/")[0].rsplit(":", 1)[0].strip("[]").lower()
    return host in ("", "localhost", "::1", "0.0.0.0") or host.startswith("127.") or host.endswith(".localhost")


def json_for_script(data):
    """JSON safe inside <script type="application/json">: no '</' or '<!--' can close or open anything."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
