#!/usr/bin/env node
// Writes the add-in icons assets/icon-{16,20,24,32,40,48,64,80}.png with nothing but Node's built-in zlib:
// a green rounded square with a dark border and three white "rubric lines" of decreasing length,
// the last one ending in a tick-like block. Run: node scripts/gen-icons.js
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [16, 20, 24, 32, 40, 48, 64, 80]; // ribbon sizes incl. high DPI (125–250 %)

const FILL = [0x21, 0x73, 0x46, 255]; // Excel-like green
const BORDER = [0x12, 0x45, 0x2a, 255];
const INK = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

/** CRC-32 as PNG chunks need it. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes an RGBA pixel function as a PNG (8-bit RGBA, no interlace). */
export function encodePng(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  let o = 0;
  for (let y = 0; y < size; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw[o++] = r;
      raw[o++] = g;
      raw[o++] = b;
      raw[o++] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function iconPixel(size) {
  const s = size / 16; // design grid is 16x16
  const border = Math.max(1, Math.round(s));
  const radius = Math.max(1, Math.round(2 * s));
  const lineH = Math.max(1, Math.round(1.5 * s));
  const left = Math.round(4 * s);
  const lines = [
    { y: Math.round(4 * s), right: Math.round(12 * s) },
    { y: Math.round(7.25 * s), right: Math.round(10.5 * s) },
    { y: Math.round(10.5 * s), right: Math.round(8.5 * s) },
  ];
  const tick = { x0: Math.round(10 * s), x1: Math.round(12 * s), y0: Math.round(9.5 * s), y1: Math.round(12.5 * s) };
  return (x, y) => {
    // Rounded corners: outside the quarter circle is transparent.
    const cx = x < radius ? radius - 0.5 : x >= size - radius ? size - radius - 0.5 : x;
    const cy = y < radius ? radius - 0.5 : y >= size - radius ? size - radius - 0.5 : y;
    const d = Math.hypot(x - cx, y - cy);
    if (d > radius) return CLEAR;
    const edge = x < border || y < border || x >= size - border || y >= size - border || d > radius - border;
    if (edge) return BORDER;
    for (const l of lines) if (y >= l.y && y < l.y + lineH && x >= left && x < l.right) return INK;
    if (x >= tick.x0 && x < tick.x1 && y >= tick.y0 && y < tick.y1) return INK;
    return FILL;
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(root, 'assets');
  mkdirSync(dir, { recursive: true });
  for (const size of SIZES) {
    const file = join(dir, `icon-${size}.png`);
    writeFileSync(file, encodePng(size, iconPixel(size)));
    console.log(`wrote ${file}`);
  }
}
