// A PostgreSQL connection that dies while idle in a pool (a server restart, an admin ending it)
// is logged, not swallowed: the operator sees why the next request had to reconnect.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/cli/logging.ts";
import { openMigratedDatabase, scaleOutParts } from "../../src/cli/runtime.ts";
import { loadConfig } from "../../src/config.ts";
import { sql } from "kysely";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "../support/databases.ts";

function capture(): { entries: { level: number; msg: string; err?: { message: string } }[]; write(chunk: string): boolean } {
  const entries: { level: number; msg: string; err?: { message: string } }[] = [];
  return { entries, write: (chunk) => entries.push(JSON.parse(chunk) as (typeof entries)[number]) > 0 };
}

/** Ends every connection that carries this application name, as `pg_terminate_backend` by an admin does. */
async function terminate(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: boolean }>("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1", [applicationName]);
    return rows.filter((row) => row.ended).length;
  } finally {
    await admin.end();
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("PostgreSQL pool errors", () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it("the queue and budget pool logs an idle connection that the server ended", async () => {
    database = await createTestDatabase("postgres", { migrate: false });
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    const out = capture();
    const parts = scaleOutParts(`${database.target.url}?application_name=crmsync-queue-pool-test`, createLogger({ logLevel: "info", logFormat: "json" }, out));
    try {
      await parts.pool.query("SELECT 1");
      expect(await terminate("crmsync-queue-pool-test")).toBeGreaterThan(0);
      await until(() => out.entries.length > 0);
      expect(out.entries[0]).toMatchObject({ level: 50, msg: "queue pool: an idle PostgreSQL connection failed and was dropped", err: { message: expect.stringContaining("terminat") } });
    } finally {
      await parts.close();
    }
  });

  it("the database pool logs one too", async () => {
    database = await createTestDatabase("postgres", { migrate: false });
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    const out = capture();
    const config = loadConfig({ DATABASE_URL: `${database.target.url}?application_name=crmsync-db-pool-test` });
    const opened = await openMigratedDatabase(config, createLogger({ logLevel: "info", logFormat: "json" }, out));
    try {
      await sql`SELECT 1`.execute(opened.db);
      expect(await terminate("crmsync-db-pool-test")).toBeGreaterThan(0);
      await until(() => out.entries.length > 0);
      expect(out.entries[0]).toMatchObject({ level: 50, msg: "database pool: an idle PostgreSQL connection failed and was dropped" });
    } finally {
      await opened.close();
    }
  });
});
