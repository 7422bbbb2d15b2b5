import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { AgentGateway } from './agent-gateway.js';
import type { AgentAuth } from './agent-handler.js';
import { INTERNAL_ERROR, handleAgentRequest } from './agent-handler.js';
import { MAX_SOCKET_PATH_BYTES, agentEndpoint } from './endpoint.js';
import type { AgentResponse } from './protocol.js';
import { ForwardedNotices, type StorageNoticeSource } from './storage-notice-forwarder.js';
import { MAX_REQUEST_BYTES, parseAgentRequest } from './protocol.js';

export interface AgentOptions {
  readonly dataDir: string;
  readonly auth: AgentAuth;
  /** The local gateway this agent serves beside, if any: its status and key for `status` and `exec --gateway`. */
  readonly gateway?: AgentGateway;
  /** The store's storage notices, forwarded on every answer until acknowledged; absent when memory-only. */
  readonly notices?: StorageNoticeSource;
  /** One line per request (operation, provider, outcome, milliseconds): never a secret. */
  readonly log?: (line: string) => void;
  readonly platform?: NodeJS.Platform;
  /** A client that sends no complete line within this time is answered with an error and dropped. */
  readonly idleTimeoutMs?: number;
  /** A request the core has not answered within this time is answered with an error. */
  readonly requestTimeoutMs?: number;
}

export interface RunningAgent {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Why an agent did not start, in one sentence for the person. */
export class AgentStartError extends Error {
  override readonly name = 'AgentStartError';
}

const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Starts the agent: checks the data directory and any socket file left there, listens owner-only,
 * and answers newline-delimited JSON requests from the core. Refuses (AgentStartError) when another
 * agent answers on the same endpoint or the directory is not private.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const platform = options.platform ?? process.platform;
  const endpoint = await prepareAgentEndpoint(options.dataDir, platform);
  const sockets = new Set<Socket>();
  const served: ServedOptions = { ...options, forwarded: new ForwardedNotices(options.notices) };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, served);
  });
  await listen(server, endpoint, options.dataDir);
  if (platform !== 'win32') chmodSync(endpoint, 0o600);
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // Node removes the socket file when a Unix-socket server closes.
        server.close(() => resolve());
      }),
  };
}

/**
 * Checks that an agent may start for the data directory — private directory, no live agent, no
 * foreign file on the socket path — and removes a stale socket. `the-maestro agent` calls it before
 * opening the store, so a second agent refuses without touching it. Returns the endpoint.
 */
export async function prepareAgentEndpoint(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<string> {
  const endpoint = agentEndpoint(dataDir, platform);
  if (platform === 'win32') {
    if (await answers(endpoint)) throw new AgentStartError(alreadyRunning(dataDir));
    return endpoint;
  }
  preparePrivateDirectory(dataDir);
  if (Buffer.byteLength(endpoint) > MAX_SOCKET_PATH_BYTES)
    throw new AgentStartError(
      `The agent's socket path ${endpoint} is too long for a Unix socket; use a shorter data directory (--data-dir or THE_MAESTRO_DATA_DIR).`,
    );
  await clearStaleSocket(endpoint, dataDir);
  return endpoint;
}

function alreadyRunning(dataDir: string): string {
  return `Another agent is already running for ${dataDir}: stop it first (or use it: the command line talks to it).`;
}

/** Creates the data directory owner-only; refuses one that others may write to or that belongs to someone else. */
function preparePrivateDirectory(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dataDir);
  if (!stat.isDirectory()) throw new AgentStartError(`${dataDir} is not a directory.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw new AgentStartError(`${dataDir} belongs to another user (uid ${stat.uid}); the agent runs only in your own.`);
  if ((stat.mode & 0o022) !== 0)
    throw new AgentStartError(
      `${dataDir} can be written by other users (mode ${(stat.mode & 0o777).toString(8)}); run \`chmod 700 '${dataDir}'\` and start the agent again.`,
    );
  if ((stat.mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
}

/** A socket file left by an agent that crashed is removed; a live one, or a foreign file, is refused. */
async function clearStaleSocket(path: string, dataDir: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new AgentStartError(`${path} exists and is not a socket; move it away and start again.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw new AgentStartError(`${path} belongs to another user (uid ${stat.uid}); the agent will not replace it.`);
  if (await answers(path)) throw new AgentStartError(alreadyRunning(dataDir));
  unlinkSync(path);
}

/** True when something accepts connections on the endpoint. */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(endpoint);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, endpoint: string, dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new AgentStartError(alreadyRunning(dataDir))
          : new AgentStartError(`The agent could not listen on ${endpoint}: ${error.message}`),
      );
    });
    // A deep backlog: a thousand hooks may connect at once (the kernel caps it at somaxconn).
    server.listen({ path: endpoint, backlog: 4096 }, () => resolve());
  });
}

function send(socket: Socket, response: AgentResponse): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
}

function refuse(socket: Socket, id: number, error: ErrorInfo): void {
  send(socket, { v: 1, id, ok: false, error });
  socket.end();
}

/** Reads requests line by line, one at a time, within the size and time limits; answers each. */
/** The options with what the running agent keeps: the storage notices it forwards. */
type ServedOptions = AgentOptions & { readonly forwarded: ForwardedNotices };

function serveConnection(socket: Socket, options: ServedOptions): void {
  let buffered = '';
  let busy = false;
  socket.setEncoding('utf8');
  socket.setTimeout(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
    if (!busy) refuse(socket, 0, { code: 'invalid_request', message: 'No complete request arrived in time.' });
  });
  socket.on('error', () => socket.destroy());
  const pump = async (): Promise<void> => {
    busy = true;
    let newline = buffered.indexOf('\n');
    while (newline >= 0 && !socket.destroyed) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      send(socket, await answerLine(line, options));
      newline = buffered.indexOf('\n');
    }
    busy = false;
  };
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.indexOf('\n') < 0 && Buffer.byteLength(buffered) > MAX_REQUEST_BYTES) {
      buffered = '';
      socket.pause();
      refuse(socket, 0, {
        code: 'invalid_request',
        message: `The request is longer than ${MAX_REQUEST_BYTES} bytes.`,
      });
      options.log?.('agent: refused a request over the size limit');
      return;
    }
    if (!busy) void pump();
  });
}

async function answerLine(line: string, options: ServedOptions): Promise<AgentResponse> {
  const started = performance.now();
  const parsed = parseAgentRequest(line);
  if (!('request' in parsed)) {
    options.log?.(`agent: refused a malformed request (${parsed.error.message})`);
    return { v: 1, id: parsed.id, ok: false, error: parsed.error };
  }
  const { request } = parsed;
  let response: AgentResponse;
  try {
    response = await withTimeout(
      handleAgentRequest(options.auth, request, options.forwarded, options.gateway),
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      {
        v: 1,
        id: request.id,
        ok: false,
        error: { code: 'provider_unavailable', message: 'The agent could not answer in time; try again.' },
      },
    );
  } catch {
    response = { v: 1, id: request.id, ok: false, error: INTERNAL_ERROR };
  }
  const target = 'provider' in request ? ` ${request.provider}` : '';
  const outcome = response.ok ? 'ok' : response.error.code;
  options.log?.(`agent: ${request.op}${target} ${outcome} ${(performance.now() - started).toFixed(2)} ms`);
  return response;
}

function withTimeout<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
