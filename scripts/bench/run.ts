/**
 * `npm run bench` (node --import tsx scripts/bench/run.ts): the benchmark suite of issue 6.
 *
 *   npm run bench                      full run: prints the table, writes bench-results.json
 *   npm run bench -- --check           exits 1 when a target is missed
 *   npm run bench -- --quick           tiny counts (the figures are not meaningful, only the plumbing)
 *   npm run bench -- --only resolve,cold-start
 *   npm run bench -- --out other.json
 *
 * Always through npm, so Node 22 (the devDependency) runs it: better-sqlite3 needs it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL_SETTINGS, QUICK_SETTINGS } from './bench-types.js';
import { formatMachine, formatNotes, formatTable } from './report.js';
import { BENCHMARKS, runSuite } from './suite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Args {
  readonly check: boolean;
  readonly quick: boolean;
  readonly only?: readonly string[];
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Args {
  let check = false;
  let quick = false;
  let only: string[] | undefined;
  let out = resolve(ROOT, 'bench-results.json');
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++index] ?? '';
    if (name === '--check') check = true;
    else if (name === '--quick') quick = true;
    else if (name === '--only')
      only = value()
        .split(',')
        .filter((id) => id.length > 0);
    else if (name === '--out') out = resolve(value());
    else throw new Error(`unknown argument ${arg} (use --check, --quick, --only <ids>, --out <file>)`);
  }
  const known = new Set(BENCHMARKS.map((benchmark) => benchmark.id));
  const unknown = only?.filter((id) => !known.has(id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return { check, quick, out, ...(only !== undefined ? { only } : {}) };
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const report = await runSuite({
    settings: args.quick ? QUICK_SETTINGS : FULL_SETTINGS,
    ...(args.only !== undefined ? { only: args.only } : {}),
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `\nThe Maestro benchmarks — ${formatMachine(report.machine)}${args.quick ? ' (quick: figures not meaningful)' : ''}\n\n`,
  );
  process.stdout.write(`${formatTable(report.rows)}\n\n`);
  const notes = formatNotes(report.rows);
  if (notes.length > 0) process.stdout.write(`${notes}\n\n`);
  const failed = report.rows.filter((row) => !row.pass).length;
  process.stdout.write(
    `${report.rows.length - failed} of ${report.rows.length} targets met in ${report.durationSeconds} s; results in ${args.out}\n`,
  );
  return args.check && !report.pass ? 1 : 0;
}

// Exit explicitly: a benchmark's stray handle must not keep the run alive after the report.
process.exit(await main());
