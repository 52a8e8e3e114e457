#!/usr/bin/env node
// Draws Rempart's icons with no dependency (a tiny anti-aliased rasteriser + PNG/ICO/ICNS writers), so they can be
// regenerated anywhere:   node build/make-icons.mjs
//   build/icon.png (1024), build/icon-512.png, build/icon.ico (16–256), build/icon.icns (16–1024): installer/app icons
//   assets/icon.png (256): window + notification icon
//   assets/tray-<ok|warn|error|running>[-32].png + @2x: tray icons (16 px and 32 px, each with a double-size @2x)
// Motif: a rampart shield (three merlons on top) on a calm teal tile; tray icons colour the shield by status.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

// ---------- geometry (unit square, y down) ----------
function quad(p0, p1, p2, n = 24) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const t = i / n, u = 1 - t;
    out.push([u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]]);
  }
  return out;
}

/** Shield with crenellations, inside the box [x0,x1]×[y0,y1]. */
function shield(x0, y0, x1, y1) {
  const w = x1 - x0, h = y1 - y0;
  const X = (f) => x0 + f * w, Y = (f) => y0 + f * h;
  const m = 0.13; // merlon depth
  const pts = [
    [X(0), Y(0)], [X(0.2), Y(0)], [X(0.2), Y(m)], [X(0.4), Y(m)], [X(0.4), Y(0)], [X(0.6), Y(0)], [X(0.6), Y(m)],
    [X(0.8), Y(m)], [X(0.8), Y(0)], [X(1), Y(0)], [X(1), Y(0.5)],
  ];
  pts.push(...quad([X(1), Y(0.5)], [X(1), Y(0.85)], [X(0.5), Y(1)]));
  pts.push(...quad([X(0.5), Y(1)], [X(0), Y(0.85)], [X(0), Y(0.5)]));
  return pts;
}

function roundedRect(x0, y0, x1, y1, r) {
  const pts = [];
  const corner = (cx, cy, a0) => {
    for (let i = 0; i <= 8; i++) {
      const a = a0 + (i / 8) * (Math.PI / 2);
      pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
  };
  corner(x1 - r, y0 + r, -Math.PI / 2);
  corner(x1 - r, y1 - r, 0);
  corner(x0 + r, y1 - r, Math.PI / 2);
  corner(x0 + r, y0 + r, Math.PI);
  return pts;
}

function inPolygon(pts, x, y) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i], [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

const poly = (pts, color) => ({ hit: (x, y) => inPolygon(pts, x, y), color });
const stroke = (pts, width, color) => ({
  hit: (x, y) => pts.slice(1).some((p, i) => distToSegment(x, y, pts[i], p) <= width / 2),
  color,
});
const dot = (cx, cy, r, color) => ({ hit: (x, y) => Math.hypot(x - cx, y - cy) <= r, color });
function arc(cx, cy, r, a0, a1, n = 20) {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = a0 + ((a1 - a0) * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

// ---------- raster ----------
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255];

function render(size, layers, ss = size <= 64 ? 8 : 4) {
  const px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size, v = (y + (sy + 0.5) / ss) / size;
          let c = null;
          for (const layer of layers) if (layer.hit(u, v)) c = layer.color;
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 255; }
        }
      }
      const n = ss * ss, o = (y * size + x) * 4;
      // premultiplied average -> straight alpha
      px[o + 3] = Math.round(a / n);
      if (a > 0) { px[o] = Math.round((r * 255) / a); px[o + 1] = Math.round((g * 255) / a); px[o + 2] = Math.round((b * 255) / a); }
    }
  }
  return px;
}

