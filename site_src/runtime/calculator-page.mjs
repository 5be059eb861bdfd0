// The calculator page: reads the static form, sends requests to the rule module in a worker,
// and shows its answers. Every figure and every message comes from the rule module; this
// file only moves text between the form, the URL fragment and the result boxes. It never
// inserts user input as HTML (textContent only).

const root = document.documentElement;
const form = document.getElementById("calculator");
const lang = form.dataset.lang;
const ui = JSON.parse(document.getElementById("calculator-ui").textContent);
const manifestURL = new URL(form.dataset.manifest, location.href).href;
const policyURL = form.dataset.policyUrl;
const params = new URLSearchParams(location.search);
const kiosk = params.has("kiosk");
const DEBOUNCE_MS = 150;
const LOAD_TIMEOUT_MS = Number(form.dataset.loadTimeout || 60000);
const MAX_FRAGMENT = 4000;

const stats = { ready_ms: null, calculate_ms: [], bytes: 0, python: null };
window.calculatorStats = stats;

// ------------------------------------------------------------------ formatting

function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// An exact decimal string ("1234567.80") as money for the page's language; never via float.
export function formatYuan(text) {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const plain = `${negative ? "-" : ""}${groupDigits(whole)}${fraction ? "." + fraction : ""}`;
  if (lang === "en") return `${negative ? "-" : ""}CN¥${groupDigits(whole)}${fraction ? "." + fraction : ""}`;
  if (whole.length < 5) return `${plain} 元`;
  // 万元 beside the exact figure: the decimal point moved four places, nothing rounded.
  const wanWhole = whole.slice(0, -4);
  const wanFraction = (whole.slice(-4) + fraction).replace(/0+$/, "");
  return `${plain} 元（${negative ? "-" : ""}${groupDigits(wanWhole)}${wanFraction ? "." + wanFraction : ""}万元）`;
}

function t(pair) {
  return pair ? pair[lang] : "";
}

function el(tag, attrs = {}, ...children) {
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

function clauseLink(clause, cite) {
  return el("a", { href: `${policyURL}#${clause}`, class: "clause" }, t(cite) || clause);
}

// ------------------------------------------------------------------ the form <-> requests

const fieldsets = [...form.querySelectorAll("fieldset[data-measure]")];
const measures = fieldsets.map((f) => f.dataset.measure);

function controls() {
  return [...form.elements].filter((c) => c.name && !c.disabled && c.type !== "button" && c.type !== "submit");
}

function valueOf(control) {
  if (control.type === "radio") return control.checked ? control.value : null;
  if (control.type === "checkbox") return control.checked ? "true" : null;
  const value = control.value.trim();
  return value === "" ? null : value;
}

// name=value of every filled control: the form's whole state, and what the fragment carries.
function formState() {
  const state = [];
  for (const control of controls()) {
    const value = valueOf(control);
    if (value !== null) state.push([control.name, value]);
  }
  return state;
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(keys[i + 1]);
    if (last) node[key] = value;
    else node = node[key] ??= nextIsIndex ? [] : {};
  });
}

function typed(control, value) {
  if (control && control.dataset.kind === "bool") return value === "true";
  return value;
}

// One request per measure the user has started filling; shared answers (registered_poor) are
// copied into each measure of the role that takes them.
function requests() {
  const state = formState();
  const byName = new Map(controls().map((c) => [c.name, c]));
  const out = [];
  for (const fieldset of fieldsets) {
    const measure = fieldset.dataset.measure;
    const own = state.filter(([name]) => name.startsWith(measure + "."));
    if (!own.length) continue;
    const request = { measure };
    for (const [name, value] of own) setPath(request, name.slice(measure.length + 1), typed(byName.get(name), value));
    for (const shared of (fieldset.dataset.shared || "").split(" ").filter(Boolean)) {
      const entry = state.find(([name]) => name === shared);
      if (entry) request[shared] = typed(byName.get(shared), entry[1]);
    }
    // Rows of a table: drop rows left wholly empty, keep partly filled ones (the module reports them).
    for (const [key, value] of Object.entries(request)) {
      if (Array.isArray(value)) request[key] = value.filter((row) => row && Object.keys(row).length);
    }
    if (savedVersion) request.rules_version = savedVersion;
    out.push(request);
  }
  return out;
}

// ------------------------------------------------------------------ URL fragment

let savedVersion = null;

function writeFragment() {
  const pairs = new URLSearchParams();
  const role = currentRole();
  if (role) pairs.append("role", role);
  for (const [name, value] of formState()) pairs.append(name, value);
  if (formState().length) pairs.append("v", savedVersion || form.dataset.rulesVersion);
  const fragment = pairs.toString();
  history.replaceState(null, "", fragment ? `#${fragment}` : location.pathname + location.search);
}

