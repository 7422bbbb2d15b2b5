// The gateway command's arguments, apart from the gateway itself: args.ts runs on every command,
// and must not load the gateway's HTTP server to parse them.

/** `the-maestro gateway`: serves the local gateway until `stop` resolves (SIGINT/SIGTERM). */
export interface GatewayCommand {
  readonly name: 'gateway';
  /** 0: any free port, unless THE_MAESTRO_GATEWAY_PORT chooses one. */
  readonly port: number;
  /** The port was given with --port (it then wins over THE_MAESTRO_GATEWAY_PORT). */
  readonly portFromFlag: boolean;
  readonly rotateKey: boolean;
  readonly showKey: boolean;
  readonly json: boolean;
}

/** Parses `--port`: 0 (any free port) to 65535. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return 0;
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65_535 ? port : undefined;
}
