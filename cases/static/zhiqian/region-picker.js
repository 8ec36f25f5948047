/* The region picker (cases/region_picker.py): a <select data-region-picker data-source="…regions.json"> becomes a
   search box whose suggestions are the full names of the regions the endpoint lists ("江西省 萍乡市 安源区"), so
   typing 萍乡 offers 萍乡市 and its counties. The box takes the field's name; the server resolves the name it
   sends (a full name, a name or its beginning) and says so when it names no region. Without this script the
   select itself is the picker. No inline script (CSP). */
(function () {
  "use strict";
  var trees = {};

  function tree(url) {
    if (!trees[url]) {
      trees[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { regions: [] }; })
        .catch(function () { return { regions: [] }; });
    }
    return trees[url];
  }

  function enhance(select) {
    if (select.getAttribute("data-region-picker-done")) { return; }
    select.setAttribute("data-region-picker-done", "1");
    var url = select.getAttribute("data-source");
    if (!url) { return; }
    tree(url).then(function (data) {
      var regions = (data && data.regions) || [];
      if (!regions.length || !select.parentNode) { return; }
      var input = document.createElement("input");
      input.type = "search";
      input.name = select.name;
      if (select.id) { input.id = select.id; }
      input.className = select.className;
      input.setAttribute("autocomplete", "off");
      input.setAttribute("data-region-picker-box", "1");
      input.placeholder = select.getAttribute("data-placeholder") || "";
      var list = document.createElement("datalist");
      list.id = (select.id || select.name) + "-regions";
      regions.forEach(function (r) {
        var option = document.createElement("option");
        option.value = r.label;
        list.appendChild(option);
      });
      input.setAttribute("list", list.id);
      var current = select.getAttribute("data-value") || select.value;
      var match = regions.filter(function (r) { return r.code === current; })[0];
      input.value = match ? match.label : (current || "");
      select.parentNode.insertBefore(list, select);
      select.parentNode.insertBefore(input, select);
      select.parentNode.removeChild(select);
    });
  }

  function run() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-region-picker]"), enhance);
  }

  document.addEventListener("turbo:load", run);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
