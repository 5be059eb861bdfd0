// The household overview's picture: a stacked bar chart in inline SVG, one bar per
// calendar year, one segment per measure, no chart library. Drawn from the rule module's answer:
// bar lengths from its decimal strings (geometry only), every label its `display` text. The year
// table beside it is the source of truth for screen readers; the SVG is a labelled image.

import { lang, t } from "./dom.mjs";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 300;       // viewBox units, about a phone's width: the SVG scales to its box, text stays legible
const ROW = 50;          // one year: its label line (year and total), then its bar
const TEXT = 16;         // the label line's baseline within the row
const BAR = 22;          // thickness of one bar

function node(tag, attrs = {}, text = null) {
  const n = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) n.setAttribute(key, String(value));
  if (text !== null) n.textContent = text;
  return n;
}

// The measures in the order the answer totals them, with their titles (from the answer's subtotals).
function measuresOf(result) {
  return result.subtotals.map((s) => ({ id: s.measure, label: t(s.label) }));
}

// Colour is never the only cue (WCAG 1.4.1), with or without forced colours: each measure's bars and its
// legend key are filled with a pattern of their own, the measure's colour under a mark (none, stripes,
// dots, crosses, in the answer's order of measures), and white gaps part one segment from the next.
const MARKS = ["solid", "stripes", "dots", "cross"];
const TILE = 6;

function pattern(id, measure, mark) {
  const tile = node("pattern", { id, patternUnits: "userSpaceOnUse", width: TILE, height: TILE, "data-mark": mark });
  tile.append(node("rect", { width: TILE, height: TILE, class: `ov-m-${measure}` }));
  if (mark === "stripes") tile.append(node("path", { d: "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", class: "ov-mark" }));
  if (mark === "dots") tile.append(node("circle", { cx: 3, cy: 3, r: 1.4, class: "ov-mark ov-mark-dot" }));
  if (mark === "cross") tile.append(node("path", { d: "M0,3 h6 M3,0 v6", class: "ov-mark" }));
  return tile;
}

// result: an ok household_overview answer; id: unique per chart on the page. Returns <figure> or null.
export function drawChart(result, id, title, note) {
  const years = result.years;
  if (!years.length) return null;
  const largest = Math.max(...years.map((y) => Number(y.total)));
  const scale = largest > 0 ? WIDTH / largest : 0; // the largest year fills the width
  const svg = node("svg", { viewBox: `0 0 ${WIDTH} ${years.length * ROW}`, role: "img", "aria-labelledby": `${id}-title`,
                           class: "ov-chart-svg", "data-scale": scale, width: "100%" });
  svg.append(node("title", { id: `${id}-title` }, title));
  const measures = measuresOf(result);
  const fillOf = {};
  const markOf = {};
  const defs = node("defs");
  measures.forEach((m, i) => {
    markOf[m.id] = MARKS[i % MARKS.length];
    fillOf[m.id] = `url(#${id}-p-${m.id})`;
    defs.append(pattern(`${id}-p-${m.id}`, m.id, markOf[m.id]));
  });
  svg.append(defs);
  years.forEach((year, i) => {
    const y = i * ROW;
    const row = node("g", { "data-year": year.year });
    const label = node("text", { x: 0, y: y + TEXT, class: "ov-chart-value" });
    label.append(node("tspan", { class: "ov-chart-year" }, String(year.year)),
      node("tspan", { dx: 10 }, year.display.total[lang]));
    row.append(label);
    let x = 0;
    for (const item of year.items) {
      const w = Number(item.amount) * scale;
      if (w <= 0) continue;
      const rect = node("rect", { x, y: y + TEXT + 6, width: w, height: BAR, class: "ov-bar", fill: fillOf[item.measure],
                                  "data-measure": item.measure, "data-mark": markOf[item.measure], "data-amount": item.amount });
      rect.append(node("title", {}, `${year.year} · ${t(item.label)}: ${item.display.amount[lang]}`));
      row.append(rect);
      x += w;
    }
    svg.append(row);
  });
  const legend = document.createElement("ul");
  legend.className = "ov-legend";
  for (const m of measures) {
    const li = document.createElement("li");
    li.dataset.measure = m.id;
    const key = node("svg", { viewBox: "0 0 12 12", width: 18, height: 18, "aria-hidden": "true", focusable: "false" });
    key.append(node("rect", { width: 12, height: 12, class: "ov-key", fill: fillOf[m.id], "data-mark": markOf[m.id] }));
    li.append(key, ` ${m.label}`);
    legend.append(li);
  }
  const figure = document.createElement("figure");
  figure.className = "ov-chart";
  const caption = document.createElement("figcaption");
  caption.textContent = note;
  figure.append(svg, legend, caption);
  return figure;
}
