import { describe, expect, it } from 'vitest';
import { FlowOutcomes } from '../../../../src-main/core/oauth/flow-outcomes.js';

const login = (flowId: string) => ({
  flowId,
  provider: 'openai',
  account: 'default',
  credentialId: `credential-${flowId}`,
});

describe('FlowOutcomes', () => {
  it('reports the outcome of the 32 most recently finished flows and forgets older ones', async () => {
    const outcomes = new FlowOutcomes();
    const ids = Array.from({ length: 40 }, (_, index) => `flow-${index}`);
    for (const id of ids) outcomes.open(id, 'openai');
    // Finished in reverse order: the history follows when a flow finished, not when it started.
    for (const id of [...ids].reverse()) outcomes.succeed(id, login(id));
    await expect(outcomes.wait('flow-0')).resolves.toEqual(login('flow-0'));
    await expect(outcomes.wait('flow-31')).resolves.toEqual(login('flow-31'));
    await expect(outcomes.wait('flow-32')).rejects.toMatchObject({ info: { code: 'oauth_state_invalid' } });
    await expect(outcomes.wait('flow-39')).rejects.toMatchObject({ info: { code: 'oauth_state_invalid' } });
    expect([outcomes.providerOf('flow-0'), outcomes.providerOf('flow-39')]).toEqual(['openai', undefined]);
  });

  it('never forgets a flow that is still waiting, however many others finish', async () => {
    const outcomes = new FlowOutcomes();
    outcomes.open('pending', 'openai');
    for (let index = 0; index < 100; index += 1) {
      outcomes.open(`done-${index}`, 'google');
      outcomes.fail(`done-${index}`, new Error('cancelled'));
    }
    expect(outcomes.isSettled('pending')).toBe(false);
    const waiting = outcomes.wait('pending');
    outcomes.succeed('pending', login('pending'));
    await expect(waiting).resolves.toEqual(login('pending'));
  });

  it('settles a flow once: a second outcome is ignored', async () => {
    const outcomes = new FlowOutcomes();
    outcomes.open('once', 'openai');
    outcomes.succeed('once', login('once'));
    outcomes.fail('once', new Error('too late'));
    await expect(outcomes.wait('once')).resolves.toEqual(login('once'));
  });
});
