/**
 * Child process of the repair-lock test: at an agreed moment (a shared start time, so several
 * children really race for a stale lock) takes the repair lock of `<file>` and, while holding
 * it, claims `<file>.inside` with O_EXCL for a few milliseconds. Two holders at once show as a
 * failed claim. Prints `ok` or `violation`. Usage: repair-lock-child.ts <file> <startAtEpochMs>
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import { withRepairLock } from '../../../src-main/core/store/sqlite/repair-lock.js';
import { sleepSync } from './child-process.js';

const [file, startAt] = process.argv.slice(2);
if (file === undefined || startAt === undefined) throw new Error('usage: repair-lock-child.ts <file> <startAtEpochMs>');
// Busy-wait rather than sleep: timers would let the children drift apart by milliseconds.
while (Date.now() < Number(startAt)) {
  // spin
}
const outcome = withRepairLock(
  file,
  () => {
    const inside = `${file}.inside`;
    try {
      closeSync(openSync(inside, 'wx'));
    } catch {
      return 'violation';
    }
    sleepSync(20);
    rmSync(inside, { force: true });
    return 'ok';
  },
  { onStale: () => sleepSync(Math.random() * 20) },
);
process.stdout.write(`${outcome}\n`);
