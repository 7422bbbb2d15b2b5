import type { AuthService, Disposer } from '../core/auth-service.js';
import { startOneTimeRedirect, type OneTimeRedirect } from '../core/oauth/one-time-redirect.js';

/** A flow as the core started it: the authorization URL stays on this side. */
interface StartedFlow {
  readonly flowId: string;
  readonly authorizationUrl: string;
  readonly expiresAt: string;
}

/** Where the addresses learn that a flow ended. */
type FlowEvents = AuthService['onDidFinishFlow'];

interface StartAddress {
  readonly start: OneTimeRedirect;
  readonly expiresAt: number;
}

/**
 * The one-time local start addresses the window shows instead of a sign-in's authorization URL:
 * "Open the sign-in page" and "Copy address" carry `http://127.0.0.1:<port>/start/<random>`, which
 * redirects once to the provider. So the flow's `state`, its PKCE challenge and a returning Sign
 * in with ChatGPT's `id_token_hint` (an ID token) never cross IPC or reach the renderer.
 *
 * The Electron shell's window-open guard asks `has` before it opens a link from the window: true
 * only while the flow is in progress. When the flow ends the address is retired, and it keeps
 * answering until the flow would have expired, so one opened again says to start the sign-in
 * again instead of failing to connect or sending the person to a sign-in nobody waits for.
 */
export class SignInStartAddresses {
  /** The addresses of flows in progress. */
  private readonly byFlow = new Map<string, StartAddress>();
  /** Every address still listening (each closes itself at its expiry), for `dispose`. */
  private readonly listening = new Set<StartAddress>();
  private stopListening: Disposer | undefined;

  constructor(
    private readonly onDidFinishFlow: FlowEvents,
    private readonly now: () => number = Date.now,
  ) {}

  /** A start address for `flow`, listening until the flow expires. */
  async create(flow: StartedFlow): Promise<string> {
    const expiresAt = Date.parse(flow.expiresAt);
    const start = await startOneTimeRedirect(flow.authorizationUrl, {
      timeoutMs: Math.max(0, expiresAt - this.now()),
    });
    this.forgetExpired();
    const address = { start, expiresAt };
    this.listening.add(address);
    this.byFlow.set(flow.flowId, address);
    // Subscribed only while some flow is in progress, so an idle window holds no listener.
    this.stopListening ??= this.onDidFinishFlow((event) => this.retire(event.flowId));
    return start.url;
  }

  /** Whether `url` is the start address of a sign-in still in progress. */
  has(url: string): boolean {
    this.forgetExpired();
    for (const { start } of this.byFlow.values()) if (start.url === url) return true;
    return false;
  }

  /** Whether any sign-in started here is still in progress. */
  hasAny(): boolean {
    this.forgetExpired();
    return this.byFlow.size > 0;
  }

  /** Closes every address and stops listening. */
  async dispose(): Promise<void> {
    const open = [...this.listening];
    this.listening.clear();
    this.byFlow.clear();
    this.unsubscribe();
    await Promise.all(open.map(({ start }) => start.close()));
  }

  private retire(flowId: string): void {
    const address = this.byFlow.get(flowId);
    if (address === undefined) return;
    address.start.retire();
    this.byFlow.delete(flowId);
    if (this.byFlow.size === 0) this.unsubscribe();
  }

  /** Drops what has expired: each address has already closed itself by then. */
  private forgetExpired(): void {
    const now = this.now();
    for (const address of this.listening) if (address.expiresAt <= now) this.listening.delete(address);
    for (const [flowId, { expiresAt }] of this.byFlow) if (expiresAt <= now) this.retire(flowId);
  }

  private unsubscribe(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }
}
