// `crmsync user create` takes the password from stdin (or a prompt) instead of the command line,
// where other users of the machine would see it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/core/security.ts";
import { openDatabase } from "../../src/db/database.ts";
import { findUserByEmail } from "../../src/db/repositories/users.ts";
import { runCli } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "crmsync-user-"));

const crmsync = (args: string[], stdin: string) => runCli(args, { dataDir: dir, stdin });

describe("crmsync user create", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the password from stdin with --password-stdin", { timeout: 60_000 }, async () => {
    const { code, stdout } = await crmsync(["user", "create", "--email", "piped@example.com", "--workspace-name", "Piped", "--password-stdin"], "a piped secret\nnot this line\n");
    expect(code).toBe(0);
    expect(stdout).toContain("piped@example.com");
    const database = openDatabase({ dialect: "sqlite", file: join(dir, "crmsync.db") });
    try {
      const user = await findUserByEmail(database.db, "piped@example.com");
      expect(await verifyPassword("a piped secret", user!.password_hash)).toBe(true);
    } finally {
      await database.close();
    }
  });

  it("without a password and without a terminal, says how to give one", { timeout: 60_000 }, async () => {
    const { code, stderr } = await crmsync(["user", "create", "--email", "nobody@example.com", "--workspace-name", "None"], "");
    expect(code).toBe(1);
    expect(stderr).toContain("--password-stdin");
  });
});
