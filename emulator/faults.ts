import { Prng } from "./prng.ts";

/**
 * Fault injection per endpoint key: scripted ("the next 3 calls") or probabilistic.
 * `endpoint` matches a counter key exactly, a prefix ending in "*" ("companies.*"), or "*".
 */
export type FaultKind = "status" | "slow" | "hang" | "truncated" | "malformed" | "reset";

export interface FaultRuleInput {
  endpoint: string;
  kind: FaultKind;
  /** For kind "status": 500, 502, 503 or 429 (any 4xx/5xx is accepted). */
  status?: number;
  /** For "slow": added latency before the normal answer. */
  delayMs?: number;
  /** Scripted: applies to the next `count` matching calls, then disappears. */
  count?: number;
  /** Probabilistic: applies to each matching call with this probability (0..1). */
  probability?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: number;
  hits: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private prng: Prng;
  private readonly hung = new Set<() => void>();

  constructor(seed = 1) {
    this.prng = new Prng(seed);
  }

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...input, id: this.nextId++, hits: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(seed?: number): void {
    this.rules = [];
    if (seed !== undefined) this.prng = new Prng(seed);
  }

  /** The fault to apply to this call, if any (first matching rule wins). */
  pick(endpoint: string): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
      if (!matches(rule.endpoint, endpoint)) continue;
      if (rule.probability !== undefined && !this.prng.chance(rule.probability)) continue;
      rule.hits++;
      if (rule.count !== undefined) {
        rule.count--;
        if (rule.count <= 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule;
    }
    return undefined;
  }

  /** A promise that only settles when the emulator closes: the "timeout" fault. */
  hang(): Promise<void> {
    return new Promise((resolve) => {
      this.hung.add(resolve);
    });
  }

  releaseHung(): void {
    for (const r of this.hung) r();
    this.hung.clear();
  }
}

function matches(pattern: string, endpoint: string): boolean {
  if (pattern === "*" || pattern === endpoint) return true;
  return pattern.endsWith("*") && endpoint.startsWith(pattern.slice(0, -1));
}
