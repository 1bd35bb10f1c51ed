// Real databases for tests: a fresh SQLite file, and a fresh PostgreSQL database created for
// the test and dropped afterwards. Every repository and API suite runs on both.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateToLatest, openDatabase, type Db, type Dialect } from "../../src/db/database.ts";
import type { DatabaseTarget } from "../../src/config.ts";

/** Where PostgreSQL test databases are created: set by global-setup.ts (the local server or an embedded one). */
export const postgresAdminUrl = process.env["TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const dialects: Dialect[] = ["sqlite", "postgres"];

export interface TestDatabase extends Db {
  target: DatabaseTarget;
  /** Closes the handle and removes the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(dialect: Dialect, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let target: DatabaseTarget;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "crmsync-test-"));
    target = { dialect: "sqlite", file: join(dir, "test.db") };
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    const name = `crmsync_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    target = { dialect: "postgres", url: withDatabase(postgresAdminUrl, name) };
    cleanup = async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const opened = openDatabase(target, { poolSize: 5 });
  if (options.migrate !== false) await migrateToLatest(opened.db);
  return {
    ...opened,
    target,
    async drop() {
      await opened.close();
      await cleanup();
    },
  };
}
