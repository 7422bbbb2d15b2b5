import { IPC_EVENTS, type EventName, type EventPayload } from '../../src-shared/ipc-contract.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import type { AuthService, Disposer } from '../core/auth-service.js';

/** Sends one push event to the window(s) over whatever transport the caller has. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Forwards the core's notifications as contract events (`status.changed`, `auth.flowFinished`).
 * Each payload goes through its event schema first, which drops fields the contract does not
 * name. Returns one disposer for both subscriptions.
 */
export function forwardIpcEvents(auth: AuthService, emit: EmitEvent, logger: Logger = silentLogger): Disposer {
  const send = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    const parsed = IPC_EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      logger.error('IPC event does not match the contract', { event });
      return;
    }
    emit(event, parsed.data as EventPayload<E>);
  };
  const disposers = [
    auth.onDidChangeStatus((status) => send('status.changed', status)),
    auth.onDidFinishFlow((finished) => send('auth.flowFinished', finished)),
  ];
  return () => {
    for (const dispose of disposers.splice(0)) dispose();
  };
}
