#!/usr/bin/env node
// `npm test`: every check The Maestro has, in order — typecheck, lint (type-aware, with import
// cycles and layer rules), format (Prettier), build, unit and
// integration tests (vitest), browser tests (Playwright in Chromium) — then one closing line
// `N passed, N failed, N skipped` counted from the runners' JSON reports. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'reports');

/** True when a process with this id is running (EPERM: running, as another user). */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// One run per checkout. Two runs in one checkout would rebuild out/ (the CLI bundle, the renderer)
// and clear reports/ under each other; a second copy runs beside this one from another checkout
// (`git clone` it), where every port, temporary directory and report is its own.
mkdirSync(reports, { recursive: true });
const lock = join(reports, 'npm-test.pid');
const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : Number.NaN;
if (Number.isInteger(holder) && holder !== process.pid && running(holder)) {
  process.stderr.write(
    `npm test is already running in this checkout (process ${holder}); run a second copy from another checkout, or delete ${lock} if that process is not a test run.\n`,
  );
  process.exit(1);
}
writeFileSync(lock, `${process.pid}\n`);
process.on('exit', () => rmSync(lock, { force: true }));
for (const name of readdirSync(reports).filter((name) => name !== 'npm-test.pid'))
  rmSync(join(reports, name), { recursive: true, force: true });
const only = new Set(process.argv.slice(2));
const wanted = (step) => only.size === 0 || only.has(step);

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, env = {}) {
  process.stdout.write(`\n── ${label}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

/** A check that is one pass or one failure (typecheck, lint, build). */
function check(label, command, args) {
  if (!wanted(label)) return;
  if (run(label, command, args)) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(label);
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  // A test file that fails to load has no test results of its own: count it as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
  ).length;
  totals.failed += (report.numFailedTests ?? 0) + brokenFiles;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
  return true;
}

process.stdout.write(`The Maestro tests on Node ${process.version} (${process.platform}/${process.arch})\n`);
check('typecheck', 'tsc', ['-b']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('format', 'prettier', ['--check', '.']);
check('build', 'npm', ['run', '--silent', 'build']);

if (wanted('unit')) {
  const file = join(reports, 'vitest.json');
  const okRun = run('unit', 'vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  if (!countVitest(file)) {
    totals.failed += 1;
    failures.push('unit (no report)');
  } else if (!okRun) failures.push('unit');
}

// The reliability figures (crash runs, fuzz cases, faults, canary leaks) recorded by test/reliability:
// printed only after a run in which every test passed, and the report itself refuses figures that
// are incomplete or stale.
if (wanted('unit')) {
  if (failures.some((failure) => failure.startsWith('unit')))
    process.stdout.write(
      '\n── reliability figures: not printed, the unit run failed (figures only come from runs that completed)\n',
    );
  else if (!run('reliability figures', 'node', ['scripts/reliability-report.mjs'])) {
    totals.failed += 1;
    failures.push('reliability figures');
  }
}

if (wanted('e2e')) {
  const file = join(reports, 'playwright.json');
  const okRun = run('e2e', 'playwright', ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  if (!countPlaywright(file)) {
    totals.failed += 1;
    failures.push('e2e (no report)');
  } else if (!okRun) failures.push('e2e');
}

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
