import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { KeyringChoice } from '../../../src-renderer/components/KeyringChoice.js';
import { WindowCloseChoice } from '../../../src-renderer/components/WindowCloseChoice.js';

const ignore = (): void => undefined;

describe('KeyringChoice', () => {
  it('offers every documented --password-store value, shows the current one, and says a restart is needed', () => {
    const html = renderToStaticMarkup(<KeyringChoice choice="kwallet5" onChange={ignore} />);
    for (const value of ['auto', 'gnome-libsecret', 'kwallet6', 'kwallet5', 'kwallet', 'basic'])
      expect(html).toContain(`value="${value}"`);
    expect(html).toMatch(/<option value="kwallet5" selected="">KWallet 5<\/option>/);
    expect(html).toContain('Takes effect after The Maestro is restarted');
  });
});

describe('WindowCloseChoice', () => {
  it.each([
    [null, 'auto'],
    [true, 'tray'],
    [false, 'quit'],
  ] as const)('shows closeToTray %s as the "%s" choice', (closeToTray, checked) => {
    const html = renderToStaticMarkup(<WindowCloseChoice closeToTray={closeToTray} onChange={ignore} />);
    expect(html).toContain('When the window is closed');
    expect(html).toMatch(new RegExp(`checked="" value="${checked}"`));
    expect(html.match(/checked=""/g)).toHaveLength(1);
  });
});
