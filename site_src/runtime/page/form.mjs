// The forms as the page's state: each filled form as a request to the rule module, and the URL
// fragment that holds the whole state (written on every change, read on arrival), with the role
// tabs and the rows of the share tables.
//
// The fragment has the format build.py's scenario_fragment() writes:
//   #role=household&measure=household_subsidy&registered_poor=true&crops.solar_greenhouse=0.5
//    &measure=grain_to_forest&area_mu=2&first_year=2018&v=<rules version>
// (each measure=… starts that measure's fields), or #ex=<example id>, or #role=<role>.

import { container, el, root, ui } from "./dom.mjs";

// Share-link limits: one limit for writing and reading a link, so the page
// never writes a link it would refuse; and at most MAX_LINK_ROWS table rows from a link (a link within
// MAX_FRAGMENT characters cannot honestly hold more: each row takes over 20 characters).
export const MAX_FRAGMENT = 8000;
const MAX_LINK_ROWS = 400;

export const forms = [...container.querySelectorAll("form.calc[data-measure]")];
const formFor = new Map(forms.map((f) => [f.dataset.measure, f]));
let savedVersion = null; // the rules version a shared link was made with, sent along with each request

export function inputs(form) {
  return [...form.elements].filter((c) => c.name && c.tagName !== "BUTTON");
}

function valueOf(control) {
  if (control.type === "radio" || control.type === "checkbox") return control.checked ? control.value : null;
  const value = control.value.trim();
  return value === "" ? null : value;
}

// [name, value] of every filled control of a form, in page order.
export function filled(form) {
  const controls = inputs(form).filter((c) => valueOf(c) !== null);
  return controls.map((c) => [c.name, valueOf(c)]);
}

// Every form emptied, and the version of any link followed before forgotten.
export function clearForms() {
  for (const form of forms) form.reset();
  savedVersion = null;
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else node = node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
  });
}

export function requestFor(form) {
  const entries = filled(form);
  if (!entries.length) return null;
  const request = { measure: form.dataset.measure };
  for (const [name, value] of entries) {
    const control = form.elements[name];
    const radio = control instanceof RadioNodeList || (control && control.type === "radio");
    setPath(request, name, radio && (value === "true" || value === "false") ? value === "true" : value);
  }
  // Table rows left wholly empty are dropped; partly filled ones stay (the module names what is missing).
  for (const [key, value] of Object.entries(request)) {
    if (Array.isArray(value)) request[key] = value.filter((row) => row && Object.keys(row).length);
  }
  if (savedVersion) request.rules_version = savedVersion;
  // The rules in force today on this device, said explicitly: never "the last entry".
  request.date ??= today();
  return request;
}

function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

// ------------------------------------------------------------------ the URL fragment

// The fragment that holds the whole form ("" when nothing is filled).
export function fragmentText() {
  const pairs = new URLSearchParams();
  const role = currentRole();
  if (role && role !== roles[0]) pairs.append("role", role); // the first role is the default: a clean URL
  let any = false;
  for (const form of forms) {
    const entries = filled(form);
    if (!entries.length) continue;
    any = true;
    pairs.append("measure", form.dataset.measure);
    for (const [name, value] of entries) pairs.append(name, value);
  }
  if (any) pairs.append("v", savedVersion || container.dataset.rulesVersion);
  return pairs.toString();
}

// The link to this calculation (for the slip's QR code), or null when it would be longer than the page
// reads back. Without the page's own query (?kiosk=…): the link is for the resident's phone.
export function shareURL() {
  const fragment = fragmentText();
  if (fragment.length > MAX_FRAGMENT) return null;
  return `${location.origin}${location.pathname}${fragment ? "#" + fragment : ""}`;
}

// The fragment written into the address (this history entry replaced, never a new one). Not written when
// longer than the page reads back (a note says so instead), nor in kiosk mode, where the form's state
// stays out of the address and the history altogether.
export function writeFragment() {
  const fragment = fragmentText();
  const tooLong = fragment.length > MAX_FRAGMENT;
  showShareNote(tooLong);
  const written = tooLong || root.classList.contains("kiosk") ? "" : fragment;
  // history.replaceState costs about 10 ms of the main thread in Chromium: called only when the address changes
  // (not on the start with empty forms, nor on a keystroke that leaves a value as it was)
  if (location.hash.slice(1) === written) return;
  history.replaceState(null, "", `${location.pathname}${location.search}${written ? "#" + written : ""}`);
}

function showShareNote(tooLong) {
  let note = document.getElementById("share-too-long");
  if (!note && !tooLong) return;
  if (!note) {
    note = el("p", { id: "share-too-long", class: "notice", role: "status" }, ui.share_too_long);
    (container.querySelector(".calc-tools") || container).append(note);
  }
  note.hidden = !tooLong;
}

