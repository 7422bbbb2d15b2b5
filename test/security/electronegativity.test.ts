import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/storage/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Finding {
  readonly rule: string;
  readonly where: string;
  readonly reason: string | null;
}
interface Outcome {
  readonly code: number | null;
  readonly report: { readonly findings: readonly Finding[]; readonly unexplained: number } | null;
  readonly stderr: string;
}

function runScript(dirs: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/electronegativity.mjs'), '--json', ...dirs], {
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let report: Outcome['report'] = null;
      try {
        report = JSON.parse(stdout) as Outcome['report'];
      } catch {
        report = null;
      }
      resolve({ code, report, stderr });
    });
  });
}

const UNSAFE_WINDOW = `import { BrowserWindow } from 'electron';
export function open() {
  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
}
`;

describe('electronegativity over the app sources', () => {
  const temp = makeTempDir('maestro-en-fixture-');
  let app: Outcome;
  let unsafe: Outcome;
  let explained: Outcome;

  beforeAll(async () => {
    mkdirSync(join(temp.dir, 'unsafe'));
    writeFileSync(join(temp.dir, 'unsafe', 'main.js'), UNSAFE_WINDOW);
    mkdirSync(join(temp.dir, 'explained'));
    writeFileSync(
      join(temp.dir, 'explained', 'main.js'),
      UNSAFE_WINDOW.replace(
        '  return new',
        '  // electronegativity-ok: fixture proving an in-place explanation is honoured\n  return new',
      ),
    );
    // The three scans run side by side: each takes seconds, mostly electronegativity waiting for the network it cannot reach.
    [app, unsafe, explained] = await Promise.all([
      runScript(['src-main', 'src-renderer']),
      runScript([join(temp.dir, 'unsafe')]),
      runScript([join(temp.dir, 'explained')]),
    ]);
  }, 120_000);
  afterAll(() => temp.remove());

  it('finds no finding of medium severity or above left unexplained in src-main and src-renderer', () => {
    expect(app.report, app.stderr).not.toBeNull();
    const unexplained = app.report?.findings.filter((finding) => finding.reason === null) ?? [];
    expect(unexplained).toEqual([]);
    expect(app.code).toBe(0);
  });

  it('fails on unexplained findings (context isolation and sandbox off, no navigation limits)', () => {
    expect(unsafe.code).toBe(1);
    const rules =
      unsafe.report?.findings.filter((finding) => finding.reason === null).map((finding) => finding.rule) ?? [];
    expect(rules).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']),
    );
  });

  it('accepts a finding explained by a comment on the line above', () => {
    const local = explained.report?.findings.filter((finding) => finding.where.startsWith('explained/')) ?? [];
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((finding) => finding.reason === 'fixture proving an in-place explanation is honoured')).toBe(
      true,
    );
  });
});
