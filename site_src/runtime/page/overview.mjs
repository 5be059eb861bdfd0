// The household overview tab: "我家能得多少 / What my household gets". Its form is static
// HTML in sections (templates/calculator_overview.html); this module makes "does not apply" fold a section and send
// nothing, and writes the answer: a one-sentence summary, the year-by-year table (the source of
// truth for screen readers), the chart (chart.mjs), totals, the range and the loan apart, what does
// not apply and why, notes and the steps. Every figure is the rule module's display text.

import { clauseLink, container, el, shown, t, ui } from "./dom.mjs";
import { drawChart } from "./chart.mjs";
import { rangeText, readAsNotes, resultCard, show } from "./render.mjs";
import { addReadAloud } from "./speak.mjs";
import { setupSteps } from "./steps.mjs";
import { takeQuickWhatif } from "./whatif.mjs";

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
  // The start year stays empty unless the household enters one: the rule module then starts from the
  // earliest year the profile names (calculator/overview.py), and its hint says so.
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

// An item as the rule module names it (its measure, which installment) and, only where true, how often it is paid.
function itemName(item) {
  return item.tag ? [t(item.name), " ", el("span", { class: "ov-tag" }, t(item.tag))] : [t(item.name)];
}

// The year table: one row per calendar year, its items (name, how often, clause, amount), its total. On a
// phone it is kept for screen readers only and the year cards below show the same rows (site.css).
export function yearTable(result, label) {
  const rows = result.years.map((year) => el("tr", { "data-year": year.year },
    el("th", { scope: "row" }, String(year.year)),
    el("td", {}, year.items.length ? el("ul", { class: "ov-items" }, year.items.map((item) => el("li",
      { "data-measure": item.measure, "data-amount": item.amount },
      el("span", { class: "line-label" }, itemName(item), ...cite(item.clause)),
      el("span", { class: "line-amount" }, shown(item, "amount"))))) : ui.ov_nothing_this_year),
    el("td", { class: "amount", "data-total": year.total }, shown(year, "total"))));
  return el("div", { class: "table-wrap ov-years-wrap", role: "region", "aria-label": label },
    el("table", { class: "ov-years" },
      el("caption", {}, label),
      el("thead", {}, el("tr", {}, [ui.col_year, ui.ov_item_col, ui.ov_total_col].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows)));
}

// ---- year cards: the year table as one card per year, for screens where the table does not fit. The
// same rows and display texts as the table (which screen readers read instead: the cards are hidden
// from them); no links, so nothing is in the way: the clauses are cited in the table and the steps.
export function yearCards(result) {
  return el("ol", { class: "ov-year-cards", "aria-hidden": "true" }, result.years.map((year) =>
    el("li", { class: "ov-year-card", "data-year": year.year },
      el("p", { class: "ov-year-card-head" }, el("span", { class: "ov-year-card-year" }, String(year.year)),
        el("span", { class: "ov-year-card-total" }, shown(year, "total"))),
      year.items.length ? el("ul", { class: "ov-year-card-items" }, year.items.map((item) =>
        el("li", { "data-measure": item.measure },
          el("span", { class: "ov-year-card-name" }, itemName(item)),
          el("span", { class: "ov-year-card-amount" }, shown(item, "amount")))))
        : el("p", { class: "ov-year-card-none" }, ui.ov_nothing_this_year))));
}
// ---- end year cards

// ---- answer first: the overview's card: the total, which years (the summary), what does not apply.
function overviewCard(result, key) {
  const notApplicable = result.not_applicable.length ? el("div", { class: "ov-card-na" },
    el("h4", {}, ui.ov_not_applicable_title), el("ul", { class: "ov-not-applicable" },
      result.not_applicable.map((n) => el("li", { "data-code": n.code }, t(n), ...cite(n.clause))))) : null;
  return resultCard(key, t(result.title),
    el("p", { class: "result-card-total" }, el("span", { class: "result-card-label" }, `${t(result.total.label)}: `),
      el("strong", { "data-total": result.total.amount }, shown(result.total, "amount"))),
    el("p", { class: "ov-summary" }, el("strong", {}, summaryText(result))),
    // What the chosen start year leaves out (calculator/overview.py `dropped`), right under the summary.
    (result.dropped || []).map((entry) => el("p", { class: "ov-dropped", "data-code": entry.code }, t(entry))),
    notApplicable);
}
// ---- end answer first

function renderOverview(result, key, kept = []) {
  const box = el("div", { class: result.eligible ? "result-body ov-result" : "result-body ov-result result-ineligible" });
  box.append(overviewCard(result, key));
  box.append(...readAsNotes(result)); // how numbers written as people write them were read
  // The quick "what if" (whatif.mjs) for the main overview only, not its "What if…" copy.
  // It keeps its previous content in place (busy) until its own answer comes: nothing below it moves.
  if (key === MEASURE) {
    box.append(el("div", { id: "ov-quick-whatif", "aria-live": "polite", ...(kept.length ? { "aria-busy": "true" } : {}) }, ...kept));
  }
  if (result.years.length) {
    box.append(el("h4", {}, ui.ov_years_title), yearTable(result, `${ui.ov_years_title} · ${t(result.title)}`), yearCards(result));
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
  const key = form.dataset.key || form.dataset.measure;
  const kept = key === MEASURE ? takeQuickWhatif() : [];
  show(form, result && result.ok ? null : result, strict);
  if (result && result.ok) {
    const box = renderOverview(result, key, kept);
    document.getElementById(`result-${key}`).append(box);
    addReadAloud(box, result);
  }
}

// For the print slip: each year, its items by their names and its total, then the total of each measure.
export function slipYears(result) {
  if (!result.years.length) return null;
  const rows = result.years.map((year) => el("tr", {}, el("th", { scope: "row" }, String(year.year)),
    el("td", { class: "ov-slip-items" }, year.items.length ? el("ul", {}, year.items.map((item) =>
      el("li", {}, itemName(item), " ", el("span", { class: "amount" }, shown(item, "amount"))))) : ui.ov_nothing_this_year),
    el("td", { class: "amount" }, shown(year, "total"))));
  return el("div", {}, el("table", { class: "ov-years ov-slip-years" },
    el("thead", {}, el("tr", {}, [ui.col_year, ui.ov_item_col, ui.ov_total_col].map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, rows)),
    el("ul", {}, result.subtotals.map((s) => el("li", {}, `${t(s.label)}: ${shown(s, "amount")}`))));
}