// Restore the form from the fragment. Unknown names and malformed values are reported as text;
// nothing from the URL is ever inserted as HTML.
function readFragment() {
  const problems = [];
  const raw = location.hash.slice(1);
  if (!raw) return problems;
  if (raw.length > MAX_FRAGMENT) {
    problems.push(ui.link_too_long);
    return problems;
  }
  let pairs;
  try {
    pairs = new URLSearchParams(raw);
  } catch {
    problems.push(ui.link_unreadable);
    return problems;
  }
  const byName = new Map();
  for (const control of controls()) {
    if (!byName.has(control.name)) byName.set(control.name, []);
    byName.get(control.name).push(control);
  }
  for (const [name, value] of pairs) {
    if (name === "role") {
      if (roles.includes(value)) showRole(value);
      else problems.push(`${ui.link_unknown}: role`);
      continue;
    }
    if (name === "v") {
      savedVersion = value.slice(0, 40);
      continue;
    }
    ensureRow(name);
    const targets = byName.get(name) || controlsNamed(name);
    if (!targets.length) {
      problems.push(`${ui.link_unknown}: ${name.slice(0, 60)}`);
      continue;
    }
    for (const control of targets) {
      if (control.type === "radio" || control.type === "checkbox") control.checked = control.value === value;
      else if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === value)) {
        problems.push(`${ui.link_unknown}: ${name.slice(0, 60)}`);
      } else control.value = value.slice(0, 200);
    }
  }
  if (!savedVersion && pairs.size) problems.push(ui.link_no_version);
  return problems;
}

function controlsNamed(name) {
  return controls().filter((c) => c.name === name);
}

// ------------------------------------------------------------------ share-table rows

function ensureRow(name) {
  const match = /^(\w+)\.share_table\.(\d+)\./.exec(name);
  if (!match) return;
  const index = Number(match[2]);
  if (index > 2000) return;
  while (rowCount(match[1]) <= index) addRow(match[1]);
}

function rowTemplate(measure) {
  return form.querySelector(`template[data-rows-for="${measure}"]`);
}

function rowCount(measure) {
  return form.querySelectorAll(`[data-rows="${measure}"] [data-row]`).length;
}

function addRow(measure) {
  const template = rowTemplate(measure);
  const body = form.querySelector(`[data-rows="${measure}"]`);
  if (!template || !body) return null;
  const index = rowCount(measure);
  const row = template.content.firstElementChild.cloneNode(true);
  for (const node of row.querySelectorAll("[name],[id],[for],[aria-describedby]")) {
    for (const attr of ["name", "id", "for", "aria-describedby"]) {
      if (node.hasAttribute(attr)) node.setAttribute(attr, node.getAttribute(attr).replaceAll("__i__", index));
    }
  }
  for (const node of row.querySelectorAll("[data-row-number]")) node.textContent = String(index + 1);
  row.dataset.row = String(index);
  body.append(row);
  return row;
}

// ------------------------------------------------------------------ roles (tabs)

const roleSections = [...form.querySelectorAll("[data-role]")];
const roles = roleSections.map((s) => s.dataset.role);
const roleTabs = [...document.querySelectorAll("[data-role-tab]")];

function currentRole() {
  const shown = roleSections.find((s) => !s.hidden);
  return shown ? shown.dataset.role : null;
}

