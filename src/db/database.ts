// Opens the one Kysely handle the app uses, on SQLite (embedded default) or PostgreSQL.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResultSet } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config.ts";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Dialect = DatabaseTarget["dialect"];

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

// COUNT(*) and other int8 results arrive as strings from pg; every count we keep fits a JS number.
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

export function openDatabase(target: DatabaseTarget, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Db {
  if (target.dialect === "sqlite") {
    if (target.file !== ":memory:") mkdirSync(dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  // JIT compilation pays off for long analytic queries; for crmsync's short keyset pages it
  // cost 300 ms of compiling before 20 ms of work (measured in bench/foundation-customers.ts).
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, types: pgTypes, options: "-c jit=off" });
  // An idle client that the server drops (restart, admin termination) is discarded by the pool;
  // without a listener Node would treat the event as an uncaught error and exit.
  pool.on("error", (error) => options.onIdleError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** Applies pending migrations. Kysely's migrator holds a lock, so concurrent starts are safe. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "?"} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
