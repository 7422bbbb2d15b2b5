/**
 * The program the cold-start benchmark times, bundled by esbuild (better-sqlite3 external) so
 * that what is measured is the core's own cost, not a TypeScript loader's: start the core on a
 * data directory (open the database, migrate when needed, unlock the data key, load the
 * configuration and the provider registry), read what the window shows first (sessions,
 * preferences, every provider's status), report, and exit.
 *
 * argv: <dataDir>. Prints one JSON line: { rss, providers, decrypts, phases }. `decrypts` counts
 * AES-GCM decryptions when the bundle was built with the counting crypto shim (else null);
 * `phases` are milliseconds since the process started: code loaded, core created, status read.
 */
import { createCore } from '../../src-main/core/create-core.js';

/** Milliseconds since the process started, without the global `performance` (its first use loads perf_hooks). */
const sinceStart = (): number => process.uptime() * 1000;

const loaded = sinceStart();
const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: core-start <dataDir>');
const core = await createCore({ dataDir, env: process.env, purpose: 'bench' });
const created = sinceStart();
const status = await core.auth.status();
const statusRead = sinceStart();
const rss = process.memoryUsage().rss;
const decrypts = (globalThis as { __maestroBenchDecrypts?: number }).__maestroBenchDecrypts ?? null;
await core.dispose();
process.stdout.write(
  `${JSON.stringify({ rss, providers: status.providers.length, decrypts, phases: { loaded, created, statusRead } })}\n`,
);
