import type { IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, type ChannelName } from '../../src-shared/ipc-contract.js';
import type { IpcHandlers } from '../ipc/ipc-handlers.js';
import type { Logger } from '../log/logger.js';
import type { Disposer } from '../core/auth-service.js';
import { checkSenderFrame } from './sender-validation.js';

/** The part of Electron's ipcMain the bridge uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * Registers `ipcMain.handle` for every contract channel. Each request is checked in order:
 * the sender frame first (top frame of our own `app://maestro` page — see sender-validation),
 * then the payload (by the contract schema, inside the handler). A refused sender gets a result
 * error, never an exception, and the handler is not called. The disposer removes every handler.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, logger: Logger): Disposer {
  const registered: ChannelName[] = [];
  for (const channel of CHANNEL_NAMES) {
    const handler = handlers[channel] as (payload: unknown) => Promise<unknown>;
    ipcMain.handle(channel, async (event, payload) => {
      const refused = checkSenderFrame(event.senderFrame);
      if (refused !== null) {
        logger.warn('IPC request refused: sender is not our window', {
          channel,
          frameUrl: event.senderFrame?.url ?? null,
        });
        return { ok: false, error: refused };
      }
      return handler(payload);
    });
    registered.push(channel);
  }
  return () => {
    for (const channel of registered.splice(0)) ipcMain.removeHandler(channel);
  };
}
