// The case page's tabs switch in place (the page works without this: ?tab= links and anchors + :target).
(function () {
  function show(name) {
    if (!name || !document.getElementById(name) || !document.getElementById(name).classList.contains("zq-panel")) {
      return false;
    }
    document.querySelectorAll(".zq-panel").forEach(function (p) { p.classList.toggle("is-active", p.id === name); });
    document.querySelectorAll(".zq-tabs a").forEach(function (a) {
      if (a.dataset.tab === name) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
    var ws = document.querySelector(".zq-workspace");
    if (ws) { ws.dataset.tab = name; }
    return true;
  }
  function init() {
    var panels = document.querySelector(".zq-panels");
    if (!panels) { return; }
    panels.classList.add("js-tabs");  // from now on the classes decide, not :target
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    var target = id && document.getElementById(id);
    var panel = target && target.closest(".zq-panel");
    if (panel) { show(panel.id); target.scrollIntoView(); }
  }
  init();
  if (window.zqCaseTabs) { return; }
  window.zqCaseTabs = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".zq-tabs a[data-tab]");
    if (link && show(link.dataset.tab)) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("tab", link.dataset.tab);
      url.hash = link.dataset.tab;
      history.replaceState(history.state, "", url.toString());
    }
  });
})();
