import { noSuchSignIn } from '../providers/provider-auth.js';
import type { CompletedSignIn } from './oauth-types.js';

/**
 * The eventual outcome of each flow, so `waitFor` works whichever route completes it and even
 * when it is called a moment after the flow finished. Finished outcomes are kept for a short,
 * bounded history.
 */

interface Outcome {
  readonly provider: string;
  readonly promise: Promise<CompletedSignIn>;
  resolve(value: CompletedSignIn): void;
  reject(error: unknown): void;
  settled: boolean;
}

/** How many finished outcomes `waitFor` can still report. */
const FINISHED_HISTORY = 32;

export class FlowOutcomes {
  private readonly outcomes = new Map<string, Outcome>();
  /** Settled flows, oldest first: the history is trimmed from the front without walking every outcome. */
  private readonly finished: string[] = [];

  /** Registers a flow of `provider` whose outcome is not known yet. */
  open(flowId: string, provider: string): void {
    let resolve: (value: CompletedSignIn) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const promise = new Promise<CompletedSignIn>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be waiting; an unobserved failure is reported through onDidFinish instead.
    promise.catch(() => undefined);
    this.outcomes.set(flowId, { provider, promise, resolve, reject, settled: false });
  }

  succeed(flowId: string, value: CompletedSignIn): void {
    this.settle(flowId, (outcome) => outcome.resolve(value));
  }

  fail(flowId: string, error: unknown): void {
    this.settle(flowId, (outcome) => outcome.reject(error));
  }

  isSettled(flowId: string): boolean {
    return this.outcomes.get(flowId)?.settled ?? false;
  }

  /** The provider of a flow still remembered (pending or in the finished history). */
  providerOf(flowId: string): string | undefined {
    return this.outcomes.get(flowId)?.provider;
  }

  /** The flow's outcome; rejects with `oauth_state_invalid` for a flow never seen (or long forgotten). */
  wait(flowId: string): Promise<CompletedSignIn> {
    return this.outcomes.get(flowId)?.promise ?? Promise.reject(noSuchSignIn());
  }

  private settle(flowId: string, action: (outcome: Outcome) => void): void {
    const outcome = this.outcomes.get(flowId);
    if (outcome === undefined || outcome.settled) return;
    outcome.settled = true;
    action(outcome);
    this.finished.push(flowId);
    while (this.finished.length > FINISHED_HISTORY) {
      const oldest = this.finished.shift();
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
  }
}
