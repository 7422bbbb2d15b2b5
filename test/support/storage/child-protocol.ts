/** What the storage child processes and their tests agree on. */

/** The account the crash child rotates. */
export const CRASH_ACCOUNT = 'crash';

/** The tokens the crash child writes for a generation: the parent checks the row is not torn. */
export function crashTokens(generation: number): { accessToken: string; refreshToken: string } {
  return {
    accessToken: `access-gen-${generation}`,
    refreshToken: `refresh-gen-${generation}-${'r'.repeat(generation % 97)}`,
  };
}

/** The lease the lease children fight over. */
export const LEASE_NAME = 'refresh:shared';
