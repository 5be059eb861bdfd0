// Register view (issue 11): the printed 公示 table, laid out in A4 pages here (imported only when
// printing). Chromium prints no "page X of Y" total in normal flow, so the rows are split into
// page-sized tables from fixed row heights: each page has the table's header, a footer "第 X 页，共 Y 页"
// (the module's words), and no row is ever split; the totals, rounding note, date and signature lines
// are on the last page. Every word and figure is the rule module's `notice` export.

import { el, root } from "./dom.mjs";

// Millimetres on A4 (297 × 210) with the site's 12 mm @page margins; see the register block of site.css.
const PAGE_MM = 270; // the page box (273 printable, less a little so rounding never adds a blank page)
const FOOTER_MM = 8;
const BODY_MM = PAGE_MM - FOOTER_MM;
const WIDTH_MM = 186;
const COLUMNS_MM = [12, 28, 16, 19, 47, 28, 36]; // 序号 户主 股数 脱贫年份 本年状态 分红 备注: 186 mm
const LINE_MM = 4.6; // 10 pt text, line-height 4.6 mm
const ROW_PAD_MM = 2.6; // a row's padding and border
const CELL_PAD_MM = 3.4; // 1.5 mm each side and the borders
// Widths at 10 pt, generous: a CJK glyph is 3.53 mm wide; Latin letters and digits about half of that.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u;

function textMM(text) {
  let wide = 0;
  let narrow = 0;
  for (const ch of String(text)) {
    if (WIDE.test(ch)) wide += 1;
    else narrow += 1;
  }
  return wide * 3.55 + narrow * 2.1 * 1.15; // Latin text wraps at word ends, wasting some of each line
}

function lines(text, widthMM) {
  return Math.max(1, Math.ceil(textMM(text) / (widthMM - CELL_PAD_MM)));
}

function rowMM(cells) {
  return ROW_PAD_MM + LINE_MM * Math.max(...cells.map((cell, i) => lines(cell, COLUMNS_MM[i])));
}

function paragraphMM(text, lineMM = 5, widthMM = WIDTH_MM) {
  return 2.5 + lineMM * Math.max(1, Math.ceil(textMM(text) / widthMM));
}

function row(cells, heightMM, cellTag = "td") {
  const tr = el("tr", {}, cells.map((cell, i) => el(i === 1 && cellTag === "td" ? "th" : cellTag,
    i === 1 && cellTag === "td" ? { scope: "row" } : cellTag === "th" ? { scope: "col" } : {}, cell)));
  tr.style.height = `${heightMM}mm`; // CSSOM, not a style attribute: allowed by the page's CSP
  return tr;
}

// Lays the notice out into #register-notice as A4 pages; returns the number of pages.
export function layoutNotice(notice, noticeLang) {
  const headMM = rowMM(notice.columns) + 1;
  // What waits for the collective's 转分 is a full-width row under the totals: paid + this = the return.
  const passOnMM = notice.pass_on ? ROW_PAD_MM + LINE_MM * lines(notice.pass_on, WIDTH_MM) : 0;
  const totalsMM = rowMM(notice.totals) + passOnMM;
  const facts = notice.facts.map((f) => [f.label, f.value]);
  const factMM = (f) => ROW_PAD_MM + LINE_MM * Math.max(lines(f[0], 50), lines(f[1], WIDTH_MM - 50));
  const firstMM = 4 + 9 * Math.ceil(textMM(notice.title) * 1.6 / WIDTH_MM) + facts.reduce((sum, f) => sum + factMM(f), 4);
  const closing = [notice.rounding_note, ...notice.notes, notice.basis];
  const closingMM = closing.reduce((sum, text) => sum + paragraphMM(text), 0) + 12 + 28; // date line, signatures

  // Rows into pages by height; a row never splits (it is a fixed-height <tr> on one page).
  const pages = [];
  let current = { rows: [], used: firstMM + headMM };
  for (const cells of notice.rows) {
    const height = rowMM(cells);
    if (current.used + height > BODY_MM && current.rows.length) {
      pages.push(current);
      current = { rows: [], used: headMM };
    }
    current.rows.push([cells, height]);
    current.used += height;
  }
  // The totals and closing words must be on the last page: if they do not fit, the last row goes on
  // a new page with them (a table with at least one row under its header).
  if (current.used + totalsMM + closingMM > BODY_MM && current.rows.length > 1) {
    const moved = current.rows.pop();
    current.used -= moved[1];
    pages.push(current);
    current = { rows: [moved], used: headMM + moved[1] };
  }
  pages.push(current);

  const holder = document.getElementById("register-notice");
  holder.lang = noticeLang === "zh" ? "zh-CN" : "en";
  const colgroup = () => el("colgroup", {}, COLUMNS_MM.map((mm) => {
    const col = el("col");
    col.style.width = `${mm}mm`;
    return col;
  }));
  const count = String(pages.length);
  holder.replaceChildren(...pages.map((page, index) => {
    const first = index === 0;
    const last = index === pages.length - 1;
    const body = el("div", { class: "notice-body" });
    if (first) {
      body.append(el("h1", { class: "notice-title" }, notice.title));
      body.append(el("table", { class: "notice-facts" }, el("tbody", {}, facts.map((f) => {
        const tr = el("tr", {}, el("th", { scope: "row" }, f[0]), el("td", {}, f[1]));
        tr.style.height = `${factMM(f)}mm`;
        return tr;
      }))));
    }
    const table = el("table", { class: "notice-table" }, colgroup(),
      el("thead", {}, row(notice.columns, headMM - 1, "th")),
      el("tbody", {}, page.rows.map(([cells, height]) => row(cells, height))));
    if (last) {
      const foot = el("tfoot", {}, row(notice.totals, totalsMM - passOnMM));
      if (notice.pass_on) {
        const passOn = el("tr", { class: "notice-pass-on" }, el("td", { colspan: String(COLUMNS_MM.length) }, notice.pass_on));
        passOn.style.height = `${passOnMM}mm`;
        foot.append(passOn);
      }
      table.append(foot);
    }
    body.append(table);
    if (last) {
      for (const text of closing) body.append(el("p", { class: "notice-note" }, text));
      body.append(el("p", { class: "notice-date" }, `${notice.date_label}${noticeLang === "zh" ? "：　　　　年　　月　　日" : ": ____________________"}`));
      body.append(el("div", { class: "notice-signatures" }, notice.signatures.map((who) =>
        el("p", {}, el("span", {}, who), el("span", { class: "notice-sign-line" })))));
    }
    const footer = notice.page_label.replace("{page}", String(index + 1)).replace("{pages}", count);
    return el("section", { class: "notice-page", "data-page": String(index + 1) }, body,
      el("p", { class: "notice-footer" }, footer));
  }));
  root.classList.add("printing-notice");
  return pages.length;
}
