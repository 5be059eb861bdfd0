// The baseline page's script (a separate file: the site's Content-Security-Policy allows no inline script).
import { loadPyodide } from "./pyodide.mjs";

// The scenario in the page, or another request in the fragment (#request=<URI-encoded JSON>):
// the benchmark's worked-example arrival computes that example's request here.
const REQUEST = location.hash.startsWith("#request=")
  ? JSON.parse(decodeURIComponent(location.hash.slice("#request=".length)))
  : JSON.parse(document.getElementById("request").textContent);
const root = document.documentElement;
const input = document.querySelector("input");
const output = document.getElementById("result");
input.value = REQUEST.livestock?.pig ?? "";
window.calculatorStats = { ready_ms: null, calculate_ms: [], bytes: null };

const t0 = performance.now();
const rules = fetch("./calculator.zip").then((r) => r.arrayBuffer());
const pyodide = await loadPyodide();
pyodide.unpackArchive(await rules, "zip", { extractDir: "/home/pyodide/rules" });
pyodide.runPython(`
import importlib, sys
sys.path.insert(0, "/home/pyodide/rules")
importlib.invalidate_caches()
import calculator
`);
const calculateJson = pyodide.runPython("calculator.calculate_json");
window.calculatorStats.ready_ms = performance.now() - t0;

function request() {
  if (!REQUEST.livestock) return JSON.stringify(REQUEST);
  return JSON.stringify({ ...REQUEST, livestock: { ...REQUEST.livestock, pig: input.value } });
}

function compute() {
  const text = request();
  const start = performance.now();
  const out = calculateJson(text);
  window.calculatorStats.calculate_ms.push(performance.now() - start);
  const result = JSON.parse(out);
  output.textContent = result.ok ? (result.total && result.total.amount) : result.errors.map((e) => e.en).join("; ");
  root.dataset.resultSeq = String(Number(root.dataset.resultSeq || 0) + 1);
  if (!root.dataset.firstResult) root.dataset.firstResult = String(performance.now());
}

window.benchCalculate = (n) => {
  const text = request();
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    calculateJson(text);
    times.push(performance.now() - start);
  }
  return times;
};

input.addEventListener("input", compute);
compute();
window.calculatorStats.bytes = performance.getEntriesByType("resource")
  .reduce((sum, e) => sum + (e.transferSize || 0), 0)
  + (performance.getEntriesByType("navigation")[0]?.transferSize || 0);
