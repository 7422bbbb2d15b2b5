#!/usr/bin/env node
// Prints the reliability figures recorded by test/reliability/** (reports/reliability/*.json):
// crash runs and losses, fuzz cases per target and failures, fault scenarios and outcomes,
// canary leaks. Exits 1 when a figure shows a failure or when no figures were recorded.
// Usage: node scripts/reliability-report.mjs [--markdown]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../reports/reliability/', import.meta.url).pathname;
const markdown = process.argv.includes('--markdown');

const SECTIONS = [
  { kind: 'crash', title: 'Crash safety', runs: 'kills / runs', failures: 'losses' },
  { kind: 'canary', title: 'Secrets', runs: 'places scanned', failures: 'leaks' },
  { kind: 'fuzz', title: 'Hostile input (fast-check)', runs: 'cases', failures: 'failures' },
  { kind: 'fault', title: 'Provider faults and corruption', runs: 'scenarios', failures: 'wrong outcomes' },
  { kind: 'check', title: 'Other checks', runs: 'runs', failures: 'failures' },
];

function load() {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

function table(header, rows) {
  if (markdown) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => String(row[index]).length)));
  const line = (cells) =>
    cells
      .map((cell, index) =>
        index === 1 || index === 2 ? String(cell).padStart(widths[index]) : String(cell).padEnd(widths[index]),
      )
      .join('  ');
  return [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const reports = load();
if (reports.length === 0) {
  process.stdout.write(`No reliability figures in ${dir}; run \`vitest run test/reliability\` first.\n`);
  process.exit(1);
}

const everyRow = reports.flatMap((report) => report.rows.map((row) => ({ ...row, file: report.name })));
const allRows = everyRow.filter((row) => row.knownBug === undefined);
const knownBugs = everyRow.filter((row) => row.knownBug !== undefined);
const out = [];
const seeds = [...new Set(reports.map((report) => report.seed))].join(', ');
const long = reports.some((report) => report.long);
out.push(`Reliability figures (${long ? 'long run' : 'CI run'}, seed ${seeds}, ${reports.length} test files)`);
let totalFailures = 0;
for (const section of SECTIONS) {
  const rows = allRows.filter((row) => row.kind === section.kind);
  if (rows.length === 0) continue;
  const runs = rows.reduce((sum, row) => sum + row.runs, 0);
  const failures = rows.reduce((sum, row) => sum + row.failures, 0);
  totalFailures += failures;
  out.push(
    '',
    `${markdown ? '### ' : ''}${section.title}: ${runs} ${section.runs}, ${failures} ${section.failures}`,
    '',
  );
  out.push(
    table(
      ['target', section.runs, section.failures, 'detail'],
      rows.map((row) => [row.target, row.runs, row.failures, row.detail ?? '']),
    ),
  );
}
if (knownBugs.length > 0) {
  out.push('', `${markdown ? '### ' : ''}Known bugs (kept as expected failures, not counted above)`, '');
  out.push(
    table(
      ['target', 'runs', 'failures', 'bug'],
      knownBugs.map((row) => [row.target, row.runs, row.failures, row.knownBug]),
    ),
  );
}
out.push(
  '',
  totalFailures === 0
    ? 'Zero losses, zero leaks, zero unhandled failures.'
    : `${totalFailures} failure(s): see the rows above.`,
);
process.stdout.write(`${out.join('\n')}\n`);
process.exit(totalFailures === 0 ? 0 : 1);
