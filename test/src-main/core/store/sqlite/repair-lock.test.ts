import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRepairLock } from '../../../../../src-main/core/store/sqlite/repair-lock.js';
import { bundleChild, type ChildBundle } from '../../../../reliability/support/child-bundle.js';
import { collect } from '../../../../support/storage/child-process.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const CHILDREN = 6;
const ROUNDS = 4;

/** A lock file a crashed process left behind a minute ago. */
function plantStaleLock(file: string, lock = `${file}.repair-lock`): void {
  closeSync(openSync(lock, 'w', 0o600));
  const past = new Date(Date.now() - 60_000);
  utimesSync(lock, past, past);
}

describe('the repair lock', () => {
  let child: ChildBundle;
  beforeAll(async () => {
    child = await bundleChild(new URL('../../../../support/storage/repair-lock-child.ts', import.meta.url));
  }, 60_000);
  afterAll(() => child.remove());

  it('takes over a stale lock and removes it afterwards', () => {
    const temp = makeTempDir();
    try {
      const file = join(temp.dir, 'maestro.db');
      plantStaleLock(file);
      expect(withRepairLock(file, () => 'repaired')).toBe('repaired');
      expect(readdirSync(temp.dir)).toEqual([]);
    } finally {
      temp.remove();
    }
  });

  it('is not blocked by a takeover left half-done by a process that died during it', () => {
    const temp = makeTempDir();
    try {
      const file = join(temp.dir, 'maestro.db');
      plantStaleLock(file);
      plantStaleLock(file, `${file}.repair-lock.takeover`);
      expect(withRepairLock(file, () => 'repaired')).toBe('repaired');
      expect(readdirSync(temp.dir)).toEqual([]);
    } finally {
      temp.remove();
    }
  });

  it(
    `lets exactly one of ${CHILDREN} processes at a time take over a stale lock (${ROUNDS} rounds)`,
    { timeout: 120_000 },
    async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const temp = makeTempDir();
        try {
          const file = join(temp.dir, 'maestro.db');
          plantStaleLock(file);
          const startAt = Date.now() + 1_500;
          const runs = await Promise.all(
            Array.from({ length: CHILDREN }, () =>
              collect(
                spawn(process.execPath, [child.file, file, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] }),
              ),
            ),
          );
          for (const run of runs) {
            expect(run.code, run.stderr).toBe(0);
            outcomes.push(run.stdout.trim());
          }
          expect(existsSync(`${file}.repair-lock`)).toBe(false);
        } finally {
          temp.remove();
        }
      }
      expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
      expect(outcomes).toHaveLength(CHILDREN * ROUNDS);
    },
  );
});
