import { describe, expect, it } from 'vitest';
import {
  chooseSqliteAddon,
  isMuslProcess,
  prebuildName,
  type AddonSearch,
} from '../../../../../src-main/core/store/sqlite/sqlite-addon.js';

const PACKAGE = '/app/node_modules/better-sqlite3';
const COMPILED = `${PACKAGE}/build/Release/better_sqlite3.node`;

function search(files: readonly string[], overrides: Partial<AddonSearch> = {}): AddonSearch {
  return {
    resourcesPath: undefined,
    platform: 'linux',
    arch: 'x64',
    musl: false,
    packageRoot: PACKAGE,
    exists: (file) => files.includes(file),
    ...overrides,
  };
}

describe('chooseSqliteAddon', () => {
  it("prefers the running platform's prebuild over a locally compiled build", () => {
    expect(chooseSqliteAddon(search([COMPILED, `${PACKAGE}/prebuilds/linux-x64.node`]))).toBe(
      `${PACKAGE}/prebuilds/linux-x64.node`,
    );
  });

  it('in the packaged app, opens the copy beside app.asar for this platform and libc', () => {
    const resources = '/opt/The Maestro/resources';
    const files = [`${resources}/sqlite/linux-x64.node`, `${resources}/sqlite/linuxmusl-x64.node`];
    expect(chooseSqliteAddon(search(files, { resourcesPath: resources }))).toBe(`${resources}/sqlite/linux-x64.node`);
    expect(chooseSqliteAddon(search(files, { resourcesPath: resources, musl: true }))).toBe(
      `${resources}/sqlite/linuxmusl-x64.node`,
    );
  });

  it('falls back to a compiled build only when no prebuild fits', () => {
    expect(chooseSqliteAddon(search([COMPILED], { arch: 'riscv64' }))).toBe(COMPILED);
    expect(chooseSqliteAddon(search([]))).toBe(COMPILED);
  });

  it('names prebuilds as better-sqlite3 does', () => {
    expect(prebuildName({ platform: 'darwin', arch: 'arm64', musl: false })).toBe('darwin-arm64.node');
    expect(prebuildName({ platform: 'win32', arch: 'x64', musl: false })).toBe('win32-x64.node');
    expect(prebuildName({ platform: 'linux', arch: 'arm64', musl: true })).toBe('linuxmusl-arm64.node');
  });

  it('detects musl from the loader mapped into the process', () => {
    expect(isMuslProcess(() => '7f00 r-xp /lib/ld-musl-x86_64.so.1\n')).toBe(true);
    expect(isMuslProcess(() => '7f00 r-xp /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n')).toBe(false);
    expect(
      isMuslProcess(() => {
        throw new Error('ENOENT');
      }),
    ).toBe(false);
  });
});
