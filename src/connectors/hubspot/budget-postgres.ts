// The portal budget's counters in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres), so
// every crmsync process on every machine takes a portal's calls from one shared budget. Each
// admission is one atomic upsert; the slot plan in budget.ts keeps HubSpot's rolling windows.
import type pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
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
  if (!/^[a-z_][a-z0-9_]*$/.test(tableName)) throw new RangeError(`tableName must be a plain identifier, got ${tableName}`);
  const ready = pool
    .query(`create table if not exists "${tableName}" (key varchar(255) primary key, points integer not null default 0, expire bigint)`)
    .then(
      () => undefined,
      (error: unknown) => {
        // Two processes creating the table at once: one loses on pg_type's unique index, and the table exists.
        if ((error as { code?: unknown }).code !== "23505") throw error;
      },
    );
  // An unhandled rejection here would end the process; callers see the error on their first call.
  ready.catch(() => undefined);

  // One cleaner for all limiters instead of rate-limiter-flexible's timer per limiter. Slots last
  // seconds and the daily counter a day; rows an hour past their expiry are garbage.
  const cleaner = setInterval(() => {
    pool.query(`delete from "${tableName}" where expire < $1`, [Date.now() - 3_600_000]).catch(() => undefined);
  }, options.cleanupIntervalMs ?? 300_000);
  cleaner.unref();

  return {
    ready,
    shared: true,
    limiter(o: LimiterOptions): RateLimiterLike {
      const limiter = new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: o.keyPrefix,
        points: o.points,
        duration: o.durationMs / 1000,
      });
      return {
        async consume(key: string, points?: number) {
          await ready;
          return limiter.consume(key, points);
        },
      };
    },
    close() {
      clearInterval(cleaner);
    },
  };
}
