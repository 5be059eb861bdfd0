// Register view: the printed 公示 table, laid out in A4 pages here (imported only when printing).
// Chromium prints no "page X of Y" total in normal flow, so the rows are split into page-sized tables:
// each page has the table's header and a footer "第 X 页，共 Y 页" (the module's words), and no row is split;
// the totals, the village's 分配办法, the posting period, objection and supervision lines, the signatures
// and the 本站理解 footnote come last. Every word and figure is the rule module's `notice` export.
//
// Every household on paper, or no paper: the pages are laid out from heights MEASURED in the print styles
// (site.css gives the notice the same millimetres and points on screen, in an offscreen holder of the
// print body's width), never estimated from the text. Once laid out, each page body is checked for
// overflow (scrollHeight > clientHeight); if one overflows the pages are laid out again from what was
// measured with that much more room kept free, and if a part cannot fit on a page at all (a row taller than
// a page) nothing is printed: layoutNotice returns { pages: 0, refused } and the page says why.

import { el, root } from "./dom.mjs";

const COLUMNS_MM = [14, 28, 18, 19, 45, 28, 34]; // 序号 户主 股数 脱贫年份 本年状态 分红 备注: 186 mm (site.css); "Total" fits the first
const TRIES = 3; // lay-outs before refusing: the first from measured heights, then with the overflow found kept free

function cellsRow(cells, cellTag = "td") {
  return el("tr", {}, cells.map((cell, i) => el(i === 1 && cellTag === "td" ? "th" : cellTag,
    i === 1 && cellTag === "td" ? { scope: "row" } : cellTag === "th" ? { scope: "col" } : {}, cell)));
}

function colgroup() {
  return el("colgroup", {}, COLUMNS_MM.map((mm) => {
    const col = el("col");
    col.style.width = `${mm}mm`; // CSSOM, not a style attribute: allowed by the page's CSP
    return col;
  }));
}

// The parts of the notice, built afresh for each use (a node is in one place only).
function titleBlock(notice) {
  return [el("h1", { class: "notice-title" }, notice.title),
    el("table", { class: "notice-facts" }, el("tbody", {}, notice.facts.map((f) =>
      el("tr", {}, el("th", { scope: "row" }, f.label), el("td", {}, f.value)))))];
}

function footRows(notice) {
  const rows = [cellsRow(notice.totals)];
  // What waits for the collective's 转分 is a full-width row under the totals: paid + this = the return.
  if (notice.pass_on) rows.push(el("tr", { class: "notice-pass-on" }, el("td", { colspan: String(COLUMNS_MM.length) }, notice.pass_on)));
  return rows;
}

function table(notice, rows, withFoot) {
  const parts = [colgroup(), el("thead", {}, cellsRow(notice.columns, "th")), el("tbody", {}, rows.map((i) => cellsRow(notice.rows[i])))];
  if (withFoot) parts.push(el("tfoot", {}, footRows(notice)));
  return el("table", { class: "notice-table" }, parts);
}

// A line "label：value", or "label：＿＿＿" drawn to fill in by hand when the bookkeeper left it empty.
function contactLine(line, lang) {
  const value = line.value === null ? el("span", { class: "notice-blank", "data-blank": line.key }) : line.value;
  return el("p", { class: "notice-contact", "data-line": line.key }, `${line.label}${lang === "zh" ? "：" : ": "}`, value);
}

function closingBlock(notice, lang) {
  const colon = lang === "zh" ? "：" : ": ";
  return el("div", { class: "notice-closing" },
    [notice.rounding_note, ...notice.notes].map((text) => el("p", { class: "notice-note" }, text)),
    el("p", { class: "notice-method" }, el("strong", {}, `${notice.method_label}${colon}`), notice.method),
    el("p", { class: "notice-note" }, notice.basis),
    el("div", { class: "notice-contacts" }, notice.contacts.map((line) => contactLine(line, lang))),
    el("div", { class: "notice-signatures" }, notice.signatures.map((who) =>
      el("p", {}, el("span", {}, who), el("span", { class: "notice-sign-line" })))),
    notice.readings.length ? el("div", { class: "notice-readings", "data-reading": notice.readings.map((r) => r.id).join(" ") },
      el("p", {}, el("strong", {}, notice.readings_label)),
      el("ol", {}, notice.readings.map((r) => el("li", { "data-reading": r.id }, r.text)))) : null);
}

function pageSection(body, number) {
  return el("section", { class: "notice-page", "data-page": String(number) }, body, el("p", { class: "notice-footer" }));
}

