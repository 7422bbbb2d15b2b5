import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One of gateway-load-child.ts's processes: ask it something and wait for the answer of a type. */
export interface LoadProcess {
  readonly url: string;
  ask<T>(message: Readonly<Record<string, unknown>>, replyType: string): Promise<T>;
  /** The next message of a type the process sends unasked. */
  next<T>(type: string): Promise<T>;
  close(): Promise<void>;
}

function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { readonly type: string }): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`a gateway benchmark process exited (${String(code)}) before answering "${type}"`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts the fake (`fake <apiKey> <events>`), the client (`client`) or the gateway (`gateway`) in its own process, through tsx. */
export async function startLoadProcess(args: readonly string[]): Promise<LoadProcess> {
  const child = fork(fileURLToPath(new URL('./gateway-load-child.ts', import.meta.url)), [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await reply<{ readonly url: string }>(child, 'ready');
  return {
    url: ready.url,
    ask: (message, replyType) => {
      const answer = reply<never>(child, replyType);
      child.send(message);
      return answer;
    },
    next: (type) => reply(child, type),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}
