/**
 * The report's browser-side script (plain ES2017, no dependencies besides the inlined Plotly):
 * draws every figure with Plotly.newPlot and animates the evaluation episode on a canvas with
 * requestAnimationFrame (MuJoCo episodes: client-mujoco.ts; Box2D: client-box2d.ts). Kept as a string so that it is inlined into report.html as is.
 * When everything is drawn, <body> gets data-charts-ready="<number of charts>".
 */
import { BOX2D_CLIENT } from './client-box2d.js';
import { MUJOCO_CLIENT } from './client-mujoco.js';

export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
${MUJOCO_CLIENT}
${BOX2D_CLIENT}
  var report = JSON.parse(document.getElementById('report-data').textContent);

  // ---- charts ----
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };
  var pending = report.figures.map(function (f) {
    return Plotly.newPlot(document.getElementById(f.id), f.data, f.layout, config);
  });
  Promise.all(pending).then(function () {
    document.body.setAttribute('data-charts-ready', String(pending.length));
  }, function (err) {
    console.error('trpo report: a chart failed to draw: ' + (err && err.message ? err.message : err));
  });

  // ---- replay ----
  var replay = report.replay;
  var canvas = document.getElementById('replay-canvas');
  if (!replay || !canvas) return;
  var ctx = canvas.getContext('2d');
  var W = canvas.width, H = canvas.height;
  var states = replay.states, actions = replay.actions, rewards = replay.rewards;
  var nFrames = states.length;
  var slider = document.getElementById('replay-slider');
  var button = document.getElementById('replay-toggle');
  var speedSel = document.getElementById('replay-speed');
  slider.max = String(nFrames - 1);

  function clear() {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, W, H);
  }
  function line(x0, y0, x1, y1, color, width) {
    ctx.strokeStyle = color; ctx.lineWidth = width || 1;
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  }
  function disc(x, y, r, color) {
    ctx.fillStyle = color; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
  }
  function arrow(x, y, dx, color) {
    if (Math.abs(dx) < 1) return;
    line(x, y, x + dx, y, color, 3);
    var s = dx > 0 ? 1 : -1;
    ctx.fillStyle = color; ctx.beginPath();
    ctx.moveTo(x + dx, y); ctx.lineTo(x + dx - s * 9, y - 6); ctx.lineTo(x + dx - s * 9, y + 6); ctx.closePath(); ctx.fill();
  }

  var draw = {
    cartpole: function (s, a) {
      var scale = W / 4.8, groundY = H * 0.72;
      var cx = W / 2 + s[0] * scale;
      line(0, groundY, W, groundY, '#333', 1);
      line(W / 2 - 2.4 * scale, groundY - 6, W / 2 - 2.4 * scale, groundY + 6, '#d62728', 2);
      line(W / 2 + 2.4 * scale, groundY - 6, W / 2 + 2.4 * scale, groundY + 6, '#d62728', 2);
      ctx.fillStyle = '#444'; ctx.fillRect(cx - 25, groundY - 15, 50, 30);
      var len = scale * 1.0;
      line(cx, groundY - 8, cx + Math.sin(s[2]) * len, groundY - 8 - Math.cos(s[2]) * len, '#ca9865', 10);
      disc(cx, groundY - 8, 5, '#8187ca');
      if (a !== undefined) arrow(cx, groundY + 30, a >= 1 ? 40 : -40, '#1f77b4');
    },
    pendulum: function (s, a) {
      var cx = W / 2, cy = H / 2, len = H * 0.36;
      var x = cx + Math.sin(s[0]) * len, y = cy - Math.cos(s[0]) * len;
      line(cx, cy, x, y, '#cc4c4c', 14);
      disc(x, y, 7, '#cc4c4c');
      disc(cx, cy, 5, '#222');
      if (a !== undefined && Math.abs(a) > 0.01) {
        ctx.strokeStyle = '#1f77b4'; ctx.lineWidth = 3; ctx.beginPath();
        var r = 40, span = Math.max(0.1, Math.min(Math.abs(a) / 2, 1)) * Math.PI;
        if (a > 0) ctx.arc(cx, cy, r, -Math.PI / 2 - span, -Math.PI / 2); else ctx.arc(cx, cy, r, -Math.PI / 2, -Math.PI / 2 + span);
        ctx.stroke();
      }
    },
    acrobot: function (s, a) {
      var cx = W / 2, cy = H * 0.45, L = H * 0.2;
      line(cx - L * 2.2, cy - L, cx + L * 2.2, cy - L, '#2ca02c', 1);
      var x1 = cx + Math.sin(s[0]) * L, y1 = cy + Math.cos(s[0]) * L;
      var x2 = x1 + Math.sin(s[0] + s[1]) * L, y2 = y1 + Math.cos(s[0] + s[1]) * L;
      line(cx, cy, x1, y1, '#00cccc', 10);
      line(x1, y1, x2, y2, '#00cccc', 10);
      disc(cx, cy, 6, '#cccc00'); disc(x1, y1, 6, '#cccc00');
      if (a !== undefined && a !== 1) arrow(x1, y1 + 20, a === 2 ? 30 : -30, '#1f77b4');
    },
    mountaincar: function (s, a) {
      var minX = -1.2, maxX = 0.6, scale = Math.min((W - 20) / (maxX - minX), (H - 80) / 1.0);
      var left = (W - (maxX - minX) * scale) / 2;
      var goal = replay.envId === 'MountainCarContinuous-v0' ? 0.45 : 0.5;
      function h(x) { return Math.sin(3 * x) * 0.45 + 0.55; }
      function px(x) { return left + (x - minX) * scale; }
      function py(x) { return H - 15 - h(x) * scale; }
      ctx.strokeStyle = '#333'; ctx.lineWidth = 2; ctx.beginPath();
      for (var i = 0; i <= 100; i++) { var xx = minX + (maxX - minX) * i / 100; if (i === 0) ctx.moveTo(px(xx), py(xx)); else ctx.lineTo(px(xx), py(xx)); }
      ctx.stroke();
      line(px(goal), py(goal), px(goal), py(goal) - 40, '#333', 2);
      ctx.fillStyle = '#e5c100'; ctx.fillRect(px(goal), py(goal) - 40, 24, 12);
      var angle = Math.atan(Math.cos(3 * s[0]) * 1.35);
      ctx.save(); ctx.translate(px(s[0]), py(s[0])); ctx.rotate(-angle);
      ctx.fillStyle = '#444'; ctx.fillRect(-20, -22, 40, 16);
      disc(-12, -6, 6, '#7f7f7f'); disc(12, -6, 6, '#7f7f7f');
      ctx.restore();
      if (a !== undefined) {
        var f = replay.envId === 'MountainCarContinuous-v0' ? a * 40 : (a - 1) * 40;
        arrow(px(s[0]), py(s[0]) + 25, f, '#1f77b4');
      }
    },
    pointmass: function (s, a) {
      var range = 2.5;
      for (var i = 0; i < states.length; i++) range = Math.max(range, Math.abs(states[i][0]) * 1.1);
      var scale = (W - 60) / (2 * range), cy = H * 0.55;
      function px(x) { return W / 2 + x * scale; }
      line(px(-range), cy, px(range), cy, '#333', 2);
      for (var t = Math.ceil(-range); t <= Math.floor(range); t++) {
        line(px(t), cy - 6, px(t), cy + 6, '#333', 1);
        ctx.fillStyle = '#555'; ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'center';
        ctx.fillText(String(t), px(t), cy + 22);
      }
      ctx.fillStyle = 'rgba(44,160,44,0.35)'; ctx.fillRect(px(-0.05), cy - 16, Math.max(2, 0.1 * scale), 32);
      disc(px(s[0]), cy, 10, '#1f77b4');
      if (a !== undefined) arrow(px(s[0]), cy - 30, a * 50, '#ff7f0e');
      ctx.textAlign = 'left';
    },
  };

  var mujocoDraw = replay.kind === 'mujoco' ? makeMujocoDrawer(replay, ctx, W, H) : replay.kind === 'box2d' ? makeBox2DDrawer(replay, ctx, W, H) : null;
  var frame = 0, playing = true, start = null, startFrame = 0, pauseAtEnd = 0.6;
  function speed() { return speedSel ? Number(speedSel.value) || 1 : 1; }
  function render(i) {
    clear();
    var s = states[i];
    if (mujocoDraw) mujocoDraw(i); else draw[replay.kind](s, i < actions.length ? actions[i] : undefined);
    var ret = 0;
    for (var k = 0; k < i && k < rewards.length; k++) ret += rewards[k];
    ctx.fillStyle = '#222'; ctx.font = '14px system-ui, sans-serif'; ctx.textAlign = 'left';
    ctx.fillText(replay.envId + '   step ' + i + ' / ' + (nFrames - 1) + '   return ' + ret.toFixed(1), 10, 20);
    slider.value = String(i);
  }
  function tick(now) {
    if (playing) {
      if (start === null) { start = now; startFrame = frame; }
      var elapsed = (now - start) / 1000 * speed();
      var f = startFrame + Math.floor(elapsed / replay.dt);
      if (f >= nFrames - 1) {
        f = nFrames - 1;
        if (elapsed - (nFrames - 1 - startFrame) * replay.dt > pauseAtEnd * speed()) { start = now; startFrame = 0; f = 0; }
      }
      if (f !== frame || f === 0) { frame = f; render(frame); }
    }
    window.requestAnimationFrame(tick);
  }
  button.addEventListener('click', function () {
    playing = !playing; start = null;
    button.textContent = playing ? 'Pause' : 'Play';
  });
  slider.addEventListener('input', function () {
    frame = Number(slider.value); start = null; render(frame);
  });
  if (speedSel) speedSel.addEventListener('change', function () { start = null; });
  render(0);
  window.requestAnimationFrame(tick);
})();
`;
