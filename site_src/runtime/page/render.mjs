// Writing the rule module's answers into the page: the result of each form (lines, subtotals,
// checks, range, total, schedule, the steps), its errors beside the fields and in a summary, and
// the problems of a link followed. Every figure is the module's own display text (shown()).

import { clauseLink, el, shown, t, ui } from "./dom.mjs";

// ---- household overview: its "What if…" copy has the same measure, its own boxes (data-key).
function keyOf(form) {
  return form.dataset.key || form.dataset.measure;
}
// ---- end household overview

// The answer to one form (null: nothing filled in). strict: the user has pressed Calculate.
export function show(form, result, strict) {
  const box = document.getElementById(`result-${keyOf(form)}`);
  clearErrors(form);
  box.replaceChildren();
  if (!result) return;
  if (result.ok) {
    box.append(renderResult(result, keyOf(form)));
    return;
  }
  // "Required" errors wait for the Calculate button: nothing turns red before the user has finished.
  const listed = result.errors.filter((e) => strict || e.code !== "required");
  const waiting = result.errors.filter((e) => !strict && e.code === "required");
  showErrors(form, listed);
  if (waiting.length) box.append(el("p", { class: "result-waiting" }, waiting.map(placed).join(" ")));
  if (listed.length) box.append(el("p", { class: "result-invalid" }, ui.fix_errors));
}

export function rangeText(range) {
  return `${shown(range, "min")}${ui.range_sep}${shown(range, "max")}`;
}

// ---- answer first: the compact card every answer starts with (answer.mjs brings it into view).
// It holds the answer's title, its total (or range) and, for an answer without either, its first note.
export function resultCard(key, title, ...children) {
  return el("section", { class: "result-card", id: `card-${key}`, tabindex: "-1", "aria-labelledby": `card-${key}-title` },
    el("h3", { class: "result-card-title", id: `card-${key}-title` }, title), ...children);
}

function cardFor(result, key) {
  const parts = [];
  if (result.total) {
    const per = result.total.period === "per_year" ? ` (${ui.per_year})` : "";
    parts.push(el("p", { class: "result-card-total" }, el("span", { class: "result-card-label" }, `${t(result.total.label)}${per}: `),
      el("strong", { "data-total": result.total.amount }, shown(result.total, "amount"))));
  } else if (result.range) {
    parts.push(el("p", { class: "result-card-total" }, el("span", { class: "result-card-label" }, `${t(result.range.label)}: `),
      el("strong", { "data-total": result.range.max }, rangeText(result.range))));
  }
  return resultCard(key, [t(result.title), " · ", ...result.clauses.flatMap((c, i) => [i ? "、" : "", clauseLink(c.id)])], parts);
}
// ---- end answer first

// How the rule module read numbers written as people write them ("“50万”按 500,000 元计算。"), or nothing.
export function readAsNotes(result) {
  const notes = result.read_as || [];
  return notes.length ? [el("ul", { class: "read-as" }, notes.map((note) => el("li", { "data-path": note.path }, t(note))))] : [];
}