// ---------- PNG / ICO / ICNS ----------
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
function ico(entries) {
  const head = Buffer.alloc(6 + 16 * entries.length);
  head.writeUInt16LE(0, 0); head.writeUInt16LE(1, 2); head.writeUInt16LE(entries.length, 4);
  let offset = head.length;
  entries.forEach(({ size, data }, i) => {
    const o = 6 + 16 * i;
    head[o] = size >= 256 ? 0 : size; head[o + 1] = size >= 256 ? 0 : size;
    head.writeUInt16LE(1, o + 4); head.writeUInt16LE(32, o + 6);
    head.writeUInt32LE(data.length, o + 8); head.writeUInt32LE(offset, o + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map((e) => e.data)]);
}
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8); h.write(type, 0, 'ascii'); h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const h = Buffer.alloc(8); h.write('icns', 0, 'ascii'); h.writeUInt32BE(total, 4);
  return Buffer.concat([h, ...parts]);
}

// ---------- designs ----------
const TEAL = hex('#2c6e73'), TEAL_DARK = hex('#1f5459'), CREAM = hex('#f4efe1'), WHITE = hex('#ffffff');

function appIcon() {
  const tile = roundedRect(0.06, 0.06, 0.94, 0.94, 0.2);
  const shape = shield(0.27, 0.2, 0.73, 0.84);
  const check = [[0.39, 0.53], [0.47, 0.62], [0.62, 0.44]];
  return [poly(tile, TEAL), poly(shape, CREAM), stroke(check, 0.055, TEAL_DARK)];
}

const STATUS = {
  ok: { color: hex('#2e8b57'), glyph: (c) => [stroke([[0.3, 0.52], [0.45, 0.67], [0.7, 0.38]], 0.13, c)] },
  warn: { color: hex('#dd8a0f'), glyph: (c) => [stroke([[0.5, 0.3], [0.5, 0.56]], 0.14, c), dot(0.5, 0.72, 0.075, c)] },
  error: { color: hex('#c2392f'), glyph: (c) => [stroke([[0.35, 0.35], [0.65, 0.65]], 0.13, c), stroke([[0.65, 0.35], [0.35, 0.65]], 0.13, c)] },
  running: { color: hex('#2f6fb3'), glyph: (c) => [stroke(arc(0.5, 0.52, 0.17, -Math.PI * 0.35, Math.PI * 1.25), 0.11, c), poly([[0.58, 0.22], [0.72, 0.37], [0.53, 0.42]], c)] },
};

function trayIcon(name) {
  const { color, glyph } = STATUS[name];
  return [poly(shield(0.06, 0.04, 0.94, 0.98), color), ...glyph(WHITE)];
}

// ---------- write ----------
const build = join(root, 'build'), assets = join(root, 'assets');
mkdirSync(build, { recursive: true });
mkdirSync(assets, { recursive: true });
const app = appIcon();
const appPng = (size) => png(size, render(size, app));
const sizes = {};
for (const s of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) sizes[s] = appPng(s);
writeFileSync(join(build, 'icon.png'), sizes[1024]);
writeFileSync(join(build, 'icon-512.png'), sizes[512]);
writeFileSync(join(build, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: sizes[size] }))));
writeFileSync(join(build, 'icon.icns'), icns([
  { type: 'icp4', data: sizes[16] }, { type: 'icp5', data: sizes[32] }, { type: 'icp6', data: sizes[64] },
  { type: 'ic07', data: sizes[128] }, { type: 'ic08', data: sizes[256] }, { type: 'ic09', data: sizes[512] }, { type: 'ic10', data: sizes[1024] },
]));
writeFileSync(join(assets, 'icon.png'), sizes[256]);
for (const name of Object.keys(STATUS)) {
  const layers = trayIcon(name);
  writeFileSync(join(assets, `tray-${name}.png`), png(16, render(16, layers)));
  writeFileSync(join(assets, `tray-${name}@2x.png`), png(32, render(32, layers)));
  writeFileSync(join(assets, `tray-${name}-32.png`), png(32, render(32, layers)));
  writeFileSync(join(assets, `tray-${name}-32@2x.png`), png(64, render(64, layers)));
}
console.log('icons written to build/ and assets/');
