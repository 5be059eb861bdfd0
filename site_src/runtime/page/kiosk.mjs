// Kiosk mode on the calculator page. The site-wide part (on every page once entered with ?kiosk=1:
// big targets, links that keep kiosk mode, the idle warning and reset to the kiosk's start page,
// Back/Forward as a reset) is site_src/static/site.js, which runs first and marks <html class="kiosk">.
// Here: the forms' state stays out of the address and the history (form.mjs writes no fragment in
// kiosk mode), and the "clear for the next person" button.

import { root } from "./dom.mjs";
import { clearForms } from "./form.mjs";

export function isKiosk() {
  return root.classList.contains("kiosk");
}

export function startKiosk() {
  if (!isKiosk()) return;
  document.getElementById("kiosk-reset").addEventListener("click", () => {
    clearForms();
    if (window.siteKiosk) window.siteKiosk.reset();
    else location.replace(location.pathname + location.search);
  });
}
