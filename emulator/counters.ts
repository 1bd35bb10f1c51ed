/** Request counters per endpoint key and per token, so tests and benchmarks can count CRM calls. */
export interface CounterSnapshot {
  total: number;
  endpoints: Record<string, number>;
  tokens: Record<string, { total: number; endpoints: Record<string, number> }>;
  statuses: Record<string, number>;
}

export class Counters {
  private total = 0;
  private endpoints = new Map<string, number>();
  private tokens = new Map<string, { total: number; endpoints: Map<string, number> }>();
  private statuses = new Map<number, number>();

  record(endpoint: string, token: string): void {
    this.total++;
    this.endpoints.set(endpoint, (this.endpoints.get(endpoint) ?? 0) + 1);
    let t = this.tokens.get(token);
    if (!t) {
      t = { total: 0, endpoints: new Map() };
      this.tokens.set(token, t);
    }
    t.total++;
    t.endpoints.set(endpoint, (t.endpoints.get(endpoint) ?? 0) + 1);
  }

  recordStatus(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get(endpoint: string): number {
    return this.endpoints.get(endpoint) ?? 0;
  }

  reset(): void {
    this.total = 0;
    this.endpoints = new Map();
    this.tokens = new Map();
    this.statuses = new Map();
  }

  snapshot(): CounterSnapshot {
    const tokens: CounterSnapshot["tokens"] = {};
    for (const [k, v] of this.tokens) tokens[k] = { total: v.total, endpoints: Object.fromEntries(v.endpoints) };
    return {
      total: this.total,
      endpoints: Object.fromEntries(this.endpoints),
      tokens,
      statuses: Object.fromEntries([...this.statuses].map(([k, v]) => [String(k), v])),
    };
  }
}
