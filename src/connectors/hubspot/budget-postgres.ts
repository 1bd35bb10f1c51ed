// The portal budget's counters in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres), so
// every crmsync process on every machine takes a portal's calls from one shared budget. Each
// admission is one atomic upsert; the slot plan in budget.ts keeps HubSpot's rolling windows.
import type pg from "pg";
import { cleanExpiredCounters, createRateLimiterTable, postgresLimiter } from "../../db/rate-limiter-table.ts";
import type { BudgetStore, LimiterOptions, RateLimiterLike } from "./budget.ts";

export interface PostgresBudgetStoreOptions {
  /** Created when missing; default crm_budget. */
  tableName?: string;
  /** Expired counters are deleted this often; default 5 minutes. */
  cleanupIntervalMs?: number;
}

export interface PostgresBudgetStore extends BudgetStore {
  /** Resolves once the table exists; limiters wait for it on their own. */
  readonly ready: Promise<void>;
  /** Stops the cleanup timer (the pool is the caller's). */
  close(): void;
}

export function createPostgresBudgetStore(pool: pg.Pool, options: PostgresBudgetStoreOptions = {}): PostgresBudgetStore {
  const tableName = options.tableName ?? "crm_budget";
  const ready = createRateLimiterTable(pool, tableName);
  // An unhandled rejection here would end the process; callers see the error on their first call.
  ready.catch(() => undefined);

  // One cleaner for all limiters instead of rate-limiter-flexible's timer per limiter. Slots last
  // seconds and the daily counter a day; rows an hour past their expiry are garbage.
  const stopCleaning = cleanExpiredCounters(pool, tableName, options.cleanupIntervalMs ?? 300_000);

  return {
    ready,
    shared: true,
    limiter(o: LimiterOptions): RateLimiterLike {
      const limiter = postgresLimiter(pool, tableName, { keyPrefix: o.keyPrefix, points: o.points, durationSeconds: o.durationMs / 1000 });
      return {
        async consume(key: string, points?: number) {
          await ready;
          return limiter.consume(key, points);
        },
      };
    },
    close() {
      stopCleaning();
    },
  };
}
