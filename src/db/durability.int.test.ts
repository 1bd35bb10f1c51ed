// Commit durability (decision 0051): every transaction's commit waits for the disk, except the
// sync engines' redoable page transactions; the relaxed level never outlives such a transaction,
// even one that fails, so a commit made after it waits for the disk again.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { redoableTransaction } from "./durability.ts";
import type { Database } from "./schema.ts";
import { createWorkspace, getWorkspace } from "./repositories/workspaces.ts";

describe.each(dialects)("commit durability on %s", (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Whether a commit made now waits until it is on disk. */
  const waitsForDisk = async (db: Kysely<Database>): Promise<boolean> => {
    if (dialect === "postgres") return (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)).rows[0]?.synchronous_commit === "on";
    // 2 = FULL: the WAL is synced at every commit; 1 = NORMAL: only at checkpoints.
    return (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous === 2;
  };

  it("waits for the disk outside redoable transactions, and not inside one", async () => {
    expect(await waitsForDisk(database.db)).toBe(true);
    expect(await database.db.transaction().execute((trx) => waitsForDisk(trx))).toBe(true);
    const id = await redoableTransaction(database.db, async (trx) => {
      expect(await waitsForDisk(trx)).toBe(false);
      return (await createWorkspace(trx, "redoable")).id;
    });
    expect(await getWorkspace(database.db, id)).toMatchObject({ name: "redoable" });
    expect(await waitsForDisk(database.db)).toBe(true);
  });

  it("rolls a failed redoable transaction back and waits for the disk again after it", async () => {
    let id = "";
    await expect(
      redoableTransaction(database.db, async (trx) => {
        id = (await createWorkspace(trx, "rolled back")).id;
        throw new Error("page failed");
      }),
    ).rejects.toThrow("page failed");
    expect(await getWorkspace(database.db, id)).toBeUndefined();
    expect(await waitsForDisk(database.db)).toBe(true);
    expect(await database.db.transaction().execute((trx) => waitsForDisk(trx))).toBe(true);
  });
});
