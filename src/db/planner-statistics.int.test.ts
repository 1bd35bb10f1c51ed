// Planner statistics after bulk loads: PostgreSQL tables never analyzed get ANALYZEd once, and
// a table whose statistics are current is left alone; SQLite has nothing to do.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { refreshPlannerStatistics } from "./planner-statistics.ts";
import { createWorkspace } from "./repositories/workspaces.ts";

describe.each(dialects)("planner statistics on %s", (dialect) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    if (dialect === "postgres") await sql`ALTER TABLE workspaces SET (autovacuum_enabled = false)`.execute(database.db);
    for (let i = 0; i < 20; i++) await createWorkspace(database.db, `w${i}`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const analyzeCount = async (table: string) =>
    (await sql<{ n: number }>`SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = ${table}`.execute(database.db)).rows[0]?.n;

  it.runIf(dialect === "postgres")("analyzes the tables never analyzed, then leaves them until they change", async () => {
    expect(await analyzeCount("workspaces")).toBe(0);
    expect(await refreshPlannerStatistics(database.db, ["workspaces", "sessions"])).toEqual(["sessions", "workspaces"]);
    expect(await analyzeCount("workspaces")).toBe(1);
    const known = await sql<{ reltuples: number }>`SELECT reltuples FROM pg_class WHERE relname = 'workspaces' AND relkind = 'r'`.execute(database.db);
    expect(known.rows[0]?.reltuples).toBe(20);

    // 20 rows analyzed: a few more changes stay under autovacuum's threshold (50 + 10%).
    await createWorkspace(database.db, "one more");
    expect(await refreshPlannerStatistics(database.db, ["workspaces", "sessions"])).toEqual([]);
    expect(await analyzeCount("workspaces")).toBe(1);
  });

  it.runIf(dialect === "sqlite")("does nothing on SQLite", async () => {
    expect(await refreshPlannerStatistics(database.db, ["workspaces"])).toEqual([]);
  });
});
