// What every part of the calculator page shares: the page's fixed settings (read once from its HTML)
// and the few helpers that build DOM nodes. Text goes in as text, never as HTML.

export const root = document.documentElement;
export const container = document.getElementById("calculator");
export const lang = container.dataset.lang;
export const ui = JSON.parse(document.getElementById("calculator-ui").textContent);
export const manifest = JSON.parse(document.getElementById("calculator-manifest").textContent);
export const manifestURL = new URL(container.dataset.manifest, location.href).href;
export const params = new URLSearchParams(location.search);

// One {zh, en} pair in the page's language.
export function t(pair) {
  return pair ? pair[lang] : "";
}

// A number of the rule module's answer as the module wrote it for people (its "display" beside the
// figures: separators, 元 or yuan, units); the page formats no number itself. "" where the figure is null.
export function shown(obj, field) {
  return obj[field] === null || obj[field] === undefined ? "" : obj.display[field][lang];
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clauseLink(clause) {
  return el("a", { href: `${container.dataset.policyUrl}#${clause}`, class: "clause" }, ui.cites[clause] || clause);
}
