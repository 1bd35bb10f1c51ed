// Opens the one Kysely handle the app uses, on SQLite (embedded default) or PostgreSQL.
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResultSet, type SqliteDatabase } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config.ts";
import { createPrivateFile } from "./data-files.ts";
import { sqliteSynchronous } from "./durability.ts";
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

// Prepared statements a SQLite handle keeps. Kysely's driver prepares every query anew, which
// cost 6.5–8% of a full account sync's CPU; its hot paths use a few dozen distinct statements.
// A prepared statement's memory grows with its text (about 40 bytes a character: a 500-row
// insert holds some 250 KB), so the total text is bounded too: about 10 MB at most.
const statementCacheLimits = { statements: 200, sqlChars: 250_000 };

/** The handle given to Kysely: reuses prepared statements by SQL text, least recently used evicted. */
function withStatementCache(sqlite: SQLite.Database, limits: typeof statementCacheLimits): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  let sqlChars = 0;
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        // Busy: a stream still iterates it. Left to that stream (and to the garbage collector,
        // should the stream be dropped unfinished) and replaced here.
        if (!cached.busy) {
          cache.set(sql, cached);
          return cached;
        }
        sqlChars -= sql.length;
      }
      const statement = sqlite.prepare(sql);
      if (sql.length > limits.sqlChars) return statement;
      cache.set(sql, statement);
      sqlChars += sql.length;
      for (const oldest of cache.keys()) {
        if (cache.size <= limits.statements && sqlChars <= limits.sqlChars) break;
        cache.delete(oldest);
        sqlChars -= oldest.length;
      }
      return statement;
    },
  };
}

export function openDatabase(target: DatabaseTarget, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Db {
  if (target.dialect === "sqlite") {
    if (target.file !== ":memory:") createPrivateFile(target.file);
    const sqlite = new SQLite(target.file);
    sqlite.pragma("journal_mode = WAL");
    // Every commit waits for the disk, so nothing acknowledged is lost to a power cut; the sync
    // engines' page commits, which a resumed run redoes, are the exception (db/durability.ts).
    sqlite.pragma(`synchronous = ${sqliteSynchronous}`);
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // A multi-row write inside a transaction keeps a statement journal (to undo just that
    // statement on a constraint error); in a temporary file that cost a write syscall for
    // every page each statement first touched: 20% of a bulk upsert's time. Temporary tables
    // and sorts stay in memory too, at crmsync's sizes a few MB.
    sqlite.pragma("temp_store = MEMORY");
    // A checkpoint copies every page changed since the last one into the database file and
    // syncs it. Every 10,000 WAL pages (40 MB) instead of SQLite's 1,000, a page that bulk writes
    // change again and again (index pages, the run's row) is copied once rather than each time,
    // and each sync covers more: a large full account sync spent 8.6 s in commits, now 5.4 s.
    sqlite.pragma("wal_autocheckpoint = 10000");
    // SQLite's default page cache is 2 MB: a bulk pass over 100,000 customers reads the same
    // index pages back from the OS again and again. 32 MB (filled only as pages are used) cut a
    // large full account sync by about a fifth; 64 MB gained nothing more and cost RSS.
    sqlite.pragma("cache_size = -32768");
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, statementCacheLimits) }) });
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
    // No migration ran (the migrator could not even lock or read its table): say so, not "Migration ?".
    if (!failed) throw new Error(`Could not start the migrations: ${String(result.error)}`, { cause: result.error });
    throw new Error(`Migration ${failed.migrationName} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
