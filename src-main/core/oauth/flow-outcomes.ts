import { AuthError } from '../auth-error.js';
import type { CompletedLogin } from './oauth-types.js';

/**
 * The eventual outcome of each flow, so `waitFor` works whichever route completes it and even
 * when it is called a moment after the flow finished. Finished outcomes are kept for a short,
 * bounded history.
 */

interface Outcome {
  readonly promise: Promise<CompletedLogin>;
  resolve(value: CompletedLogin): void;
  reject(error: unknown): void;
  settled: boolean;
}

/** How many finished outcomes `waitFor` can still report. */
const FINISHED_HISTORY = 32;

export class FlowOutcomes {
  private readonly outcomes = new Map<string, Outcome>();
  /** Settled flows, oldest first: the history is trimmed from the front without walking every outcome. */
  private readonly finished: string[] = [];

  /** Registers a flow whose outcome is not known yet. */
  open(flowId: string): void {
    let resolve: (value: CompletedLogin) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const promise = new Promise<CompletedLogin>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be waiting; an unobserved failure is reported through onDidFinish instead.
    promise.catch(() => undefined);
    this.outcomes.set(flowId, { promise, resolve, reject, settled: false });
  }

  succeed(flowId: string, value: CompletedLogin): void {
    this.settle(flowId, (outcome) => outcome.resolve(value));
  }

  fail(flowId: string, error: unknown): void {
    this.settle(flowId, (outcome) => outcome.reject(error));
  }

  isSettled(flowId: string): boolean {
    return this.outcomes.get(flowId)?.settled ?? false;
  }

  /** The flow's outcome; rejects with `oauth_state_invalid` for a flow never seen (or long forgotten). */
  wait(flowId: string): Promise<CompletedLogin> {
    const outcome = this.outcomes.get(flowId);
    if (outcome === undefined) {
      return Promise.reject(AuthError.of('oauth_state_invalid', 'There is no such sign-in in progress. Start the sign-in again.'));
    }
    return outcome.promise;
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
