"""Content pages' Markdown: Jinja2 globals (param, rate_table, example, cite, calculator_link, url)
rendered first, then Python-Markdown, block HTML spliced back; rate tables."""

from __future__ import annotations

import re

import jinja2
import markdown
import markdown.extensions.toc
from markupsafe import Markup, escape

from calculator import POLICY
from calculator import cite as cite_texts

from ..compute import rate_rows
from ..config import BuildError, page_path
from ..format import format_param
from ..readings import mark_comments


# ---- what a content page may not hold (the content is ours; the page CSP would stop a script, the build does not
# write one): raw HTML other than a word in another language and the reading markers, event-handler attributes
# (in a tag or an attr_list {: … }), and javascript: addresses. Each refusal names the file, the line and what to
# write instead.
ALLOWED_TAG = re.compile(r'^</?span(\s+lang="[A-Za-z-]+")?\s*>$')
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
EVENT_HANDLER = re.compile(r"(?i)(<[^<>]*|\{:[^}]*)\son[a-z]+\s*=")
SCRIPT_URL = re.compile(r"(?i)(?<![a-z])(java|vb)script(:|&#0*58;?|&colon;)")
AUTOLINK = re.compile(r"<(https?|mailto):[^<>\s]*>")


def unsafe_markdown(content):
    """["<file>, line N: what is wrong; what to write instead", …] for one content page's Markdown source."""
    path = f"content/{content.lang}/{content.slug}.md"
    try:
        whole = content.source.read_text(encoding="utf-8")
        first = whole[: len(whole) - len(content.body)].count("\n") + 1 if whole.endswith(content.body) else 1
    except OSError:
        first = 1
    problems = []
    for number, line in enumerate(content.body.split("\n"), start=first):
        at = f"{path}, line {number}"
        if EVENT_HANDLER.search(line):
            problems.append(f"{at}: an event-handler attribute (on…=); the site's pages run no inline script: "
                            "remove it (the calculator's behaviour lives in site_src/runtime/page/)")
        if SCRIPT_URL.search(line):
            problems.append(f"{at}: a javascript: address; link to a page of the site ([text](/zh/…/)) or to an "
                            "https:// address")
        for tag in TAG.findall(AUTOLINK.sub("", line.replace("<!--", "").replace("-->", ""))):
            if not ALLOWED_TAG.match(tag) and not EVENT_HANDLER.search(tag):
                problems.append(f"{at}: raw HTML {tag[:40]!r}; write Markdown instead (**bold**, [link](/zh/…/), "
                                "lists, tables, {{ rate_table(…) }}); a word in another language is "
                                '<span lang="zh-CN">…</span>')
    return problems
# ---- end of what a content page may not hold


