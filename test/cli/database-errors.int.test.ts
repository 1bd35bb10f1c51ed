// A database that cannot be reached is reported as a connection problem naming the variable to
// fix (DATABASE_URL, or DATA_DIR for the default SQLite file), never as a failed migration.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdminUrl } from "../support/databases.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crmsync-dberr-"));

function migrate(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  // No USER or PGUSER: pg would otherwise fill in the user name from them.
  const { USER: _user, PGUSER: _pguser, LOGNAME: _logname, ...base } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/crmsync.js", "migrate"], { cwd: repoRoot, env: { ...base, DATA_DIR: dir, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("crmsync migrate with a database it cannot reach", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names DATABASE_URL when the PostgreSQL URL has no user name", async () => {
    const { code, stderr } = await migrate({ DATABASE_URL: "postgres://127.0.0.1:5432/db", CRMSYNC_SECRET: "ab".repeat(32) });
    expect(code).toBe(1);
    expect(stderr).toContain("Could not connect to PostgreSQL at postgres://127.0.0.1:5432/db (DATABASE_URL)");
    expect(stderr).toContain("user");
    expect(stderr).not.toMatch(/Migration/);
  });

  it("names DATABASE_URL, without its password, when the database does not exist", async () => {
    const url = new URL(postgresAdminUrl);
    url.password = "s3cret-pass";
    url.pathname = "/crmsync_no_such_database";
    const { code, stderr } = await migrate({ DATABASE_URL: url.toString(), CRMSYNC_SECRET: "ab".repeat(32) });
    expect(code).toBe(1);
    expect(stderr).toContain("(DATABASE_URL)");
    expect(stderr).toContain("crmsync_no_such_database");
    expect(stderr).not.toContain("s3cret-pass");
  });

  it("names DATA_DIR when the SQLite file cannot be created there", async () => {
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "");
    const { code, stderr } = await migrate({ DATA_DIR: file });
    expect(code).toBe(1);
    expect(stderr).toContain("Could not connect to the SQLite database");
    expect(stderr).toContain("(DATA_DIR)");
  });
});
