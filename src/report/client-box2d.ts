/**
 * Browser-side drawing of a Box2D episode (part of the report's client script, plain ES2017),
 * from replay.box2d (box2d-replay.ts) and per frame the bodies' poses plus the engines or lidar.
 * LunarLander: the whole 20 x 13.3 m viewport (pale sky, grey moon ground, the helipad's flags),
 * the lander and legs, the main engine's flame below the hull and a side engine's flame where its
 * impulse acts (Gymnasium puts it on the side opposite to the push), lengths growing with the
 * throttle. BipedalWalker: a 14 m wide view following the hull (a fifth of it behind, as
 * Gymnasium scrolls), the grass polyline, the hardcore obstacles, the legs (far pair darker),
 * the hull and the 10 lidar rays, metre ticks at the bottom so the progress shows.
 */
export const BOX2D_CLIENT = String.raw`
  function makeBox2DDrawer(replay, ctx, W, H) {
    var scene = replay.box2d, frames = replay.states, bodies = scene.bodies, nb = bodies.length;
    var lander = scene.env === 'lunarlander';
    var scale, view; // view(i) -> [left x, bottom y] in metres
    if (lander) {
      scale = Math.min(W / scene.viewport[0], (H - 30) / (scene.viewport[1] + 1));
      var left = -(W / scale - scene.viewport[0]) / 2;
      view = function () { return [left, 0]; };
    } else {
      scale = W / 14;
      view = function (i) { return [frames[i][0] - 14 / 5, frames[i][1] - 3.4]; };
    }
    function S(v, x, y) { return [(x - v[0]) * scale, H - (y - v[1]) * scale]; }
    function poly(v, pts, fill, stroke) {
      if (pts.length < 2) return;
      ctx.beginPath();
      for (var k = 0; k < pts.length; k++) { var p = S(v, pts[k][0], pts[k][1]); if (k === 0) ctx.moveTo(p[0], p[1]); else ctx.lineTo(p[0], p[1]); }
      ctx.closePath();
      if (fill) { ctx.fillStyle = fill; ctx.fill(); }
      if (stroke) { ctx.strokeStyle = stroke; ctx.lineWidth = 1.5; ctx.stroke(); }
    }
    function pose(f, b) { return [f[3 * b], f[3 * b + 1], f[3 * b + 2]]; }
    function toWorld(p, lx, ly) { var c = Math.cos(p[2]), s = Math.sin(p[2]); return [p[0] + c * lx - s * ly, p[1] + s * lx + c * ly]; }
    function body(v, f, b, fill, stroke) {
      var p = pose(f, b), local = bodies[b].polygon, pts = [];
      for (var k = 0; k < local.length; k++) pts.push(toWorld(p, local[k][0], local[k][1]));
      poly(v, pts, fill, stroke);
    }
    function ground(v, fill, stroke) {
      var t = scene.terrain.slice(), bottom = v[1] - 1, x0 = v[0] - 1, x1 = v[0] + W / scale + 1;
      // level ground beyond the course's ends (LunarLander's view is wider than its 20 m)
      if (t[0][0] > x0) t.unshift([x0, t[0][1]]);
      if (t[t.length - 1][0] < x1) t.push([x1, t[t.length - 1][1]]);
      var pts = t.slice();
      pts.push([t[t.length - 1][0], bottom], [t[0][0], bottom]);
      poly(v, pts, fill, null);
      ctx.strokeStyle = stroke; ctx.lineWidth = 2; ctx.beginPath();
      for (var k = 0; k < t.length; k++) { var p = S(v, t[k][0], t[k][1]); if (k === 0) ctx.moveTo(p[0], p[1]); else ctx.lineTo(p[0], p[1]); }
      ctx.stroke();
    }
    function flame(v, p, base, dir, len, halfWidth) { // a flame in the body frame of pose p: from base along dir
      var nx = -dir[1], ny = dir[0];
      var a = toWorld(p, base[0] + nx * halfWidth, base[1] + ny * halfWidth), b = toWorld(p, base[0] - nx * halfWidth, base[1] - ny * halfWidth);
      var tip = toWorld(p, base[0] + dir[0] * len, base[1] + dir[1] * len), mid = toWorld(p, base[0] + dir[0] * len * 0.55, base[1] + dir[1] * len * 0.55);
      poly(v, [a, tip, b], 'rgb(255,120,0)', null);
      poly(v, [toWorld(p, base[0] + nx * halfWidth * 0.5, base[1] + ny * halfWidth * 0.5), mid, toWorld(p, base[0] - nx * halfWidth * 0.5, base[1] - ny * halfWidth * 0.5)], 'rgb(255,230,80)', null);
    }
    var PX = 1 / 30; // Gymnasium's pixel at SCALE 30
    function drawLander(i) {
      var v = view(i), f = frames[i], e = 3 * nb;
      ctx.fillStyle = 'rgb(236,239,247)'; ctx.fillRect(0, 0, W, H);
      ground(v, 'rgb(170,170,178)', 'rgb(90,90,100)');
      var hp = scene.helipad;
      [hp.x1, hp.x2].forEach(function (x) {
        var top = hp.y + 50 * PX, a = S(v, x, hp.y), b = S(v, x, top);
        ctx.strokeStyle = 'rgb(60,60,60)'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
        poly(v, [[x, top], [x, top - 10 * PX], [x + 25 * PX, top - 5 * PX]], 'rgb(204,204,0)', 'rgb(153,153,0)');
      });
      var p = pose(f, 0), main = f[e], side = f[e + 1], dir = f[e + 2];
      // main engine: the impulse acts 4 px below the centre along the body's -y; the exhaust leaves the hull's bottom (y = -10 px)
      if (main > 0) flame(v, p, [0, -10 * PX], [0, -1], (14 + 22 * main) * PX, 5 * PX);
      // side engine: the impulse acts at x = -direction x 12 px, 14 px up; the exhaust leaves the hull's side there, outwards
      if (side > 0) flame(v, p, [-dir * 14.5 * PX, 14 * PX], [-dir, 0], (8 + 14 * side) * PX, 3 * PX);
      for (var b = 1; b < nb; b++) body(v, f, b, 'rgb(128,102,230)', 'rgb(77,77,128)');
      body(v, f, 0, 'rgb(128,102,230)', 'rgb(77,77,128)');
    }
    function drawWalker(i) {
      var v = view(i), f = frames[i], e = 3 * nb, k;
      ctx.fillStyle = 'rgb(215,215,255)'; ctx.fillRect(0, 0, W, H);
      ground(v, 'rgb(102,153,76)', 'rgb(60,110,45)');
      for (k = 0; k < scene.obstacles.length; k++) poly(v, scene.obstacles[k], 'rgb(245,245,245)', 'rgb(110,110,110)');
      var hull = pose(f, 0);
      ctx.strokeStyle = 'rgb(255,0,0)'; ctx.lineWidth = 1.5;
      for (k = e; k + 1 < f.length; k += 2) {
        var a = S(v, hull[0], hull[1]), b = S(v, f[k], f[k + 1]);
        ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
      }
      for (var b2 = 1; b2 < nb; b2++) if (/1$/.test(bodies[b2].name)) body(v, f, b2, 'rgb(128,51,102)', 'rgb(77,31,61)');
      for (var b3 = 1; b3 < nb; b3++) if (!/1$/.test(bodies[b3].name)) body(v, f, b3, 'rgb(178,102,153)', 'rgb(107,61,92)');
      body(v, f, 0, 'rgb(127,51,229)', 'rgb(76,76,127)');
      ctx.fillStyle = '#333'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'center';
      for (var t = Math.ceil(v[0] / 2) * 2; t <= v[0] + W / scale; t += 2) {
        var x = (t - v[0]) * scale;
        ctx.fillRect(x, H - 8, 1, 8); ctx.fillText(t + ' m', x, H - 11);
      }
      ctx.textAlign = 'left';
    }
    return lander ? drawLander : drawWalker;
  }
`;
