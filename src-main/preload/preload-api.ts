import { createApiFromInvoker, isChannelName, isEventName, type MaestroApi } from '../../src-shared/ipc-contract.js';

/** The part of Electron's ipcRenderer the preload uses (never exposed to the page itself). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The window's API, generated from the contract over ipcRenderer: one method per channel that
 * invokes exactly that channel, and `on(event)` for contract events only. Listeners receive the
 * payload alone — never Electron's event object, whose `sender` would hand the page ipcRenderer.
 */
export function createPreloadApi(ipcRenderer: IpcRendererLike): MaestroApi {
  return createApiFromInvoker(
    (channel, input) => {
      // The contract builds every call; this guard only keeps a future refactor honest.
      if (!isChannelName(channel)) return Promise.reject(new TypeError('Unknown channel'));
      return ipcRenderer.invoke(channel, input);
    },
    (event, listener) => {
      if (!isEventName(event)) throw new TypeError('Unknown event');
      const forward = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, forward);
      return () => {
        ipcRenderer.removeListener(event, forward);
      };
    },
  );
}
