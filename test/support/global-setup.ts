// Runs once before the suite: PostgreSQL must answer, because a skipped PostgreSQL suite would
// let a dialect bug through. The message says how to start it.
import pg from "pg";
import { postgresAdminUrl } from "./databases.ts";

export default async function globalSetup(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresAdminUrl} (${String(error)}). ` +
        "Start it (see CONTRIBUTING.md) or set TEST_POSTGRES_URL; the PostgreSQL suites are never skipped.",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
