// Answer first: the resident sees the answer's summary without looking for it. Each answer starts
// with a compact result card (render.mjs and overview.mjs draw it: class result-card, the total in
// .result-card-total); this module brings that card to the top of the screen when an answer is
// what the resident came for (a shared link or a leaflet's #ex= on arrival, the Calculate button,
// the form's last answer given), folds the page's intro to its lead line, keeps a bar with the
// total at the foot of a phone's screen while the card is out of view, and says the card's summary
// to screen readers through one polite live region (#answer-announce). It writes only text the
// answer's cards already hold; it formats and computes nothing.

import { container, el, ui } from "./dom.mjs";

const announcer = document.getElementById("answer-announce");
const intro = document.getElementById("calc-intro");
let followed = null; // the form whose card the bar and the announcements follow (the last one used)
let watched = null; // the card the bar's observer watches
let lastSaid = "";
let pinned = false; // an arrival's card is kept at the top while the page settles (a mark removed, the status folded)

export function cardOf(form) {
  const box = document.getElementById(`result-${form.dataset.key || form.dataset.measure}`);
  return box ? box.querySelector(".result-card") : null;
}

// ------------------------------------------------------------------ the intro, folded to one line

let toggle = null;
export function foldIntro() {
  if (!intro || intro.classList.contains("is-folded") || toggle?.dataset.opened) return;
  intro.classList.add("is-folded");
  if (!toggle) {
    toggle = el("button", { type: "button", class: "calc-intro-toggle", "aria-controls": "calc-intro-body",
                            "aria-expanded": "false" }, ui.answer_intro_more);
    toggle.addEventListener("click", () => {
      const folded = intro.classList.toggle("is-folded");
      toggle.setAttribute("aria-expanded", String(!folded));
      toggle.textContent = folded ? ui.answer_intro_more : ui.answer_intro_less;
      toggle.dataset.opened = folded ? "" : "1"; // unfolded by the resident: it stays open
    });
    intro.querySelector(".lead").after(toggle);
  }
}

// ------------------------------------------------------------------ the card brought into view

// The card of this form at the top of the screen; focus moves to it when asked (Calculate, an arrival
// the resident has not yet touched), so a screen reader reads it next. false: no card (errors, nothing).
// No layout shift (CLS): the answer has been drawn in a frame of its own (below the screen, where it
// moves nothing in view) before the page scrolls to it, and the intro is folded a frame later, above the
// screen, where the browser's scroll anchoring keeps what is in view in place.
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
let revealing = 0;
export function reveal(form, { focus = false, pin = false } = {}) {
  if (!cardOf(form)) return false;
  followed = form;
  pinned = pin;
  const mine = ++revealing;
  nextFrame().then(() => {
    const card = cardOf(form);
    if (mine !== revealing || !card) return;
    card.scrollIntoView({ block: "start" });
    if (focus) card.focus({ preventScroll: true });
    update();
    return nextFrame().then(() => {
      if (mine !== revealing) return;
      foldIntro();
      // the card where it was put, whatever moved meanwhile (a redrawn answer, the status line folding away)
      if (pinned || document.activeElement === cardOf(form)) cardOf(form)?.scrollIntoView({ block: "start" });
    });
  });
  update();
  return true;
}

// The answers have been redrawn (every keystroke): keep a focused card focused in its new copy,
// follow the form last used, refresh the bar and say the new summary.
export function redrawn(focusedKey) {
  if (focusedKey) {
    const box = document.getElementById(`result-${focusedKey}`);
    box?.querySelector(".result-card")?.focus({ preventScroll: true });
  }
  if (pinned && followed) cardOf(followed)?.scrollIntoView({ block: "start" });
  update();
}

// The resident has taken over (a tap, a key, scrolling): an arrival's card is no longer kept in place.
export function unpin() {
  pinned = false;
}

// The key of the result box whose card has the focus, before a redraw (null if none).
export function focusedCard() {
  const active = document.activeElement;
  return active?.classList?.contains("result-card") ? active.closest(".result").id.replace(/^result-/, "") : null;
}

export function follow(form) {
  followed = form;
}

// ------------------------------------------------------------------ the bar at the foot of a phone's screen

const bar = el("div", { class: "answer-bar", id: "answer-bar", hidden: true },
  el("p", { class: "answer-bar-total" }),
  el("button", { type: "button", class: "button answer-bar-button", "data-action": "to-answer" }, ui.answer_bar_show));
container.append(bar);
const observer = "IntersectionObserver" in self ? new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.target === watched) setBar(!entry.isIntersecting);
}) : null;

function setBar(show) {
  bar.hidden = !show;
  document.documentElement.classList.toggle("has-answer-bar", show);
}

function update() {
  const card = followed && !followed.closest("[hidden]") ? cardOf(followed) : null;
  const total = card?.querySelector("[data-total]");
  if (watched !== card) {
    if (watched) observer?.unobserve(watched);
    watched = card;
    if (card && total) observer?.observe(card);
  }
  if (!card || !total) setBar(false);
  else bar.querySelector(".answer-bar-total").replaceChildren(`${ui.answer_bar_total} `, el("strong", {}, total.textContent));
  say(card ? card.dataset.summary || card.textContent : "");
}

function say(text) {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean === lastSaid) return;
  lastSaid = clean;
  announcer.textContent = clean;
}

// The bar's button: back to the card.
export function toAnswer() {
  if (followed) reveal(followed, { focus: true });
}
