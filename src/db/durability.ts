// How long a commit waits for the disk (decision 0051). Every commit waits until it is on disk
// (SQLite synchronous = FULL, PostgreSQL's synchronous_commit default), so nothing crmsync has
// acknowledged is lost to a power cut or an OS crash. A sync engine's page transaction is the
// exception: it only holds what the engine read from the CRM and derived from that, with the
// run's checkpoint, so losing it to a power cut loses no one's work: the run resumes from the
// checkpoint before it and reads the pages again. Those commits do not wait for the disk.
import { PostgresAdapter, sql, type Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** SQLite's level for every other commit, set when the database is opened. */
export const sqliteSynchronous = "FULL";

/**
 * Runs `fn` in a transaction whose commit does not wait for the disk: only for writes a resumed
 * sync run redoes from the CRM. Survives a crash of crmsync (the commit is in the OS's hands);
 * a power cut may undo it, together with the checkpoint committed with it.
 */
export async function redoableTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      return fn(trx);
    });
  }
  // The setting is the connection's and SQLite has one: holding it keeps any other commit from
  // running at the relaxed level in between.
  return db.connection().execute(async (conn) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(conn);
    try {
      return await conn.transaction().execute(fn);
    } finally {
      await sql.raw(`PRAGMA synchronous = ${sqliteSynchronous}`).execute(conn);
    }
  });
}