function showRole(role) {
  for (const section of roleSections) section.hidden = section.dataset.role !== role;
  for (const tab of roleTabs) {
    const selected = tab.dataset.roleTab === role;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
}

// ------------------------------------------------------------------ the worker

let worker = null;
let ready = false;
let sequence = 0;
const pending = new Map();

function setStatus(text, state, fraction = null) {
  const status = document.getElementById("calculator-status");
  status.dataset.state = state;
  status.querySelector("[data-status-text]").textContent = text;
  const bar = status.querySelector("progress");
  if (bar) {
    if (fraction === null) bar.removeAttribute("value");
    else bar.value = Math.min(1, fraction);
    bar.hidden = state === "ready" || state === "failed";
  }
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function fail(reason, detail) {
  ready = false;
  setStatus(ui.failed[reason] || ui.failed.load, "failed");
  document.getElementById("calculator-fallback").hidden = false;
  if (detail) console.warn("calculator:", detail);
}

function startWorker() {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("no-wasm");
    return;
  }
  const manifest = JSON.parse(document.getElementById("calculator-manifest").textContent);
  const expected = Object.values(manifest.transfer || {}).reduce((a, b) => a + b, 0);
  setStatus(ui.stage.runtime, "loading", 0);
  const timeout = setTimeout(() => {
    if (!ready) {
      fail("timeout");
      worker.terminate();
    }
  }, LOAD_TIMEOUT_MS);
  worker = new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
  worker.onerror = (event) => fail("load", event.message);
  worker.onmessage = ({ data }) => {
    if (data.type === "stage") {
      stats.bytes = data.bytes;
      const progress = expected ? ` (${megabytes(data.bytes)} / ${megabytes(expected)} MB)` : "";
      const label = ui.stage[data.stage] || ui.stage.runtime;
      if (!ready) setStatus(label + (data.stage === "rules" ? "" : progress), "loading", expected ? data.bytes / expected : null);
    } else if (data.type === "ready") {
      clearTimeout(timeout);
      ready = true;
      stats.ready_ms = performance.now();
      stats.bytes = data.bytes;
      stats.python = data.python;
      setStatus(ui.stage.ready, "ready");
      recalculate();
    } else if (data.type === "result") {
      stats.calculate_ms.push(data.ms);
      const done = pending.get(data.id);
      pending.delete(data.id);
      if (done) done(JSON.parse(data.text));
    } else if (data.type === "failed") {
      clearTimeout(timeout);
      fail(data.reason, data.detail);
    }
  };
  worker.postMessage({ type: "start", manifest, base: manifestURL });
}

function calculate(request) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, resolve);
    worker.postMessage({ type: "calculate", id, text: JSON.stringify(request) });
  });
}

// ------------------------------------------------------------------ results

let generation = 0;

async function recalculate() {
  writeFragment();
  if (!ready) return;
  const mine = ++generation;
  const wanted = requests();
  const results = await Promise.all(wanted.map(calculate));
  if (mine !== generation) return; // a newer keystroke already asked again
  const byMeasure = new Map(results.map((r, i) => [wanted[i].measure, r]));
  clearErrors();
  const errors = [];
  for (const measure of measures) {
    const box = form.querySelector(`[data-result-for="${measure}"]`);
    const result = byMeasure.get(measure);
    box.replaceChildren();
    box.hidden = !result;
    if (!result) continue;
    if (result.ok) box.append(renderResult(result));
    else {
      box.append(el("p", { class: "result-invalid" }, ui.fix_errors));
      for (const error of result.errors) errors.push({ measure, error });
    }
  }
  showErrors(errors);
  renderSlip(results.filter((r) => r.ok));
  if (results.some((r) => r.ok) && !root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
  root.dataset.resultSeq = String(Number(root.dataset.resultSeq || 0) + 1);
}

function renderResult(result) {
  const box = el("div", { class: "result" + (result.eligible ? "" : " result-ineligible") });
  box.append(el("h3", {}, t(result.title), " ", ...result.clauses.map((c) => clauseLink(c.id, c.cite))));
  for (const warning of result.warnings) {
    box.append(el("p", { class: "result-warning" }, el("strong", {}, ui.note + " "), t(warning), " ", clauseLink(warning.clause, null)));
  }
  if (result.lines.length) {
    const rows = result.lines.map((line) =>
      el("tr", {},
        el("th", { scope: "row" }, t(line.label)),
        el("td", {}, line.quantity !== null ? `${line.quantity} ${t(line.unit_label)}` : ""),
        el("td", {}, line.rate !== null && line.rate_unit !== "ratio" ? `${line.rate} ${t(line.rate_unit_label)}` : line.rate_unit === "ratio" ? `${Number(line.rate) * 100}%` : ""),
        el("td", { class: "amount" }, formatYuan(line.amount)),
        el("td", {}, clauseLink(line.clause, null))));
    box.append(el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ...ui.columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows))));
  }
  for (const subtotal of result.subtotals) {
    const before = subtotal.capped ? ` (${ui.before_cap} ${formatYuan(subtotal.amount_before_cap)})` : "";
    box.append(el("p", { class: "subtotal" }, `${t(subtotal.label)}: `, el("strong", {}, formatYuan(subtotal.amount)), before));
  }
  if (result.schedule.length) box.append(renderSchedule(result));
  for (const check of result.checks) {
    box.append(el("p", { class: check.met === false ? "check check-failed" : "check" },
      `${t(check.label)}: ${ui.minimum} ${formatYuan(check.minimum)}`,
      check.actual !== null ? ` · ${ui.actual} ${formatYuan(check.actual)} · ` : " · ", t(check.verdict)));
  }
  if (result.range) {
    box.append(el("p", { class: "total" }, `${t(result.range.label)}: `,
      el("strong", {}, `${formatYuan(result.range.min)} – ${formatYuan(result.range.max)}`)));
  }
  if (result.total) {
    box.append(el("p", { class: "total" }, `${t(result.total.label)}: `, el("strong", {}, formatYuan(result.total.amount))));
  }
  const steps = el("ol", {}, result.trace.map((step) => el("li", {}, t(step), " ", clauseLink(step.clause, null))));
  const rounding = result.rounding.map((r) => el("p", { class: "rounding" }, t(r)));
  box.append(el("details", { class: "trace" }, el("summary", {}, ui.how), steps, rounding));
  return box;
}

