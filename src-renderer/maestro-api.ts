import type { MaestroApi } from '../src-shared/ipc-contract.js';

declare global {
  interface Window {
    /** Installed by the Electron preload or, in a browser, by the web shim. */
    readonly maestro?: MaestroApi;
  }
}

/** The one way the app reaches the main process. It never knows which transport is behind it. */
export function getMaestroApi(): MaestroApi | null {
  return window.maestro ?? null;
}
