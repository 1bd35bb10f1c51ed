// A portal's API budget: calls wait for capacity instead of meeting 429s.
//
// HubSpot's limits are rolling windows (110 calls in any 10 s for an OAuth app, 5 searches in
// any second), while rate-limiter-flexible's limiters are fixed windows, which would let twice
// the limit through across a window boundary. So each limit is enforced as small fixed slots:
// at most `points` calls per slot of `durationMs`, sized so that any span of the interval plus a
// margin for network jitter meets few enough slots that the total stays within the limit
// (see planSlots). One atomic `consume` per call is all the store needs, which is what the
// PostgreSQL store does in one upsert, so processes on several machines share a portal's budget.
import { RateLimiterMemory } from "rate-limiter-flexible";
import { HubSpotError } from "./errors.ts";

export type BudgetClass = "standard" | "search";

/** What a store's limiter must do: resolve when a point is taken, reject with `{ msBeforeNext }` when none is left. */
export interface RateLimiterLike {
  consume(key: string, points?: number): Promise<unknown>;
}

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  durationMs: number;
}

/**
 * Where budget counters live. Memory serves one process. For several worker processes, pass a
 * store whose limiter is rate-limiter-flexible's RateLimiterPostgres:
 *   { limiter: (o) => new RateLimiterPostgres({ storeClient: pgPool, tableName: "crm_budget",
 *       keyPrefix: o.keyPrefix, points: o.points, duration: o.durationMs / 1000 }) }
 * (its `expire` column is a bigint, so keep durationMs whole; planSlots already does).
 */
export interface BudgetStore {
  limiter(options: LimiterOptions): RateLimiterLike;
  /** True when other processes take from the same counters (PostgreSQL store). */
  readonly shared?: boolean;
}

export const memoryBudgetStore: BudgetStore = {
  limiter: (o) => new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationMs / 1000 }),
};

export interface SlotPlan {
  /** Calls allowed per slot. */
  points: number;
  /** Slot length, whole milliseconds. */
  durationMs: number;
}

/**
 * Slots that keep any rolling `intervalMs` window at or under `limit` calls even when calls
 * reach the server up to `marginMs` later or earlier than they were admitted. A span of
 * intervalMs + marginMs meets at most ceil((intervalMs + marginMs) / s) + 1 slots, so with
 * p points a slot we need p * (ceil(span / s) + 1) <= limit, i.e. s >= span / (floor(limit / p) - 1).
 * Throughput is p * (floor(limit / p) - 1) per span; the best p wins, the larger on ties.
 */
export function planSlots(limit: number, intervalMs: number, marginMs: number): SlotPlan {
  const span = intervalMs + marginMs;
  if (limit < 2) return { points: 1, durationMs: Math.ceil(span) };
  let best = { points: 1, durationMs: Math.ceil(span / (limit - 1)), throughput: limit - 1 };
  for (let p = 2; p <= limit; p++) {
    const slots = Math.floor(limit / p) - 1;
    if (slots < 1) break;
    const throughput = p * slots;
    if (throughput >= best.throughput) best = { points: p, durationMs: Math.ceil(span / slots), throughput };
  }
  return { points: best.points, durationMs: best.durationMs };
}

/** The part of a limit crmsync may use once the share left to the portal's other integrations is set aside. */
export function usableLimit(limit: number, reservedShare: number): number {
  return Math.max(1, Math.floor(limit * (1 - reservedShare)));
}

export interface PortalBudgetOptions {
  /** Calls per rolling interval: 110 for OAuth apps, 100/190/200+ for private-app tiers. */
  limit?: number | undefined;
  intervalMs?: number | undefined;
  searchLimit?: number | undefined;
  searchIntervalMs?: number | undefined;
  /** Calls per day (private apps); undefined means none (OAuth). */
  dailyLimit?: number | undefined;
  /** Share of every limit left free for the portal's other integrations. */
  reservedShare?: number | undefined;
  /** Timing margin for the difference between admitting a call and HubSpot counting it. */
  marginMs?: number | undefined;
  searchMarginMs?: number | undefined;
  /** A call that would wait longer than this fails as rate_limited so the run can pause and resume. */
  maxWaitMs?: number | undefined;
  store?: BudgetStore | undefined;
}

