#!/usr/bin/env node
// Generates every icon The Maestro ships from one drawing (`coverage` below): a disc with a
// cut-out "M". Offline and dependency-free: shapes are sampled 4×4 per pixel and written as PNG
// with node:zlib. Run `node scripts/generate-icons.mjs` after changing the drawing; the outputs
// are committed (electron-builder reads them from build/, the app from resources/tray/) and
// test/packaging/icons.test.ts checks they are what this script writes.
//
// - build/icons/<n>x<n>.png  Linux icon set (electron-builder: "linux.icon" defaults to build/icons)
// - build/icon.png           macOS app icon (512 px; electron-builder converts it to .icns)
// - build/icon.ico           Windows app and installer icon (PNG-compressed entries, 16–256 px)
// - resources/tray/trayTemplate.png, trayTemplate@2x.png  macOS menu-bar template images
//   (16 pt and @2x: black and alpha only, so macOS tints them for light and dark menu bars; the
//   "Template" suffix is what nativeImage reads)
// - resources/tray/tray.png, tray@2x.png  Windows and Linux tray icons (coloured)
// - src-renderer/favicon.png  the window's page icon (index.html, web.html; 32 px)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 4;

/** The drawing, in a unit square: 1 inside the disc and outside the M, else 0. */
function inside(x, y) {
  const dx = x - 0.5;
  const dy = y - 0.5;
  if (dx * dx + dy * dy > 0.47 * 0.47) return false;
  return !inM(x, y);
}

/** The letter M: two posts and two diagonals meeting in the middle. */
function inM(x, y) {
  if (y < 0.28 || y > 0.72) return false;
  const stroke = 0.085;
  if (Math.abs(x - 0.3) < stroke / 2 || Math.abs(x - 0.7) < stroke / 2) return true;
  const t = (y - 0.28) / 0.26; // 0 at the top, 1 where the diagonals meet
  if (t > 1) return false;
  const left = 0.3 + 0.2 * t;
  const right = 0.7 - 0.2 * t;
  return Math.abs(x - left) < stroke / 1.6 || Math.abs(x - right) < stroke / 1.6;
}

/** Fraction of a pixel covered by the drawing. */
function coverage(px, py, size) {
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      if (inside((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) hits += 1;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

/** RGBA pixels of the drawing at `size`, in one colour. */
function render(size, [r, g, b]) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 4;
      pixels[offset] = r;
      pixels[offset + 1] = g;
      pixels[offset + 2] = b;
      pixels[offset + 3] = Math.round(coverage(x, y, size) * 255);
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA, no interlace) of square RGBA pixels. */
export function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO whose entries are PNGs (supported since Windows Vista, and by electron-builder). */
export function encodeIco(images) {
  const directory = Buffer.alloc(6 + 16 * images.length);
  directory.writeUInt16LE(0, 0);
  directory.writeUInt16LE(1, 2);
  directory.writeUInt16LE(images.length, 4);
  let offset = directory.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    directory.writeUInt8(size >= 256 ? 0 : size, entry);
    directory.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    directory.writeUInt16LE(1, entry + 4);
    directory.writeUInt16LE(32, entry + 6);
    directory.writeUInt32LE(png.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([directory, ...images.map(({ png }) => png)]);
}

const BRAND = [0x2b, 0x2f, 0x77];
const BLACK = [0, 0, 0];

/** Every output file, relative to the repository, with its bytes. */
export function iconFiles() {
  const png = (size, colour) => encodePng(size, render(size, colour));
  const files = new Map();
  for (const size of [16, 32, 48, 64, 128, 256, 512]) files.set(`build/icons/${size}x${size}.png`, png(size, BRAND));
  files.set('build/icon.png', png(512, BRAND));
  files.set(
    'build/icon.ico',
    encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png(size, BRAND) }))),
  );
  files.set('resources/tray/trayTemplate.png', png(16, BLACK));
  files.set('resources/tray/trayTemplate@2x.png', png(32, BLACK));
  files.set('resources/tray/tray.png', png(32, BRAND));
  files.set('resources/tray/tray@2x.png', png(64, BRAND));
  files.set('src-renderer/favicon.png', png(32, BRAND));
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, bytes] of iconFiles()) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), bytes);
  }
}