function renderSchedule(result) {
  const head = result.measure === "grain_to_forest" ? ui.schedule_columns.installments : ui.schedule_columns.dividends;
  const rows = result.schedule.map((row) => el("tr", {},
    el("th", { scope: "row" }, String(row.year)),
    el("td", {}, row.installment ? String(row.installment) : t(row.label)),
    el("td", { class: "amount" }, formatYuan(row.amount))));
  return el("div", { class: "table-wrap" }, el("table", { class: "schedule" },
    el("thead", {}, el("tr", {}, ...head.map((c) => el("th", { scope: "col" }, c)))), el("tbody", {}, rows)));
}

// ------------------------------------------------------------------ errors

function fieldFor(measure, path) {
  const name = path.replace(/\[(\d+)\]/g, ".$1");
  return controlsNamed(`${measure}.${name}`)[0] || controlsNamed(name)[0] || null;
}

function clearErrors() {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
    const described = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.startsWith("err-"));
    if (described.length) node.setAttribute("aria-describedby", described.join(" "));
    else node.removeAttribute("aria-describedby");
  }
}

function showErrors(errors, linkProblems = []) {
  const summary = document.getElementById("error-summary");
  const list = summary.querySelector("ul");
  list.replaceChildren();
  const seen = new Set();
  for (const { measure, error } of errors) {
    const field = fieldFor(measure, error.path);
    const text = t(error);
    if (field) {
      const id = `err-${field.name.replace(/[^\w-]/g, "-")}`;
      if (!seen.has(id)) {
        seen.add(id);
        const group = field.closest(".field") || field.parentElement;
        group.insertBefore(el("p", { class: "field-error", id }, el("span", { class: "visually-hidden" }, ui.error_prefix), text), group.firstChild.nextSibling);
        for (const control of controlsNamed(field.name)) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", `${id} ${control.getAttribute("aria-describedby") || ""}`.trim());
        }
        list.append(el("li", {}, el("a", { href: `#${field.id}` }, text)));
      }
    } else list.append(el("li", {}, text));
  }
  for (const problem of linkProblems) list.append(el("li", {}, problem));
  const has = list.children.length > 0;
  summary.hidden = !has;
  document.title = (has ? ui.title_error_prefix : "") + document.title.replace(ui.title_error_prefix, "");
}

// ------------------------------------------------------------------ print slip

async function renderSlip(results) {
  const slip = document.getElementById("result-slip");
  if (!slip) return;
  const body = slip.querySelector("[data-slip-body]");
  body.replaceChildren();
  for (const [name, value] of formState()) {
    const control = controlsNamed(name)[0];
    const label = control ? (control.closest(".field")?.querySelector("label,legend")?.textContent || name) : name;
    body.append(el("p", { class: "slip-input" }, `${label.trim()}: ${control?.type === "radio" ? (control.closest("fieldset")?.querySelector(`input[value="${value}"] + label, label:has(input[value="${value}"])`)?.textContent ?? value) : value}`));
  }
  for (const result of results) {
    body.append(el("h3", {}, t(result.title)));
    for (const line of result.lines) body.append(el("p", {}, `${t(line.label)}: ${formatYuan(line.amount)}`));
    if (result.range) body.append(el("p", { class: "total" }, `${t(result.range.label)}: ${formatYuan(result.range.min)} – ${formatYuan(result.range.max)}`));
    if (result.total) body.append(el("p", { class: "total" }, `${t(result.total.label)}: ${formatYuan(result.total.amount)}`));
  }
  slip.querySelector("[data-slip-url]").textContent = location.href;
}

