// Answers computed when the site was built, for speed. A resident who arrives by a worked example's
// link (#ex=<id>) or by its QR code (the example's whole fragment, measure=…&v=<rules version>) sees
// the example's full result as soon as the page is parsed, before Python has downloaded: the build
// wrote the rule module's own JSON answer for that request to static/results/<id>.<hash>.json
// (sitebuild/compute.py example_answers), and render.mjs draws it exactly as it draws the worker's.
// It is marked "computed when the site was built; checking…" until the worker answers the same
// request: the same text, byte for byte, and the mark goes; a different text (the rules or the date
// have changed since the build) replaces it and says so. If the worker cannot start, the mark says
// the answer was not checked.
//
// It imports nothing and asks for the answer as soon as the page's module runs (the first thing it does once
// the page is parsed); main.mjs shows and settles it.

const root = document.documentElement;
const links = [...document.querySelectorAll("a[data-example][data-answer]")];

// The worked example a fragment names: #ex=<id>, or exactly the fragment its link and QR code carry.
function exampleFor(hash) {
  const raw = hash.replace(/^#/, "");
  if (!raw) return null;
  const pairs = new URLSearchParams(raw);
  const link = pairs.has("ex")
    ? links.find((a) => a.dataset.example === pairs.get("ex"))
    : links.find((a) => new URL(a.href).hash.slice(1) === raw);
  if (!link) return null;
  return { id: link.dataset.example, measure: new URLSearchParams(new URL(link.href).hash.slice(1)).get("measure"),
           url: link.dataset.answer };
}

let current = null; // {id, measure, text: Promise<string|null>, shown, settled}

// The answer's text, or null: page/boot.js asked for an arriving #ex= link's answer while the page was being read
// (window.calculatorEarlyAnswer), and that download is used once; any other is asked for now.
function answerText(url) {
  const early = window.calculatorEarlyAnswer;
  if (early && early.url === url) {
    window.calculatorEarlyAnswer = null;
    return early.text;
  }
  return fetch(url).then((r) => (r.ok ? r.text() : null)).catch(() => null);
}

// Start fetching the answer of the example this fragment names (null: it names none).
export function begin(hash) {
  const found = exampleFor(hash);
  current = found && {
    ...found,
    shown: false,
    settled: false,
    text: answerText(found.url),
  };
  return current;
}

begin(location.hash); // the arrival: fetched now, shown by main.mjs once the page's modules are in

// Once the answer is here, and unless the worker has answered first: paint(measure, result) draws it
// and returns the result box, which gets the "computed when the site was built" mark.
export async function display(paint, mark) {
  const mine = current;
  if (!mine) return;
  const text = await mine.text;
  if (!text || current !== mine || mine.settled) return;
  let result;
  try {
    result = JSON.parse(text);
  } catch (error) {
    return;
  }
  const box = paint(mine.measure, result);
  if (!box) return;
  // Under the answer's card (answer first: the card is what the resident sees first; the mark going
  // when the worker confirms moves nothing above it), or first in the box.
  const card = box.querySelector(".result-card");
  if (card) card.after(mark());
  else box.prepend(mark());
  mine.shown = true;
  root.dataset.prerendered = "shown";
  if (!root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
}

// The worker's answer (text) for one form: "confirmed" (byte-equal to what was shown), "replaced"
// (it differs: the caller says so), or null (nothing of ours was on screen for that form).
export async function settle(measure, text) {
  const mine = current;
  if (!mine || mine.measure !== measure || mine.settled) return null;
  mine.settled = true;
  if (!mine.shown) return null;
  const state = (await mine.text) === text ? "confirmed" : "replaced";
  root.dataset.prerendered = state;
  return state;
}

// The form was changed, cleared or refilled before the worker answered: the answer shown no longer
// belongs to it. Returns the measure whose box is to be emptied, or null.
export function withdraw() {
  const mine = current;
  current = null;
  if (!mine || mine.settled || !mine.shown) return null;
  mine.settled = true;
  root.dataset.prerendered = "withdrawn";
  return mine.measure;
}
