// The print slip (A4 or a receipt printer): what was entered, what the rule module answered, the
// address of this very result and its QR code. Built only when printing, from what is on screen.

import { el, manifest, manifestURL, root, shown, t, ui } from "./dom.mjs";
import { filled, inputs, shareURL } from "./form.mjs";
import { rangeText } from "./render.mjs";
import { slipYears } from "./overview.mjs"; // household overview (issue 10): its year table on the slip

// A filled control as the question and answer the user saw.
function labelOf(form, name, value) {
  const control = inputs(form).find((c) => c.name === name && (c.type !== "radio" || c.value === value));
  if (!control) return [name, value];
  const group = control.type === "radio" ? control.closest("fieldset") : null;
  const question = group ? group.querySelector("legend").textContent : form.querySelector(`label[for="${control.id}"]`)?.textContent;
  const answer = group ? form.querySelector(`label[for="${control.id}"]`).textContent : value;
  return [(question || name).trim(), answer.trim()];
}

function renderSlip(answered) {
  const slip = document.getElementById("result-slip");
  const entered = slip.querySelector("[data-slip-inputs]");
  const body = slip.querySelector("[data-slip-body]");
  entered.replaceChildren();
  body.replaceChildren();
  for (const [form, result] of answered) {
    entered.append(el("h4", {}, form.querySelector("h3").textContent));
    entered.append(el("ul", {}, filled(form).map(([name, value]) => {
      const [question, answer] = labelOf(form, name, value);
      return el("li", {}, `${question}: ${answer}`);
    })));
    if (!result.ok) continue;
    body.append(el("h4", {}, t(result.title)));
    body.append(el("ul", {}, result.lines.map((line) => el("li", {}, `${t(line.label)}: ${shown(line, "amount")}`))));
    if (result.years) body.append(slipYears(result) || ""); // household overview: the year table
    if (result.range) body.append(el("p", { class: "total" }, `${t(result.range.label)}: ${rangeText(result.range)}`));
    if (result.total) body.append(el("p", { class: "total" }, `${t(result.total.label)}: ${shown(result.total, "amount")}`));
    for (const warning of result.warnings) body.append(el("p", {}, `${ui.note} ${t(warning)}`));
  }
  slip.querySelector("[data-slip-url]").textContent = shareURL() || "";
}

// answered: [form, result] of every form with an answer on screen.
export async function prepareSlip(answered, size) {
  renderSlip(answered);
  const spot = document.querySelector("#result-slip [data-slip-qr]");
  spot.replaceChildren();
  const url = shareURL();
  let tooLarge = !url;
  try {
    if (tooLarge) throw new Error("the link is longer than the page reads back");
    const { qrcode } = await import(new URL(manifest.qrcode, manifestURL).href);
    const code = qrcode(0, "M");
    code.addData(url);
    tooLarge = true;
    code.make(); // throws when the link is too long for the largest QR code
    tooLarge = false;
    // The SVG is drawn from the QR matrix alone (no user text); margin 4 modules is the quiet zone.
    spot.innerHTML = code.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: ui.qr_alt });
  } catch (error) {
    // Said on the slip, not only in the console (issue 13, Medium 8).
    if (tooLarge) spot.append(el("p", { class: "slip-no-qr" }, ui.slip_no_qr));
    console.warn("calculator: no QR code on the slip:", error.message || error);
  }
  root.classList.add("printing-slip", `slip-${size}`);
}

export async function printSlip(answered, size) {
  await prepareSlip(answered, size);
  window.print();
  root.classList.remove("printing-slip", "slip-a4", "slip-receipt");
}
