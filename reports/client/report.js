// The report page's script: draws each history's charts with uPlot (inlined before this script) from
// the JSON in #report-data, and highlights the history row a link jumps to. It only reads that JSON
// and writes canvases and text: nothing from the history is ever turned into markup here.
(function () {
  'use strict';
  var TYPE_NAMES = ['ok', 'fail', 'info'];
  var TYPE_COLORS = ['#2f9e44', '#e03131', '#f08c00'];
  var FAULT_COLORS = { partition: 'rgba(121, 80, 242, 0.13)', kill: 'rgba(224, 49, 49, 0.11)', pause: 'rgba(25, 113, 194, 0.12)' };
  var FAULT_OTHER = 'rgba(134, 142, 150, 0.15)';

  var FAULT_LANES = ['partition', 'kill', 'pause'];
  var FAULT_SOLID = { partition: '#7950f2', kill: '#e03131', pause: '#1971c2' };
  var MARK_INVALID = '#a61e4d';
  var MARK_ALLOWED = '#868e96';

  var data = JSON.parse(document.getElementById('report-data').textContent);

  // A model run's clock is simulated: its axes say so, so nobody reads its latencies as measured.
  function timeAxis(chart) { return chart.clock === 'logical' ? 'logical time (s, simulated clock)' : 'time (s)'; }
  function px(n) { return Math.round(n * uPlot.pxRatio); }

  function faultBands(chart) {
    // Drawn under the series, across the plot's height, like Jepsen's nemesis shading.
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          chart.faults.forEach(function (b) {
            var x0 = u.valToPos(b.startS, 'x', true);
            var x1 = u.valToPos(b.endS === null ? chart.lastS : b.endS, 'x', true);
            ctx.fillStyle = FAULT_COLORS[b.family] || FAULT_OTHER;
            ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
          });
          ctx.restore();
        }],
      },
    };
  }

  var COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  function compact(v) { return v === null ? '' : COMPACT.format(v); }
  function widthOf(el) { return Math.max(320, el.clientWidth || 900); }
  function dot(color) { return { show: true, size: 4, width: 0, fill: color, stroke: color }; }
  function noLine() { return null; }

  function timeline(el, chart) {
    var ops = chart.ops;
    // Process ids are sparse (a crashed client comes back under a fresh id), so each process gets a
    // dense row in id order and the axis names the id.
    var procs = [];
    var seen = {};
    ops.process.forEach(function (p) { if (!seen[p]) { seen[p] = true; procs.push(p); } });
    procs.sort(function (a, b) { return a - b; });
    var rowOf = {};
    procs.forEach(function (p, i) { rowOf[p] = i; });
    var rows = Math.max(1, procs.length);
    var height = Math.min(560, Math.max(180, rows * 10 + 70));
    var bars = {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var h = Math.max(2, Math.min(8, (u.bbox.height / (rows + 1)) * 0.7));
          ctx.save();
          for (var i = 0; i < ops.startS.length; i++) {
            var end = ops.latencyMs[i] === null ? chart.lastS : ops.startS[i] + ops.latencyMs[i] / 1000;
            var x0 = u.valToPos(ops.startS[i], 'x', true);
            var x1 = u.valToPos(end, 'x', true);
            var y = u.valToPos(rowOf[ops.process[i]], 'y', true);
            ctx.fillStyle = TYPE_COLORS[ops.type[i]];
            ctx.fillRect(x0, y - h / 2, Math.max(1.5, x1 - x0), h);
          }
          // The ops anomalies cite: a diamond above the op's bar, dark red when it invalidates the history.
          var r = Math.max(px(4), h * 0.6);
          chart.marks.forEach(function (m) {
            var mx = u.valToPos(m.startS, 'x', true);
            var my = u.valToPos(rowOf[m.process], 'y', true) - h / 2 - r * 0.6;
            ctx.beginPath();
            ctx.moveTo(mx, my - r); ctx.lineTo(mx + r, my); ctx.lineTo(mx, my + r); ctx.lineTo(mx - r, my); ctx.closePath();
            ctx.fillStyle = m.invalid ? MARK_INVALID : MARK_ALLOWED;
            ctx.fill();
            ctx.lineWidth = px(1); ctx.strokeStyle = '#fff'; ctx.stroke();
          });
          ctx.restore();
        }],
      },
    };
    return new uPlot({
      width: widthOf(el), height: height,
      scales: { x: { time: false, range: [0, Math.max(chart.lastS, 1e-6)] }, y: { range: [-1, rows] } },
      series: [{ label: timeAxis(chart) }, { label: 'process', show: false }],
      axes: [{ label: timeAxis(chart) }, {
        label: 'process', size: 60,
        splits: function () { var step = Math.max(1, Math.ceil(rows / 24)); var s = []; for (var r = 0; r < rows; r += step) s.push(r); return s; },
        values: function (u, splits) { return splits.map(function (r) { return procs[r] === undefined ? '' : String(procs[r]); }); },
      }],
      legend: { show: false },
      cursor: { show: false },
      plugins: [faultBands(chart), bars],
    }, [[0, chart.lastS], [null, null]], el);
  }

  function latency(el, chart) {
    var ops = chart.ops;
    var top = chart.latencyTopMs;
    var order = ops.startS.map(function (_, i) { return i; }).filter(function (i) { return ops.latencyMs[i] !== null; });
    order.sort(function (a, b) { return ops.startS[a] - ops.startS[b]; });
    var xs = order.map(function (i) { return ops.startS[i]; });
    // Log scale: a zero latency (logical clocks) is drawn at 1 µs rather than dropped. Ops slower than
    // the axis' top (a few outliers that would squash everything else) are drawn as triangles on it.
    var shown = function (i) { return Math.max(ops.latencyMs[i], 0.001); };
    var ys = TYPE_NAMES.map(function (_, t) {
      return order.map(function (i) { return ops.type[i] === t && (top === null || ops.latencyMs[i] <= top) ? shown(i) : null; });
    });
    var clipped = order.filter(function (i) { return top !== null && ops.latencyMs[i] > top; });
    var byIndex = {};
    order.forEach(function (i) { byIndex[ops.index[i]] = i; });
    var overlay = {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          var r = px(5);
          clipped.forEach(function (i) {
            var x = u.valToPos(ops.startS[i], 'x', true), y = u.bbox.top + r;
            ctx.beginPath(); ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.7); ctx.lineTo(x - r, y + r * 0.7); ctx.closePath();
            ctx.fillStyle = TYPE_COLORS[ops.type[i]]; ctx.fill();
          });
          // Rings around the ops that invalidating anomalies cite (allowed ones are on the timeline only).
          ctx.lineWidth = px(2);
          chart.marks.forEach(function (m) {
            var i = byIndex[m.index];
            if (i === undefined || !m.invalid) return;
            var v = top !== null && ops.latencyMs[i] > top ? top : shown(i);
            ctx.beginPath();
            ctx.arc(u.valToPos(ops.startS[i], 'x', true), u.valToPos(v, 'y', true), px(6), 0, 2 * Math.PI);
            ctx.strokeStyle = m.invalid ? MARK_INVALID : MARK_ALLOWED;
            ctx.stroke();
          });
          ctx.restore();
        }],
      },
    };
    var unit = chart.clock === 'logical' ? ' logical ms' : ' ms';
    el.setAttribute('data-latency-top', top === null ? 'none' : String(top));
    el.setAttribute('data-clipped', String(clipped.length));
    return new uPlot({
      width: widthOf(el), height: 300,
      scales: { x: { time: false }, y: top === null ? { distr: 3 } : { distr: 3, range: function (u, min) { return [Math.min(min, top / 10), top]; } } },
      series: [{ label: 'invoked at (s)' }].concat(TYPE_NAMES.map(function (name, t) {
        return { label: name, stroke: TYPE_COLORS[t], paths: noLine, points: dot(TYPE_COLORS[t]), value: function (u, v) { return v === null ? '–' : v + unit; } };
      })),
      axes: [{ label: timeAxis(chart) }, { label: chart.clock === 'logical' ? 'latency (logical ms)' : 'latency (ms)', size: 70 }],
      cursor: { drag: { x: true, y: false } },
      plugins: [faultBands(chart), overlay],
    }, [xs].concat(ys), el);
  }

  // One lane per fault family, each period a bar named with the nodes it hit.
  function faults(el, chart) {
    var lanes = FAULT_LANES.filter(function (f) { return chart.faults.some(function (b) { return b.family === f; }); });
    chart.faults.forEach(function (b) { if (lanes.indexOf(b.family) < 0) lanes.push(b.family); });
    if (lanes.length === 0) { el.textContent = 'No fault was injected in this history.'; return null; }
    var bars = {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var h = Math.min(px(20), (u.bbox.height / lanes.length) * 0.75);
          ctx.save();
          ctx.font = px(11) + 'px system-ui, sans-serif';
          ctx.textBaseline = 'middle';
          ctx.textAlign = 'left'; // uPlot leaves its axes' alignment on the context
          chart.faults.forEach(function (b) {
            var x0 = u.valToPos(b.startS, 'x', true);
            var x1 = u.valToPos(b.endS === null ? chart.lastS : b.endS, 'x', true);
            var y = u.valToPos(lanes.length - 1 - lanes.indexOf(b.family), 'y', true); // first lane on top
            ctx.fillStyle = FAULT_SOLID[b.family] || '#868e96';
            ctx.fillRect(x0, y - h / 2, Math.max(px(2), x1 - x0), h);
            var label = b.target || b.family;
            var w = ctx.measureText(label).width;
            // Inside the bar when it fits, else just after it if that leaves the next bar of the lane clear.
            var next = chart.faults.filter(function (o) { return o.family === b.family && o.startS > b.startS; })
              .reduce(function (m, o) { return Math.min(m, u.valToPos(o.startS, 'x', true)); }, u.bbox.left + u.bbox.width);
            if (w + px(6) < x1 - x0) { ctx.fillStyle = '#fff'; ctx.fillText(label, x0 + px(3), y); }
            else if (x1 + px(6) + w < next) { ctx.fillStyle = '#212529'; ctx.fillText(label, x1 + px(3), y); }
          });
          ctx.restore();
        }],
      },
    };
    return new uPlot({
      width: widthOf(el), height: 60 + 30 * lanes.length,
      scales: { x: { time: false, range: [0, Math.max(chart.lastS, 1e-6)] }, y: { range: [-0.5, lanes.length - 0.5] } },
      series: [{ label: timeAxis(chart) }, { label: 'fault', show: false }],
      axes: [{ label: timeAxis(chart) }, {
        size: 80, splits: function () { return lanes.map(function (_, i) { return i; }); },
        values: function (u, splits) { return splits.map(function (i) { return lanes[lanes.length - 1 - i] || ''; }); },
      }],
      legend: { show: false },
      cursor: { show: false },
      plugins: [bars],
    }, [[0, chart.lastS], [null, null]], el);
  }

  function rate(el, chart) {
    var t = chart.throughput;
    return new uPlot({
      width: widthOf(el), height: 240,
      scales: { x: { time: false } },
      series: [{ label: timeAxis(chart) }].concat(TYPE_NAMES.map(function (name, i) {
        return { label: name + ' /s', stroke: TYPE_COLORS[i], width: 1.5, fill: i === 0 ? 'rgba(47, 158, 68, 0.08)' : undefined, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } };
      })),
      axes: [{ label: timeAxis(chart) }, { label: chart.clock === 'logical' ? 'completions per logical second' : 'completions per second', size: 70, values: function (u, splits) { return splits.map(compact); } }],
      plugins: [faultBands(chart)],
    }, [t.startS, t.ok, t.fail, t.info], el);
  }

  var DRAW = { faults: faults, timeline: timeline, latency: latency, rate: rate };
  var byId = {};
  data.charts.forEach(function (c) { byId[c.id] = c; });
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var chart = byId[el.getAttribute('data-history')];
    var draw = DRAW[el.getAttribute('data-chart')];
    if (!chart || !draw) return;
    try {
      draw(el, chart);
      el.setAttribute('data-rendered', 'true');
    } catch (e) {
      el.textContent = 'This chart could not be drawn: ' + e;
      throw e;
    }
  });

  function flash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (!row) return;
    row.classList.remove('flash');
    void row.offsetWidth;
    row.classList.add('flash');
  }
  window.addEventListener('hashchange', flash);
  flash();

  // Jump to an event by index; when the excerpt left it out, to the nearest event it shows.
  document.querySelectorAll('[data-jump]').forEach(function (input) {
    var target = input.getAttribute('data-jump');
    var prefix = target + '-e-';
    var shown = Array.prototype.map.call(document.querySelectorAll('tr[id^="' + prefix + '"]'), function (tr) { return Number(tr.id.slice(prefix.length)); });
    input.addEventListener('change', function () {
      var want = Number(input.value);
      if (!shown.length || !isFinite(want)) return;
      var best = shown.reduce(function (a, b) { return Math.abs(b - want) < Math.abs(a - want) ? b : a; });
      input.title = best === want ? '' : 'event ' + want + ' is not in the excerpt; showing ' + best;
      location.hash = prefix + best;
    });
  });

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { button.textContent = 'copied'; }, function () { button.textContent = 'select and copy'; });
    });
  });
})();
