/**
 * The icons electron-builder packs (build/) and the tray images the app opens (resources/tray/) are
 * generated from one drawing by scripts/generate-icons.mjs: the committed files must be exactly
 * what it writes, in the sizes each platform asks for.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { iconFiles } from '../../scripts/generate-icons.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const files = (iconFiles as () => Map<string, Buffer>)();

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('generated icons', () => {
  it('are committed exactly as scripts/generate-icons.mjs writes them', () => {
    for (const [path, bytes] of files) expect(readFileSync(`${root}${path}`).equals(bytes), path).toBe(true);
  });

  it('give macOS template tray images at 16 px and @2x, black with alpha only', () => {
    expect(pngSize(files.get('resources/tray/trayTemplate.png') ?? Buffer.alloc(0))).toEqual({ width: 16, height: 16 });
    expect(pngSize(files.get('resources/tray/trayTemplate@2x.png') ?? Buffer.alloc(0))).toEqual({
      width: 32,
      height: 32,
    });
  });

  it('give Linux a PNG set and Windows an ICO with 16–256 px entries', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(files.get(`build/icons/${size}x${size}.png`) ?? Buffer.alloc(0))).toEqual({
        width: size,
        height: size,
      });
    }
    const ico = files.get('build/icon.ico') ?? Buffer.alloc(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, index) => ico.readUInt8(6 + 16 * index) || 256);
    expect(widths).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(pngSize(files.get('build/icon.png') ?? Buffer.alloc(0)).width).toBeGreaterThanOrEqual(512);
  });
});
