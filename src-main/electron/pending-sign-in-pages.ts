import type { Disposer } from '../core/auth-service.js';
import type { AuthService } from '../core/auth-service.js';

/**
 * The authorization pages of the sign-ins in progress, so the window's "Open the sign-in page"
 * link (a `target=_blank` link the window-open guard sees) can be opened in the system browser —
 * that page and nothing else a page asks for. A page is known from the moment the core starts its
 * flow until the flow finishes (signed in, failed, cancelled) or expires.
 */
export class PendingSignInPages {
  private readonly byFlow = new Map<string, { readonly url: string; readonly expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The AuthService for the IPC handlers: the same, except that a started flow's page is
   * remembered; the disposer stops listening for finished flows.
   */
  track(auth: AuthService): { readonly auth: AuthService; readonly dispose: Disposer } {
    const dispose = auth.onDidFinishFlow((event) => this.byFlow.delete(event.flowId));
    const startOAuth: AuthService['startOAuth'] = async (input) => {
      const started = await auth.startOAuth(input);
      if (started.ok) {
        const { flowId, authorizationUrl, expiresAt } = started.value;
        this.byFlow.set(flowId, { url: authorizationUrl, expiresAt: Date.parse(expiresAt) });
      }
      return started;
    };
    const tracked = new Proxy(auth, {
      get(target, property, receiver) {
        if (property === 'startOAuth') return startOAuth;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { auth: tracked, dispose };
  }

  /** Whether this app instance has started any sign-in that is still in progress. */
  hasAny(): boolean {
    const now = this.now();
    return [...this.byFlow.values()].some((page) => page.expiresAt > now);
  }

  /** Whether `url` is exactly the authorization page of a flow still in progress. */
  has(url: string): boolean {
    const now = this.now();
    for (const [flowId, page] of this.byFlow) {
      if (page.expiresAt <= now) this.byFlow.delete(flowId);
      else if (page.url === url) return true;
    }
    return false;
  }
}
