/* The dashboard's charts (templates/cases/dashboard.html), drawn with the vendored Apache ECharts from the
   figures the page carries in <script id="zq-chart-data" type="application/json">. No inline script (CSP). */
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("zq-chart-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var colours = ["#90caf9", "#1e88e5", "#2e7d32", "#e65100"];
    var keys = ["received", "accepted", "closed"];
    function chart(id, option) {
      var box = document.getElementById(id);
      if (!box) { return; }
      var existing = echarts.getInstanceByDom(box);
      if (existing) { existing.dispose(); }
      var c = echarts.init(box, null, { renderer: "svg" });
      option.color = option.color || colours;
      option.animation = false;
      option.tooltip = { trigger: "axis" };
      option.legend = { top: 0 };
      option.grid = { left: 16, right: 16, top: 36, bottom: 8, containLabel: true };
      c.setOption(option);
      window.addEventListener("resize", function () { c.resize(); });
    }
    chart("zq-chart-trend", {
      xAxis: { type: "category", data: data.trend.months },
      yAxis: { type: "value", minInterval: 1 },
      series: keys.map(function (k) {
        return { name: data.labels[k], type: "line", data: data.trend.series[k], symbolSize: 6 };
      })
    });
    chart("zq-chart-regions", {
      xAxis: { type: "category", data: data.regions.names, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: keys.map(function (k) {
        return { name: data.labels[k], type: "bar", data: data.regions.series[k] };
      })
    });
    chart("zq-chart-amounts", {
      color: ["#c62828", "#2e7d32"],
      xAxis: { type: "category", data: data.regions.names, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: ["amount_owed", "amount_recovered"].map(function (k) {
        return { name: data.labels[k], type: "bar", data: data.regions.amounts[k].map(Number) };
      })
    });
    if (data.map) { countyMap(data.map); }
  }
  /* A city's counties (vendored echarts-china-cities script, registered as data.map.name), coloured by the
     figure the server chose; a click opens the case list the by-region table links that figure to. */
  function countyMap(map) {
    var box = document.getElementById("zq-chart-map");
    if (!box || !echarts.getMap(map.name)) { return; }
    var existing = echarts.getInstanceByDom(box);
    if (existing) { existing.dispose(); }
    var c = echarts.init(box, null, { renderer: "svg" });
    var top = Math.max.apply(null, [1].concat(map.counties.map(function (d) { return d.value; })));
    c.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var value = p.data ? p.data.value : "—";
          return echarts.format.encodeHTML(p.name) + "<br>" + echarts.format.encodeHTML(map.label) + "：" + value;
        }
      },
      visualMap: { min: 0, max: top, left: 0, bottom: 0, calculable: false, inRange: { color: ["#e3f2fd", "#1565c0"] } },
      series: [{
        type: "map", map: map.name, nameMap: map.renamed, roam: false, selectedMode: false,
        label: { show: true, fontSize: 10 },
        itemStyle: { areaColor: "#eeeeee", borderColor: "#777" },
        data: map.counties
      }]
    });
    c.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    window.addEventListener("resize", function () { c.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
