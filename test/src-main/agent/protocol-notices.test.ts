import { describe, expect, it } from 'vitest';
import { parseAgentRequest, parseAgentResponse } from '../../../src-main/agent/protocol.js';
import { ForwardedNotices } from '../../../src-main/agent/storage-notice-forwarder.js';
import { statusView } from '../../support/auth-service-double.js';

describe('storage notices in the agent protocol (an addition within version 1)', () => {
  it('takes the notices of an answer, strings only and bounded, and an answer without them as before', () => {
    const line = (extra: object) => JSON.stringify({ v: 1, id: 3, ok: true, value: 'x', ...extra });
    expect(parseAgentResponse(line({}))).toEqual({ v: 1, id: 3, ok: true, value: 'x' });
    expect(parseAgentResponse(line({ notices: ['damaged', 7, '', 'x'.repeat(2_001), null] }))).toEqual({
      v: 1,
      id: 3,
      ok: true,
      value: 'x',
      notices: ['damaged'],
    });
    expect(parseAgentResponse(line({ notices: Array.from({ length: 40 }, (_, i) => `n${i}`) }))?.notices).toHaveLength(
      16,
    );
    expect(parseAgentResponse(line({ notices: 'damaged' }))).toEqual({ v: 1, id: 3, ok: true, value: 'x' });
  });

  it('accepts acknowledge as an operation of version 1', () => {
    expect(parseAgentRequest('{"v":1,"id":2,"op":"acknowledge"}')).toEqual({
      request: { v: 1, id: 2, op: 'acknowledge' },
    });
  });

  it('keeps status warnings live: an acknowledged notice leaves, a new one is added, others stay', () => {
    const notices = ['damaged A'];
    const forwarded = new ForwardedNotices({
      storageNotices: () => [...notices],
      acknowledgeStorageNotices: () => notices.splice(0).length,
    });
    const status = statusView({
      storage: { level: 'key_file', persistent: true, description: 'x', warnings: ['keyring note', 'damaged A'] },
    });
    expect(forwarded.liveStatus(status, forwarded.pending())).toBe(status);
    expect(forwarded.acknowledge()).toBe(1);
    expect(forwarded.liveStatus(status, forwarded.pending()).storage.warnings).toEqual(['keyring note']);
    notices.push('damaged B');
    expect(forwarded.liveStatus(status, forwarded.pending()).storage.warnings).toEqual(['keyring note', 'damaged B']);
  });
});
