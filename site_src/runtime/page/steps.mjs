// 长辈版: the household form one section at a time ("下一步", in the spirit of GOV.UK's one question
// per page), then "check your answers", then the result, all on this one page and with no request of
// its own (the answer is computed as the form changes, as always; it is only shown at the end).
// Outside 长辈版 the form is as it always was. The steps are marked on the form (.ov-stepping, its
// sections .ov-current, data-step); site.css (html.elder) shows the current one only.

import { el, lang, ui } from "./dom.mjs";

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function labelOf(form, input) {
  const label = input.id ? form.querySelector(`label[for="${input.id}"]`) : null;
  return label ? label.textContent.trim() : "";
}

// What a section holds, as text for the check step: "label: value" per answered question.
function answersOf(form, section) {
  const skip = section.querySelector("input[data-skip]");
  if (skip && skip.checked) return [ui.step_skipped];
  const colon = lang === "zh" ? "：" : ": ";
  const answers = [];
  for (const input of section.querySelectorAll(".ov-section-body input")) {
    if (input.type === "radio") {
      if (input.checked) answers.push(input.closest("fieldset").querySelector("legend").textContent.trim() + colon + labelOf(form, input));
    } else if (input.type !== "checkbox" && input.value.trim() !== "") {
      answers.push(labelOf(form, input) + colon + input.value.trim());
    }
  }
  return answers.length ? answers : [ui.step_empty];
}

export function setupSteps(form) {
  if (!form) return;
  const sections = [...form.querySelectorAll(":scope > .ov-section")];
  if (!sections.length) return;
  const result = form.querySelector(":scope > .result");
  const total = sections.length + 1; // the sections, then the check step
  let step = 0;

  const progress = el("p", { class: "ov-step-of ov-step-ui", "aria-live": "polite" });
  const back = el("button", { type: "button", class: "button secondary", "data-step-back": "" }, ui.step_back);
  const next = el("button", { type: "button", class: "button", "data-step-next": "" }, ui.step_next);
  const buttons = el("p", { class: "tool-buttons ov-step-buttons ov-step-ui" }, back, next);
  const checkTitle = el("h4", { tabindex: "-1" }, ui.step_check_title);
  const checkList = el("dl", { class: "ov-check-list" });
  const show = el("button", { type: "button", class: "button", "data-step-show": "" }, ui.step_show);
  const check = el("section", { class: "ov-check ov-step-ui", "aria-label": ui.step_check_title }, checkTitle, checkList,
    el("p", { class: "tool-buttons" }, show));
  const restart = el("button", { type: "button", class: "button secondary", "data-step-restart": "" }, ui.step_restart);
  const again = el("p", { class: "tool-buttons ov-step-again ov-step-ui" }, restart);
  sections[0].before(progress);
  sections.at(-1).after(buttons, check);
  result.after(again);

  function fillCheck() {
    checkList.replaceChildren(...sections.flatMap((section, i) => [
      el("dt", {}, section.querySelector("legend").textContent.trim()),
      el("dd", {}, el("ul", {}, answersOf(form, section).map((a) => el("li", {}, a))),
        el("button", { type: "button", class: "button secondary", "data-step-goto": i }, ui.step_change))]));
  }

  // step: 0..sections-1 a section, sections.length the check, sections.length + 1 the result.
  function go(to, focus) {
    step = Math.max(0, Math.min(sections.length + 1, to));
    const on = document.documentElement.classList.contains("elder");
    form.classList.toggle("ov-stepping", on);
    form.dataset.step = step < sections.length ? "section" : step === sections.length ? "check" : "result";
    sections.forEach((section, i) => section.classList.toggle("ov-current", i === step));
    progress.textContent = step <= sections.length ? fill(ui.step_of, { n: step + 1, total }) : "";
    back.disabled = step === 0;
    if (step === sections.length) fillCheck();
    if (!on || !focus) return;
    const target = step < sections.length ? sections[step] : step === sections.length ? checkTitle : result;
    if (step < sections.length) sections[step].setAttribute("tabindex", "-1");
    if (step > sections.length) result.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView({ block: "start" });
  }

  form.addEventListener("click", (event) => {
    const b = event.target.closest("button");
    if (!b || !form.classList.contains("ov-stepping")) return;
    if (b.matches("[data-step-next]")) go(step + 1, true);
    else if (b.matches("[data-step-back]")) go(step - 1, true);
    else if (b.matches("[data-step-show]")) go(sections.length + 1, true);
    else if (b.matches("[data-step-restart]")) go(0, true);
    else if (b.matches("[data-step-goto]")) go(Number(b.dataset.stepGoto), true);
  });
  // A field reached otherwise (an error's link, a screen reader's jump) brings its section up.
  form.addEventListener("focusin", (event) => {
    if (!form.classList.contains("ov-stepping")) return;
    const section = event.target.closest(".ov-section");
    const i = sections.indexOf(section);
    if (i >= 0 && i !== step) go(i, false);
  });
  form.addEventListener("reset", () => go(0, false));
  document.addEventListener("elderchange", () => go(step, false));
  go(0, false);
}
