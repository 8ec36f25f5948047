/* The coverage page's charts (templates/indicators/coverage.html), drawn with the vendored Apache ECharts from
   <script id="zq-coverage-data" type="application/json">: the trend of each share against its target, the
   shares by region, and (a city or province) the map of the regions below. A click on a point, bar or area
   opens the project list behind it. No inline script (CSP). */
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
    if (data.map) { areaMap(data.map); }
  }
  /* A province's map: each city's counties (the vendored city maps, registered by their scripts) joined into
     one area named as the city; copied first, since ECharts decodes a map's coordinates in place. */
  function provinceMap(map) {
    if (echarts.getMap(map.name)) { return true; }
    var features = [];
    map.parts.forEach(function (part) {
      var city = echarts.getMap(part.map);
      var geo = city && (city.geoJSON || city.geoJson);
      if (!geo || !geo.UTF8Encoding) { return; }
      geo = JSON.parse(JSON.stringify(geo));
      var polygons = [], offsets = [];
      geo.features.forEach(function (f) {
        var g = f.geometry;
        if (g.type === "Polygon") { polygons.push(g.coordinates); offsets.push(g.encodeOffsets); }
        else if (g.type === "MultiPolygon") {
          g.coordinates.forEach(function (c, i) { polygons.push(c); offsets.push(g.encodeOffsets[i]); });
        }
      });
      features.push({ type: "Feature", properties: { name: part.name },
                      geometry: { type: "MultiPolygon", coordinates: polygons, encodeOffsets: offsets } });
    });
    if (!features.length) { return false; }
    echarts.registerMap(map.name, { type: "FeatureCollection", UTF8Encoding: true, features: features });
    return true;
  }
  /* The regions below coloured by the chosen share against its target (below: red, reached: green; a share
     without a target: shades of blue); a click opens the project list behind the share, as the table's
     numbers do. */
  function areaMap(map) {
    var box = document.getElementById("zq-coverage-map");
    if (!box) { return; }
    if (map.parts.length ? !provinceMap(map) : !echarts.getMap(map.name)) { return; }
    var pick = document.getElementById("zq-coverage-map-figure");
    var existing = echarts.getInstanceByDom(box);
    if (existing) { existing.dispose(); }
    var c = echarts.init(box, null, { renderer: "svg" });
    var w = map.words;
    function option(key) {
      var target = map.targets[key];
      var visual = target === null || target === undefined
        ? { type: "continuous", min: 0, max: 100, calculable: false, inRange: { color: ["#e3f2fd", "#1565c0"] },
            text: ["100%", "0%"] }
        : { type: "piecewise", pieces: [
            { gte: target, label: w.meets + " ≥ " + target + "%", color: "#66bb6a" },
            { lt: target, label: w.below + " < " + target + "%", color: "#ef5350" }
          ] };
      visual.left = 0; visual.bottom = 0; visual.outOfRange = { color: "#eeeeee" };
      return {
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data, head = echarts.format.encodeHTML(p.name) + "<br>" + echarts.format.encodeHTML(map.figures[key]) + "：";
            if (!d || d.value === null) { return head + echarts.format.encodeHTML(w.none); }
            var verdict = d.meets === true ? " · " + w.meets : d.meets === false ? " · " + w.below : "";
            return head + d.value + "%（" + d.count + " / " + echarts.format.encodeHTML(w.building) + " " + d.building + "）" +
              echarts.format.encodeHTML(verdict);
          }
        },
        visualMap: visual,
        series: [{
          type: "map", map: map.name, nameMap: map.renamed, roam: false, selectedMode: false,
          label: { show: true, fontSize: 10 },
          itemStyle: { areaColor: "#eeeeee", borderColor: "#777" },
          data: map.areas.map(function (a) {
            return { name: a.name, value: a.shares[key], count: a.counts[key], building: a.building,
                     meets: a.meets[key], url: a.urls[key] };
          })
        }]
      };
    }
    var key = pick && map.figures[pick.value] ? pick.value : Object.keys(map.figures)[0];
    c.setOption(option(key));
    c.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    if (pick) {
      pick.parentNode.hidden = false;
      pick.onchange = function () { key = pick.value; c.setOption(option(key), true); };
    }
    window.addEventListener("resize", function () { c.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
