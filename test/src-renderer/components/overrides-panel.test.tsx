import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OverridesPanel } from '../../../src-renderer/components/OverridesPanel.js';

describe('OverridesPanel', () => {
  it('lists every override with its value and where it was set', () => {
    const html = renderToStaticMarkup(
      <OverridesPanel
        overrides={[
          {
            provider: 'anthropic',
            setting: 'API base URL',
            value: 'http://127.0.0.1:8080',
            source: 'THE_MAESTRO_ANTHROPIC_API_BASE_URL',
          },
          { provider: null, setting: 'Plain-http sign-in servers on this machine', value: 'allowed', source: 'X' },
        ]}
      />,
    );
    expect(html).toContain('Overridden endpoints');
    expect(html).toContain(
      'anthropic API base URL: <code>http://127.0.0.1:8080</code> (set by <code>THE_MAESTRO_ANTHROPIC_API_BASE_URL</code>)',
    );
    expect(html).toContain('Plain-http sign-in servers on this machine: <code>allowed</code>');
  });

  it('shows nothing when no override is in effect', () => {
    expect(renderToStaticMarkup(<OverridesPanel overrides={[]} />)).toBe('');
  });
});