class MarkdownPages:
    """Markdown with the site's globals, and the rate tables they place."""

    # ---------------------------------------------------------------- Markdown globals
    def block(self, html):
        """Stash block HTML; Markdown sees only a placeholder paragraph, replaced after rendering."""
        self.blocks.append(str(html))
        return Markup(f"\n\nQYBLOCK{len(self.blocks) - 1}QY\n\n")

    def g_param(self, name):
        return Markup(escape(format_param(name, self.lang, self.site.as_of)))

    def g_rate_table(self, clause):
        return self.block(self.rate_table(clause))

    def g_example(self, ex_id):
        return self.block(self.example_box(ex_id))

    def g_calculator_link(self, role):
        roles = self.source.config["calculator"]["roles"]
        if role not in roles:
            raise BuildError(f"calculator_link('{role}'): role must be one of {', '.join(roles)}")
        href = self.site.url(page_path(self.lang, "calculator")) + f"#role={role}"
        text = self.t("calculator_link", role=self.t(f"role.{role}"))
        return Markup(f'<a class="calc-link" href="{escape(href)}">{escape(text)}</a>')

    def g_where_to_ask(self):
        """Where to ask and what to bring (site.toml [contacts]); on a leaflet its side column has it already."""
        if getattr(self, "in_leaflet", False):
            return Markup("")
        return self.block(self.env.get_template("where-to-ask.html").render(self.common(self.lang)))

    def g_url(self, slug, anchor=None):
        if (self.lang, slug) not in self.source.content:
            raise BuildError(f"url('{slug}'): no such page")
        return self.site.url(page_path(self.lang, slug)) + (f"#{anchor}" if anchor else "")

    def markdown(self, content):
        """Jinja2 (autoescaped) first, then Python-Markdown; block HTML is spliced in afterwards."""
        problems = unsafe_markdown(content)
        if problems:
            raise BuildError(problems)
        self.blocks = []
        try:
            template = self.md_env.from_string(content.body)  # inside: a syntax error names the file too
            text = template.render(param=self.g_param, rate_table=self.g_rate_table, example=self.g_example,
                                   cite=self.cite_link, calculator_link=self.g_calculator_link, url=self.g_url,
                                   where_to_ask=self.g_where_to_ask)
        except BuildError as error:
            raise BuildError([f"content/{content.lang}/{content.slug}.md: {p}" for p in error.problems]) from None
        except jinja2.TemplateError as error:
            raise BuildError(f"content/{content.lang}/{content.slug}.md: {error}") from None
        md = markdown.Markdown(extensions=["tables", "attr_list", "toc"],
                               extension_configs={"toc": {"slugify": markdown.extensions.toc.slugify_unicode}},
                               output_format="html")
        html = md.convert(text)
        for index, block in enumerate(self.blocks):
            token = f"QYBLOCK{index}QY"
            if f"<p>{token}</p>" in html:
                html = html.replace(f"<p>{token}</p>", block)
            elif token in html:
                html = html.replace(token, block)
            else:
                raise BuildError(f"content/{content.lang}/{content.slug}.md: a block was lost in Markdown")
        # Root-relative links typed in Markdown (/zh/...) follow the build's path prefix.
        html = re.sub(r'href="/(zh|en)/', lambda m: f'href="{self.site.prefix}{m.group(1)}/', html)
        # Python-Markdown puts '{: .steps }' written under a list on its last item: move it to the list.
        html = re.sub(r'<(ol|ul)>\n((?:<li>(?:(?!</?[ou]l>).)*?</li>\n)*)<li class="steps">',
                      r'<\1 class="steps">\n\2<li>', html, flags=re.S)
        html = self.wrap_tables(html)
        try:  # readings-build: each <!-- reading:id --> gets its visible marker
            html = mark_comments(html, self.site, self.lang)
        except BuildError as error:
            raise BuildError([f"content/{content.lang}/{content.slug}.md: {p}" for p in error.problems]) from None
        for found in re.findall(r'\sid="([^"]+)"', html):
            self.ids[found] = self.ids.get(found, 0) + 1
        return Markup(html)

    def wrap_tables(self, html):
        """Writer's Markdown tables scroll inside their own box, never the page."""
        def wrap(m):
            return (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(self.t("table"))}">'
                    f"{m.group(0)}</div>")
        return re.sub(r"(?<!>)<table>.*?</table>", wrap, html, flags=re.S)

    def rate_table(self, clause, compact=False):
        rows = rate_rows(clause, self.lang, self.cite_link, self.site.as_of)
        if not rows:
            raise BuildError(f"rate_table('{clause}'): no parameter in calculator/parameters.toml cites {clause}")
        self.tables_shown.setdefault(self.lang, set()).update(r["name"] for r in rows)
        for r in rows:  # readings-build: the label cell's row anchor and reading marker
            r["row_id"] = self.unique_id(f"rate-{r['name']}")
            reading = POLICY[r["name"]].reading
            r["marker"] = self.reading(reading) if reading else ""
        table_id = self.unique_id(f"rates-{clause}")
        caption = self.t("rates_caption", clause=cite_texts(clause)[self.lang])
        return self.components.rate_table(table_id, caption, rows, compact, self.lang)
