// Register view: the village bookkeeper's dividend register (measure dividend_register).
// The household list comes from a file (its bytes read by the rule module, calculator/register/files.py:
// size and kind first, the encoding decided, an Excel workbook read with the readers the worker downloads only
// then) or is pasted (tab-separated cells from Excel or WPS) into the textarea; the rule module reads it,
// works out the year and writes every figure, status, error and printed word. This module only
// moves text: into the request, and from the answer into the table (no number is formatted here).
//
// Privacy: the list and the village have no `name`, so form.mjs never writes them into the URL
// fragment (only year, funds and rate, the form's named fields, go into the share link); nothing
// here stores, caches or sends them: the list goes to the worker by postMessage and stays in memory
// and in the form. Resetting the form (全部清空, the kiosk's idle reset, a link followed) forgets it.

import { clauseLink, el, lang, shown, t, ui } from "./dom.mjs";
import { show } from "./render.mjs";
import { calculate, isReady, readRegisterFile, registerXlsx } from "./worker-client.mjs";

const form = document.querySelector('form[data-view="register"]');
const DEBOUNCE_MS = 150;
const PARAMETERS = ["distribution_year", "injected_funds", "agreed_rate_percent", "village"];

let generation = 0;
let debounce = null;
let running = 0;
let reading = 0; // files being read by the worker
let submitted = false;
// For tests and the benchmark: ms from a file chosen to its table on screen (read, decode, compute, render).
export const timing = { file_ms: [] };

// ------------------------------------------------------------------ the request

const control = (path) => form.querySelector(`[data-path="${path}"]`);
const listText = () => control("text").value;

// The register's request, or null while there is no list. exports: ["notice"] and/or ["csv"].
export function registerRequest(exports = null) {
  const text = listText();
  if (!text.trim()) return null;
  const request = { measure: form.dataset.measure, text };
  for (const path of PARAMETERS) {
    const value = control(path).value.trim();
    if (value !== "") request[path] = value;
  }
  if (exports) request.export = exports;
  if (exports?.includes("notice")) request.notice_options = noticeOptions();
  return request;
}

// The printed notice's options (posting period, objection contact, phones, 分配办法) as the bookkeeper typed
// them: sent only to lay out the notice, never in the share link (they have no `name`) or any storage.
function noticeOptions() {
  const options = {};
  for (const node of form.querySelectorAll('[data-path^="notice_options."]')) {
    const key = node.dataset.path.slice("notice_options.".length);
    if (node.type === "checkbox") options[key] = node.checked;
    else if (node.value.trim() !== "") options[key] = node.value;
  }
  return options;
}

// The posting starts today unless the bookkeeper says otherwise (the end defaults in the rule module).
function startToday() {
  const start = control("notice_options.notice_start");
  if (!start || start.value) return;
  const now = new Date();
  start.value = [now.getFullYear(), String(now.getMonth() + 1).padStart(2, "0"), String(now.getDate()).padStart(2, "0")].join("-");
}

async function compute(started = null) {
  running += 1;
  try {
    const request = registerRequest();
    const mine = ++generation;
    if (!request || !isReady()) {
      if (!request) show(form, null, false);
      return;
    }
    const result = await calculate(request);
    if (mine !== generation) return; // a newer change has asked again
    render(result);
    if (started !== null) timing.file_ms.push(performance.now() - started);
    form.dataset.registerSeq = String(Number(form.dataset.registerSeq || 0) + 1);
  } finally {
    running -= 1;
  }
}

// ------------------------------------------------------------------ the answer on screen

function render(result) {
  const box = document.getElementById(`result-${form.dataset.measure}`);
  if (!result.ok) {
    const rows = result.errors.filter((e) => e.row !== undefined && e.row !== null);
    // A missing cell in the list is shown at once; a missing year or amount waits for "Calculate".
    show(form, result, submitted || rows.length > 0);
    if (rows.length) box.append(badRows(rows));
    return;
  }
  show(form, null, false); // clears the errors and the box
  box.append(distribution(result));
}

