// 朗读 / Read aloud on the household overview's answer: a button by the summary and by each year,
// reading the rule module's spoken forms of its figures (the answer's `spoken` beside `display`:
// "一万三千元", "二〇一九年"), never the display text, so a voice reads every fen right. The speaking
// itself, and whether the device has a voice for the page's language at all (no button otherwise), is
// the site's one reader, window.siteSpeech (static/site.js); nothing is downloaded or sent.

import { el, lang, t, ui } from "./dom.mjs";

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function said(entry, field) {
  return entry.spoken && entry.spoken[field] ? entry.spoken[field][lang] : "";
}

// The summary sentence, as spoken.
export function spokenSummary(result) {
  if (!result.years.length) return ui.ov_summary_none;
  const best = result.years.find((year) => year.year === result.peak_year);
  return fill(ui.ov_summary_spoken, { year: said(best, "year"), amount: said(best, "total"),
    first: said(result.years[0], "year"), last: said(result.years.at(-1), "year"), total: said(result.total, "amount") });
}

// One year, as spoken: each item (its label, quantity, amount), then the year's total.
export function spokenYear(year) {
  const comma = lang === "zh" ? "，" : ", ";
  if (!year.items.length) return fill(ui.ov_year_nothing_spoken, { year: said(year, "year") });
  const counted = (item) => said(item, "quantity") || (item.parts || []).map((part) => said(part, "quantity")).join(lang === "zh" ? "、" : ", ");
  const items = year.items.map((item) => [t(item.label), counted(item), said(item, "amount")]
    .filter(Boolean).join(comma)).join(lang === "zh" ? "；" : "; ");
  return fill(ui.ov_year_spoken, { year: said(year, "year"), items, total: said(year, "total") });
}

function button(text) {
  const b = el("button", { type: "button", class: "button secondary read-aloud", "data-stop": ui.read_stop }, ui.read_aloud);
  b.addEventListener("click", () => window.siteSpeech.speak(text, b));
  return b;
}

// Adds the buttons to a rendered overview answer (box), once the device is known to have a voice.
export function addReadAloud(box, result) {
  const speech = window.siteSpeech;
  if (!speech || !result.years) return;
  speech.whenVoice(() => {
    if (!box.isConnected || box.querySelector(".read-aloud")) return;
    const summary = box.querySelector(".ov-summary");
    if (summary) summary.after(el("p", { class: "read-aloud-line" }, button(spokenSummary(result))));
    for (const year of result.years) {
      for (const row of box.querySelectorAll(`[data-year="${year.year}"]:not(g)`)) {
        const head = row.firstElementChild || row;
        const b = button(spokenYear(year));
        if (row.closest('[aria-hidden="true"]')) b.tabIndex = -1; // the year cards: tapped, not tabbed (the table serves the keyboard)
        head.append(" ", b);
      }
    }
  });
}
