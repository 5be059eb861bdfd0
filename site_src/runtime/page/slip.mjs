// The print slip (A4 or a receipt printer): what was entered (under the form's sections), what the rule
// module answered (the overview's items per year, by their names), the print date, lines for the head of
// household and the village to write on, where to ask (a copy of the page's own #where-to-ask block,
// when the page has one) and the QR code of this very result with a short caption. Built only when
// printing, from what is on screen.

import { el, lang, root, shown, t, ui } from "./dom.mjs";
import { filled, inputs, shareURL } from "./form.mjs";
import { rangeText } from "./render.mjs";
import { slipYears } from "./overview.mjs"; // household overview: its year table on the slip
import { qrFor } from "./share.mjs";

// A filled control as the question and answer the user saw.
function labelOf(form, name, value) {
  const control = inputs(form).find((c) => c.name === name && (c.type !== "radio" || c.value === value));
  if (!control) return [name, value];
  const group = control.type === "radio" ? control.closest("fieldset") : null;
  const question = group ? group.querySelector("legend").textContent : form.querySelector(`label[for="${control.id}"]`)?.textContent;
  const answer = group ? form.querySelector(`label[for="${control.id}"]`).textContent : value;
  return [(question || name).trim(), answer.trim()];
}

// The section a control stands in (the overview's fieldsets, and a nested group within one), or "".
function sectionOf(form, name) {
  const control = inputs(form).find((c) => c.name === name);
  const sections = [];
  for (let node = control?.parentElement; node && node !== form; node = node.parentElement) {
    if (node.matches("fieldset.ov-section, fieldset.group") && !node.matches(".radios")) {
      sections.unshift(node.querySelector(":scope > legend").textContent.trim());
    }
  }
  // A group named like its section ("退耕还林" · "退耕还林（可不填）") is said once.
  return sections.filter((name, i) => !(i + 1 < sections.length && sections[i + 1].startsWith(name))).join(" · ");
}

// Every filled answer of a form, under the name of its section (in page order).
function enteredBySection(form) {
  const groups = [];
  for (const [name, value] of filled(form)) {
    const section = sectionOf(form, name);
    if (!groups.length || groups.at(-1).section !== section) groups.push({ section, items: [] });
    const [question, answer] = labelOf(form, name, value);
    groups.at(-1).items.push(`${question}: ${answer}`);
  }
  return groups.map((g) => el("div", { class: "slip-section" }, g.section ? el("p", { class: "slip-section-title" }, g.section) : null,
    el("ul", {}, g.items.map((text) => el("li", {}, text)))));
}

// The print date, as the device's calendar has it.
function today() {
  const now = new Date();
  const month = now.getMonth() + 1;
  const day = now.getDate();
  const pad = (n) => (lang === "zh" ? String(n) : String(n).padStart(2, "0"));
  return ui.slip_printed_date.replace("{year}", String(now.getFullYear())).replace("{month}", pad(month)).replace("{day}", pad(day));
}

// Where to ask: the page's own block, copied without its ids (the page keeps them).
function whereToAsk() {
  const block = document.getElementById("where-to-ask");
  if (!block) return null;
  const copy = block.cloneNode(true);
  for (const node of [copy, ...copy.querySelectorAll("[id]")]) node.removeAttribute("id");
  for (const node of copy.querySelectorAll("button, .js-only")) node.remove();
  return copy;
}

function renderSlip(answered) {
  const slip = document.getElementById("result-slip");
  const entered = slip.querySelector("[data-slip-inputs]");
  const body = slip.querySelector("[data-slip-body]");
  entered.replaceChildren();
  body.replaceChildren();
  slip.querySelector("[data-slip-date]").textContent = today();
  slip.querySelector("[data-slip-ask]").replaceChildren(whereToAsk() || "");
  for (const [form, result] of answered) {
    entered.append(el("h4", {}, form.querySelector("h3").textContent));
    entered.append(...enteredBySection(form));
    if (!result.ok) continue;
    body.append(el("h4", {}, t(result.title)));
    body.append(el("ul", {}, result.lines.map((line) => el("li", {}, `${t(line.label)}: ${shown(line, "amount")}`))));
    if (result.years) body.append(slipYears(result) || ""); // household overview: the year table
    if (result.range) body.append(el("p", { class: "total" }, `${t(result.range.label)}: ${rangeText(result.range)}`));
    if (result.total) body.append(el("p", { class: "total" }, `${t(result.total.label)}: ${shown(result.total, "amount")}`));
    for (const warning of result.warnings) body.append(el("p", {}, `${ui.note} ${t(warning)}`));
  }
}

