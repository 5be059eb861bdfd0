// The calculator page: reads the static forms (one <form data-measure> per measure), sends each
// filled form to the rule module running in a worker, and shows its answers. Every figure and
// every message comes from the rule module; this file only moves text between the forms, the
// URL fragment and the result boxes. Nothing from the user or the URL is inserted as HTML.
//
// The URL fragment holds the whole state, in the format build.py's scenario_fragment() writes:
//   #role=household&measure=household_subsidy&registered_poor=true&crops.solar_greenhouse=0.5
//    &measure=grain_to_forest&area_mu=2&first_year=2018&v=<rules version>
// (each measure=… starts that measure's fields), or #ex=<example id>, or #role=<role>.

const root = document.documentElement;
const container = document.getElementById("calculator");
const lang = container.dataset.lang;
const ui = JSON.parse(document.getElementById("calculator-ui").textContent);
const manifest = JSON.parse(document.getElementById("calculator-manifest").textContent);
const manifestURL = new URL(container.dataset.manifest, location.href).href;
const policyURL = container.dataset.policyUrl;
const params = new URLSearchParams(location.search);
const DEBOUNCE_MS = 60; // short enough that a keystroke shows its result within 100 ms
const LOAD_TIMEOUT_MS = Number(params.get("timeout")) * 1000 || 90000;
const MAX_FRAGMENT = 8000;
const MAX_ROWS = 2000;

const stats = { ready_ms: null, calculate_ms: [], bytes: 0, python: null, snapshot: null, snapshot_stored: null };
window.calculatorStats = stats;

// ------------------------------------------------------------------ formatting

function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// An exact decimal string ("1234567.80") as money in the page's language; never through a float.
function formatYuan(text) {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const sign = negative ? "-" : "";
  const exact = `${groupDigits(whole)}${fraction ? "." + fraction : ""}`;
  if (lang === "en") return `${sign}CN¥${exact}`;
  if (whole.length < 5) return `${sign}${exact} 元`;
  // 万元 beside the exact figure: the decimal point moved four places, nothing rounded away.
  const wanFraction = (whole.slice(-4) + fraction).replace(/0+$/, "");
  return `${sign}${exact} 元（${sign}${groupDigits(whole.slice(0, -4))}${wanFraction ? "." + wanFraction : ""}万元）`;
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

function clauseLink(clause) {
  return el("a", { href: `${policyURL}#${clause}`, class: "clause" }, ui.cites[clause] || clause);
}

// ------------------------------------------------------------------ forms <-> requests

const forms = [...container.querySelectorAll("form.calc[data-measure]")];
const formFor = new Map(forms.map((f) => [f.dataset.measure, f]));

function inputs(form) {
  return [...form.elements].filter((c) => c.name && c.tagName !== "BUTTON");
}

function valueOf(control) {
  if (control.type === "radio" || control.type === "checkbox") return control.checked ? control.value : null;
  const value = control.value.trim();
  return value === "" ? null : value;
}

// [name, value] of every filled control of a form, in page order.
function filled(form) {
  return inputs(form).map((c) => [c.name, valueOf(c)]).filter(([, v]) => v !== null);
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else node = node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
  });
}

function requestFor(form) {
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
  return request;
}

// ------------------------------------------------------------------ the URL fragment

let savedVersion = null;