// Fill the forms from the fragment. Problems come back as text; the URL never reaches the page as HTML.
export function readFragment() {
  const problems = [];
  let raw = location.hash.slice(1);
  if (!raw) return problems;
  if (raw.length > MAX_FRAGMENT) return [ui.link_too_long];
  let pairs = new URLSearchParams(raw);
  if (pairs.has("ex")) {
    const example = [...document.querySelectorAll("a[data-example]")].find((a) => a.dataset.example === pairs.get("ex"));
    if (!example) return [`${ui.link_unknown}: ex=${pairs.get("ex").slice(0, 40)}`];
    raw = new URL(example.href).hash.slice(1);
    pairs = new URLSearchParams(raw);
  }
  const rowNumbers = [...pairs.keys()].map((name) => /^\w+\.(\d+)\./.exec(name)).filter(Boolean).map((m) => Number(m[1]));
  if (rowNumbers.some((row) => row >= MAX_LINK_ROWS)) return [ui.link_too_many_rows];
  let form = null;
  let firstMeasure = null;
  let roleShown = false;
  for (const [name, value] of pairs) {
    if (name === "role") {
      if (roles.includes(value)) {
        showRole(value);
        roleShown = true;
      } else problems.push(`${ui.link_unknown}: role`);
    } else if (name === "v") {
      savedVersion = value.slice(0, 40);
    } else if (name === "measure") {
      form = formFor.get(value) || null;
      if (!form) problems.push(`${ui.link_unknown}: measure=${value.slice(0, 40)}`);
      else firstMeasure ??= value;
    } else if (!form) {
      problems.push(`${ui.link_unknown}: ${name.slice(0, 60)}`);
    } else if (!fill(form, name, value)) {
      problems.push(`${ui.link_unknown}: ${name.slice(0, 60)}`);
    }
  }
  if (firstMeasure && !roleShown) showRole(formFor.get(firstMeasure).dataset.role);
  if (firstMeasure && !savedVersion) problems.push(ui.link_no_version);
  return problems;
}

function fill(form, name, value) {
  ensureRow(form, name);
  const controls = inputs(form).filter((c) => c.name === name);
  if (!controls.length) return false;
  for (const control of controls) {
    if (control.type === "radio" || control.type === "checkbox") {
      control.checked = control.value === value;
    } else control.value = value.slice(0, 200);
  }
  if (controls.every((c) => c.type === "radio") && !controls.some((c) => c.checked)) return false;
  return true;
}

// ------------------------------------------------------------------ share-table rows

function ensureRow(form, name) {
  const match = /^(\w+)\.(\d+)\./.exec(name);
  if (!match) return;
  const list = form.querySelector(`[data-rows="${match[1]}"]`);
  const index = Number(match[2]);
  if (!list || index >= MAX_LINK_ROWS) return;
  while (list.children.length <= index) addRow(list);
}

// A new row cloned from the last: its index written into names, ids, paths and the row number.
export function addRow(list) {
  const last = list.lastElementChild;
  const from = Number(last.dataset.row);
  const to = from + 1;
  const row = last.cloneNode(true);
  row.dataset.row = String(to);
  for (const node of row.querySelectorAll("*")) {
    for (const attr of ["name", "id", "for", "data-path", "aria-describedby"]) {
      if (!node.hasAttribute(attr)) continue;
      node.setAttribute(attr, node.getAttribute(attr)
        .replace(`.${from}.`, `.${to}.`).replace(`[${from}]`, `[${to}]`).replace(`-${from}-`, `-${to}-`));
    }
    if (node.tagName === "INPUT") {
      node.value = "";
      node.removeAttribute("aria-invalid");
    }
    if (node.tagName === "LABEL") node.textContent = node.textContent.replace(String(from + 1), String(to + 1));
    if (node.classList.contains("field-error")) {
      node.hidden = true;
      node.textContent = "";
    }
  }
  list.append(row);
  return row;
}

// ------------------------------------------------------------------ roles as tabs

const roleSections = [...container.querySelectorAll("section[data-role]")];
export const roles = roleSections.map((s) => s.dataset.role);
export const roleTabs = [...container.querySelectorAll("[data-role-tab]")];

function currentRole() {
  const visible = roleSections.filter((s) => !s.hidden);
  return visible.length === 1 ? visible[0].dataset.role : null;
}

export function showRole(role) {
  for (const section of roleSections) section.hidden = section.dataset.role !== role;
  for (const tab of roleTabs) {
    if (tab.dataset.roleTab === role) tab.setAttribute("aria-current", "true");
    else tab.removeAttribute("aria-current");
  }
}
