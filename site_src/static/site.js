// Progressive enhancement only: every page works without this file.
// 1. Mark the document as scripted (shows controls that need JavaScript, like Calculate).
// 2. Keep the URL fragment when switching language, so #measure-8 or calculator inputs
//    (#measure=…&area_mu=…) survive the switch.
// 3. Kiosk mode, on every page of the site once it was entered with ?kiosk=1 (see below).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function keepHash(link) {
    var base = link.getAttribute("href").split("#")[0];
    link.setAttribute("href", location.hash ? base + location.hash : base);
  }

  function updateAll() {
    var links = document.querySelectorAll("a[data-keep-hash]");
    for (var i = 0; i < links.length; i++) keepHash(links[i]);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-keep-hash]") : null;
    if (link) keepHash(link);
  });
  window.addEventListener("hashchange", updateAll);
  updateAll();

  // ---------------------------------------------------------------- read aloud (朗读)
  // The browser's own speech synthesis, only where the device has a voice for the page's language
  // (no button otherwise); nothing is downloaded or sent. window.siteSpeech is shared with the
  // calculator page (runtime/page/speak.mjs), which reads the rule module's spoken forms of figures.
  var speech = (function () {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return null;
    var pageLang = (document.documentElement.lang || "zh").toLowerCase();
    function voice() {
      var voices = synth.getVoices() || [];
      var best = null;
      for (var i = 0; i < voices.length; i++) {
        var voiceLang = String(voices[i].lang || "").toLowerCase().replace("_", "-");
        if (voiceLang === pageLang) return voices[i];
        if (!best && voiceLang.split("-")[0] === pageLang.split("-")[0]) best = voices[i];
      }
      return best;
    }
    function whenVoice(callback) {
      if (voice()) { callback(); return; }
      if (typeof synth.addEventListener !== "function") return;
      synth.addEventListener("voiceschanged", function changed() {
        if (!voice()) return;
        synth.removeEventListener("voiceschanged", changed);
        callback();
      });
    }
    var current = null;
    function done(button) {
      if (!button) return;
      button.textContent = button.dataset.readLabel;
      if (current === button) current = null;
    }
    // Reads text aloud; the same button again (its label now "stop") stops it.
    function speak(text, button) {
      var again = current === button;
      synth.cancel();
      done(current);
      if (again) return;
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang;
      utterance.voice = voice();
      utterance.rate = root.classList.contains("elder") ? 0.85 : 1;
      utterance.onend = utterance.onerror = function () { done(button); };
      if (button) {
        button.dataset.readLabel = button.dataset.readLabel || button.textContent;
        button.textContent = button.dataset.stop;
        current = button;
      }
      synth.speak(utterance);
    }
    return { whenVoice: whenVoice, speak: speak };
  })();
  window.siteSpeech = speech;
  // An explainer page's key paragraph (templates/page.html): its button shows once a voice is known.
  var readButtons = document.querySelectorAll("button[data-read-aloud]");
  if (speech && readButtons.length) {
    speech.whenVoice(function () {
      for (var r = 0; r < readButtons.length; r++) {
        var button = readButtons[r];
        button.hidden = false;
        button.addEventListener("click", function (event) {
          var target = document.getElementById(event.currentTarget.getAttribute("data-read-aloud"));
          if (target) speech.speak(target.textContent, event.currentTarget);
        });
      }
    });
  }

  // ---------------------------------------------------------------- kiosk mode
  // A shared screen: entered with ?kiosk=1[&idle=<seconds, 10-3600, default 120>] on any page; ?kiosk=0
  // (or any other value) turns it off. The tab remembers only that it is a kiosk, its start page and the
  // idle time (sessionStorage), never anything typed. On every page: big targets (html.kiosk), links
  // within the site keep kiosk mode, links elsewhere become text, in-page links replace the history
  // entry instead of adding one, the idle warning then a reset to the start page; a page reached with
  // Back/Forward or restored from the back-forward cache is a reset too, so Back never shows the last
  // person's figures. The calculator adds its own part (site_src/runtime/page/kiosk.mjs).
  var KIOSK_KEY = "qinyuan-kiosk";
  var root = document.documentElement;
  var query = new URLSearchParams(location.search);

  function idleSeconds(value) {
    var n = value === null || value.trim() === "" ? NaN : Number(value);
    return isFinite(n) ? Math.max(10, Math.min(3600, Math.round(n))) : 120;
  }

  var kiosk = null;
  try { kiosk = JSON.parse(sessionStorage.getItem(KIOSK_KEY) || "null"); } catch (e) { kiosk = null; }
  if (query.has("kiosk")) {
    if (query.get("kiosk") !== "1") kiosk = null;
    else if (!kiosk) kiosk = { start: location.pathname + location.search, idle: idleSeconds(query.get("idle")) };
    try {
      if (kiosk) sessionStorage.setItem(KIOSK_KEY, JSON.stringify(kiosk));
      else sessionStorage.removeItem(KIOSK_KEY);
    } catch (e) { /* storage refused: this page's own address still carries kiosk mode */ }
  }
  if (!kiosk || typeof kiosk.start !== "string" || kiosk.start.charAt(0) !== "/" || kiosk.start.charAt(1) === "/") {
    root.classList.remove("kiosk"); // elder.js marks a kiosk early, from the same storage; not one after all
    return;
  }
  var idle = idleSeconds(String(kiosk.idle));
  root.classList.add("kiosk");
  root.dataset.kioskIdle = String(idle);

  function reset() {
    // Nothing of the last person is read again: the fragment and the forms emptied at once, the
    // session's storage cleared (except kiosk mode itself), then the start page, replacing this entry.
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) forms[i].reset();
    try {
      // the kiosk's own 长辈版 (its ?elder=1, static/elder.js) outlasts the reset; a person's switch does not
      var elderKey = window.siteElder ? window.siteElder.keepKey : null;
      var elder = elderKey ? sessionStorage.getItem(elderKey) : null;
      sessionStorage.clear();
      sessionStorage.setItem(KIOSK_KEY, JSON.stringify(kiosk));
      if (elder !== null) sessionStorage.setItem(elderKey, elder);
    } catch (e) { /* nothing stored */ }
    location.replace(kiosk.start);
  }
  window.siteKiosk = { reset: reset, idle: idle, start: kiosk.start };

  var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (navigation && navigation.type === "back_forward") {
    reset();
    return;
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) reset();
  });

  // Links: within the site keep kiosk mode (also in the address, should storage be refused), elsewhere
  // become their text and address, on this page replace the history entry.
  var links = document.querySelectorAll("a[href]");
  for (var j = 0; j < links.length; j++) {
    var link = links[j];
    var url = new URL(link.getAttribute("href"), location.href);
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    if (url.origin !== location.origin) {
      var text = document.createElement("span");
      text.className = "external-link";
      text.textContent = link.textContent + " (" + url.href + ")";
      link.replaceWith(text);
    } else if (url.pathname !== location.pathname) {
      url.searchParams.set("kiosk", "1");
      url.searchParams.set("idle", String(idle));
      link.setAttribute("href", url.pathname + url.search + url.hash);
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented) return;
    var url = new URL(link.getAttribute("href"), location.href);
    if (url.origin === location.origin && url.pathname === location.pathname && url.search === location.search && url.hash) {
      event.preventDefault();
      location.replace(url.href); // same page: a new fragment, but no new history entry
    }
  });

  // The idle timer: a warning (the dialog in every page's frame) with a countdown, then the reset.
  var dialog = document.getElementById("idle-dialog");
  var warnSeconds = Math.max(5, Math.min(30, Math.floor(idle / 3)));
  var idleTimer = null;
  var countdown = null;
  function warn() {
    if (!dialog || typeof dialog.showModal !== "function") {
      reset();
      return;
    }
    var left = warnSeconds;
    var counter = dialog.querySelector("[data-countdown]");
    counter.textContent = String(left);
    // 长辈版: no pop-up; the same warning as a large banner in the page (site.css html.elder #idle-dialog)
    if (root.classList.contains("elder")) dialog.show();
    else dialog.showModal();
    countdown = setInterval(function () {
      left -= 1;
      counter.textContent = String(Math.max(0, left));
      if (left <= 0) {
        clearInterval(countdown);
        reset();
      }
    }, 1000);
  }
  function arm() {
    clearTimeout(idleTimer);
    clearInterval(countdown);
    if (dialog && dialog.open) dialog.close();
    idleTimer = setTimeout(warn, (idle - warnSeconds) * 1000);
  }
  ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"].forEach(function (type) {
    document.addEventListener(type, function () {
      if (!dialog || !dialog.open) arm();
    }, { passive: true, capture: true });
  });
  if (dialog) dialog.querySelector("[data-continue]").addEventListener("click", arm);
  arm();
})();