// Each bad row beside the list: row number, column letter, the module's bilingual error.
function badRows(errors) {
  return el("div", { class: "table-wrap register-errors", tabindex: "0", role: "region", "aria-labelledby": "register-bad-rows" },
    el("table", { class: "schedule" },
      el("caption", { id: "register-bad-rows" }, ui.register_bad_rows),
      el("thead", {}, el("tr", {}, [ui.register_col_row, ui.register_col_column, ui.register_col_problem].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, errors.map((e) => el("tr", { "data-row": e.row, "data-column": e.column || "" },
        el("th", { scope: "row" }, String(e.row)), el("td", {}, e.column || ""), el("td", {}, t(e)))))));
}

function distribution(result) {
  const texts = JSON.parse(document.getElementById("register-texts").textContent);
  const register = result.register;
  const income = result.lines.find((line) => line.id === "collective_income");
  const body = el("div", { class: "result-body register-result" });
  body.append(el("h3", {}, t(result.title), " · ", ...result.clauses.flatMap((c, i) => [i ? "、" : "", clauseLink(c.id)])));
  body.append(el("ul", { class: "result-lines" },
    el("li", {}, el("span", { class: "line-label" }, t(income.label), " ", clauseLink(income.clause)),
      el("span", { class: "line-calc" }, `${shown(income, "quantity")} × ${shown(income, "rate")}`),
      el("span", { class: "line-amount" }, shown(income, "amount")))));
  const year = result.trace.find((step) => step.parameter === "consolidation_years" && step.clause === "measure-5");
  if (year) body.append(el("p", { class: "register-year" }, t(year)));
  for (const warning of result.warnings) {
    const reading = warning.code === "register_shares_passed_on";
    body.append(el("p", { class: reading ? "result-warning register-reading" : "result-warning", "data-reading": reading ? "shares_pass_on" : null },
      el("strong", {}, ui.note), " ", t(warning), " ", clauseLink(warning.clause)));
  }
  const head = [texts.column_index, texts.column_household, texts[`column_${register.basis}`], texts.column_exit_year,
    texts.column_status, texts.column_dividend, texts.column_note];
  const rows = document.createDocumentFragment();
  result.households.forEach((row, i) => {
    const flag = row.consolidation_ends_this_year ? el("strong", { class: "register-flag" }, ui.register_flag) : null;
    // data-label: on a phone each row is a card and a cell says what it is (site.css, the register table)
    rows.append(el("tr", { class: row.consolidation_ends_this_year ? "ends" : row.eligible ? null : "ended", "data-status": row.status },
      el("td", { "data-label": head[0] }, String(i + 1)), el("th", { scope: "row" }, row.household),
      el("td", { class: "amount", "data-label": head[2] }, row.shares),
      el("td", { "data-label": head[3] }, row.exit_year === null ? "" : String(row.exit_year)),
      el("td", { "data-label": head[4] }, t(row.status_label), flag ? " " : "", flag),
      el("td", { class: "amount", "data-label": head[5] }, shown(row, "dividend")), el("td", { "data-label": head[6] }, row.note || "")));
  });
  const totals = [el("tr", {}, el("th", { scope: "row", colspan: "2" }, texts.totals),
    el("td", { class: "amount", "data-label": head[2] }, register.total_shares),
    el("td", {}), el("td", {}), el("td", { class: "amount", "data-label": head[5] }, shown(register, "dividends")), el("td", {}))];
  // Under the totals, the part of the return that waits for the collective's 转分 (measure 5).
  // Its amount stands under the dividends, so the two visibly add up to the year's return.
  if (register.pass_on) totals.push(el("tr", { class: "register-pass-on" },
    el("th", { scope: "row", colspan: "5" }, t(register.pass_on), " ", clauseLink("measure-5")),
    el("td", { class: "amount" }, shown(register, "to_pass_on")), el("td", {})));
  body.append(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "register-table-caption" },
    el("table", { class: "schedule register-table" },
      el("caption", { id: "register-table-caption" }, ui.register_table),
      el("thead", {}, el("tr", {}, head.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows), el("tfoot", {}, ...totals))));
  body.append(el("p", { class: "total" }, `${t(result.total.label)}: `, el("strong", {}, shown(result.total, "amount"))));
  body.append(el("p", { class: "rounding register-rounding" }, t(register.rounding_note)));
  const steps = el("ol", {}, result.trace.map((step) => el("li", {}, t(step), " ", clauseLink(step.clause))));
  body.append(el("details", { class: "trace" }, el("summary", {}, ui.how), steps,
    result.rounding.map((r) => el("p", { class: "rounding" }, t(r)))));
  return body;
}

// ------------------------------------------------------------------ saving and printing

function say(text) {
  form.querySelector("[data-register-status]").textContent = text;
}

// The answer with the written-out exports, or null (the errors then shown as usual).
async function withExport(kind) {
  const request = registerRequest([kind]);
  if (!request) {
    say(ui.register_no_list);
    return null;
  }
  if (!isReady()) return null;
  const result = await calculate(request);
  if (!result.ok) {
    submitted = true;
    render(result);
    return null;
  }
  say("");
  return result;
}

// The CSV as the module wrote it, saved as UTF-8 with a BOM (so Excel and WPS read the Chinese right).
async function saveCsv() {
  const result = await withExport("csv");
  if (!result) return;
  download(new Blob(["\ufeff", result.csv[lang]], { type: "text/csv;charset=utf-8" }),
    `${ui.register_file_name}-${result.register.year}.csv`);
}

