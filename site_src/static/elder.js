// 长辈版 / Large text: a classic script in every page's <head>, run before the first layout, so
// large text is on from the first paint (no flash of small text, no layout shift). It marks
// <html class="elder">, and <html class="js"> (what site.js marks later, here early so controls
// that need JavaScript take their place before the first paint) and, when the tab is a kiosk,
// <html class="kiosk"> (site.js then checks and runs kiosk mode).
// Where the choice is kept: on the device (localStorage) outside kiosk mode; in a kiosk only for
// as long as the kiosk runs: a ?elder=1 link parameter sets the kiosk's own choice (kept through the
// idle reset: site.js keeps ELDER_KIOSK), the switch changes it for the present person only.
(function () {
  "use strict";
  var root = document.documentElement;
  var ELDER = "qinyuan-elder";              // localStorage: the device's choice, "1" or absent
  var ELDER_KIOSK = "qinyuan-elder-kiosk";  // sessionStorage: the kiosk's choice from ?elder=1
  var ELDER_NOW = "qinyuan-elder-now";      // sessionStorage: this person's switch in a kiosk
  var query = new URLSearchParams(location.search);
  var kiosk = false;
  try {
    kiosk = query.has("kiosk") ? query.get("kiosk") === "1" : sessionStorage.getItem("qinyuan-kiosk") !== null;
  } catch (e) {
    kiosk = query.get("kiosk") === "1";
  }
  root.classList.add("js");
  if (kiosk) root.classList.add("kiosk");
  // A browser that can speak: the read-aloud buttons' places are kept from the first layout (site.css).
  if (window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function") root.classList.add("speech");

  function read() {
    try {
      if (!kiosk) {
        if (query.has("elder")) {
          if (query.get("elder") === "1") localStorage.setItem(ELDER, "1");
          else localStorage.removeItem(ELDER);
        }
        return localStorage.getItem(ELDER) === "1";
      }
      if (query.has("elder")) {
        if (query.get("elder") === "1") sessionStorage.setItem(ELDER_KIOSK, "1");
        else sessionStorage.removeItem(ELDER_KIOSK);
        sessionStorage.removeItem(ELDER_NOW);
      }
      var now = sessionStorage.getItem(ELDER_NOW);
      return now !== null ? now === "1" : sessionStorage.getItem(ELDER_KIOSK) === "1";
    } catch (e) {
      return query.get("elder") === "1"; // storage refused: the link alone decides, for this page
    }
  }

  function sync() {
    var on = root.classList.contains("elder");
    var switches = document.querySelectorAll("[data-elder-switch]");
    for (var i = 0; i < switches.length; i++) switches[i].setAttribute("aria-pressed", on ? "true" : "false");
  }

  function set(on) {
    try {
      if (kiosk) sessionStorage.setItem(ELDER_NOW, on ? "1" : "0");
      else if (on) localStorage.setItem(ELDER, "1");
      else localStorage.removeItem(ELDER);
    } catch (e) { /* not kept: this page still changes */ }
    root.classList.toggle("elder", on);
    sync();
    document.dispatchEvent(new CustomEvent("elderchange", { detail: { on: on } }));
  }

  if (read()) root.classList.add("elder");
  window.siteElder = { set: set, on: function () { return root.classList.contains("elder"); }, keepKey: ELDER_KIOSK };
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-elder-switch]") : null;
    if (button) set(!root.classList.contains("elder"));
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
