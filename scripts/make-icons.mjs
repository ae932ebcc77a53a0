#!/usr/bin/env node
/**
 * Draws the app's two Teams icons and writes them as PNG files (committed in manifest/):
 *   manifest/color.png    192x192, full colour: a white shield on the app's blue
 *   manifest/outline.png   32x32, white shield outline on a transparent background
 * Teams asks for exactly these sizes; the outline must be white and transparent only.
 * Run again after changing the drawing: `node scripts/make-icons.mjs`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'manifest');

/** The app's accent colour (manifest accentColor). */
const BLUE = [0x1f, 0x4e, 0x79];

// ---- a tiny PNG encoder: 8-bit RGBA, no interlace, filter 0 on every row ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the drawing: a shield in a unit square, sampled 4x4 per pixel for smooth edges ----
/** Is (x, y) in [0,1]^2 inside a shield of the given half-width centred at 0.5, scaled by s? */
function inShield(x, y, s) {
  // The shield's box: top at 0.5 - 0.5s, bottom point at 0.5 + 0.5s.
  const u = (x - 0.5) / s; // -0.5 .. 0.5
  const v = (y - 0.5) / s + 0.5; // 0 (top) .. 1 (point)
  if (v < 0.04 || v > 1) return false;
  const half = 0.4;
  if (v < 0.5) {
    // The top edge arches gently upwards in the middle.
    const top = 0.04 + 0.05 * (Math.abs(u) / half) ** 2;
    return Math.abs(u) <= half && v >= top;
  }
  // The lower half narrows to a point along a gentle curve.
  const t = (v - 0.5) / 0.5;
  return Math.abs(u) <= half * Math.sqrt(Math.max(0, 1 - t * t));
}

function render(size, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const i = (py * size + px) * 4;
      const alpha = acc[3] / (n * n);
      rgba[i] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
      rgba[i + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
      rgba[i + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

const WHITE = [255, 255, 255, 1];
const CLEAR = [0, 0, 0, 0];

// Colour icon: full-bleed blue, the shield inside the central safe area (about 96 of 192 pixels),
// with a blue exclamation mark on it.
const color = render(192, (x, y) => {
  const bg = [...BLUE, 1];
  if (!inShield(x, y, 0.56)) return bg;
  const onBar = Math.abs(x - 0.5) < 0.032 && y > 0.36 && y < 0.56;
  const onDot = (x - 0.5) ** 2 + (y - 0.63) ** 2 < 0.036 ** 2;
  return onBar || onDot ? bg : WHITE;
});

// Outline icon: white shield outline (about 2 px) with a white exclamation mark, transparent elsewhere.
const outline = render(32, (x, y) => {
  const outer = inShield(x, y, 0.94);
  const inner = inShield(x, y, 0.7);
  if (outer && !inner) return WHITE;
  const onBar = Math.abs(x - 0.5) < 0.05 && y > 0.3 && y < 0.56;
  const onDot = (x - 0.5) ** 2 + (y - 0.66) ** 2 < 0.06 ** 2;
  return onBar || onDot ? WHITE : CLEAR;
});

// The outline must be white on transparent only: drop the colour that antialiasing never adds anyway.
for (let i = 0; i < outline.length; i += 4) {
  outline[i] = outline[i + 1] = outline[i + 2] = outline[i + 3] ? 255 : 0;
}

writeFileSync(path.join(out, 'color.png'), encodePng(192, 192, color));
writeFileSync(path.join(out, 'outline.png'), encodePng(32, 32, outline));
console.log(`Wrote ${path.join(out, 'color.png')} (192x192) and ${path.join(out, 'outline.png')} (32x32).`);