// ---- the receipt roll's page, as long as the slip: a roll is continuous, so the slip is one page whatever its
// length (a fixed 600 mm page spilt a household with many years onto a second page and fed blank paper for a
// short one). Its printed height is measured with the page's own print rules applied for one synchronous
// layout (nothing is painted meanwhile); the page size is then set in a constructed style sheet (the
// Content-Security-Policy allows no inline style).
const RECEIPT = { width: 80, margin: 3, spare: 8 }; // mm: the roll, the @page receipt margin, room for rounding
let receiptSheet = null;

function printRules() {
  const rules = [];
  for (const sheet of document.styleSheets) {
    let list;
    try {
      list = sheet.cssRules;
    } catch {
      continue; // another origin's sheet: none on this site
    }
    for (const rule of list) {
      if (rule instanceof CSSMediaRule && rule.media.mediaText.split(",").some((m) => m.trim() === "print")) {
        for (const inner of rule.cssRules) rules.push(inner.cssText);
      }
    }
  }
  return rules;
}

function printedHeightMM() {
  const measuring = new CSSStyleSheet();
  const content = RECEIPT.width - 2 * RECEIPT.margin;
  measuring.replaceSync([...printRules(), `html { width: ${content}mm !important; }`,
    "html, body { height: auto !important; min-height: 0 !important; }"].join("\n"));
  const before = document.adoptedStyleSheets;
  document.adoptedStyleSheets = [...before, measuring];
  try {
    const px = document.body.getBoundingClientRect().height;
    return (px * 25.4) / 96;
  } finally {
    document.adoptedStyleSheets = before;
  }
}

function fitReceipt() {
  const length = Math.ceil(printedHeightMM() + 2 * RECEIPT.margin + RECEIPT.spare);
  receiptSheet = new CSSStyleSheet();
  receiptSheet.replaceSync(`@page receipt-fit { size: ${RECEIPT.width}mm ${length}mm; margin: ${RECEIPT.margin}mm; }
    @media print { html.slip-receipt body, html.slip-receipt .slip { page: receipt-fit; } }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, receiptSheet];
  root.dataset.receiptLength = String(length); // for the tests: the page length chosen
}

function unfitReceipt() {
  if (receiptSheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== receiptSheet);
  receiptSheet = null;
}
// ---- end the receipt roll's page

// answered: [form, result] of every form with an answer on screen.
export async function prepareSlip(answered, size) {
  unfitReceipt();
  renderSlip(answered);
  const spot = document.querySelector("#result-slip [data-slip-qr]");
  spot.replaceChildren();
  const url = shareURL();
  let tooLarge = !url;
  try {
    if (tooLarge) throw new Error("the link is longer than the page reads back");
    const code = await qrFor(url);
    tooLarge = !code;
    if (tooLarge) throw new Error("the link is too long for the largest QR code");
    // The SVG is drawn from the QR matrix alone (no user text); margin 4 modules is the quiet zone.
    spot.innerHTML = code.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: ui.qr_alt });
  } catch (error) {
    // A link too long for a QR code is said on the slip, not only in the console.
    if (tooLarge) spot.append(el("p", { class: "slip-no-qr" }, ui.slip_no_qr));
    console.warn("calculator: no QR code on the slip:", error.message || error);
  }
  root.classList.remove("slip-a4", "slip-receipt");
  root.classList.add("printing-slip", `slip-${size}`);
  if (size === "receipt") fitReceipt();
}

export async function printSlip(answered, size) {
  await prepareSlip(answered, size);
  window.print();
  root.classList.remove("printing-slip", "slip-a4", "slip-receipt");
  unfitReceipt();
}