export interface BudgetStats {
  admitted: Record<BudgetClass, number>;
  /** Admissions that had to wait, and for how long in all. */
  waits: number;
  waitedMs: number;
  /** Pauses taken because HubSpot's headers showed less headroom than ours. */
  slowdowns: number;
  /** 429s that still reached us. */
  rateLimited: number;
  limit: number;
  plan: Record<BudgetClass, SlotPlan>;
}

/** HubSpot's rate-limit headers on one answer. */
export interface RateLimitHeaders {
  max?: number | undefined;
  remaining?: number | undefined;
  intervalMs?: number | undefined;
  dailyMax?: number | undefined;
  dailyRemaining?: number | undefined;
  /** Per-second limit HubSpot still sends beside the 10-second one (deprecated, but on real answers). */
  secondly?: number | undefined;
  secondlyRemaining?: number | undefined;
}

export function readRateLimitHeaders(headers: Headers): RateLimitHeaders {
  const num = (name: string): number | undefined => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === "") return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    max: num("x-hubspot-ratelimit-max"),
    remaining: num("x-hubspot-ratelimit-remaining"),
    intervalMs: num("x-hubspot-ratelimit-interval-milliseconds"),
    dailyMax: num("x-hubspot-ratelimit-daily"),
    dailyRemaining: num("x-hubspot-ratelimit-daily-remaining"),
    secondly: num("x-hubspot-ratelimit-secondly"),
    secondlyRemaining: num("x-hubspot-ratelimit-secondly-remaining"),
  };
}

export interface Budget {
  /** Waits for capacity; resolves with the milliseconds waited. */
  acquire(kind: BudgetClass, signal?: AbortSignal): Promise<number>;
  /** Feeds HubSpot's view of the portal's budget back after each answer. */
  observe(kind: BudgetClass, headers: RateLimitHeaders): void;
  /** A 429 got through: hold every call of that class back for a while. */
  onRateLimited(kind: BudgetClass, retryAfterMs: number | undefined): void;
  stats(): BudgetStats;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function msBeforeNext(rejection: unknown): number | undefined {
  if (typeof rejection === "object" && rejection !== null && "msBeforeNext" in rejection) {
    const ms = (rejection as { msBeforeNext: unknown }).msBeforeNext;
    if (typeof ms === "number") return Math.max(1, ms);
  }
  return undefined;
}

interface Lane {
  limit: number;
  intervalMs: number;
  marginMs: number;
  plan: SlotPlan;
  limiter: RateLimiterLike;
  pausedUntil: number;
  /** Admission times within the last interval, this process only. */
  recent: number[];
  /** Admissions of this class run one after another, so waiters queue in order instead of polling the store together. */
  queue: Promise<unknown>;
}

/**
 * One portal's budget. Create it through a BudgetRegistry so that every client of the portal in
 * the process shares it.
 */
export class PortalBudget implements Budget {
  private readonly lanes: Record<BudgetClass, Lane>;
  private readonly reservedShare: number;
  private readonly maxWaitMs: number;
  private readonly store: BudgetStore;
  private readonly daily: RateLimiterLike | undefined;
  private dailyExhaustedUntil = 0;
  private counters = { standard: 0, search: 0, waits: 0, waitedMs: 0, slowdowns: 0, rateLimited: 0 };

  constructor(
    private readonly portalId: string,
    options: PortalBudgetOptions = {},
  ) {
    this.reservedShare = options.reservedShare ?? 0.2;
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    this.store = options.store ?? memoryBudgetStore;
    this.lanes = {
      standard: this.lane("standard", options.limit ?? 110, options.intervalMs ?? 10_000, options.marginMs ?? 250),
      search: this.lane("search", options.searchLimit ?? 5, options.searchIntervalMs ?? 1_000, options.searchMarginMs ?? 100),
    };
    this.daily =
      options.dailyLimit === undefined
        ? undefined
        : this.store.limiter({
            keyPrefix: `hubspot:daily:${usableLimit(options.dailyLimit, this.reservedShare)}`,
            points: usableLimit(options.dailyLimit, this.reservedShare),
            durationMs: 86_400_000,
          });
  }