function writeFragment() {
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
  const fragment = pairs.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${fragment ? "#" + fragment : ""}`);
}

// Fill the forms from the fragment. Problems come back as text; the URL never reaches the page as HTML.
function readFragment() {
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
  let form = null;
  let firstMeasure = null;
  for (const [name, value] of pairs) {
    if (name === "role") {
      if (roles.includes(value)) showRole(value);
      else problems.push(`${ui.link_unknown}: role`);
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
  if (firstMeasure && !pairs.has("role")) showRole(formFor.get(firstMeasure).dataset.role);
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
  if (!list || index >= MAX_ROWS) return;
  while (list.children.length <= index) addRow(list);
}

// A new row cloned from the last: its index written into names, ids, paths and the row number.
function addRow(list) {
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
const roles = roleSections.map((s) => s.dataset.role);
const roleTabs = [...container.querySelectorAll("[data-role-tab]")];

function currentRole() {
  const shown = roleSections.filter((s) => !s.hidden);
  return shown.length === 1 ? shown[0].dataset.role : null;
}

function showRole(role) {
  for (const section of roleSections) section.hidden = section.dataset.role !== role;
  for (const tab of roleTabs) {
    if (tab.dataset.roleTab === role) tab.setAttribute("aria-current", "true");
    else tab.removeAttribute("aria-current");
  }
}

// ------------------------------------------------------------------ the worker

let worker = null;
let ready = false;
let sequence = 0;
const pending = new Map();
const expectedBytes = Object.values(manifest.transfer || {}).reduce((a, b) => a + b, 0);

function setStatus(text, state, fraction = null) {
  const status = document.getElementById("calculator-status");
  status.dataset.state = state;
  status.querySelector("[data-status-text]").textContent = text;
  const bar = status.querySelector("progress");
  bar.hidden = state !== "loading";
  if (fraction === null) bar.removeAttribute("value");
  else bar.value = Math.min(1, fraction);
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function fail(reason, detail) {
  ready = false;
  setStatus(ui[`failed_${reason}`] || ui.failed_load, "failed");
  document.getElementById("calculator-fallback").hidden = false;
  if (detail) console.warn("calculator:", detail);
}

function startWorker() {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("no_wasm");
    return;
  }
  setStatus(`${ui.stage_progress} (0.0 / ${megabytes(expectedBytes)} MB)`, "loading", 0);
  const timeout = setTimeout(() => {
    if (!ready) {
      worker.terminate();
      fail("timeout");
    }
  }, LOAD_TIMEOUT_MS);
  worker = new Worker(new URL(manifest.worker, manifestURL), { type: "module" });
  worker.onerror = (event) => {
    clearTimeout(timeout);
    fail("load", event.message);
  };
  worker.onmessage = ({ data }) => {
    if (data.type === "stage" && !ready) {
      stats.bytes = data.bytes;
      if (data.stage === "rules") setStatus(ui.stage_rules, "loading", null);
      else setStatus(`${ui.stage_progress} (${megabytes(data.bytes)} / ${megabytes(expectedBytes)} MB)`, "loading",
        expectedBytes ? data.bytes / expectedBytes : null);
    } else if (data.type === "ready") {
      clearTimeout(timeout);
      ready = true;
      stats.ready_ms = performance.now();
      stats.bytes = data.bytes;
      stats.python = data.python;
      stats.snapshot = data.snapshot;
      stats.timings = data.timings;
      setStatus(ui.stage_ready, "ready");
      recalculate();
      registerServiceWorker();
    } else if (data.type === "result") {
      stats.calculate_ms.push(data.ms);
      const done = pending.get(data.id);
      pending.delete(data.id);
      if (done) done(data.text);
    } else if (data.type === "snapshot") {
      stats.snapshot_stored = data.stored;
    } else if (data.type === "failed") {
      clearTimeout(timeout);
      fail(data.reason === "no-wasm" ? "no_wasm" : "load", data.detail);
    }
  };
  worker.postMessage({ type: "start", manifest, base: manifestURL });
}

// The rule module's answer to one JSON text, as the JSON text it returned.
function calculateText(text) {
  return new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, resolve);
    worker.postMessage({ type: "calculate", id, text });
  });
}

function calculate(request) {
  return calculateText(JSON.stringify(request)).then(JSON.parse);
}

// After the calculator has loaded (so the precache mostly comes from the HTTP cache, not twice
// over the network), install the service worker that keeps the site working offline.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !container.dataset.sw) return;
  navigator.serviceWorker.register(container.dataset.sw, { scope: container.dataset.swScope }).catch((error) => {
    console.info("calculator: offline support unavailable:", error.message); // the calculator itself works
  });
}

// ------------------------------------------------------------------ results

let generation = 0;
let running = 0;
let onScreen = []; // [form, result] of what is on screen: the print slip is built from it only when printing
const submitted = new Set();

async function recalculate() {
  running += 1;
  try {
    await recalculateNow();
  } finally {
    running -= 1;
  }
}

async function recalculateNow() {
  writeFragment();
  if (!ready) return;
  const mine = ++generation;
  const wanted = forms.map((form) => [form, requestFor(form)]).filter(([, request]) => request);
  const results = await Promise.all(wanted.map(([, request]) => calculate(request)));
  if (mine !== generation) return; // a newer keystroke has asked again
  const answered = new Map(wanted.map(([form], i) => [form, results[i]]));
  for (const form of forms) show(form, answered.get(form) || null);
  onScreen = wanted.map(([form], i) => [form, results[i]]);
  if (results.some((r) => r.ok) && !root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
  root.dataset.resultSeq = String(Number(root.dataset.resultSeq || 0) + 1);
}

function show(form, result) {
  const box = document.getElementById(`result-${form.dataset.measure}`);
  clearErrors(form);
  box.replaceChildren();
  if (!result) return;
  if (result.ok) {
    box.append(renderResult(result));
    return;
  }
  // "Required" errors wait for the Calculate button: nothing turns red before the user has finished.
  const strict = submitted.has(form);
  const shown = result.errors.filter((e) => strict || e.code !== "required");
  const waiting = result.errors.filter((e) => !strict && e.code === "required");
  showErrors(form, shown);
  if (waiting.length) box.append(el("p", { class: "result-waiting" }, waiting.map((e) => t(e)).join(" ")));
  if (shown.length) box.append(el("p", { class: "result-invalid" }, ui.fix_errors));
}

function renderResult(result) {
  const box = el("div", { class: result.eligible ? "result-body" : "result-body result-ineligible" });
  box.append(el("h3", {}, t(result.title), " · ", ...result.clauses.flatMap((c, i) => [i ? "、" : "", clauseLink(c.id)])));
  for (const warning of result.warnings) {
    box.append(el("p", { class: "result-warning" }, el("strong", {}, ui.note), " ", t(warning), " ", clauseLink(warning.clause)));
  }
  if (result.lines.length) {
    // A list, not a wide table: on a 360 px phone each line reads "item / quantity × rate / amount".
    box.append(el("ul", { class: "result-lines" }, result.lines.map((line) => el("li", {},
      el("span", { class: "line-label" }, t(line.label), " ", clauseLink(line.clause)),
      el("span", { class: "line-calc" }, [line.quantity !== null ? `${line.quantity} ${t(line.unit_label)}` : "", rateText(line)].filter(Boolean).join(" × ")),
      el("span", { class: "line-amount" }, formatYuan(line.amount))))));
  }
  for (const subtotal of result.subtotals) {
    const before = subtotal.capped ? ` (${ui.before_cap} ${formatYuan(subtotal.amount_before_cap)})` : "";
    box.append(el("p", { class: "subtotal" }, `${t(subtotal.label)}: `, el("strong", {}, formatYuan(subtotal.amount)), before));
  }
  if (result.schedule.length) box.append(renderSchedule(result));
  for (const check of result.checks) {
    box.append(el("p", { class: check.met === false ? "check check-failed" : "check" },
      `${t(check.label)}: ${ui.minimum} ${formatYuan(check.minimum)}`,
      check.actual !== null ? `; ${ui.actual} ${formatYuan(check.actual)}` : "", ` — ${t(check.verdict)}`));
  }
  if (result.range) {
    box.append(el("p", { class: "total" }, `${t(result.range.label)}: `,
      el("strong", {}, `${formatYuan(result.range.min)}${ui.range_sep}${formatYuan(result.range.max)}`)));
  }
  if (result.total) {
    const per = result.total.period === "per_year" ? ` (${ui.per_year})` : "";
    box.append(el("p", { class: "total" }, `${t(result.total.label)}: `, el("strong", {}, formatYuan(result.total.amount)), per));
  }
  const steps = el("ol", {}, result.trace.map((step) => el("li", {}, t(step), " ", clauseLink(step.clause))));
  box.append(el("details", { class: "trace" }, el("summary", {}, ui.how), steps,
    result.rounding.map((r) => el("p", { class: "rounding" }, t(r)))));
  return box;
}

function rateText(line) {
  if (line.rate === null) return "";
  if (line.rate_unit === "ratio") return `${(Number(line.rate) * 100).toFixed(2).replace(/\.?0+$/, "")}%`;
  return `${groupDigits(line.rate.split(".")[0])}${line.rate.includes(".") ? "." + line.rate.split(".")[1] : ""} ${t(line.rate_unit_label)}`;
}

function renderSchedule(result) {
  const dividends = result.measure !== "grain_to_forest";
  const head = [ui.col_year, dividends ? ui.col_status : ui.col_installment, ui.col_amount];
  const rows = result.schedule.map((row) => el("tr", {},
    el("th", { scope: "row" }, String(row.year)),
    el("td", {}, dividends ? t(row.label) : String(row.installment)),
    el("td", { class: "amount" }, formatYuan(row.amount))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${t(result.title)} ${ui.col_year}` },
    el("table", { class: "schedule" }, el("thead", {}, el("tr", {}, head.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows)));
}

