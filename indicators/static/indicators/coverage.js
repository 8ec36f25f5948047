/* The coverage page's charts (templates/indicators/coverage.html), drawn with the vendored Apache ECharts from
   <script id="zq-coverage-data" type="application/json">: the trend of each share against its target, and the
   shares by region. A click on a point or bar opens the project list behind it. No inline script (CSP). */
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("zq-coverage-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var keys = Object.keys(data.labels);
    var colours = ["#1e88e5", "#2e7d32", "#8e24aa", "#e65100", "#00838f"];
    function targetLine(k) {
      var t = data.targets[k];
      if (t === null || t === undefined) { return undefined; }
      return { symbol: "none", silent: true, lineStyle: { type: "dashed" },
               label: { formatter: data.target_label + " " + t + "%" }, data: [{ yAxis: t }] };
    }
    function chart(id, option, links) {
      var box = document.getElementById(id);
      if (!box) { return; }
      var existing = echarts.getInstanceByDom(box);
      if (existing) { existing.dispose(); }
      var c = echarts.init(box, null, { renderer: "svg" });
      option.color = colours;
      option.animation = false;
      option.tooltip = { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } };
      option.legend = { top: 0 };
      option.grid = { left: 16, right: 16, top: 36, bottom: 8, containLabel: true };
      option.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
      c.setOption(option);
      c.on("click", function (p) {
        var key = keys[p.seriesIndex];
        var url = links[key] && links[key][p.dataIndex];
        if (url) { window.location.href = url; }
      });
      window.addEventListener("resize", function () { c.resize(); });
    }
    chart("zq-coverage-trend", {
      xAxis: { type: "category", data: data.trend.months },
      series: keys.map(function (k) {
        return { name: data.labels[k], type: "line", data: data.trend.series[k], symbolSize: 7, markLine: targetLine(k) };
      })
    }, data.trend.links);
    chart("zq-coverage-regions", {
      xAxis: { type: "category", data: data.regions.names, axisLabel: { interval: 0, rotate: 30 } },
      series: keys.map(function (k) {
        return { name: data.labels[k], type: "bar", data: data.regions.series[k], markLine: targetLine(k) };
      })
    }, data.regions.links);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
