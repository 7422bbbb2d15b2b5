import { createDispatch } from '../ipc/ipc-dispatch.js';
import { forwardIpcEvents } from '../ipc/ipc-events.js';
import { createIpcHandlers } from '../ipc/ipc-handlers.js';
import type { CommandLineTool } from '../cli-install/command-line-tool.js';
import type { Logger } from '../log/logger.js';
import type { PreferencesStore } from '../preferences/preferences-types.js';
import type { AuthService } from '../core/auth-service.js';
import type { GatewayController } from '../gateway/gateway-controller.js';
import { startWebServer, type WebServer } from './web-server.js';

export interface WebAppOptions {
  readonly auth: AuthService;
  readonly preferences: PreferencesStore;
  readonly staticDir: string;
  readonly port?: number;
  readonly token?: string;
  readonly logger?: Logger;
  /** The local gateway's switch, when this app serves one. */
  readonly gateway?: GatewayController;
  /**
   * Tests only: stands in for the desktop app's "Install command-line tool". `start:web` passes
   * none, so the window is told the action exists only in the desktop app.
   */
  readonly commandLineTool?: CommandLineTool;
}

/**
 * The whole app over the web transport: the same IPC handlers and events as the Electron shell,
 * served to a browser. Used by `npm run start:web` and the Playwright tests.
 */
export function startWebApp(options: WebAppOptions): Promise<WebServer> {
  const handlers = createIpcHandlers({
    auth: options.auth,
    preferences: options.preferences,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.commandLineTool ? { commandLineTool: options.commandLineTool } : {}),
  });
  return startWebServer({
    dispatch: createDispatch(handlers),
    subscribe: (emit) => forwardIpcEvents(options.auth, emit, options.logger),
    staticDir: options.staticDir,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
}
