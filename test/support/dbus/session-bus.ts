/**
 * A private D-Bus session bus for tests (the real `dbus-daemon`), and a minimal client that owns
 * a well-known name on it, as a tray host owns `org.kde.StatusNotifierWatcher`. The client speaks
 * just enough of the D-Bus wire protocol (https://dbus.freedesktop.org/doc/dbus-specification.html):
 * SASL EXTERNAL, then `Hello` and `RequestName` method calls, little-endian.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';

/** Whether `dbus-daemon` exists here (tests that need it are skipped, with the reason, where not). */
export const HAS_DBUS_DAEMON = spawnSync('dbus-daemon', ['--version']).status === 0;

export interface SessionBus {
  readonly address: string;
  readonly socketPath: string;
  stop(): void;
}

/** Starts `dbus-daemon --session` on a socket in `dir`; resolves once it accepts connections. */
export async function startSessionBus(dir: string): Promise<SessionBus> {
  const socketPath = join(dir, 'bus');
  const daemon: ChildProcess = spawn(
    'dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:path=${socketPath}`],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    daemon.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve(line.trim());
    });
    daemon.once('error', reject);
    daemon.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${String(code)}`)));
  });
  return { address, socketPath, stop: () => void daemon.kill('SIGTERM') };
}

const pad = (parts: number[], to: number): void => {
  while (parts.length % to !== 0) parts.push(0);
};
const u32 = (parts: number[], value: number): void => {
  pad(parts, 4);
  parts.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
};
const str = (parts: number[], value: string): void => {
  u32(parts, Buffer.byteLength(value));
  parts.push(...Buffer.from(value), 0);
};
const sig = (parts: number[], value: string): void => {
  parts.push(value.length, ...Buffer.from(value), 0);
};

/** One method call to the bus itself, marshalled little-endian. */
function busCall(
  serial: number,
  member: string,
  body?: { readonly signature: string; readonly write: (p: number[]) => void },
): Buffer {
  const fields: number[] = [];
  const field = (code: number, type: 'o' | 's' | 'g', value: string): void => {
    pad(fields, 8);
    fields.push(code);
    sig(fields, type);
    if (type === 'g') sig(fields, value);
    else str(fields, value);
  };
  // Field offsets are relative to the whole message: the fixed header is 16 bytes (8-aligned).
  field(1, 'o', '/org/freedesktop/DBus');
  field(2, 's', 'org.freedesktop.DBus');
  field(3, 's', member);
  field(6, 's', 'org.freedesktop.DBus');
  if (body !== undefined) field(8, 'g', body.signature);
  const bodyBytes: number[] = [];
  body?.write(bodyBytes);
  const header: number[] = [0x6c, 1, 0, 1];
  u32(header, bodyBytes.length);
  u32(header, serial);
  u32(header, fields.length);
  const message = [...header, ...fields];
  pad(message, 8);
  return Buffer.from([...message, ...bodyBytes]);
}

/**
 * Connects to the bus and requests `name`; the name is owned until `release()` closes the
 * connection. Resolves after the requests were sent and the bus had time to answer.
 */
export async function ownName(socketPath: string, name: string): Promise<{ release(): void }> {
  const socket: Socket = createConnection(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
  socket.write(`\0AUTH EXTERNAL ${uid}\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (data: Buffer) =>
      data.toString('utf8').startsWith('OK')
        ? resolve()
        : reject(new Error(`D-Bus auth refused: ${data.toString('utf8')}`)),
    );
  });
  socket.write('BEGIN\r\n');
  socket.write(busCall(1, 'Hello'));
  socket.write(
    busCall(2, 'RequestName', {
      signature: 'su',
      write: (p) => {
        str(p, name);
        u32(p, 4); // DBUS_NAME_FLAG_DO_NOT_QUEUE
      },
    }),
  );
  socket.on('data', () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { release: () => socket.destroy() };
}