// ------------------------------------------------------------------ errors

function target(form, path) {
  return [...form.querySelectorAll("[data-path]")].find((node) => node.dataset.path === path) || null;
}

function clearErrors(form) {
  const summary = document.getElementById(`errors-${form.dataset.measure}`);
  summary.hidden = true;
  summary.replaceChildren();
  for (const node of form.querySelectorAll(".field-error")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

function showErrors(form, errors) {
  if (!errors.length) return;
  const summary = document.getElementById(`errors-${form.dataset.measure}`);
  const list = el("ul");
  for (const error of errors) {
    const node = target(form, error.path);
    const holder = node && document.getElementById(`${node.id}-error`);
    if (holder) {
      holder.hidden = false;
      holder.replaceChildren(el("span", { class: "visually-hidden" }, ui.error_prefix), t(error));
      const controls = node.tagName === "FIELDSET" ? node.querySelectorAll("input") : [node];
      for (const control of controls) control.setAttribute("aria-invalid", "true");
      const focusable = node.tagName === "FIELDSET" ? node.querySelector("input") : node;
      list.append(el("li", {}, el("a", { href: `#${focusable.id}` }, t(error))));
    } else list.append(el("li", {}, t(error)));
  }
  summary.append(el("h4", {}, ui.error_summary_title), list);
  summary.hidden = false;
}

function showLinkProblems(problems) {
  if (!problems.length) return;
  const status = document.getElementById("calculator-status");
  status.after(el("div", { class: "notice link-problems" }, el("ul", {}, problems.map((p) => el("li", {}, p)))));
}

// ------------------------------------------------------------------ print slip

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
    body.append(el("ul", {}, result.lines.map((line) => el("li", {}, `${t(line.label)}: ${formatYuan(line.amount)}`))));
    if (result.range) body.append(el("p", { class: "total" }, `${t(result.range.label)}: ${formatYuan(result.range.min)}${ui.range_sep}${formatYuan(result.range.max)}`));
    if (result.total) body.append(el("p", { class: "total" }, `${t(result.total.label)}: ${formatYuan(result.total.amount)}`));
    for (const warning of result.warnings) body.append(el("p", {}, `${ui.note} ${t(warning)}`));
  }
  slip.querySelector("[data-slip-url]").textContent = location.href;
}

