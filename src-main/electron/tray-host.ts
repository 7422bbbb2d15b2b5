import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';

/** Whether the desktop shows tray icons: `unknown` when it could not be told (then nothing changes). */
export type TrayHostPresence = 'present' | 'absent' | 'unknown';

/** The StatusNotifierItem watcher a tray icon registers with (freedesktop StatusNotifierItem spec). */
export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

/** How long the session-bus question may take; start-up never waits for it. */
export const TRAY_HOST_TIMEOUT_MS = 2_000;

/** Runs a program with a time limit (killed when it is over) and resolves with its standard output. */
const runProgram = (
  file: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly env: NodeJS.ProcessEnv },
): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs, killSignal: 'SIGKILL', env: options.env, encoding: 'utf8' },
      (error, stdout) => {
        if (error === null) resolve(stdout);
        else reject(new Error(error.message, { cause: error }));
      },
    );
  });

/**
 * The session bus address, without letting dbus-send autolaunch a bus of its own: the variable,
 * else systemd's per-user socket; null when neither exists (no session bus to ask).
 */
function sessionBusEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | null {
  const address = env['DBUS_SESSION_BUS_ADDRESS'];
  if (address !== undefined && address !== '') return env;
  const runtime = env['XDG_RUNTIME_DIR'];
  if (runtime === undefined || runtime === '' || !existsSync(join(runtime, 'bus'))) return null;
  return { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(runtime, 'bus')}` };
}

/**
 * Whether closing the window to the tray leaves a way back. macOS's menu bar and Windows'
 * notification area always exist. On Linux, Electron's Tray "uses StatusNotifierItem by default"
 * and falls back to GtkStatusIcon (https://www.electronjs.org/docs/latest/api/tray): a
 * StatusNotifierItem is shown only when something owns `org.kde.StatusNotifierWatcher` on the
 * session bus (KDE, GNOME with the AppIndicator extension, waybar, …). No owner means no such host
 * (GNOME without the extension, many tiling window managers); an X11 XEmbed tray (i3bar, polybar)
 * cannot be seen from here, so there the person chooses "keep running in the tray" in Settings.
 * Asked with `dbus-send` (NameHasOwner), time-boxed; any failure is `unknown`.
 */
export async function detectTrayHost(input: {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  /** The dbus-send program (tests give a path to another). */
  readonly dbusSend?: string;
}): Promise<TrayHostPresence> {
  if (input.platform !== 'linux') return 'present';
  const env = sessionBusEnv(input.env);
  if (env === null) {
    input.logger.info('no session bus: whether the desktop shows tray icons is unknown');
    return 'unknown';
  }
  const timeoutMs = input.timeoutMs ?? TRAY_HOST_TIMEOUT_MS;
  try {
    const reply = await runProgram(
      input.dbusSend ?? 'dbus-send',
      [
        '--session',
        '--print-reply=literal',
        `--reply-timeout=${timeoutMs}`,
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${STATUS_NOTIFIER_WATCHER}`,
      ],
      { timeoutMs, env },
    );
    const answer = /boolean (true|false)/.exec(reply)?.[1];
    if (answer === undefined) return 'unknown';
    return answer === 'true' ? 'present' : 'absent';
  } catch (error) {
    input.logger.info('could not ask the session bus whether the desktop shows tray icons', {
      error: error instanceof Error ? error.message : String(error),
    });
    return 'unknown';
  }
}

/**
 * Whether closing the window keeps The Maestro running (hidden, in the tray): the person's choice
 * when they made one; otherwise yes unless the desktop is known to show no tray icons, where a
 * hidden window could only be brought back by starting the app again.
 */
export function keepsRunningOnClose(closeToTray: boolean | null, trayHost: TrayHostPresence): boolean {
  return closeToTray ?? trayHost !== 'absent';
}
