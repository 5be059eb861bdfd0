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

// The box never moves what is already on screen (a layout shift, which a shared link's arrival measured at
// 0.2): where none is on screen yet, main.mjs asks its answer together with the overview's and draws both
// in one go; when the overview is redrawn, the box keeps its previous content (marked busy) in its place
// until its own answer replaces it.
export function whatifRequest(request) {
  return { ...request, measure: WHATIF };
}

const mount = () => document.getElementById("ov-quick-whatif");

export function quickWhatifShown() {
  return !!mount()?.firstElementChild;
}

// The box's current content, taken before the overview's answer is redrawn (overview.mjs puts it back).
export function takeQuickWhatif() {
  const box = mount();
  return box ? [...box.childNodes] : [];
}

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

// Called after each overview answer is on screen; `request` is the overview's request (null: none);
// `ready`: the quick what-if's answer when it was asked together with the overview's (drawn at once).
export async function refreshQuickWhatif(request, answer, ready = null) {
  const mine = ++generation;
  if (!mount()) return;
  if (!request || !answer || !answer.ok) {
    mount().replaceChildren();
    return;
  }
  const result = ready || await calculate(whatifRequest(request));
  const box = mount(); // the overview's answer may have been redrawn meanwhile
  if (mine !== generation || !box) return;
  box.removeAttribute("aria-busy");
  if (!result.ok || !result.variations.length) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(el("section", { class: "ov-quick-whatif", "aria-labelledby": "ov-qw-title" },
    el("h4", { id: "ov-qw-title" }, ui.qw_title),
    el("p", { class: "hint" }, ui.qw_intro),
    el("ul", { class: "ov-qw-list" }, result.variations.map(variationItem))));
}
