// Types and constants only: the schemas are in gateway-view-schema.ts, so the command line's
// `status` and `token` (which need GATEWAY_OFF, not a schema) build none.

/** One provider's gateway counters: requests served and the last error (never a key or a body). */
export interface GatewayProviderView {
  readonly requests: number;
  readonly lastError: { readonly status: number; readonly message: string; readonly at: number } | null;
}

/**
 * Where the gateway's port came from: any free port (nothing chosen), the window's Settings, the
 * command line's `--port`, or THE_MAESTRO_GATEWAY_PORT.
 */
export const GATEWAY_PORT_SOURCES = ['automatic', 'settings', 'command_line', 'environment'] as const;
export type GatewayPortSource = (typeof GATEWAY_PORT_SOURCES)[number];

/** The port a person may choose: below 1024 needs privileges, above 65535 does not exist. */
export const GATEWAY_PORT_MIN = 1024;
export const GATEWAY_PORT_MAX = 65_535;

/** The sentence for a port outside the range, wherever it is checked. */
export const GATEWAY_PORT_RULE = `The gateway's port is a whole number from ${GATEWAY_PORT_MIN} to ${GATEWAY_PORT_MAX}, or empty for any free port.`;

/** What the window and `status` show of the local gateway: never the gateway key. */
export interface GatewayStatusView {
  readonly enabled: boolean;
  /** The port it listens on while enabled; null while off. */
  readonly port: number | null;
  /** The port it listens on, or will when turned on; null for any free port. */
  readonly configuredPort: number | null;
  readonly portSource: GatewayPortSource;
  readonly url: string | null;
  readonly providers: {
    readonly anthropic: GatewayProviderView;
    readonly openai: GatewayProviderView;
    readonly google: GatewayProviderView;
  } | null;
}

/** The gateway switched off, as an agent that serves none reports it. */
export const GATEWAY_OFF: GatewayStatusView = Object.freeze({
  enabled: false,
  port: null,
  configuredPort: null,
  portSource: 'automatic',
  url: null,
  providers: null,
});
