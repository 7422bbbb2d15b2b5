/** The IPC layer: handlers for every contract channel, a name-based dispatcher, event forwarding. */
export { createIpcHandlers, type IpcDeps, type IpcHandlers, type IpcReply } from './ipc-handlers.js';
export { createDispatch, type Dispatch } from './ipc-dispatch.js';
export { forwardIpcEvents, type EmitEvent } from './ipc-events.js';
