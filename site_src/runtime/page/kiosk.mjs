// Kiosk mode (?kiosk=1&idle=<seconds>) for a shared screen in a village office: large targets,
// a warning after idle time, then a clean slate for the next person; no way out of the site.

import { el, params, root } from "./dom.mjs";
import { clearForms } from "./form.mjs";

export function startKiosk() {
  root.classList.add("kiosk");
  const idleSeconds = Math.max(10, Math.min(3600, Number(params.get("idle")) || 120));
  const warnSeconds = Math.max(5, Math.min(30, Math.floor(idleSeconds / 3)));
  const dialog = document.getElementById("idle-dialog");
  let idleTimer = null;
  let countdown = null;
  const reset = () => {
    // A clean slate for the next person: the forms, the URL (this history entry replaced, no
    // fragment), anything stored for the session.
    clearForms();
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