// ---- the year's table as an .xlsx workbook (calculator/register/files.py register_xlsx: the CSV's columns, text
// stored as text); the worker downloads the Excel readers the first time. Its bytes come base64 in the answer.
async function saveXlsx() {
  const request = registerRequest();
  if (!request) {
    say(ui.register_no_list);
    return;
  }
  if (!isReady()) return;
  const result = await registerXlsx(request, lang);
  if (!result.ok) {
    submitted = true;
    if (result.needs) show(form, result, true);
    else render(result);
    return;
  }
  say("");
  const binary = atob(result.xlsx);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    `${ui.register_file_name}-${result.year}.xlsx`);
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
// ---- end .xlsx

// The 公示 table laid out in A4 pages (page/notice.mjs), ready for window.print(): the number of pages, or 0
// when it cannot all be printed (then nothing is printed and the page says why).
export async function prepareNotice(noticeLang) {
  const result = await withExport("notice");
  if (!result) return 0;
  const { layoutNotice } = await import("./notice.mjs");
  const notice = result.notice[noticeLang];
  const laid = layoutNotice(notice, noticeLang);
  if (!laid.pages) {
    const row = laid.refused === "row" ? notice.rows[laid.row] : null;
    say(row ? ui.register_notice_row_too_tall.replace("{index}", row[0]).replace("{name}", row[1]) : ui.register_notice_too_tall);
  }
  return laid.pages;
}

async function printNotice(noticeLang) {
  const pages = await prepareNotice(noticeLang);
  if (!pages) return;
  window.print();
  document.documentElement.classList.remove("printing-notice");
}

// ------------------------------------------------------------------ wiring

const fileInput = form?.querySelector('input[type="file"]');
const encoding = form?.querySelector("[data-register-encoding]");

// The chosen file read into the list by the rule module (files.py), then computed. Its size is checked first, from
// File.size: a file over the limit is never read (the module still says why, in both languages).
async function readFile() {
  const file = fileInput.files[0];
  if (!file || !isReady()) return;
  const started = performance.now();
  const limit = JSON.parse(document.getElementById("register-texts").textContent).max_file_bytes;
  const mine = ++generation;
  reading += 1;
  try {
    const bytes = file.size > limit ? new Uint8Array(0) : new Uint8Array(await file.arrayBuffer());
    const read = await readRegisterFile(bytes, file.size);
    if (mine !== generation) return; // another file, a reset or typing since
    clearTimeout(debounce);
    debounce = null;
    if (!read.ok) {
      // nothing of a refused file is read, and the list it was to replace is not computed as if it were the file's
      control("text").value = "";
      encoding.textContent = "";
      delete encoding.dataset.encoding;
      show(form, read, true);
      form.dataset.registerSeq = String(Number(form.dataset.registerSeq || 0) + 1);
      return;
    }
    control("text").value = read.text;
    encoding.textContent = t(read.read_as);
    encoding.dataset.encoding = read.encoding || read.kind;
    await compute(started);
  } finally {
    reading -= 1;
  }
}

// Called when this module is loaded or the rule module becomes ready (main.mjs): whatever the form
// already holds (a list pasted or a file chosen before then) is computed.
export function refreshRegister() {
  if (!form) return;
  if (listText().trim()) compute();
  else if (fileInput.files.length) readFile();
}

if (form) {
  form.addEventListener("input", (event) => {
    if (event.target === fileInput) return; // the file's own change event reads it
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      compute();
    }, DEBOUNCE_MS);
  });
  fileInput.addEventListener("change", readFile);
  startToday();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitted = true;
    compute();
  });
  form.addEventListener("reset", () => {
    // The list forgotten: the table, the errors, the encoding note and any notice laid out for printing.
    generation += 1;
    submitted = false;
    clearTimeout(debounce);
    debounce = null;
    encoding.textContent = "";
    delete encoding.dataset.encoding;
    say("");
    show(form, null, false);
    document.getElementById("register-notice").replaceChildren();
    setTimeout(startToday); // after the reset has emptied the fields
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-register-action]");
    if (!button) return;
    event.preventDefault();
    const action = button.dataset.registerAction;
    // a kiosk is a shared machine: no file of names is saved there (site.css hides the button too)
    if ((action === "csv" || action === "xlsx") && document.documentElement.classList.contains("kiosk")) return;
    if (action === "csv") saveCsv();
    else if (action === "xlsx") saveXlsx();
    else if (action === "print") printNotice(button.dataset.lang);
    else if (action === "clear") form.reset();
  });
  window.addEventListener("afterprint", () => document.documentElement.classList.remove("printing-notice"));
  // For tests: the notice laid out without the print dialog, the timings, and "all shown".
  window.registerView = {
    timing,
    prepareNotice,
    layout: async (notice, noticeLang) => (await import("./notice.mjs")).layoutNotice(notice, noticeLang),
    settled: async () => {
      while (debounce !== null || running > 0 || reading > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