async function prepareSlip(size) {
  await recalculate();
  renderSlip(onScreen);
  try {
    const { qrcode } = await import(new URL(manifest.qrcode, manifestURL).href);
    const code = qrcode(0, "M");
    code.addData(location.href);
    code.make();
    // The SVG is drawn from the QR matrix alone (no user text); margin 4 modules is the quiet zone.
    document.querySelector("#result-slip [data-slip-qr]").innerHTML =
      code.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: ui.qr_alt });
  } catch (error) {
    console.warn("calculator: no QR code on the slip:", error.message);
  }
  root.classList.add("printing-slip", `slip-${size}`);
}

async function printSlip(size) {
  await prepareSlip(size);
  window.print();
  root.classList.remove("printing-slip", "slip-a4", "slip-receipt");
}

// For tests and the benchmark: the rule module as this page runs it, and the slip without the print dialog.
window.calculator = {
  stats,
  run: (text) => (ready ? calculateText(text) : Promise.reject(new Error("the calculator is not ready"))),
  // Resolves once no keystroke is waiting and every recalculation has been shown.
  settled: async () => {
    while (debounce !== null || running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  },
  prepareSlip,
};

// ------------------------------------------------------------------ kiosk mode

function startKiosk() {
  root.classList.add("kiosk");
  const idleSeconds = Math.max(10, Math.min(3600, Number(params.get("idle")) || 120));
  const warnSeconds = Math.max(5, Math.min(30, Math.floor(idleSeconds / 3)));
  const dialog = document.getElementById("idle-dialog");
  let idleTimer = null;
  let countdown = null;
  const reset = () => {
    // A clean slate for the next person: the forms, the URL (this history entry replaced, no
    // fragment), anything stored for the session.
    for (const form of forms) form.reset();
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
    const counter = dialog.querySelector("[data-countdown]");
    counter.textContent = String(left);
    dialog.showModal();
    countdown = setInterval(() => {
      left -= 1;
      counter.textContent = String(Math.max(0, left));
      if (left <= 0) {
        clearInterval(countdown);
        reset();
      }
    }, 1000);
  };
  for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) {
    document.addEventListener(type, () => { if (!dialog.open) arm(); }, { passive: true, capture: true });
  }
  dialog.querySelector("[data-continue]").addEventListener("click", arm);
  document.getElementById("kiosk-reset").addEventListener("click", reset);
  // No way out of the site: links elsewhere become their text and address; links within keep kiosk mode.
  for (const link of document.querySelectorAll("a[href]")) {
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) {
      link.replaceWith(el("span", { class: "external-link" }, `${link.textContent} (${url.href})`));
    } else if (url.pathname !== location.pathname) {
      for (const [key, value] of params) url.searchParams.set(key, value);
      link.href = url.href;
    }
  }
  arm();
}

