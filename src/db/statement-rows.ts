// How many rows (or ids) one bulk statement carries, per database. SQLite works inside
// crmsync's process: a statement costs no round trip, and the prepared statements it keeps
// (db/database.ts) hold memory in proportion to their text, so chunks stay at 500 rows. On
// PostgreSQL every statement is a round trip to the server, which on a busy machine costs
// milliseconds of waiting for the server's process to be scheduled: chunks are as large as its
// 65,535 bound parameters comfortably allow, up to 5,000 rows.
import { PostgresAdapter, type Kysely } from "kysely";

const sqliteRows = 500;
const postgres = { rows: 5_000, parameters: 60_000 } as const;

/** Rows of `valuesPerRow` bound values each that one statement takes on `db`'s database. */
export function rowsPerStatement(db: Kysely<any>, valuesPerRow = 1): number {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return sqliteRows;
  return Math.min(postgres.rows, Math.floor(postgres.parameters / valuesPerRow));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
