import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyProvider } from '../../../../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { collect, spawnTsChild } from '../../../../support/storage/child-process.js';
import { CRASH_ACCOUNT, crashTokens } from '../../../../support/storage/child-protocol.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const LONG = process.env.THE_MAESTRO_LONG === '1';
const CRASH_ROUNDS = LONG ? 200 : 30;
const crashChild = new URL('../../../../support/storage/crash-child.ts', import.meta.url);
const leaseChild = new URL('../../../../support/storage/lease-child.ts', import.meta.url);

/** A small deterministic generator (mulberry32), so a failing run can be repeated by its seed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lastAck(stdout: string): number {
  const acks = stdout.split('\n').filter((line) => line.startsWith('ack ') || line.startsWith('ready '));
  const last = acks.at(-1);
  return last === undefined ? 0 : Number(last.split(' ')[1]);
}

function integrityCheck(file: string): string[] {
  const db = new Database(file);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

/** Runs the crash child until it has acknowledged a write, then kills it `delayMs` later. */
async function runAndKill(dataDir: string, delayMs: number): Promise<{ acked: number; stderr: string }> {
  const child = spawnTsChild(crashChild, [dataDir]);
  let armed = false;
  const outcome = await collect(child, (soFar) => {
    // Armed on the first acknowledged write, not on start-up: every round then moves the generation
    // on by at least one, however slowly a loaded machine runs the child.
    if (armed || !soFar.includes('\nack ')) return;
    armed = true;
    setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  if (outcome.signal !== 'SIGKILL')
    throw new Error(`crash child ended by itself (code ${String(outcome.code)}): ${outcome.stderr}`);
  return { acked: lastAck(outcome.stdout), stderr: outcome.stderr };
}

describe('credential store across processes', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it(
    `loses nothing committed and tears nothing when a writer is SIGKILLed ${CRASH_ROUNDS} times`,
    { timeout: LONG ? 1_800_000 : 600_000 },
    async () => {
      const seed = Number(process.env.THE_MAESTRO_SEED ?? 20261124);
      const random = randomFrom(seed);
      const keyProvider = new FileKeyProvider(join(temp.dir, 'master.key'));
      let previous = 0;
      for (let round = 0; round < CRASH_ROUNDS; round += 1) {
        const { acked } = await runAndKill(temp.dir, Math.floor(random() * 120));
        const context = `round ${round} (seed ${seed}), last acknowledged generation ${acked}`;
        expect(integrityCheck(join(temp.dir, 'maestro.db')), context).toEqual(['ok']);
        const { store } = await openCredentialStore({ dataDir: temp.dir, keyProviders: [keyProvider] });
        try {
          const [meta, ...others] = store.list({ provider: 'openai', accountLabel: CRASH_ACCOUNT });
          if (meta === undefined) throw new Error(`${context}: the credential is gone`);
          expect(others).toEqual([]);
          expect(meta.generation, context).toBeGreaterThanOrEqual(Math.max(acked, previous));
          const opened = store.get(meta.id);
          expect(opened?.credential, context).toMatchObject({ kind: 'oauth', ...crashTokens(meta.generation) });
          expect(opened?.meta.expiresAt, context).toBe(meta.generation === 1 ? 1 : meta.generation);
          for (const row of store.list())
            expect(() => store.get(row.id), `${context}: row ${row.accountLabel}`).not.toThrow();
          previous = meta.generation;
        } finally {
          store.close();
        }
      }
      expect(previous).toBeGreaterThan(CRASH_ROUNDS);
    },
  );

  it(
    'gives a lease to one process at a time: no overlap and no lost update between two processes',
    { timeout: 180_000 },
    async () => {
      const iterations = LONG ? 200 : 40;
      const { store } = await openCredentialStore({
        dataDir: temp.dir,
        keyProviders: [new FileKeyProvider(join(temp.dir, 'master.key'))],
      });
      store.close();
      // Both children open their store first; the go file starts them together (start-up under load
      // can differ by seconds, longer than either needs for all its iterations).
      let ready = 0;
      const outcomes = await Promise.all(
        ['alpha', 'beta'].map((owner) => {
          let seen = false;
          return collect(spawnTsChild(leaseChild, [temp.dir, owner, String(iterations)]), (soFar) => {
            if (seen || !soFar.includes('ready\n')) return;
            seen = true;
            ready += 1;
            if (ready === 2) writeFileSync(join(temp.dir, 'go'), '');
          });
        }),
      );
      for (const outcome of outcomes) {
        expect(outcome.stderr).toBe('');
        expect(outcome.code).toBe(0);
        expect(outcome.stdout).not.toContain('violation');
        expect(outcome.stdout).toMatch(new RegExp(`acquired=${iterations} `));
      }
      // Both processes really contended at least once.
      const refusals = outcomes.map((o) => Number(/refused=(\d+)/.exec(o.stdout)?.[1] ?? 0));
      expect(refusals.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const after = await openCredentialStore({
        dataDir: temp.dir,
        keyProviders: [new FileKeyProvider(join(temp.dir, 'master.key'))],
      });
      expect(after.store.getState('count')).toBe(2 * iterations);
      expect(after.store.tryAcquireLease('refresh:shared', 'gamma', 1_000)?.owner).toBe('gamma');
      after.store.close();
    },
  );
});
