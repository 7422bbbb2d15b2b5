import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundleRequestHandler, resolveBundlePath } from '../../../src-main/electron/bundle-file-server.js';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/content-security-policy.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'maestro-bundle-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  // A secret next to the bundle that no request may reach.
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') =>
  createBundleRequestHandler({ rootDir: root })(new Request(url, { method }));

describe('the app protocol', () => {
  it('serves the UI from the bundle with the strict CSP header', async () => {
    const response = await get('app://maestro/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<script type="module"');
    const csp = response.headers.get('content-security-policy');
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the root as index.html and assets with their content types', async () => {
    expect(await (await get('app://maestro/')).text()).toContain('<!doctype html>');
    expect((await get('app://maestro/assets/app.js')).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await get('app://maestro/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://maestro/../secret.txt',
    'app://maestro/%2e%2e/secret.txt',
    'app://maestro/assets/%2E%2E/%2E%2E/secret.txt',
    'app://maestro/..%2fsecret.txt',
    'app://maestro/assets/..%5c..%5csecret.txt',
    'app://maestro/%00index.html',
    'app://maestro/C:/Windows/win.ini',
  ])('refuses to leave the bundle: %s', async (url) => {
    const response = await get(url);
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain('TOP-SECRET');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses other hosts, missing files and methods other than GET and HEAD', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://maestro/missing.js')).status).toBe(404);
    expect((await get('app://maestro/index.html', 'POST')).status).toBe(405);
    const head = await get('app://maestro/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('never resolves a path outside the root, whatever the segments', () => {
    for (const url of ['app://maestro/a/../../b', 'app://maestro/./index.html', 'app://maestro//etc/passwd']) {
      const resolved = resolveBundlePath(root, url);
      if (resolved.ok) expect(resolved.path.startsWith(`${root}/`)).toBe(true);
    }
    expect(resolveBundlePath(root, 'app://maestro//etc/passwd')).toEqual({
      ok: true,
      path: join(root, 'etc', 'passwd'),
    });
  });
});
