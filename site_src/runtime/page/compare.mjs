// "如果…会怎样 / What if…" for the household overview: a copy of the profile in a second
// column; change anything there and see both timelines and the difference per year. The copy is
// the same form with its own ids (data-key); both requests go to the rule module together
// (calculator.compare_json), which answers both and subtracts exactly: no money arithmetic here.

import { container, el, t, ui } from "./dom.mjs";
import { requestFor } from "./form.mjs";
import { overviewForm, showOverview, syncSkip } from "./overview.mjs";
import { compare, isReady } from "./worker-client.mjs";

const SUFFIX = "-b";
let copy = null;
let columns = null;
let generation = 0;

function renameIds(root) {
  for (const node of root.querySelectorAll("*")) {
    for (const attr of ["id", "for", "aria-describedby", "aria-labelledby", "data-target"]) {
      if (node.hasAttribute(attr)) node.setAttribute(attr, node.getAttribute(attr).split(" ").map((v) => v + SUFFIX).join(" "));
    }
  }
}

function open() {
  const form = overviewForm;
  copy = form.cloneNode(true);
  copy.id = form.id + SUFFIX;
  copy.dataset.key = `${form.dataset.measure}${SUFFIX}`;
  copy.setAttribute("aria-labelledby", `calc-${form.dataset.measure}-title${SUFFIX}`);
  renameIds(copy);
  copy.querySelector(`#result-${copy.dataset.key}`).replaceChildren();
  // The profile as typed now (a clone copies only what the HTML says): every answer, every skip.
  const from = [...form.querySelectorAll("input")];
  copy.querySelectorAll("input").forEach((input, i) => {
    if (input.type === "radio" || input.type === "checkbox") input.checked = from[i].checked;
    else input.value = from[i].value;
  });
  for (const box of copy.querySelectorAll("input[data-skip]")) syncSkip(box, false);
  const title = copy.querySelector("[data-column-title]");
  title.textContent = `${ui.ov_if}: ${title.textContent}`;
  copy.addEventListener("submit", (event) => event.preventDefault());
  columns = el("div", { class: "ov-columns" });
  form.before(columns);
  columns.append(form, copy);
  const panel = document.getElementById("ov-compare");
  panel.hidden = false;
  document.getElementById("ov-whatif").hidden = true;
  copy.querySelector("input:not([type=radio]):not([type=checkbox])")?.focus();
  copy.dispatchEvent(new Event("input", { bubbles: true }));
}

function close() {
  columns.before(overviewForm);
  columns.remove();
  copy = null;
  columns = null;
  document.getElementById("ov-compare").hidden = true;
  document.getElementById("ov-compare-body").replaceChildren();
  document.getElementById("ov-whatif").hidden = false;
  document.getElementById("ov-whatif").focus();
}

export function setupCompare() {
  if (!overviewForm) return;
  const button = el("button", { type: "button", class: "button secondary", id: "ov-whatif" }, ui.ov_whatif);
  const panel = el("section", { class: "ov-compare", id: "ov-compare", hidden: true, "aria-labelledby": "ov-compare-title" },
    el("h3", { id: "ov-compare-title" }, ui.ov_compare_title),
    el("p", {}, ui.ov_whatif_intro),
    el("div", { id: "ov-compare-body", "aria-live": "polite" }),
    el("button", { type: "button", class: "button secondary", id: "ov-whatif-close" }, ui.ov_whatif_close));
  overviewForm.after(button, panel);
  button.addEventListener("click", open);
  overviewForm.addEventListener("reset", () => { if (copy) close(); }); // "Clear everything", a new link
  panel.querySelector("#ov-whatif-close").addEventListener("click", close);
}

export function comparing() {
  return copy !== null;
}

function compareTable(difference) {
  const rows = difference.years.map((row) => el("tr", { "data-year": row.year },
    el("th", { scope: "row" }, String(row.year)),
    ...["a", "b", "difference"].map((key) => el("td", { class: "amount", [`data-${key}`]: row[key] }, t(row.display[key])))));
  const total = difference.total;
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": ui.ov_compare_title },
    el("table", { class: "ov-compare-table" },
      el("thead", {}, el("tr", {}, [ui.col_year, ui.ov_now, ui.ov_if, ui.ov_diff].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows),
      el("tfoot", {}, el("tr", { class: "total" }, el("th", { scope: "row" }, ui.ov_totals_title),
        ...["a", "b", "difference"].map((key) => el("td", { class: "amount", [`data-${key}`]: total[key] }, t(total.display[key])))))));
}

// Called by main.mjs after each recalculation (awaited, so the page's settled() covers it).
export async function refreshComparison(strict) {
  if (!copy || !isReady()) return;
  const mine = ++generation;
  const first = requestFor(overviewForm) || { measure: overviewForm.dataset.measure };
  const second = requestFor(copy) || { measure: overviewForm.dataset.measure };
  const answer = await compare(first, second);
  if (mine !== generation || !copy) return;
  showOverview(copy, requestFor(copy) ? answer.b : null, strict);
  const body = document.getElementById("ov-compare-body");
  body.replaceChildren(answer.difference.ok ? compareTable(answer.difference) : el("p", { class: "result-waiting" }, ui.ov_compare_wait));
}
