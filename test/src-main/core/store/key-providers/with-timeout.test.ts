import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../../../src-main/core/auth-error.js';
import { withTimeout } from '../../../../../src-main/core/store/key-providers/with-timeout.js';

describe('withTimeout', () => {
  it('turns a call that never answers into encryption_unavailable after the time box', async () => {
    const started = Date.now();
    const error: unknown = await withTimeout(new Promise<never>(() => undefined), 50, 'The keyring').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('encryption_unavailable');
    expect((error as AuthError).message).toMatch(/^The keyring did not answer within 50 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes results and failures through when they come in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'x')).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
  });

  it('does not leave an unhandled rejection when the abandoned call fails later', async () => {
    const late = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('late')), 30));
    await expect(withTimeout(late, 5, 'x')).rejects.toMatchObject({ code: 'encryption_unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 60));
  });
});
