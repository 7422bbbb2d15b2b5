import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectTrayHost, keepsRunningOnClose, STATUS_NOTIFIER_WATCHER } from '../../../src-main/electron/tray-host.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { HAS_DBUS_DAEMON, ownName, startSessionBus, type SessionBus } from '../../support/dbus/session-bus.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('maestro-tray-host-')));
afterEach(() => temp.remove());

describe('whether the desktop shows tray icons', () => {
  it.each(['darwin', 'win32'] as const)('is always yes on %s (menu bar, notification area)', async (platform) => {
    expect(await detectTrayHost({ platform, env: {}, logger: silentLogger })).toBe('present');
  });

  it('is unknown on Linux without a session bus, and nothing is launched to find out', async () => {
    const env = { XDG_RUNTIME_DIR: temp.dir, PATH: '' };
    expect(await detectTrayHost({ platform: 'linux', env, logger: silentLogger })).toBe('unknown');
  });

  it('is unknown, within the time box, when asking the bus hangs', async () => {
    const hanging = join(temp.dir, 'dbus-send');
    writeFileSync(hanging, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const started = Date.now();
    const found = await detectTrayHost({
      platform: 'linux',
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
      logger: silentLogger,
      timeoutMs: 200,
      dbusSend: hanging,
    });
    expect(found).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('is unknown when dbus-send is not installed', async () => {
    const found = await detectTrayHost({
      platform: 'linux',
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
      logger: silentLogger,
      dbusSend: join(temp.dir, 'no-such-program'),
    });
    expect(found).toBe('unknown');
  });

  describe.skipIf(!HAS_DBUS_DAEMON)(
    HAS_DBUS_DAEMON ? 'on a real session bus (dbus-daemon)' : 'on a real session bus (skipped: no dbus-daemon here)',
    () => {
      let bus: SessionBus;
      beforeEach(async () => (bus = await startSessionBus(temp.dir)));
      afterEach(() => bus.stop());

      it(`is absent when nothing owns ${STATUS_NOTIFIER_WATCHER} (GNOME without the extension, tiling WMs)`, async () => {
        const env = { DBUS_SESSION_BUS_ADDRESS: bus.address, PATH: process.env['PATH'] ?? '' };
        expect(await detectTrayHost({ platform: 'linux', env, logger: silentLogger })).toBe('absent');
      });

      it(`is present when a tray host owns ${STATUS_NOTIFIER_WATCHER}, and absent again once it leaves`, async () => {
        const host = await ownName(bus.socketPath, STATUS_NOTIFIER_WATCHER);
        const env = { DBUS_SESSION_BUS_ADDRESS: bus.address, PATH: process.env['PATH'] ?? '' };
        expect(await detectTrayHost({ platform: 'linux', env, logger: silentLogger })).toBe('present');
        host.release();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await detectTrayHost({ platform: 'linux', env, logger: silentLogger })).toBe('absent');
      });

      it("finds the bus at systemd's per-user socket when the variable is not set", async () => {
        const env = { XDG_RUNTIME_DIR: temp.dir, PATH: process.env['PATH'] ?? '' };
        expect(await detectTrayHost({ platform: 'linux', env, logger: silentLogger })).toBe('absent');
      });
    },
  );
});

describe('what closing the window does', () => {
  it('follows the person’s choice when they made one', () => {
    expect(keepsRunningOnClose(true, 'absent')).toBe(true);
    expect(keepsRunningOnClose(false, 'present')).toBe(false);
  });

  it('otherwise hides to the tray unless the desktop is known to show none', () => {
    expect(keepsRunningOnClose(null, 'present')).toBe(true);
    expect(keepsRunningOnClose(null, 'unknown')).toBe(true);
    expect(keepsRunningOnClose(null, 'absent')).toBe(false);
  });
});