// ------------------------------------------------------------------ wiring

let debounce = null;
container.addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    debounce = null;
    recalculate();
  }, DEBOUNCE_MS);
});
container.addEventListener("change", (event) => {
  if (event.target.type === "radio") {
    clearTimeout(debounce);
    debounce = null;
    recalculate();
  }
});
for (const form of forms) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submitted.add(form);
    await recalculate();
    const summary = document.getElementById(`errors-${form.dataset.measure}`);
    if (!summary.hidden) summary.focus();
  });
}
container.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  event.preventDefault();
  const action = button.dataset.action;
  if (action === "print") printSlip(button.dataset.size);
  else if (action === "clear") {
    for (const form of forms) form.reset();
    submitted.clear();
    savedVersion = null;
    recalculate();
  } else if (action === "step") {
    const input = document.getElementById(button.dataset.target);
    const current = /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : 0;
    input.value = String(Math.max(0, current + Number(button.dataset.step)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  } else if (action === "add-row") {
    addRow(button.closest("fieldset").querySelector("[data-rows]")).querySelector("input").focus();
  }
});
for (const tab of roleTabs) {
  tab.addEventListener("click", (event) => {
    event.preventDefault();
    showRole(tab.dataset.roleTab);
    writeFragment();
  });
}
window.addEventListener("hashchange", () => {
  // A link followed on the page itself (a worked example, a pasted address): start from it.
  for (const form of forms) form.reset();
  savedVersion = null;
  showLinkProblems(readFragment());
  recalculate();
});

// Steppers beside head counts: the static form has plain text inputs; these buttons need script.
for (const input of container.querySelectorAll('input[inputmode="numeric"][name^="livestock."], input[name="households"]')) {
  const minus = el("button", { type: "button", class: "stepper", "data-action": "step", "data-step": "-1", "data-target": input.id, "aria-label": `− ${input.labels[0]?.textContent || ""}` }, "−");
  const plus = el("button", { type: "button", class: "stepper", "data-action": "step", "data-step": "1", "data-target": input.id, "aria-label": `+ ${input.labels[0]?.textContent || ""}` }, "+");
  input.before(minus);
  input.after(plus);
}
for (const list of container.querySelectorAll("[data-rows]")) {
  list.after(el("button", { type: "button", class: "button secondary", "data-action": "add-row" }, ui.add_row));
}

root.classList.add("js");
if (params.has("kiosk")) startKiosk();
showRole(roles[0]);
showLinkProblems(readFragment());
startWorker();
