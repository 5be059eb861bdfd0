// The calculator page (calculator.html loads this module; the build joins it and every module it imports,
// those below, into one file: sitebuild/runtime.py page_bundle): reads the static forms (one
// <form data-measure> per measure), sends each filled form to the rule module running in a worker,
// and shows its answers. Every figure and every message comes from the rule module; these modules
// only move text between the forms, the URL fragment and the result boxes, and insert nothing
// from the user or the URL as HTML. This one wires the others together:
//   dom.mjs            the page's settings and the DOM helpers
//   form.mjs           the forms as requests, the URL fragment, role tabs, table rows
//   worker-client.mjs  the worker: loading, progress, timeout, requests
//   render.mjs         results and errors on screen
//   kiosk.mjs, offline.mjs   kiosk mode, the service worker
//   slip.mjs           the print slip (run when printing)
//   overview.mjs, chart.mjs, compare.mjs   the household overview tab
//   whatif.mjs         the overview's quick one-tap variations under its summary
//   register.mjs, notice.mjs   the bookkeeper's register view and its printed 公示 table (run on use)
//   prerender.mjs      a worked example's answer computed when the site was built, until the worker's own
//   answer.mjs         answer first: the result card brought into view, the intro folded, the phone's total bar
//   share.mjs          copy this calculation's link, save its QR code (the slip's QR code too)

import { container, el, params, root, ui } from "./dom.mjs";
import { addRow, clearForms, forms, readFragment, requestFor, roleTabs, roles, showRole, writeFragment } from "./form.mjs";
import { startKiosk } from "./kiosk.mjs";
import { registerServiceWorker } from "./offline.mjs";
import { show, showLinkProblems } from "./render.mjs";
import { calculateText, handedOver, isReady, startWorker, stats } from "./worker-client.mjs";
import * as prerendered from "./prerender.mjs"; // pre-rendered answers
// ---- household overview
import { isOverview, setupOverview, showOverview } from "./overview.mjs";
import { refreshComparison, setupCompare } from "./compare.mjs";
import { quickWhatifShown, refreshQuickWhatif, whatifRequest } from "./whatif.mjs";
// ---- end household overview
import * as answer from "./answer.mjs"; // answer first
import { copyLink, saveQR } from "./share.mjs";
// ---- register view: page/register.mjs computes the form with data-view itself; it is
// started on the first touch of that form (focus, pointer, a file dragged in), not on every visit.
const generic = forms.filter((form) => !form.dataset.view);
let registerView = null;
function loadRegister() {
  registerView ??= import("./register.mjs").then((module) => {
    if (isReady()) module.refreshRegister();
    return module;
  });
}
for (const type of ["focusin", "pointerdown", "dragenter"]) {
  document.querySelector('form[data-view="register"]')?.addEventListener(type, loadRegister, { once: true, passive: true });
}
// ---- end register view

const DEBOUNCE_MS = 60; // short enough that a keystroke shows its result within 100 ms
const slip = () => import("./slip.mjs"); // run only when printing

let generation = 0;
let running = 0;
let debounce = null;
let onScreen = []; // [form, result] of what is on screen: the print slip is built from it only when printing
const submitted = new Set(); // forms whose Calculate button was pressed: their "required" errors show

async function recalculate() {
  running += 1;
  try {
    await recalculateNow();
  } finally {
    running -= 1;
  }
}

