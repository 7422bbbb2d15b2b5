import { describe, expect, it } from 'vitest';
import { checkSenderFrame } from '../../../src-main/electron/sender-validation.js';

const topFrame = (url: string) => ({ url, parent: null });

describe('the IPC sender check', () => {
  it('accepts the top frame of our own page', () => {
    expect(checkSenderFrame(topFrame('app://maestro/index.html'))).toBeNull();
    expect(checkSenderFrame(topFrame('app://maestro/'))).toBeNull();
  });

  it('refuses a frame that no longer exists (null frame)', () => {
    expect(checkSenderFrame(null)).toMatchObject({ code: 'invalid_request' });
    expect(checkSenderFrame(undefined)).toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a sub-frame, even one showing our own page', () => {
    const parent = topFrame('app://maestro/index.html');
    expect(checkSenderFrame({ url: 'app://maestro/index.html', parent })).toMatchObject({ code: 'invalid_request' });
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://maestro.evil.example/index.html',
    'about:blank',
    'data:text/html,hi',
    '',
    'not a url',
  ])('refuses a foreign top frame: %s', (url) => {
    const refused = checkSenderFrame(topFrame(url));
    expect(refused).toMatchObject({ code: 'invalid_request' });
    expect(refused?.message).toMatch(/^Request refused/);
  });
});
