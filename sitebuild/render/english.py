"""English pages marked up after rendering: runs of Chinese wrapped in <span lang="zh-CN">, and
'mu' explained at its first use in <main>."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
CJK_RUN = re.compile(f"[{CJK}](?:[{CJK}0-9A-Za-z.,·\\s]*[{CJK}])?")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NO_MARK = {"script", "style", "title", "option", "textarea", "head"}
NO_MU = NO_MARK | {"h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "th", "td", "summary", "button", "a",
                   "caption", "mark"}  # mark: a policy phrase the policy page quotes verbatim (readings-build)


class _EnglishMarker(HTMLParser):
    """Re-emits an English page with every run of Chinese text not already in a lang="zh…" element
    wrapped in <span lang="zh-CN">, and 'mu' explained at its first use in <main>."""

    def __init__(self, mu_note):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.stack = []  # [(tag, is_zh)]
        self.mu_note = mu_note
        self.mu_done = False
        self.in_main = False

    def zh(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        is_zh = lang.lower().startswith("zh") if lang is not None else self.zh()
        self.stack.append((tag, is_zh))
        if tag == "main":
            self.in_main = True

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        tags = {t for t, _ in self.stack}
        if tags & NO_MARK or self.zh():
            self.out.append(data)
            return
        if self.in_main and not self.mu_done and "667" in data:
            self.mu_done = True  # the writer explained it already
        if self.in_main and not self.mu_done and not tags & NO_MU:
            m = re.search(r"\bmu\b", data)
            if m:
                data = data[:m.end()] + self.mu_note + data[m.end():]
                self.mu_done = True
        self.out.append(CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group(0)}</span>', data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def mark_english(html):
    parser = _EnglishMarker(" (≈ 667 m²)")
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
