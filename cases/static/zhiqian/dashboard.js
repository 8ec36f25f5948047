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
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
