// The table rate-limiter-flexible's RateLimiterPostgres keeps counters in, created by crmsync
// (tableCreated: true) so processes starting together do not race on it.
import type pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";

/** A limiter over a table created by createRateLimiterTable, without the library's own cleanup timer. */
export function postgresLimiter(pool: pg.Pool, tableName: string, o: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName,
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: o.keyPrefix,
    points: o.points,
    duration: o.durationSeconds,
  });
}

/**
 * CREATE TABLE IF NOT EXISTS is not safe against itself: processes starting together can fail
 * on pg_type ("type … already exists", or a unique violation). A transaction-scoped advisory
 * lock makes them create it one after another.
 */
export function createRateLimiterTable(pool: pg.Pool, tableName: string): Promise<void> {
  // Thrown at once, not as a rejection: the name goes into SQL text.
  if (!/^[a-z_][a-z0-9_]*$/.test(tableName)) throw new RangeError(`tableName must be a plain identifier, got ${tableName}`);
  return createTable(pool, tableName);
}

async function createTable(pool: pg.Pool, tableName: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [`crmsync:create:${tableName}`]);
    await client.query(`create table if not exists "${tableName}" (key varchar(255) primary key, points integer not null default 0, expire bigint)`);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Deletes counters an hour past their expiry, every intervalMs; the timer does not keep the process alive. */
export function cleanExpiredCounters(pool: pg.Pool, tableName: string, intervalMs: number): () => void {
  const cleaner = setInterval(() => {
    pool.query(`delete from "${tableName}" where expire < $1`, [Date.now() - 3_600_000]).catch(() => undefined);
  }, intervalMs);
  cleaner.unref();
  return () => clearInterval(cleaner);
}
