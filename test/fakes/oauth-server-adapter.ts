/**
 * oidc-provider's storage, in memory and per server (its built-in one is shared by the process
 * and warns on every start).
 */
export function memoryAdapterFactory(): new (name: string) => object {
  const entries = new Map<string, { payload: Record<string, unknown>; expiresAt: number | undefined }>();
  const live = (key: string): Record<string, unknown> | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && Date.now() > entry.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter {
    constructor(private readonly name: string) {}
    private key(id: string): string {
      return `${this.name}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      entries.set(this.key(id), {
        payload: { ...payload },
        expiresAt: expiresIn !== undefined ? Date.now() + expiresIn * 1000 : undefined,
      });
    }
    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return live(this.key(id));
    }
    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      for (const [key] of entries) {
        const payload = key.startsWith(`${this.name}:`) ? live(key) : undefined;
        if (payload?.['uid'] === uid) return payload;
      }
      return undefined;
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = live(this.key(id));
      if (payload !== undefined) payload['consumed'] = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of entries) if (entry.payload['grantId'] === grantId) entries.delete(key);
    }
  };
}