async function slipQR() {
  const { qrcode } = await import(new URL(JSON.parse(document.getElementById("calculator-manifest").textContent).qrcode, manifestURL).href);
  const code = qrcode(0, "M");
  code.addData(location.href);
  code.make();
  const holder = document.querySelector("#result-slip [data-slip-qr]");
  // createSvgTag builds markup from the QR matrix alone (no user text): margin 4 modules = quiet zone.
  holder.innerHTML = code.createSvgTag({ cellSize: 3, margin: 4, scalable: true, alt: ui.qr_alt });
}

async function printSlip(size) {
  await recalculate();
  await slipQR();
  const style = document.getElementById("slip-page-size");
  style.textContent = size === "receipt" ? "@page { size: 80mm auto; margin: 4mm; }" : "@page { size: A4; margin: 15mm; }";
  root.classList.add("printing-slip", `slip-${size}`);
  window.print();
  root.classList.remove("printing-slip", "slip-a4", "slip-receipt");
}

// ------------------------------------------------------------------ kiosk mode

function startKiosk() {
  root.classList.add("kiosk");
  const idleSeconds = Math.max(15, Math.min(3600, Number(params.get("idle")) || 120));
  const warnSeconds = Math.min(30, Math.floor(idleSeconds / 2));
  const dialog = document.getElementById("idle-dialog");
  let idleTimer = null;
  let countdown = null;
  const reset = () => {
    // A clean slate: the form, the URL (fragment gone, history entry replaced), the stored state.
    form.reset();
    sessionStorage.clear();
    location.replace(location.pathname + location.search);
  };
  const arm = () => {
    clearTimeout(idleTimer);
    clearInterval(countdown);
    if (dialog.open) dialog.close();
    idleTimer = setTimeout(warn, (idleSeconds - warnSeconds) * 1000);
  };
  const warn = () => {
    let left = warnSeconds;
    dialog.querySelector("[data-countdown]").textContent = String(left);
    dialog.showModal();
    countdown = setInterval(() => {
      left -= 1;
      dialog.querySelector("[data-countdown]").textContent = String(left);
      if (left <= 0) {
        clearInterval(countdown);
        reset();
      }
    }, 1000);
  };
  for (const type of ["pointerdown", "keydown", "input", "scroll", "touchstart"]) {
    document.addEventListener(type, () => { if (!dialog.open) arm(); }, { passive: true, capture: true });
  }
  dialog.querySelector("[data-continue]").addEventListener("click", arm);
  document.getElementById("kiosk-reset")?.addEventListener("click", reset);
  // Links that leave the site become text: a kiosk must not wander off.
  for (const link of document.querySelectorAll("a[href]")) {
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) link.replaceWith(el("span", { class: "external-link" }, `${link.textContent} (${url.href})`));
    else if (!url.searchParams.has("kiosk") && url.pathname !== location.pathname) {
      url.searchParams.set("kiosk", "1");
      if (params.has("idle")) url.searchParams.set("idle", params.get("idle"));
      link.href = url.href;
    }
  }
  arm();
}

// ------------------------------------------------------------------ wiring

let debounce = null;
form.addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(recalculate, DEBOUNCE_MS);
});
form.addEventListener("change", () => {
  clearTimeout(debounce);
  recalculate();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  recalculate().then(() => {
    const summary = document.getElementById("error-summary");
    if (!summary.hidden) summary.focus();
  });
});
form.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  event.preventDefault();
  const action = button.dataset.action;
  if (action === "add-row") addRow(button.dataset.measure)?.querySelector("input")?.focus();
  else if (action === "step") {
    const input = document.getElementById(button.dataset.target);
    const current = /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : 0;
    input.value = String(Math.max(0, current + Number(button.dataset.step)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  } else if (action === "print") printSlip(button.dataset.size);
  else if (action === "clear") {
    form.reset();
    savedVersion = null;
    recalculate();
  }
});
for (const tab of roleTabs) {
  tab.addEventListener("click", (event) => {
    event.preventDefault();
    showRole(tab.dataset.roleTab);
    writeFragment();
  });
  tab.addEventListener("keydown", (event) => {
    const index = roleTabs.indexOf(tab);
    const next = event.key === "ArrowRight" ? index + 1 : event.key === "ArrowLeft" ? index - 1 : null;
    if (next === null) return;
    const target = roleTabs[(next + roleTabs.length) % roleTabs.length];
    target.focus();
    target.click();
  });
}
window.addEventListener("hashchange", () => {
  // A link opened on the page itself (a worked example, a pasted link): start from it.
  form.reset();
  const problems = readFragment();
  if (problems.length) showErrors([], problems);
  recalculate();
});

root.classList.add("js");
showRole(roles[0]);
const linkProblems = readFragment();
if (linkProblems.length) showErrors([], linkProblems);
if (kiosk) startKiosk();
startWorker();
