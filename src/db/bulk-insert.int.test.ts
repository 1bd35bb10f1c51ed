import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Insertable } from "kysely";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { insertRows } from "./bulk-insert.ts";
import type { Database, FieldValuesTable } from "./schema.ts";

describe.each(dialects)("insertRows on %s", (dialect) => {
  let t: TestDatabase;
  const columns = ["workspace_id", "field_id", "entity_id", "text_value", "number_value", "updated_at"] as const;
  const upsert = (rows: unknown[][]) =>
    insertRows<Database, Insertable<FieldValuesTable>>(t.db, "test.upsert", columns, rows, (db, values) =>
      db
        .insertInto("field_values")
        .values(values)
        .onConflict((oc) => oc.columns(["field_id", "entity_id"]).doUpdateSet((eb) => ({ text_value: eb.ref("excluded.text_value"), number_value: eb.ref("excluded.number_value") }))),
    );
  const stored = () => t.db.selectFrom("field_values").select(["field_id", "entity_id", "text_value", "number_value"]).orderBy("field_id").orderBy("entity_id").execute();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const now = new Date().toISOString();
    await t.db.insertInto("workspaces").values({ id: "w1", name: "W", created_at: now }).execute();
    await t.db
      .insertInto("custom_fields")
      .values(["f1", "f2"].map((id, position) => ({ id, workspace_id: "w1", entity: "customer", key: id, label: id, type: "text", options: "[]", position, created_at: now, updated_at: now })))
      .execute();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("sends each call's own values through the SQL compiled for its shape and row count", async () => {
    await upsert([["w1", "f1", "e1", "one", null, "t"]]);
    await upsert([["w1", "f1", "e2", "two", null, "t"]]);
    await upsert([
      ["w1", "f2", "e1", null, 1.5, "t"],
      ["w1", "f1", "e1", "uno", undefined, "t"],
    ]);
    expect(await stored()).toEqual([
      { field_id: "f1", entity_id: "e1", text_value: "uno", number_value: null },
      { field_id: "f1", entity_id: "e2", text_value: "two", number_value: null },
      { field_id: "f2", entity_id: "e1", text_value: null, number_value: 1.5 },
    ]);
  });

  it("keeps every value as given: quotes, backslashes, braces, commas, the text NULL, unicode, empty text", async () => {
    const texts = ['say "hi"', "back\\slash", "{braces}", "a,b", "NULL", "null", "ünï 😀", "", " padded "];
    await upsert(texts.map((text, i) => ["w1", "f2", `t${i}`, text, i + 0.25, "t"]));
    const rows = await t.db.selectFrom("field_values").select(["entity_id", "text_value", "number_value"]).where("entity_id", "like", "t%").orderBy("entity_id").execute();
    expect(rows).toEqual(texts.map((text, i) => ({ entity_id: `t${i}`, text_value: text, number_value: i + 0.25 })));
    await t.db.deleteFrom("field_values").where("entity_id", "like", "t%").execute();
  });

  // SQLite's callers chunk (at most 32,766 bound values a statement); PostgreSQL's statement takes a few arrays.
  it.runIf(dialect === "postgres")("writes thousands of rows in one statement", async () => {
    await upsert(Array.from({ length: 7_000 }, (_, i) => ["w1", "f2", `bulk-${i}`, `v${i}`, null, "t"]));
    const counted = await t.db.selectFrom("field_values").select((eb) => eb.fn.countAll<number>().as("n")).where("entity_id", "like", "bulk-%").executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(7_000);
    await t.db.deleteFrom("field_values").where("entity_id", "like", "bulk-%").execute();
  });

  it("does nothing for no rows, and fails like the statement it stands for", async () => {
    await upsert([]);
    await expect(upsert([["w1", "no-such-field", "e1", "x", null, "t"]])).rejects.toThrow();
    expect(await stored()).toHaveLength(3);
  });
});
