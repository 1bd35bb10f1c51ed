// Where sign-in attempts are counted: in this process (SQLite, one process) or in PostgreSQL, so
// that API processes behind a load balancer share one count per account and address instead of
// each allowing the full number of attempts (docs/decisions/0055).
import type pg from "pg";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { cleanExpiredCounters, createRateLimiterTable, postgresLimiter } from "../db/rate-limiter-table.ts";

/** The part of rate-limiter-flexible's limiters the throttle uses. Over the limit, consume rejects with a RateLimiterRes. */
export interface LoginCounter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

export type LoginCounters = (o: { keyPrefix: string; points: number; durationSeconds: number }) => LoginCounter;

export const memoryLoginCounters: LoginCounters = (o) => new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSeconds });

/**
 * Counters in a table of their own (default login_attempts), created when missing; each
 * attempt is one atomic upsert. Rows an hour past their window are deleted every 5 minutes.
 */
export function postgresLoginCounters(pool: pg.Pool, tableName = "login_attempts"): LoginCounters & { close(): void } {
  const ready = createRateLimiterTable(pool, tableName);
  // Callers see a failure on their first attempt; unhandled here, it would end the process.
  ready.catch(() => undefined);
  const stopCleaning = cleanExpiredCounters(pool, tableName, 300_000);
  const counters: LoginCounters = (o) => {
    const limiter = postgresLimiter(pool, tableName, o);
    return {
      async consume(key, points) {
        await ready;
        return limiter.consume(key, points);
      },
      async reward(key, points) {
        await ready;
        return limiter.reward(key, points);
      },
      async delete(key) {
        await ready;
        return limiter.delete(key);
      },
    };
  };
  return Object.assign(counters, { close: stopCleaning });
}