function renderResult(result, key) {
  const box = el("div", { class: result.eligible ? "result-body" : "result-body result-ineligible" });
  box.append(cardFor(result, key));
  box.append(...readAsNotes(result));
  for (const warning of result.warnings) {
    box.append(el("p", { class: "result-warning" }, el("strong", {}, ui.note), " ", t(warning), " ", clauseLink(warning.clause)));
  }
  if (result.lines.length) {
    // A list, not a wide table: on a 360 px phone each line reads "item / quantity × rate / amount".
    box.append(el("ul", { class: "result-lines" }, result.lines.map((line) => el("li", {},
      el("span", { class: "line-label" }, t(line.label), " ", clauseLink(line.clause)),
      el("span", { class: "line-calc" }, [shown(line, "quantity"), shown(line, "rate")].filter(Boolean).join(" × ")),
      el("span", { class: "line-amount" }, shown(line, "amount"))))));
  }
  for (const subtotal of result.subtotals) {
    const before = subtotal.capped ? ` (${ui.before_cap} ${shown(subtotal, "amount_before_cap")})` : "";
    box.append(el("p", { class: "subtotal" }, `${t(subtotal.label)}: `, el("strong", {}, shown(subtotal, "amount")), before));
  }
  if (result.schedule.length) box.append(renderSchedule(result));
  for (const check of result.checks) {
    box.append(el("p", { class: check.met === false ? "check check-failed" : "check" },
      `${t(check.label)}: ${ui.minimum} ${shown(check, "minimum")}`,
      check.actual !== null ? `; ${ui.actual} ${shown(check, "actual")}` : "", ` — ${t(check.verdict)}`));
  }
  if (result.range) {
    box.append(el("p", { class: "total" }, `${t(result.range.label)}: `, el("strong", {}, rangeText(result.range))));
  }
  if (result.total) {
    const per = result.total.period === "per_year" ? ` (${ui.per_year})` : "";
    box.append(el("p", { class: "total" }, `${t(result.total.label)}: `, el("strong", {}, shown(result.total, "amount")), per));
  }
  // ---- readings-build: the readings the answer relies on (ids in the result, titles from the page's JSON)
  if (result.readings && result.readings.length) box.append(renderReadings(result.readings));
  // ---- end readings-build
  const steps = el("ol", {}, result.trace.map((step) => el("li", {}, t(step), " ", clauseLink(step.clause))));
  box.append(el("details", { class: "trace" }, el("summary", {}, ui.how), steps,
    result.rounding.map((r) => el("p", { class: "rounding" }, t(r)))));
  return box;
}

// readings-build: "本站理解 / Our readings" with a link to each reading's entry on the readings page.
function renderReadings(ids) {
  return el("div", { class: "result-readings" }, el("p", {}, el("strong", {}, ui.readings_label)),
    el("ul", {}, ids.map((id) => {
      const reading = ui.readings[id];
      return el("li", {}, reading ? el("a", { class: "reading", href: reading.href }, reading.title) : id);
    })));
}

function renderSchedule(result) {
  const dividends = result.measure !== "grain_to_forest";
  const head = [ui.col_year, dividends ? ui.col_status : ui.col_installment, ui.col_amount];
  const rows = result.schedule.map((row) => el("tr", {},
    el("th", { scope: "row" }, shown(row, "year")),
    el("td", {}, dividends ? t(row.label) : shown(row, "installment")),
    el("td", { class: "amount" }, shown(row, "amount"))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${t(result.title)} ${ui.col_year}` },
    el("table", { class: "schedule" }, el("thead", {}, el("tr", {}, head.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows)));
}

// ------------------------------------------------------------------ errors

function target(form, path) {
  return [...form.querySelectorAll("[data-path]")].find((node) => node.dataset.path === path) || null;
}

function clearErrors(form) {
  const summary = document.getElementById(`errors-${keyOf(form)}`);
  summary.hidden = true;
  summary.replaceChildren();
  for (const node of form.querySelectorAll(".field-error")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

// An error as the rule module words it with the section of the form it is in (calculator/sections.py).
function placed(error) {
  return t(error.in_section || error);
}

function showErrors(form, errors) {
  if (!errors.length) return;
  const summary = document.getElementById(`errors-${keyOf(form)}`);
  const list = el("ul");
  for (const error of errors) {
    const node = target(form, error.path);
    const holder = node && document.getElementById(`${node.id}-error`);
    if (holder) {
      holder.hidden = false;
      holder.replaceChildren(el("span", { class: "visually-hidden" }, ui.error_prefix), placed(error));
      const controls = node.tagName === "FIELDSET" ? node.querySelectorAll("input") : [node];
      for (const control of controls) control.setAttribute("aria-invalid", "true");
      const focusable = node.tagName === "FIELDSET" ? node.querySelector("input") : node;
      list.append(el("li", {}, el("a", { href: `#${focusable.id}` }, placed(error))));
    } else list.append(el("li", {}, placed(error)));
  }
  summary.append(el("h4", {}, ui.error_summary_title), list);
  summary.hidden = false;
}

export function showLinkProblems(problems) {
  if (!problems.length) return;
  const status = document.getElementById("calculator-status");
  status.after(el("div", { class: "notice link-problems" }, el("ul", {}, problems.map((p) => el("li", {}, p)))));
}
