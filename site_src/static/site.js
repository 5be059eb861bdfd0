// Progressive enhancement only: every page works without this file.
// 1. Mark the document as scripted (shows controls that need JavaScript, like Calculate).
// 2. Keep the URL fragment when switching language, so #measure-8 or calculator inputs
//    (#measure=…&area_mu=…) survive the switch.
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
})();
