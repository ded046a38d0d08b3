/**
 * Browser-side drawing of a MuJoCo episode (part of the report's client script, plain ES2017):
 * each geom projected orthographically on the x-z plane (side view, camera on -y looking +y) or
 * the x-y plane (top view, camera above), far geoms first. Capsules are a segment of the
 * projected axis stroked with the radius (the exact outline of a projected capsule), spheres
 * discs, boxes / cylinders / ellipsoids the convex hull of their projected corners / rims /
 * surface points, planes the floor (a ground line with 1-2-5 spaced ticks in the side view, a
 * grid in the top view; the ticks move with the world, so the walker's progress shows).
 * The camera follows the moving geoms when `scene.track`, else frames the whole episode.
 */
export const MUJOCO_CLIENT = String.raw`
  function makeMujocoDrawer(replay, ctx, W, H) {
    var scene = replay.scene, geoms = scene.geoms, frames = replay.states, side = scene.view === 'side';
    var S = 7, n = geoms.length;
    var PLANE = 0, SPHERE = 2, CAPSULE = 3, ELLIPSOID = 4, CYLINDER = 5, BOX = 6;
    function rot(f, g) { // rotation matrix (row-major) of geom g's quaternion in frame f
      var o = g * S + 3, w = f[o], x = f[o + 1], y = f[o + 2], z = f[o + 3];
      return [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)];
    }
    // screen axes: u (right) = world x; v (up) = z (side) or y (top); depth = y (side, far = +y) or -z (top)
    function U(p) { return p[0]; }
    function V(p) { return side ? p[2] : p[1]; }
    function depth(p) { return side ? p[1] : -p[2]; }
    function extent(f, g) { // [u0, u1, v0, v1] of geom g's projection in frame f
      var G = geoms[g], s = G.size, o = g * S, R = rot(f, g), p = [f[o], f[o + 1], f[o + 2]], pts = [], r = 0, k;
      function at(lx, ly, lz) { return [p[0] + R[0] * lx + R[1] * ly + R[2] * lz, p[1] + R[3] * lx + R[4] * ly + R[5] * lz, p[2] + R[6] * lx + R[7] * ly + R[8] * lz]; }
      if (G.type === CAPSULE || G.type === CYLINDER) { pts = [at(0, 0, -s[1]), at(0, 0, s[1])]; r = s[0]; }
      else if (G.type === BOX) { for (k = 0; k < 8; k++) pts.push(at(k & 1 ? s[0] : -s[0], k & 2 ? s[1] : -s[1], k & 4 ? s[2] : -s[2])); }
      else { pts = [p]; r = G.type === SPHERE ? s[0] : Math.max(s[0], s[1], s[2]); }
      var e = [Infinity, -Infinity, Infinity, -Infinity];
      for (k = 0; k < pts.length; k++) {
        e[0] = Math.min(e[0], U(pts[k]) - r); e[1] = Math.max(e[1], U(pts[k]) + r);
        e[2] = Math.min(e[2], V(pts[k]) - r); e[3] = Math.max(e[3], V(pts[k]) + r);
      }
      return e;
    }
    // screen axes: u (right) = world x; v (up) = z (side) or y (top); depth = y (side, far = +y) or -z (top)
    function U(p) { return p[0]; }
    function V(p) { return side ? p[2] : p[1]; }
    function depth(p) { return side ? p[1] : -p[2]; }
    var floorGeom = -1;
    for (var g = 0; g < n; g++) if (geoms[g].type === PLANE && floorGeom < 0) floorGeom = g;
    // camera: bounding boxes of the non-plane geoms, per frame and over the episode
    var minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity, maxW = 0, maxH = 0;
    var centers = [];
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i], fu0 = Infinity, fu1 = -Infinity, fv0 = Infinity, fv1 = -Infinity, cu = 0, cv = 0, moving = 0;
      for (var g2 = 0; g2 < n; g2++) {
        var G = geoms[g2];
        if (G.type === PLANE || G.rgba[3] === 0) continue;
        var p = [f[g2 * S], f[g2 * S + 1], f[g2 * S + 2]], e = extent(f, g2);
        fu0 = Math.min(fu0, e[0]); fu1 = Math.max(fu1, e[1]); fv0 = Math.min(fv0, e[2]); fv1 = Math.max(fv1, e[3]);
        if (!G.fixed) { cu += U(p); cv += V(p); moving++; }
      }
      if (!isFinite(fu0)) { fu0 = -1; fu1 = 1; fv0 = -1; fv1 = 1; }
      minU = Math.min(minU, fu0); maxU = Math.max(maxU, fu1); minV = Math.min(minV, fv0); maxV = Math.max(maxV, fv1);
      maxW = Math.max(maxW, fu1 - fu0); maxH = Math.max(maxH, fv1 - fv0);
      centers.push(moving ? [cu / moving, cv / moving] : [(fu0 + fu1) / 2, (fv0 + fv1) / 2]);
    }
    var floorV = floorGeom >= 0 ? V([frames[0][floorGeom * S], frames[0][floorGeom * S + 1], frames[0][floorGeom * S + 2]]) : null;
    // the floor is framed unless it lies far below everything else (InvertedDoublePendulum's is 3 m down)
    if (side && floorV !== null && minV - floorV < 0.5 * (maxV - minV)) minV = Math.min(minV, floorV);
    var spanU = scene.track ? maxW : maxU - minU;
    var spanV = scene.track && !side ? maxH : maxV - minV;
    var scale = Math.min(W * (scene.track ? 0.45 : 0.85) / Math.max(spanU, 1e-3), (H - 40) * 0.85 / Math.max(spanV, 1e-3));
    function camera(i) {
      var c = centers[i];
      return [scene.track ? c[0] : (minU + maxU) / 2, scene.track && !side ? c[1] : (minV + maxV) / 2];
    }
    function toScreen(cam, u, v) { return [W / 2 + (u - cam[0]) * scale, (H + 20) / 2 - (v - cam[1]) * scale]; }
    function tickStep() {
      var steps = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];
      for (var k = 0; k < steps.length; k++) if (steps[k] * scale >= 45) return steps[k];
      return 50;
    }
    function color(c, k) {
      var f = k === undefined ? 1 : k;
      return 'rgba(' + Math.round(255 * Math.min(1, c[0] * f)) + ',' + Math.round(255 * Math.min(1, c[1] * f)) + ',' + Math.round(255 * Math.min(1, c[2] * f)) + ',' + c[3] + ')';
    }
    function hull(pts) { // monotone chain convex hull of [x, y] points
      pts.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      function cross(o, a, b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); }
      var lower = [], upper = [], k;
      for (k = 0; k < pts.length; k++) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], pts[k]) <= 0) lower.pop(); lower.push(pts[k]); }
      for (k = pts.length - 1; k >= 0; k--) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], pts[k]) <= 0) upper.pop(); upper.push(pts[k]); }
      upper.pop(); lower.pop();
      return lower.concat(upper);
    }
    function fillPolygon(pts, G) {
      if (pts.length < 2) return;
      ctx.beginPath(); ctx.moveTo(pts[0][0], pts[0][1]);
      for (var k = 1; k < pts.length; k++) ctx.lineTo(pts[k][0], pts[k][1]);
      ctx.closePath(); ctx.fillStyle = color(G.rgba); ctx.fill();
      ctx.strokeStyle = color(G.rgba, 0.6); ctx.lineWidth = 1; ctx.stroke();
    }
    function drawFloor(cam, f, g) {
      var G = geoms[g], o = g * S, step = tickStep();
      var p = [f[o], f[o + 1], f[o + 2]];
      var u0 = cam[0] - W / 2 / scale, u1 = cam[0] + W / 2 / scale;
      ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'center';
      if (side) {
        var y = toScreen(cam, 0, V(p))[1];
        ctx.fillStyle = color(G.rgba, 0.85); ctx.fillRect(0, y, W, H - y);
        ctx.strokeStyle = '#555'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(W, y); ctx.stroke();
        ctx.lineWidth = 1; ctx.fillStyle = '#444';
        for (var t = Math.ceil(u0 / step) * step; t <= u1; t += step) {
          var x = toScreen(cam, t, 0)[0];
          ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x, y + 7); ctx.stroke();
          ctx.fillText((Math.round(t * 100) / 100) + ' m', x, y + 19);
        }
      } else {
        var hx = G.size[0] > 0 ? G.size[0] : Infinity, hy = G.size[1] > 0 ? G.size[1] : Infinity;
        var a = toScreen(cam, Math.max(u0, p[0] - hx), Math.min(cam[1] + H / scale, p[1] + hy));
        var b = toScreen(cam, Math.min(u1, p[0] + hx), Math.max(cam[1] - H / scale, p[1] - hy));
        ctx.fillStyle = color(G.rgba, 0.95); ctx.fillRect(a[0], a[1], b[0] - a[0], b[1] - a[1]);
        ctx.strokeStyle = 'rgba(0,0,0,0.12)'; ctx.lineWidth = 1;
        var v0 = cam[1] - H / 2 / scale, v1 = cam[1] + H / 2 / scale;
        for (var gu = Math.ceil(Math.max(u0, p[0] - hx) / step) * step; gu <= Math.min(u1, p[0] + hx); gu += step) {
          var sx = toScreen(cam, gu, 0)[0]; ctx.beginPath(); ctx.moveTo(sx, Math.max(a[1], 0)); ctx.lineTo(sx, Math.min(b[1], H)); ctx.stroke();
        }
        for (var gv = Math.ceil(Math.max(v0, p[1] - hy) / step) * step; gv <= Math.min(v1, p[1] + hy); gv += step) {
          var sy = toScreen(cam, 0, gv)[1]; ctx.beginPath(); ctx.moveTo(Math.max(a[0], 0), sy); ctx.lineTo(Math.min(b[0], W), sy); ctx.stroke();
        }
      }
    }
    function drawGeom(cam, f, g) {
      var G = geoms[g], o = g * S, s = G.size, R = rot(f, g);
      var p = [f[o], f[o + 1], f[o + 2]];
      function world(lx, ly, lz) { // local point -> screen
        var w = [p[0] + R[0] * lx + R[1] * ly + R[2] * lz, p[1] + R[3] * lx + R[4] * ly + R[5] * lz, p[2] + R[6] * lx + R[7] * ly + R[8] * lz];
        return toScreen(cam, U(w), V(w));
      }
      var k, pts = [];
      if (G.type === SPHERE) {
        var c = world(0, 0, 0);
        ctx.beginPath(); ctx.arc(c[0], c[1], Math.max(1, s[0] * scale), 0, 2 * Math.PI);
        ctx.fillStyle = color(G.rgba); ctx.fill(); ctx.strokeStyle = color(G.rgba, 0.6); ctx.lineWidth = 1; ctx.stroke();
      } else if (G.type === CAPSULE) {
        var e0 = world(0, 0, -s[1]), e1 = world(0, 0, s[1]);
        ctx.lineCap = 'round';
        ctx.strokeStyle = color(G.rgba, 0.6); ctx.lineWidth = Math.max(2, 2 * s[0] * scale + 2);
        ctx.beginPath(); ctx.moveTo(e0[0], e0[1]); ctx.lineTo(e1[0], e1[1]); ctx.stroke();
        ctx.strokeStyle = color(G.rgba); ctx.lineWidth = Math.max(1, 2 * s[0] * scale);
        ctx.beginPath(); ctx.moveTo(e0[0], e0[1]); ctx.lineTo(e1[0], e1[1]); ctx.stroke();
        ctx.lineCap = 'butt';
      } else if (G.type === BOX) {
        for (k = 0; k < 8; k++) pts.push(world(k & 1 ? s[0] : -s[0], k & 2 ? s[1] : -s[1], k & 4 ? s[2] : -s[2]));
        fillPolygon(hull(pts), G);
      } else if (G.type === CYLINDER) {
        for (k = 0; k < 24; k++) {
          var t = 2 * Math.PI * k / 24;
          pts.push(world(s[0] * Math.cos(t), s[0] * Math.sin(t), -s[1]), world(s[0] * Math.cos(t), s[0] * Math.sin(t), s[1]));
        }
        fillPolygon(hull(pts), G);
      } else if (G.type === ELLIPSOID) {
        for (var a = 0; a < 12; a++) for (var b = 0; b <= 6; b++) {
          var th = 2 * Math.PI * a / 12, ph = Math.PI * b / 6;
          pts.push(world(s[0] * Math.sin(ph) * Math.cos(th), s[1] * Math.sin(ph) * Math.sin(th), s[2] * Math.cos(ph)));
        }
        fillPolygon(hull(pts), G);
      } else { // height fields and meshes: a marker at the geom's position
        var m = world(0, 0, 0);
        ctx.fillStyle = color(G.rgba); ctx.fillRect(m[0] - 3, m[1] - 3, 6, 6);
      }
    }
    return function (i) {
      var f = frames[i], cam = camera(i), order = [];
      for (var g = 0; g < n; g++) {
        if (geoms[g].rgba[3] === 0) continue;
        if (geoms[g].type === PLANE) drawFloor(cam, f, g); else order.push(g);
      }
      order.sort(function (a, b) { return depth([f[b * S], f[b * S + 1], f[b * S + 2]]) - depth([f[a * S], f[a * S + 1], f[a * S + 2]]); });
      for (var k = 0; k < order.length; k++) drawGeom(cam, f, order[k]);
      ctx.fillStyle = '#666'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'right';
      ctx.fillText(side ? 'side view (x-z)' : 'top view (x-y)', W - 10, 20); ctx.textAlign = 'left';
    };
  }
`;