// One page as tall as everything (site.css .notice-probe): the heights of the title block, the table's
// header, each row, the totals and the closing words, in px of this layout; and a real page body's height.
function measure(holder, notice, lang) {
  const all = notice.rows.map((_, i) => i);
  const probeTable = table(notice, all, true);
  const head = el("div", { class: "notice-head-block" }, titleBlock(notice));
  const closing = closingBlock(notice, lang);
  const emptyBody = el("div", { class: "notice-body" });
  holder.replaceChildren(pageSection(emptyBody, 0), el("section", { class: "notice-page notice-probe" },
    el("div", { class: "notice-body" }, head, probeTable, closing)));
  const h = (node) => node.getBoundingClientRect().height;
  const thead = probeTable.tHead;
  const foot = probeTable.tFoot;
  const rows = [...probeTable.tBodies[0].rows].map(h);
  const inner = h(thead) + rows.reduce((a, b) => a + b, 0) + h(foot);
  return {
    body: emptyBody.clientHeight,
    first: probeTable.getBoundingClientRect().top - head.getBoundingClientRect().top,
    head: h(thead) + Math.max(0, h(probeTable) - inner), // the table's own borders go with its header
    rows,
    foot: h(foot),
    closing: h(closing),
  };
}

// Rows into pages by measured height, no row split; the totals under the last rows, the closing words after
// them or, when they do not fit there, on a page of their own. Returns the pages or { refused }.
function paginate(m, keep) {
  const room = m.body - keep;
  const pages = [];
  let page = { rows: [], used: m.first + m.head, first: true };
  for (let i = 0; i < m.rows.length; i++) {
    if (m.head + m.rows[i] > room) return { refused: "row", row: i };
    if (page.used + m.rows[i] > room) {
      pages.push(page);
      page = { rows: [], used: m.head };
    }
    page.rows.push(i);
    page.used += m.rows[i];
  }
  // The totals must stand under at least one row: the last row goes on with them when they do not fit.
  while (page.used + m.foot > room) {
    if (!page.rows.length || (page.rows.length === 1 && !page.first)) return { refused: "totals" };
    const moved = page.rows.pop();
    pages.push(page);
    page = { rows: [moved], used: m.head + m.rows[moved] };
  }
  page.foot = true;
  page.used += m.foot;
  if (m.closing > room) return { refused: "closing" };
  if (page.used + m.closing <= room) {
    page.closing = true;
    pages.push(page);
  } else if (page.rows.length > 1 && m.head + m.rows[page.rows.at(-1)] + m.foot + m.closing <= room) {
    const moved = page.rows.pop();
    page.foot = false;
    pages.push(page);
    pages.push({ rows: [moved], foot: true, closing: true });
  } else {
    pages.push(page);
    pages.push({ rows: [], closing: true });
  }
  return { pages };
}

function render(holder, notice, lang, pages) {
  holder.replaceChildren(...pages.map((page, index) => {
    const body = el("div", { class: "notice-body" });
    if (index === 0) body.append(...titleBlock(notice));
    if (page.rows.length || page.foot) body.append(table(notice, page.rows, page.foot));
    if (page.closing) body.append(closingBlock(notice, lang));
    return pageSection(body, index + 1);
  }));
  const count = String(pages.length);
  holder.querySelectorAll(".notice-page").forEach((section, index) => {
    section.querySelector(".notice-footer").textContent = notice.page_label.replace("{page}", String(index + 1)).replace("{pages}", count);
  });
}

// The largest overflow of any page body, in px (0 when every page holds all it has).
function overflow(holder) {
  let worst = 0;
  for (const body of holder.querySelectorAll(".notice-page .notice-body")) worst = Math.max(worst, body.scrollHeight - body.clientHeight);
  return worst;
}

// Lays the notice out into #register-notice as A4 pages: { pages: N } ready to print, or { pages: 0, refused }.
export function layoutNotice(notice, noticeLang) {
  const holder = document.getElementById("register-notice");
  holder.lang = noticeLang === "zh" ? "zh-CN" : "en";
  holder.classList.add("notice-measuring");
  try {
    const m = measure(holder, notice, noticeLang);
    let keep = 1; // px: sub-pixel rounding between this layout and the next
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const laid = paginate(m, keep);
      if (!laid.pages) {
        holder.replaceChildren();
        return { pages: 0, ...laid };
      }
      render(holder, notice, noticeLang, laid.pages);
      const over = overflow(holder);
      if (over <= 0) {
        root.classList.add("printing-notice");
        return { pages: laid.pages.length };
      }
      keep += over + 1;
    }
    holder.replaceChildren();
    return { pages: 0, refused: "overflow" };
  } finally {
    holder.classList.remove("notice-measuring");
  }
}