  private lane(kind: BudgetClass, limit: number, intervalMs: number, marginMs: number): Lane {
    const plan = planSlots(usableLimit(limit, this.reservedShare), intervalMs, marginMs);
    return {
      limit,
      intervalMs,
      marginMs,
      plan,
      limiter: this.limiterFor(kind, plan),
      pausedUntil: 0,
      recent: [],
      queue: Promise.resolve(),
    };
  }

  private limiterFor(kind: BudgetClass, plan: SlotPlan): RateLimiterLike {
    // The plan is part of the key prefix: processes that have not yet learned a new limit keep their own counters.
    return this.store.limiter({ keyPrefix: `hubspot:${kind}:${plan.points}/${plan.durationMs}`, ...plan });
  }

  acquire(kind: BudgetClass, signal?: AbortSignal): Promise<number> {
    const lane = this.lanes[kind];
    // Time queued behind earlier callers counts as waiting too.
    const queuedAt = Date.now();
    const ticket = lane.queue.then(() => this.take(kind, lane, queuedAt, signal));
    lane.queue = ticket.catch(() => undefined);
    return ticket;
  }

  private async take(kind: BudgetClass, lane: Lane, started: number, signal: AbortSignal | undefined): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (this.dailyExhaustedUntil > now) throw this.exhausted("daily", this.dailyExhaustedUntil - now);
      let waitMs = lane.pausedUntil - now;
      if (waitMs <= 0) {
        try {
          await lane.limiter.consume(this.portalId, 1);
          break;
        } catch (rejection) {
          const ms = msBeforeNext(rejection);
          if (ms === undefined) throw rejection;
          waitMs = ms;
        }
      }
      if (Date.now() + waitMs - started > this.maxWaitMs) throw this.exhausted(kind, waitMs);
      await sleep(waitMs, signal);
    }
    if (this.daily !== undefined) {
      try {
        await this.daily.consume(this.portalId, 1);
      } catch (rejection) {
        const ms = msBeforeNext(rejection);
        if (ms === undefined) throw rejection;
        this.dailyExhaustedUntil = Date.now() + ms;
        throw this.exhausted("daily", ms);
      }
    }
    const now = Date.now();
    const waited = now - started;
    // Below a few milliseconds it is the store's own latency, not a wait for capacity.
    if (waited > 2) {
      this.counters.waits++;
      this.counters.waitedMs += waited;
    }
    this.counters[kind]++;
    lane.recent.push(now);
    this.prune(lane, now);
    return waited > 2 ? waited : 0;
  }

  private prune(lane: Lane, now: number): void {
    const horizon = now - lane.intervalMs;
    let drop = 0;
    while (drop < lane.recent.length && (lane.recent[drop] ?? 0) <= horizon) drop++;
    if (drop > 0) lane.recent.splice(0, drop);
  }

  private exhausted(what: BudgetClass | "daily", retryAfterMs: number): HubSpotError {
    return new HubSpotError({
      kind: "rate_limited",
      status: 429,
      endpoint: "budget",
      message:
        what === "daily"
          ? "crmsync's share of the portal's daily API budget is spent."
          : `The portal's ${what} API budget has no room for ${Math.round(retryAfterMs)} ms.`,
      retryAfterMs,
      policyName: what === "daily" ? "DAILY" : what === "search" ? "SECONDLY" : "TEN_SECONDLY_ROLLING",
    });
  }

  observe(kind: BudgetClass, headers: RateLimitHeaders): void {
    const now = Date.now();
    if (headers.dailyMax !== undefined && headers.dailyRemaining !== undefined) {
      // Daily headers come on private-app calls only; below the reserve, stop until the next UTC day.
      if (headers.dailyRemaining <= Math.ceil(headers.dailyMax * this.reservedShare)) {
        const midnight = new Date(now);
        midnight.setUTCHours(24, 0, 0, 0);
        this.dailyExhaustedUntil = midnight.getTime();
      }
    }
    const lane = this.lanes[kind];
    // The second's allowance is spent (by us or the portal's other integrations): wait out the second.
    if (headers.secondly !== undefined && headers.secondlyRemaining !== undefined && headers.secondly > 0 && headers.secondlyRemaining <= 0) {
      this.pause(lane, now + 1_000);
    }
    // Answers without headers (search answers carry none) say nothing: what was learned stays.
    const { max, remaining } = headers;
    if (max === undefined || remaining === undefined || max <= 0) return;
    if (headers.intervalMs !== undefined && headers.intervalMs !== lane.intervalMs) return;
    if (max < lane.limit) this.relimit(kind, lane, max);
    // What the portal has left beyond what we have spent ourselves is what others spent. When
    // they spend more than the share we leave them, or the portal is nearly dry, hold our calls
    // back for as many slots as the overdraft, at the portal's average pace.
    this.prune(lane, now);
    // With a shared store, HubSpot's count includes crmsync's other processes, which this one
    // cannot see; it counts crmsync's whole allowance as spent by crmsync, so only calls beyond
    // it are others'. Otherwise every process would take its peers for other integrations and pause.
    const ours = this.store.shared === true ? Math.max(lane.recent.length, usableLimit(lane.limit, this.reservedShare)) : lane.recent.length;
    const others = max - remaining - ours;
    const allowance = Math.ceil(max * this.reservedShare) + 1;
    const overdraft = Math.max(others - allowance, Math.ceil(max * 0.05) + 1 - remaining);
    if (overdraft <= 0) return;
    const pauseMs = Math.min(lane.intervalMs, Math.ceil((overdraft * lane.intervalMs) / max));
    this.pause(lane, now + pauseMs);
  }

  private pause(lane: Lane, until: number): void {
    if (until > lane.pausedUntil) {
      lane.pausedUntil = until;
      this.counters.slowdowns++;
    }
  }

  private relimit(kind: BudgetClass, lane: Lane, limit: number): void {
    lane.limit = limit;
    lane.plan = planSlots(usableLimit(limit, this.reservedShare), lane.intervalMs, lane.marginMs);
    lane.limiter = this.limiterFor(kind, lane.plan);
  }

  onRateLimited(kind: BudgetClass, retryAfterMs: number | undefined): void {
    const lane = this.lanes[kind];
    this.counters.rateLimited++;
    // Without Retry-After, a tenth of the window frees about a tenth of the limit.
    const pauseMs = retryAfterMs ?? Math.ceil(lane.intervalMs / 10);
    lane.pausedUntil = Math.max(lane.pausedUntil, Date.now() + pauseMs);
  }

  stats(): BudgetStats {
    const c = this.counters;
    return {
      admitted: { standard: c.standard, search: c.search },
      waits: c.waits,
      waitedMs: c.waitedMs,
      slowdowns: c.slowdowns,
      rateLimited: c.rateLimited,
      limit: this.lanes.standard.limit,
      plan: { standard: { ...this.lanes.standard.plan }, search: { ...this.lanes.search.plan } },
    };
  }
}

/** Hands out one PortalBudget per portal, so every client of a portal in the process shares it. */
export class BudgetRegistry {
  private readonly budgets = new Map<string, PortalBudget>();

  constructor(private readonly defaults: PortalBudgetOptions = {}) {}

  /** The portal's budget; options apply when it is first created. */
  forPortal(portalId: string | number, options: PortalBudgetOptions = {}): PortalBudget {
    const key = String(portalId);
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = new PortalBudget(key, { ...this.defaults, ...options });
      this.budgets.set(key, budget);
    }
    return budget;
  }

  /** Drops a portal's budget (after disconnecting), so a reconnect starts with fresh options. */
  forget(portalId: string | number): void {
    this.budgets.delete(String(portalId));
  }
}

export const portalBudgets = new BudgetRegistry();
