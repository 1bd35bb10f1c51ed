// PostgreSQL plans each query from per-table statistics that only ANALYZE gathers. A table
// loaded in bulk and never analyzed (a fresh database; autovacuum off, as on some managed
// servers, or not yet round) is planned from defaults that take every condition to match a
// handful of rows: the first full account sync on such a database spent 37 s per 10,000-row
// page in a plan that scanned every company for each domain. So the sync engine, right after
// it has loaded tables in bulk and before it queries them, analyzes those whose statistics are
// missing or stale, by autovacuum's own measure. SQLite plans without gathered statistics
// (its defaults suit crmsync's keyed reads), so this does nothing there.
import { PostgresAdapter, sql, type Kysely } from "kysely";
import type { Database } from "./schema.ts";

export type TableName = keyof Database & string;

/**
 * autovacuum's defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor): a
 * table is analyzed once more rows changed since its last ANALYZE than 50 + 10% of its rows.
 */
const staleAfter = { rows: 50, share: 0.1 } as const;

/**
 * ANALYZEs those of `tables` never analyzed, or changed by more than autovacuum's threshold
 * since they last were. Returns the tables analyzed. A table another session is analyzing at
 * that moment is skipped (SKIP_LOCKED): its statistics are on their way.
 */
export async function refreshPlannerStatistics(db: Kysely<Database>, tables: readonly TableName[]): Promise<string[]> {
  if (tables.length === 0 || !(db.getExecutor().adapter instanceof PostgresAdapter)) return [];
  // reltuples is -1 until a table's first ANALYZE (or VACUUM): exact, unlike the activity
  // counters, which each session reports up to a few seconds late.
  const stale = await sql<{ relname: string }>`
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p')
      AND c.relname = ANY(${[...tables]})
      AND (c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) > ${staleAfter.rows} + ${staleAfter.share} * c.reltuples)
    ORDER BY c.relname`.execute(db);
  const names = stale.rows.map((r) => r.relname);
  if (names.length === 0) return [];
  await sql`ANALYZE (SKIP_LOCKED) ${sql.join(names.map((name) => sql.table(name)))}`.execute(db);
  return names;
}
