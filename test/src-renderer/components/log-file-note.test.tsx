import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LogFileNote } from '../../../src-renderer/components/LogFileNote.js';

describe('LogFileNote (Settings)', () => {
  it('says where the log file is', () => {
    const html = renderToStaticMarkup(<LogFileNote logFile="/home/me/.config/The Maestro/logs/the-maestro.log" />);
    expect(html).toContain('Log file');
    expect(html).toContain('<code>/home/me/.config/The Maestro/logs/the-maestro.log</code>');
  });

  it('shows nothing when the process keeps no log file', () => {
    expect(renderToStaticMarkup(<LogFileNote logFile={undefined} />)).toBe('');
  });
});
