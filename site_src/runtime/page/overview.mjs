// The household overview tab (issue 10): "我家能得多少 / What my household gets". Its form is static
// HTML in sections (templates/calculator_overview.html); this module gives the start year its
// default (the current year, shown and editable), makes "does not apply" fold a section and send
// nothing, and writes the answer: a one-sentence summary, the year-by-year table (the source of
// truth for screen readers), the chart (chart.mjs), totals, the range and the loan apart, what does
// not apply and why, notes and the steps. Every figure is the rule module's display text.

import { clauseLink, container, el, shown, t, ui } from "./dom.mjs";
import { drawChart } from "./chart.mjs";
import { rangeText, show } from "./render.mjs";
import { addReadAloud } from "./speak.mjs";
import { setupSteps } from "./steps.mjs";

export const MEASURE = "household_overview";
export const overviewForm = container.querySelector(`form.calc[data-measure="${MEASURE}"]`);

export function isOverview(form) {
  return form.dataset.measure === MEASURE;
}

// A clause link, or nothing where the step is the overview's own (clause null).
function cite(clause) {
  return clause ? [" ", clauseLink(clause)] : [];
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

// ------------------------------------------------------------------ the form

// Folds or unfolds a section by its "does not apply" switch; folding empties it (nothing is sent).
export function syncSkip(box, clear) {
  const section = box.closest("fieldset");
  const body = section.querySelector(".ov-section-body");
  if (box.checked && clear) {
    for (const input of body.querySelectorAll("input")) {
      if (input.type === "radio" || input.type === "checkbox") input.checked = false;
      else input.value = "";
    }
  }
  body.hidden = box.checked;
  section.classList.toggle("ov-skipped", box.checked);
}

export function setupOverview() {
  if (!overviewForm) return;
  // The start year: the current year unless the household says otherwise. A form holding only such
  // defaults counts as empty (form.mjs), so an untouched page keeps a clean address.
  const start = overviewForm.elements.start_year;
  const year = String(new Date().getFullYear());
  start.defaultValue = year;
  start.value = year;
  start.dataset.default = year;
  container.addEventListener("change", (event) => {
    if (event.target.matches("input[data-skip]")) {
      syncSkip(event.target, true);
      event.target.form.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  overviewForm.addEventListener("reset", () => setTimeout(() => {
    for (const box of overviewForm.querySelectorAll("input[data-skip]")) syncSkip(box, false);
  }));
  setupSteps(overviewForm); // 长辈版: one section at a time
}

// ------------------------------------------------------------------ the answer

// The sentence above the table: the best year and the total, from a template in site.toml.
export function summaryText(result) {
  if (!result.years.length) return ui.ov_summary_none;
  const best = result.years.find((year) => year.year === result.peak_year); // chosen by the rule module
  return fill(ui.ov_summary, { year: best.year, amount: shown(best, "total"), first: result.years[0].year,
                               last: result.years.at(-1).year, total: shown(result.total, "amount") });
}

function periodText(item) {
  return item.period === "once" ? ui.ov_once : ui.ov_yearly;
}

// The year table: one row per calendar year, its items (label, once or yearly, clause, amount), its total.
export function yearTable(result, label) {
  const rows = result.years.map((year) => el("tr", { "data-year": year.year },
    el("th", { scope: "row" }, String(year.year)),
    el("td", {}, year.items.length ? el("ul", { class: "ov-items" }, year.items.map((item) => el("li",
      { "data-measure": item.measure, "data-amount": item.amount },
      el("span", { class: "line-label" }, t(item.label), " (", periodText(item), ")", ...cite(item.clause)),
      el("span", { class: "line-amount" }, shown(item, "amount"))))) : ui.ov_nothing_this_year),
    el("td", { class: "amount", "data-total": year.total }, shown(year, "total"))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label },
    el("table", { class: "ov-years" },
      el("caption", {}, label),
      el("thead", {}, el("tr", {}, [ui.col_year, ui.ov_item_col, ui.ov_total_col].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows)));
}

function renderOverview(result, key) {
  const box = el("div", { class: result.eligible ? "result-body ov-result" : "result-body ov-result result-ineligible" });
  box.append(el("p", { class: "ov-summary" }, el("strong", {}, summaryText(result))));
  if (result.years.length) {
    box.append(el("h4", {}, ui.ov_years_title), yearTable(result, `${ui.ov_years_title} · ${t(result.title)}`));
    box.append(drawChart(result, `chart-${key}`, ui.ov_chart_title, ui.ov_chart_note));
  }
  box.append(el("h4", {}, ui.ov_totals_title));
  box.append(el("ul", { class: "ov-totals" }, result.subtotals.map((s) => el("li", {},
    `${t(s.label)}: `, el("strong", {}, shown(s, "amount"))))));
  box.append(el("p", { class: "total" }, `${t(result.total.label)}: `, el("strong", { "data-total": result.total.amount }, shown(result.total, "amount"))));
  if (result.range || result.loan) {
    const apart = el("div", { class: "ov-apart" }, el("h4", {}, ui.ov_apart_title));
    if (result.range) {
      apart.append(el("p", { class: "ov-range" }, `${t(result.range.label)} (${t(result.range.project_type)}): `,
        el("strong", {}, rangeText(result.range)), ...cite(result.range.clause)), el("p", { class: "hint" }, t(result.range.note)));
    }
    if (result.loan) {
      apart.append(el("p", { class: "ov-loan" }, `${t(result.loan.label)}: `, el("strong", {}, shown(result.loan, "amount")),
        ...cite(result.loan.clause)), el("p", { class: "hint" }, t(result.loan.note)));
    }
    box.append(apart);
  }
  if (result.not_applicable.length) {
    box.append(el("h4", {}, ui.ov_not_applicable_title), el("ul", { class: "ov-not-applicable" },
      result.not_applicable.map((n) => el("li", { "data-code": n.code }, t(n), ...cite(n.clause)))));
  }
  if (result.warnings.length) {
    box.append(el("h4", {}, ui.ov_notes_title), el("ul", { class: "ov-notes" },
      result.warnings.map((w) => el("li", {}, t(w), ...cite(w.clause)))));
  }
  const steps = el("ol", {}, result.trace.map((step) => el("li", {}, t(step), ...cite(step.clause))));
  box.append(el("details", { class: "trace" }, el("summary", {}, ui.how), steps,
    result.rounding.map((r) => el("p", { class: "rounding" }, t(r)))));
  return box;
}

// The answer to the overview form (or its "What if…" copy): errors as every form shows them
// (render.mjs), an ok answer as the overview's own picture.
export function showOverview(form, result, strict) {
  show(form, result && result.ok ? null : result, strict);
  if (result && result.ok) {
    const key = form.dataset.key || form.dataset.measure;
    const box = renderOverview(result, key);
    document.getElementById(`result-${key}`).append(box);
    addReadAloud(box, result);
  }
}

// For the print slip: each year and its total, then the total of each measure (the items are on screen).
export function slipYears(result) {
  if (!result.years.length) return null;
  const rows = result.years.map((year) => el("tr", {}, el("th", { scope: "row" }, String(year.year)),
    el("td", { class: "amount" }, shown(year, "total"))));
  return el("div", {}, el("table", { class: "ov-years ov-slip-years" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, ui.col_year), el("th", { scope: "col" }, ui.ov_total_col))),
    el("tbody", {}, rows)),
    el("ul", {}, result.subtotals.map((s) => el("li", {}, `${t(s.label)}: ${shown(s, "amount")}`))));
}
