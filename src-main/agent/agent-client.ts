import { lstatSync } from 'node:fs';
import type { AgentRequest, AgentResponse } from './protocol.js';
import { MAX_RESPONSE_BYTES, parseAgentResponse } from './protocol.js';

/** Distributes a request type over its union members, so each operation keeps its own fields. */
type WithoutEnvelope<T> = T extends unknown ? Omit<T, 'v' | 'id'> : never;
export type AgentQuery = WithoutEnvelope<AgentRequest>;

/**
 * What came of asking the agent: its answer; `absent` when no agent listens (use the store
 * directly); `broken` when one was there but did not answer properly (it died mid-request, hung,
 * or answered garbage) — the caller may fall back, and says so.
 */
export type AgentCall =
  | { readonly kind: 'answered'; readonly response: AgentResponse }
  | { readonly kind: 'absent' }
  | { readonly kind: 'broken'; readonly reason: string };

const DEFAULT_TIMEOUT_MS = 65_000;

/**
 * One request, one answer, over the agent's socket. Loads only node:net and node:fs: the command
 * line's fast path. A socket that is not owned by this user is not used (it could answer anything).
 */
export function callAgent(
  endpoint: string,
  query: AgentQuery,
  options: { readonly timeoutMs?: number; readonly platform?: NodeJS.Platform } = {},
): Promise<AgentCall> {
  if ((options.platform ?? process.platform) !== 'win32') {
    const socketFile = checkSocketFile(endpoint);
    if (socketFile.kind !== 'usable') return Promise.resolve(socketFile);
  }
  return new Promise((resolve) => {
    let received = '';
    let settled = false;
    // Loaded only when a socket is there to connect to: a `token` with no agent running skips it.
    const { connect } = process.getBuiltinModule('node:net');
    const socket = connect(endpoint);
    const settle = (call: AgentCall): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(call);
    };
    const timer = setTimeout(
      () => settle({ kind: 'broken', reason: 'the agent did not answer in time' }),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${JSON.stringify({ v: 1, id: 1, ...query })}\n`));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (received === '' && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) settle({ kind: 'absent' });
      else settle({ kind: 'broken', reason: `the connection to the agent failed (${error.code ?? error.message})` });
    });
    socket.on('data', (chunk: string) => {
      received += chunk;
      const newline = received.indexOf('\n');
      if (newline < 0) {
        if (received.length > MAX_RESPONSE_BYTES) settle({ kind: 'broken', reason: 'the agent answered too much' });
        return;
      }
      const response = parseAgentResponse(received.slice(0, newline));
      settle(
        response === null
          ? { kind: 'broken', reason: 'the agent answered something that is not a valid response' }
          : { kind: 'answered', response },
      );
    });
    socket.once('close', () => settle({ kind: 'broken', reason: 'the agent closed the connection before answering' }));
  });
}

/** Whether the socket file is ours and private; when there is none, no agent runs. */
function checkSocketFile(path: string): { readonly kind: 'usable' } | Exclude<AgentCall, { kind: 'answered' }> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return { kind: 'absent' };
  }
  const uid = process.getuid?.();
  if (!stat.isSocket()) return { kind: 'broken', reason: `${path} is not a socket` };
  if (uid !== undefined && stat.uid !== uid)
    return { kind: 'broken', reason: `${path} belongs to another user, so it was not used` };
  if ((stat.mode & 0o077) !== 0)
    return { kind: 'broken', reason: `${path} is open to other users, so it was not used` };
  return { kind: 'usable' };
}
