#!/usr/bin/env node
// Prints the reliability figures recorded by test/reliability/** (reports/reliability/*.json):
// crash runs and losses, fuzz cases per target and failures, fault scenarios and outcomes,
// canary leaks. Figures come only from tests that completed. Exits 1 when a figure shows a
// failure, when no figures were recorded, when they are incomplete (a test file of
// test/reliability has no report, or one of its tests failed or stopped early) or stale (the code
// or the tests changed after the figures were recorded).
// Usage: node scripts/reliability-report.mjs [--markdown]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// THE_MAESTRO_RELIABILITY_DIR: another report directory (the report's own tests).
const dir = process.env['THE_MAESTRO_RELIABILITY_DIR'] ?? join(root, 'reports', 'reliability');
const markdown = process.argv.includes('--markdown');

const SECTIONS = [
  { kind: 'crash', title: 'Crash safety', runs: 'kills / runs', failures: 'losses' },
  { kind: 'canary', title: 'Secrets', runs: 'texts and files scanned', failures: 'leaks' },
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

/** Newest modification time (ms) of the files under `path`, recursively. */
function newestUnder(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestUnder(join(path, name))));
}

const problems = [];
const expected = readdirSync(join(root, 'test', 'reliability'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => name.slice(0, -'.test.ts'.length));
for (const name of expected.filter((name) => !reports.some((report) => report.name === name)))
  problems.push(`incomplete: test/reliability/${name}.test.ts recorded no figures`);
for (const report of reports) {
  if (!Array.isArray(report.failedTests))
    problems.push(`incomplete: ${report.name}.json does not say which tests completed`);
  for (const test of report.failedTests ?? [])
    problems.push(`incomplete: "${test}" (${report.name}) failed or stopped early`);
}
const codeChanged = Math.max(...['src-main', 'src-shared', 'test'].map((part) => newestUnder(join(root, part))));
for (const report of reports) {
  if (Date.parse(report.finishedAt) < codeChanged - 1000)
    problems.push(`stale: ${report.name}.json (${report.finishedAt}) is older than the code and tests it measured`);
}

const everyRow = reports.flatMap((report) =>
  report.rows.filter((row) => row.complete !== false).map((row) => ({ ...row, file: report.name })),
);
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
    `${markdown ? '### ' : ''}${section.title}: ${runs} ${section.runs} over ${rows.length} targets, ${failures} ${section.failures}`,
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
if (problems.length > 0) {
  out.push('', 'These figures cannot be trusted as a whole:', ...problems.map((problem) => `- ${problem}`));
}
out.push(
  '',
  totalFailures > 0
    ? `${totalFailures} failure(s): see the rows above.`
    : problems.length > 0
      ? 'No failure in the rows above, but the figures are incomplete or stale (see above).'
      : 'Zero losses, zero leaks, zero unhandled failures.',
);
process.stdout.write(`${out.join('\n')}\n`);
process.exit(totalFailures === 0 && problems.length === 0 ? 0 : 1);
