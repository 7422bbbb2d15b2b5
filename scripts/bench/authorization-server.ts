import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PUBLIC_CLIENT_ID } from '../../test/fakes/oauth-server.js';

export interface RemoteAuthorizationServer {
  readonly issuer: string;
  /** Requests that reached the token endpoint since the last reset. */
  tokenRequests(): Promise<number>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

type Reply = { type: 'ready'; issuer: string } | { type: 'counters'; tokenRequests: number } | { type: 'reset' };

function nextReply<T extends Reply['type']>(child: ChildProcess, type: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Reply): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<Reply, { type: T }>);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`the authorization server exited (${String(code)}) before answering "${type}"`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Starts one of test/fakes' authorization servers in a child process (through tsx) and waits for
 * it: the oidc-provider server (default), or the Sign-in-with-ChatGPT fake.
 */
export async function startRemoteAuthorizationServer(
  which: 'oidc' | 'siwc' = 'oidc',
): Promise<RemoteAuthorizationServer> {
  const script = which === 'siwc' ? './siwc-server-child.ts' : './oidc-server-child.ts';
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready');
  const ask = async <T extends Reply['type']>(request: 'counters' | 'reset', type: T) => {
    const reply = nextReply(child, type);
    child.send({ type: request });
    return reply;
  };
  return {
    issuer: ready.issuer,
    tokenRequests: async () => (await ask('counters', 'counters')).tokenRequests,
    reset: async () => {
      await ask('reset', 'reset');
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/**
 * The environment that points the core's OpenAI OAuth at the local server: an organisation's
 * configured public client, coming back by deep link or loopback.
 */
export function openaiOAuthEnv(issuer: string): Record<string, string> {
  return {
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: issuer,
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
    THE_MAESTRO_DEEP_LINK_SCHEME: 'app.themaestro.test',
  };
}
