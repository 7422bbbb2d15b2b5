#!/usr/bin/env node
// Runs @doyensec/electronegativity (Electron's security linter) over the app's sources and fails
// on every finding of medium severity or above that is not explained in place.
//
// - Electronegativity always exits 0, so it writes SARIF (`-o …sarif`) and this script reads it.
//   SARIF carries no severity, so the scan itself keeps only medium and above (`-s medium`).
// - src-main and src-renderer are copied side by side into one temporary folder and scanned in
//   one run: global checks (navigation limits, permission handlers, CSP) must see the whole app.
// - An explanation is a comment on the flagged line or the line above it:
//     // electronegativity-ok: <why this is safe>
// - A global finding has no line to comment; the few that apply are explained below, each
//   naming the test that proves the property.
// - AvailableSecurityFixesGlobalCheck is skipped: it downloads Electron's release list (there is
//   no network here); the Electron version is pinned in package.json and upgraded deliberately.
//
// Usage: node scripts/electronegativity.mjs [--json] [dir …]   (default dirs: src-main src-renderer)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const MARKER = /electronegativity-ok:\s*\S/;

/** Global findings (no file, no line) and why each is not a problem here. */
const GLOBAL_EXPLANATIONS = {
  CSP_GLOBAL_CHECK:
    'The CSP is an HTTP response header set by the app:// protocol handler (src-main/electron/bundle-file-server.ts), ' +
    'a place this tool does not look; test/src-main/electron/bundle-file-server.test.ts and test/smoke/main-bundle.test.ts ' +
    'assert it on every response.',
};

const ELECTRON_VERSION = '45.4.1';

function parseArgs(argv) {
  const json = argv.includes('--json');
  const dirs = argv.filter((arg) => arg !== '--json');
  return { json, dirs: dirs.length > 0 ? dirs : ['src-main', 'src-renderer'] };
}

/** Copies the scanned folders into one temporary root; returns it and the map back to real paths. */
function stage(dirs) {
  const root = mkdtempSync(join(tmpdir(), 'maestro-electronegativity-'));
  const origins = new Map();
  for (const dir of dirs) {
    const name = basename(resolve(dir));
    cpSync(resolve(dir), join(root, name), { recursive: true });
    origins.set(name, resolve(dir));
  }
  return { root, origins };
}

function scan(root) {
  const bin = createRequire(import.meta.url).resolve('@doyensec/electronegativity/dist/index.js');
  const sarif = join(root, '..', `${basename(root)}.sarif`);
  const args = [
    bin,
    '-i',
    root,
    '-o',
    sarif,
    '-r',
    '-v',
    'false',
    '-s',
    'medium',
    '-e',
    ELECTRON_VERSION,
    '-x',
    'AvailableSecurityFixesGlobalCheck',
  ];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } });
  if (run.status !== 0) throw new Error(`electronegativity failed (exit ${run.status}):\n${run.stderr}`);
  try {
    return JSON.parse(readFileSync(sarif, 'utf8'));
  } catch (error) {
    throw new Error(`electronegativity wrote no readable SARIF (${error.message}):\n${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(sarif, { force: true });
  }
}

/** The explanation on the flagged line or the line above it, if any. */
function explanationAt(file, line) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const candidate of [lines[line - 1], lines[line - 2]]) {
    const match = candidate?.match(/electronegativity-ok:\s*(.+?)\s*(\*\/)?\s*$/);
    if (candidate !== undefined && MARKER.test(candidate) && match) return match[1];
  }
  return null;
}

function classify(sarif, root, origins) {
  const findings = [];
  for (const run of sarif.runs ?? []) {
    for (const result of run.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const line = location?.region?.startLine ?? 0;
      const base = { rule: result.ruleId, message: result.message?.text ?? '', manualReview: result.level === 'note' };
      if (uri === '' || uri.startsWith('file:')) {
        const reason = GLOBAL_EXPLANATIONS[result.ruleId] ?? null;
        findings.push({ ...base, where: '(global)', reason });
        continue;
      }
      const [top, ...rest] = uri.split('/');
      const real = origins.has(top) ? join(origins.get(top), ...rest) : join(root, uri);
      findings.push({
        ...base,
        where: `${top}/${rest.join('/')}:${line}`,
        reason: explanationAt(join(root, uri), line),
        file: real,
        line,
      });
    }
  }
  return findings;
}

function report(findings, json) {
  const unexplained = findings.filter((finding) => finding.reason === null);
  if (json) {
    process.stdout.write(`${JSON.stringify({ findings, unexplained: unexplained.length }, null, 2)}\n`);
    return unexplained.length;
  }
  process.stdout.write(
    `electronegativity (Electron ${ELECTRON_VERSION}): ${findings.length} finding(s) of medium severity or above\n`,
  );
  for (const finding of findings) {
    const status = finding.reason === null ? 'UNEXPLAINED' : 'explained  ';
    process.stdout.write(
      `  ${status} ${finding.rule} at ${finding.where}${finding.reason === null ? ` — ${finding.message}` : ` — ${finding.reason}`}\n`,
    );
  }
  process.stdout.write(`${findings.length - unexplained.length} explained, ${unexplained.length} unexplained\n`);
  return unexplained.length;
}

function main() {
  const { json, dirs } = parseArgs(process.argv.slice(2));
  const { root, origins } = stage(dirs);
  try {
    const findings = classify(scan(root), root, origins);
    process.exitCode = report(findings, json) > 0 ? 1 : 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
