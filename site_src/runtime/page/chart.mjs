// The household overview's picture (issue 10): a stacked bar chart in inline SVG, one bar per
// calendar year, one segment per measure, no chart library. Drawn from the rule module's answer:
// bar lengths from its decimal strings (geometry only), every label its `display` text. The year
// table beside it is the source of truth for screen readers; the SVG is a labelled image.

import { lang, t } from "./dom.mjs";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 400;       // viewBox units; the SVG scales to its box (about a phone's width: text stays legible)
const ROW = 30;          // height of one year's row
const BAR = 20;          // thickness of one bar
const LABEL = 46;        // room for the year on the left
const MIN_PLOT = 200;    // the longest bar is at least this long; the totals' texts get the rest

// Room a label takes at the chart's 14 px type: wide (CJK) characters a full em, others about half.
function textWidth(text) {
  return [...text].reduce((sum, ch) => sum + (/[\u2e80-\uffff]/.test(ch) ? 14 : 8), 0);
}

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

// result: an ok household_overview answer; id: unique per chart on the page. Returns <figure> or null.
export function drawChart(result, id, title, note) {
  const years = result.years;
  if (!years.length) return null;
  const largest = Math.max(...years.map((y) => Number(y.total)));
  const value = Math.max(...years.map((y) => textWidth(y.display.total[lang]))) + 12;
  const width = Math.max(WIDTH, LABEL + MIN_PLOT + value);
  const scale = largest > 0 ? (width - LABEL - value) / largest : 0;
  const height = years.length * ROW + 8;
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`,
                           class: "ov-chart-svg", "data-scale": scale, width: "100%" });
  svg.append(node("title", { id: `${id}-title` }, title));
  years.forEach((year, i) => {
    const y = 4 + i * ROW;
    const row = node("g", { "data-year": year.year });
    row.append(node("text", { x: LABEL - 8, y: y + BAR - 5, "text-anchor": "end", class: "ov-chart-year" },
      String(year.year)));
    let x = LABEL;
    for (const item of year.items) {
      const w = Number(item.amount) * scale;
      if (w <= 0) continue;
      const rect = node("rect", { x, y, width: w, height: BAR, class: `ov-bar ov-m-${item.measure}`,
                                  "data-measure": item.measure, "data-amount": item.amount });
      rect.append(node("title", {}, `${year.year} · ${t(item.label)}: ${item.display.amount[lang]}`));
      row.append(rect);
      x += w;
    }
    row.append(node("text", { x: x + 6, y: y + BAR - 5, class: "ov-chart-value" }, year.display.total[lang]));
    svg.append(row);
  });
  const legend = document.createElement("ul");
  legend.className = "ov-legend";
  for (const m of measuresOf(result)) {
    const li = document.createElement("li");
    const key = node("svg", { viewBox: "0 0 12 12", width: 14, height: 14, "aria-hidden": "true", focusable: "false" });
    key.append(node("rect", { width: 12, height: 12, class: `ov-m-${m.id}` }));
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
