import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { migrateToLatest } from "./database.ts";
import { migrations } from "./migrations/index.ts";

describe.each(dialects)("database on %s", (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("applies every migration once, even when two starts race", async () => {
    const [a, b] = await Promise.all([migrateToLatest(t.db), migrateToLatest(t.db)]);
    expect([...a, ...b]).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it("enforces unique domains per workspace", async () => {
    const now = new Date().toISOString();
    await t.db.insertInto("workspaces").values({ id: "w1", name: "W", created_at: now }).execute();
    await t.db
      .insertInto("customers")
      .values([
        { id: "c1", workspace_id: "w1", name: "A", created_at: now, updated_at: now },
        { id: "c2", workspace_id: "w1", name: "B", created_at: now, updated_at: now },
      ])
      .execute();
    await t.db.insertInto("customer_domains").values({ workspace_id: "w1", customer_id: "c1", domain: "acme.com", position: 0 }).execute();
    await expect(
      t.db.insertInto("customer_domains").values({ workspace_id: "w1", customer_id: "c2", domain: "acme.com", position: 0 }).execute(),
    ).rejects.toThrow();
  });
});
