import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseAgentRequest, parseAgentResponse } from '../../../src-main/agent/protocol.js';
import { ForwardedNotices } from '../../../src-main/agent/storage-notice-forwarder.js';
import { handleAgentRequest } from '../../../src-main/agent/agent-handler.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { recordStorageNotice } from '../../../src-main/core/store/sqlite/storage-notices.js';
import type { StatusView } from '../../../src-shared/view-models.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const DAMAGED = 'The credential database was damaged';

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

  it('keeps status warnings live: an acknowledged notice leaves, a new one is added, others stay', async () => {
    const temp = makeTempDir();
    const env = { THE_MAESTRO_DATA_DIR: temp.dir };
    // A damaged database: the core's open moves it aside and records the notice.
    writeFileSync(join(temp.dir, 'maestro.db'), randomBytes(8192));
    const core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
    try {
      const forwarded = new ForwardedNotices(core.store);
      let id = 0;
      const ask = async (op: 'status' | 'acknowledge') => {
        const parsed = parseAgentRequest(JSON.stringify({ v: 1, id: (id += 1), op }));
        if (!('request' in parsed)) throw new Error(`refused ${op}: ${parsed.error.message}`);
        return handleAgentRequest(core.auth, parsed.request, forwarded);
      };
      const warnings = async () => {
        const answer = await ask('status');
        if (!answer.ok) throw new Error(answer.error.message);
        return (answer.value as StatusView).storage.warnings;
      };
      const atOpen = await warnings();
      expect(atOpen).toEqual(expect.arrayContaining([expect.stringContaining(DAMAGED)]));
      const standing = atOpen.filter((warning) => !warning.includes(DAMAGED));
      expect(await ask('acknowledge')).toMatchObject({ ok: true, value: { acknowledged: 1 } });
      expect(await warnings()).toEqual(standing);
      // Another process records a new notice in the same database: the next status says it.
      const other = new Database(join(temp.dir, 'maestro.db'));
      recordStorageNotice(other, 'damaged B');
      other.close();
      expect(await warnings()).toEqual(['damaged B', ...standing]);
    } finally {
      await core.dispose();
      temp.remove();
    }
  });
});
