import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import type { GatewayStatusView } from '../../src-shared/gateway-view.js';
import type { GatewayController } from '../gateway/gateway-controller.js';
import { GatewayStartError } from '../gateway/gateway-controller.js';
import type { PreferencesStore } from '../preferences/preferences-types.js';

/** What the gateway's channels need: the switch, the remembered port, and the app's clipboard. */
export interface GatewayIpcDeps {
  readonly gateway?: GatewayController;
  readonly preferences: PreferencesStore;
  /**
   * Writes text to the system clipboard from the main process (Electron's clipboard). Absent in
   * web mode: a page would have to receive the key to copy it, so copying is refused there.
   */
  readonly writeClipboard?: (text: string) => Promise<void>;
}

const NO_GATEWAY: ErrorInfo = {
  code: 'not_configured',
  message: 'The local gateway runs in the app, or from a terminal with `the-maestro gateway`.',
};

const NO_CLIPBOARD: ErrorInfo = {
  code: 'not_configured',
  message:
    'The gateway key can be copied only in The Maestro app: this browser page has no access to the app’s clipboard, and the key is never sent to a page. Use `the-maestro exec --gateway -- <command>` to hand it to a tool.',
};

const COPY_FAILED: ErrorInfo = {
  code: 'internal',
  message: 'The system clipboard refused the gateway key; nothing was copied. Try again.',
};

async function started(change: Promise<GatewayStatusView>): Promise<Result<GatewayStatusView>> {
  try {
    return { ok: true, value: await change };
  } catch (error) {
    if (!(error instanceof GatewayStartError)) throw error;
    return { ok: false, error: { code: 'network_error', message: error.message } };
  }
}

/**
 * The gateway's channels. Only requests cross to main: the key is written to the clipboard here
 * and rotated here; no reply carries it (the contract's output schemas have no field for it).
 */
export function gatewayImplementations(deps: GatewayIpcDeps) {
  const { gateway } = deps;
  return {
    'gateway.get': async (): Promise<Result<GatewayStatusView>> =>
      gateway === undefined ? { ok: false, error: NO_GATEWAY } : { ok: true, value: gateway.status() },
    'gateway.setEnabled': async (input: { readonly enabled: boolean }): Promise<Result<GatewayStatusView>> =>
      gateway === undefined ? { ok: false, error: NO_GATEWAY } : started(gateway.setEnabled(input.enabled)),
    'gateway.setPort': async (input: { readonly port: number | null }): Promise<Result<GatewayStatusView>> => {
      if (gateway === undefined) return { ok: false, error: NO_GATEWAY };
      // Remembered even when the port is taken now: the person chose it, and may free it.
      deps.preferences.update({ gatewayPort: input.port });
      return started(gateway.setPort(input.port, 'settings'));
    },
    'gateway.copyKey': async (): Promise<Result<{ readonly copied: true }>> => {
      if (gateway === undefined) return { ok: false, error: NO_GATEWAY };
      if (deps.writeClipboard === undefined) return { ok: false, error: NO_CLIPBOARD };
      try {
        await deps.writeClipboard(gateway.key());
      } catch {
        return { ok: false, error: COPY_FAILED };
      }
      return { ok: true, value: { copied: true } };
    },
    'gateway.rotateKey': async (): Promise<Result<GatewayStatusView>> =>
      gateway === undefined ? { ok: false, error: NO_GATEWAY } : { ok: true, value: gateway.rotateKey() },
  };
}
