// The overview's quick "what if": under the answer's summary, a few one-tap variations the rule
// module proposes for this profile (one more head of an animal entered, one more mu of a crop, the
// exit a year later), each with its difference per year, or why it makes none (the cap is reached,
// not eligible, outside the years). The module answers them all (measure household_whatif,
// calculator/whatif.py); this only writes its texts into #ov-quick-whatif. The full second column
// (compare.mjs) stays for any other change.

import { el, t, ui } from "./dom.mjs";
import { calculate } from "./worker-client.mjs";

export const WHATIF = "household_whatif";
let generation = 0;

function variationItem(variation) {
  const body = variation.zero
    ? [el("p", { class: "ov-qw-reason" }, t(variation.reason))]
    : [el("ul", { class: "ov-qw-years" }, variation.years.map((row) => el("li", { "data-year": row.year, "data-difference": row.difference },
      `${row.year}${ui.qw_year_sep}`, el("strong", {}, t(row.display.difference)))))];
  return el("li", { class: "ov-qw-item", "data-id": variation.id, "data-zero": String(variation.zero) },
    el("span", { class: "ov-qw-label" }, t(variation.label)),
    el("span", { class: "ov-qw-total", "data-difference": variation.total.difference },
      `${ui.qw_total}${ui.qw_year_sep}`, el("strong", {}, t(variation.total.display.difference))),
    ...body);
}

// Called after each overview answer is on screen; `request` is the overview's request (null: none).
export async function refreshQuickWhatif(request, answer) {
  const mine = ++generation;
  const mount = () => document.getElementById("ov-quick-whatif");
  if (!mount()) return;
  if (!request || !answer || !answer.ok) {
    mount().replaceChildren();
    return;
  }
  const result = await calculate({ ...request, measure: WHATIF });
  const box = mount(); // the overview's answer may have been redrawn meanwhile
  if (mine !== generation || !box) return;
  if (!result.ok || !result.variations.length) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(el("section", { class: "ov-quick-whatif", "aria-labelledby": "ov-qw-title" },
    el("h4", { id: "ov-qw-title" }, ui.qw_title),
    el("p", { class: "hint" }, ui.qw_intro),
    el("ul", { class: "ov-qw-list" }, result.variations.map(variationItem))));
}