async function recalculateNow() {
  writeFragment();
  if (!isReady()) return;
  const mine = ++generation;
  const wanted = generic.map((form) => [form, requestFor(form)]).filter(([, request]) => request);
  // household overview: with no quick "what if" on screen to hold its place, it is asked with the answer and
  // drawn with it (whatif.mjs), so it never appears under the summary afterwards and pushes the page down
  const overview = wanted.find(([form]) => isOverview(form));
  const together = overview && !quickWhatifShown() ? calculateText(JSON.stringify(whatifRequest(overview[1]))) : null;
  const texts = await Promise.all(wanted.map(([, request]) => calculateText(JSON.stringify(request))));
  const results = texts.map((text) => JSON.parse(text));
  const quick = together ? JSON.parse(await together) : null;
  if (mine !== generation) return; // a newer keystroke has asked again
  const answered = new Map(wanted.map(([form], i) => [form, results[i]]));
  const focused = answer.focusedCard(); // answer first: a focused card stays focused in its redrawn copy
  for (const form of generic) (isOverview(form) ? showOverview : show)(form, answered.get(form) || null, submitted.has(form));
  const quickShown = quick ? refreshQuickWhatif(overview[1], answered.get(overview[0]), quick) : null;
  wanted.forEach(([form], i) => settlePrerendered(form, texts[i])); // pre-rendered answers
  answerTexts = new Map(wanted.map(([form], i) => [form.dataset.measure, texts[i]]));
  await refreshComparison(submitted.size > 0); // household overview: the "What if…" column, if open
  answer.redrawn(focused);
  revealArrival(); // answer first: a link's answer, once the worker has it (if nothing was pre-rendered)
  onScreen = wanted.map(([form], i) => [form, results[i]]);
  if (results.some((r) => r.ok) && !root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
  root.dataset.resultSeq = String(Number(root.dataset.resultSeq || 0) + 1);
  // household overview: its quick "what if" under the summary (drawn above already, or once its answer comes)
  await (quickShown || refreshQuickWhatif(overview ? overview[1] : null, overview ? answered.get(overview[0]) : null));
}

// ------------------------------------------------------------------ pre-rendered answers
// An arrival by a worked example's link or QR code: its answer computed when the site was built is shown
// (marked) until the worker's answer confirms or replaces it; any change to the form withdraws it.

let answerTexts = new Map(); // measure -> the worker's JSON text on screen (for the tests)

function showPrerendered() {
  if (isReady()) return;
  prerendered.display((measure, result) => {
    const form = forms.find((f) => f.dataset.measure === measure);
    if (!form) return null;
    show(form, result, false);
    answer.follow(form);
    setTimeout(revealArrival); // answer first: once the mark is in the box
    return document.getElementById(`result-${measure}`);
  }, () => el("p", { class: "prerendered-note" },
    document.getElementById("calculator-status").dataset.state === "failed" ? ui.prerendered_unchecked : ui.prerendered_checking));
}

async function settlePrerendered(form, text) {
  if ((await prerendered.settle(form.dataset.measure, text)) === "replaced") {
    const box = document.getElementById(`result-${form.dataset.measure}`);
    const note = el("p", { class: "prerendered-note" }, ui.prerendered_changed);
    const card = box.querySelector(".result-card"); // answer first: under the card
    if (card) card.after(note);
    else box.prepend(note);
  }
}

function withdrawPrerendered() {
  const measure = prerendered.withdraw();
  const form = measure && forms.find((f) => f.dataset.measure === measure);
  if (form) show(form, null, false);
}
// The worker gave up: a mark still on screen says the answer could not be checked on this device.
new MutationObserver(() => {
  if (document.getElementById("calculator-status").dataset.state !== "failed") return;
  for (const note of container.querySelectorAll(".prerendered-note")) note.textContent = ui.prerendered_unchecked;
}).observe(document.getElementById("calculator-status"), { attributes: true, attributeFilter: ["data-state"] });
// ------------------------------------------------------------------ end pre-rendered answers

// ------------------------------------------------------------------ answer first
// An arrival by a link that holds a calculation (a shared link, a leaflet's #ex=): its answer's card is
// brought to the top once it is on screen (pre-rendered or the worker's), unless the resident has
// already started on the page. Focus goes to the card only while nothing else has it.
let arrival = /(^#|&)(measure|ex)=/.test(location.hash);
function revealArrival() {
  if (!arrival) return;
  const form = forms.find((f) => !f.closest("[hidden]") && answer.cardOf(f));
  if (!form) return;
  arrival = false;
  answer.reveal(form, { focus: document.activeElement === document.body || document.activeElement === null, pin: true });
}
for (const type of ["pointerdown", "keydown", "wheel", "touchmove"]) {
  addEventListener(type, () => {
    arrival = false;
    answer.unpin();
  }, { passive: true, capture: true });
}
// The resident has given the form's last answer: a changed last field (its value committed).
function isLastInput(control) {
  const form = control.form;
  if (!form || !generic.includes(form)) return false;
  const shownInputs = [...form.elements].filter((c) => c.name && c.tagName === "INPUT" && !c.closest("[hidden]"));
  const last = shownInputs.at(-1);
  return last && (last === control || (last.type === "radio" && control.type === "radio" && last.name === control.name));
}
// ------------------------------------------------------------------ end answer first

// For tests and the benchmark: the rule module as this page runs it, and the slip without the print dialog.
window.calculatorStats = stats;
window.calculator = {
  stats,
  run: (text) => (isReady() ? calculateText(text) : Promise.reject(new Error("the calculator is not ready"))),
  // Resolves once no keystroke is waiting and every recalculation has been shown.
  settled: async () => {
    while (debounce !== null || running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  },
  answers: () => Object.fromEntries(answerTexts), // pre-rendered answers: the worker's texts on screen
  prepareSlip: async (size) => {
    await recalculate();
    await (await slip()).prepareSlip(onScreen, size);
  },
};

// ------------------------------------------------------------------ wiring

container.addEventListener("input", (event) => {
  withdrawPrerendered(); // pre-rendered answers
  if (event.target.form) answer.follow(event.target.form); // answer first: the bar follows this form
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    debounce = null;
    recalculate();
  }, DEBOUNCE_MS);
});
container.addEventListener("change", async (event) => {
  const last = isLastInput(event.target); // answer first: the last answer given brings the answer into view
  if (event.target.type === "radio" || last) {
    clearTimeout(debounce);
    debounce = null;
    await recalculate();
  }
  if (last) answer.reveal(event.target.form);
});
for (const form of forms) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submitted.add(form);
    clearTimeout(debounce);
    debounce = null;
    await recalculate();
    const summary = document.getElementById(`errors-${form.dataset.measure}`);
    if (!summary.hidden) summary.focus();
    else answer.reveal(form, { focus: true }); // answer first
  });
}
container.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  event.preventDefault();
  const action = button.dataset.action;
  if (action === "print") {
    await recalculate();
    (await slip()).printSlip(onScreen, button.dataset.size);
  } else if (action === "to-answer") {
    answer.toAnswer(); // answer first: the phone's total bar
  } else if (action === "copy-link") {
    await recalculate();
    copyLink();
  } else if (action === "save-qr") {
    await recalculate();
    saveQR();
  } else if (action === "clear") {
    withdrawPrerendered(); // pre-rendered answers
    clearForms();
    submitted.clear();
    recalculate();
  } else if (action === "step") {
    await step(document.getElementById(button.dataset.target), Number(button.dataset.step));
  } else if (action === "add-row") {
    addRow(button.closest("fieldset").querySelector("[data-rows]")).querySelector("input").focus();
  }
});
// A stepper (+/−) counts on from the field as the rule module reads it ("两", "两头", "3头", "２" are 2, 2, 3, 2),
// never from a guess: the answer to what is typed now says which digits it read each number as (`read`), or
// what is wrong with it. A field the module refuses is left as typed, its message beside it, and focused.
async function step(input, by) {
  const typed = input.value.trim();
  let current = typed === "" ? 0 : /^[0-9]+$/.test(typed) ? Number(typed) : null; // plain digits are themselves
  if (current === null) {
    clearTimeout(debounce);
    debounce = null;
    await recalculate(); // the answer to exactly what is typed now
    const result = onScreen.find(([form]) => form === input.form)?.[1];
    const read = result && !(result.errors || []).some((e) => e.path === input.name) ? result.read?.[input.name] : null;
    if (!read || !/^[0-9]+$/.test(read)) {
      input.focus(); // its message is beside it (the recalculation listed it)
      return;
    }
    current = Number(read);
  }
  input.value = String(Math.max(0, current + by));
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

for (const tab of roleTabs) {
  tab.addEventListener("click", (event) => {
    event.preventDefault();
    showRole(tab.dataset.roleTab);
    writeFragment();
  });
}
window.addEventListener("hashchange", () => {
  // A link followed on the page itself (a worked example, a pasted address): start from it.
  withdrawPrerendered(); // pre-rendered answers: the new link's own, if it is an example
  clearForms();
  showLinkProblems(readFragment());
  arrival = /(^#|&)(measure|ex)=/.test(location.hash); // answer first: the new link's answer comes into view
  if (!isReady()) {
    prerendered.begin(location.hash);
    showPrerendered();
  }
  recalculate();
});

// Steppers beside head counts and the tables' add-a-row buttons: the static form has plain text inputs and rows;
// these buttons need script.
function addControls() {
  for (const input of container.querySelectorAll('input[inputmode="numeric"][name^="livestock."], input[name="households"]')) {
    const minus = el("button", { type: "button", class: "stepper", "data-action": "step", "data-step": "-1", "data-target": input.id, "aria-label": `− ${input.labels[0]?.textContent || ""}` }, "−");
    const plus = el("button", { type: "button", class: "stepper", "data-action": "step", "data-step": "1", "data-target": input.id, "aria-label": `+ ${input.labels[0]?.textContent || ""}` }, "+");
    input.before(minus);
    input.after(plus);
  }
  for (const list of container.querySelectorAll("[data-rows]")) {
    list.after(el("button", { type: "button", class: "button secondary", "data-action": "add-row" }, ui.add_row));
  }
}

root.classList.add("js");
setupOverview(); // household overview: the start year's default, the "does not apply" switches
startKiosk(); // only when site.js found kiosk mode
showRole(roles[0]);
showLinkProblems(readFragment());
showPrerendered(); // pre-rendered answers
root.classList.add("calc-set-up"); // site.css: until here only the first role was laid out

// The rest of the page's set-up in a task of its own, after what the first answer needs: on a phone the page's
// start is then two short tasks, not one long one that holds a tap on the page (the first seconds are also when
// the worker's files arrive and are compiled, sharing the phone's few cores).
setTimeout(() => {
  addControls();
  setupCompare();
  startWorker(() => {
    // The offline copy (the service worker's precache of the whole site) starts only once the first answer is
    // on screen and the page is idle: its downloads never share a slow link with the first answer's; and once what
    // the worker hands over to it (a no-store server's files) is stored.
    recalculate().finally(() => handedOver().then(() => (self.requestIdleCallback
      ? requestIdleCallback(registerServiceWorker, { timeout: 2000 }) : setTimeout(registerServiceWorker, 0))));
    registerView?.then((module) => module.refreshRegister()); // register view
  });
}, 0);
