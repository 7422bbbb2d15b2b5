import type { ChannelName } from '../../src-shared/ipc-contract.js';

/**
 * The data the app's first render needs, asked for with no input: the status (the provider list
 * and the active provider) and the settings. The store (maestro-store.ts) asks for them before
 * React mounts; in a browser the web shim asks even earlier, before the contract and the app
 * have loaded, and hands the replies to the store's requests.
 */
export const FIRST_RENDER_CHANNELS = ['session.get', 'settings.get'] as const satisfies readonly ChannelName[];
