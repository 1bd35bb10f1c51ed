// Data files are private to their owner: a new SQLite database, its WAL and shared-memory files
// and the generated key are created 0600 in a 0700 folder, and files others can read are
// reported at start.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { warnAboutExposedDataFiles } from "../cli/data-file-check.ts";
import { resolveSecretKey } from "../cli/secret-key.ts";
import { loadConfig } from "../config.ts";
import { migrateToLatest, openDatabase } from "./database.ts";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("data file permissions", () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "crmsync-perms-"));
    // The usual umask, under which files are created readable by everyone unless asked otherwise.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the database, its WAL and shared-memory files, the key and the folder for the owner only", async () => {
    const config = loadConfig({ DATA_DIR: join(dir, "data") });
    if (config.database.dialect !== "sqlite") throw new Error("sqlite expected");
    const database = openDatabase(config.database);
    try {
      await migrateToLatest(database.db);
      resolveSecretKey(config);
      const file = config.database.file;
      expect(existsSync(`${file}-wal`)).toBe(true);
      for (const f of [file, `${file}-wal`, `${file}-shm`, join(config.dataDir, "secret.key")]) expect([f, modeOf(f).toString(8)]).toEqual([f, "600"]);
      expect(modeOf(config.dataDir).toString(8)).toBe("700");
      const warnings: string[] = [];
      expect(warnAboutExposedDataFiles(config, (m) => warnings.push(m))).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("warns at start about data files others can read, naming each and the fix", async () => {
    const config = loadConfig({ DATA_DIR: dir });
    if (config.database.dialect !== "sqlite") throw new Error("sqlite expected");
    writeFileSync(config.database.file, "");
    chmodSync(config.database.file, 0o644);
    writeFileSync(join(dir, "secret.key"), `${"ab".repeat(32)}\n`, { mode: 0o640 });
    chmodSync(join(dir, "secret.key"), 0o640);
    const warnings: string[] = [];
    expect(warnAboutExposedDataFiles(config, (m) => warnings.push(m))).toBe(2);
    expect(warnings[0]).toContain(`${config.database.file} can be read by other users (mode 0644); run \`chmod 600 ${config.database.file}\``);
    expect(warnings[1]).toContain("secret.key can be read by other users (mode 0640)");
    // An existing file keeps its mode: crmsync reports, the owner decides.
    const database = openDatabase(config.database);
    await database.close();
    expect(modeOf(config.database.file)).toBe(0o644);
  });
});
