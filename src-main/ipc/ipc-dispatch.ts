import { isChannelName } from '../../src-shared/ipc-contract.js';
import type { IpcResult } from '../../src-shared/ipc-contract.js';
import type { IpcHandlers } from './ipc-handlers.js';

export type Dispatch = (channel: string, payload: unknown) => Promise<IpcResult<unknown>>;

/**
 * Routes a request by channel name, for transports that receive the name as data (the web
 * transport's URL path). A name that is not a contract channel — including inherited names such
 * as `__proto__` or `toString` — is refused as `invalid_input` without calling anything.
 */
export function createDispatch(handlers: IpcHandlers): Dispatch {
  return async (channel, payload) => {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'invalid_input', message: 'Unknown IPC channel.' } };
    }
    return handlers[channel](payload);
  };
}
