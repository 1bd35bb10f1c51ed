import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/support/app.ts";
import { dialects } from "../../../test/support/databases.ts";
import type { StoredValue } from "../../core/fields.ts";
import type { Dialect } from "../../db/database.ts";
import { createSyncedFields, listSyncedFields, removeSyncMapping, type FieldRecord } from "../../db/repositories/custom-fields.ts";
import { writeSyncedValues, writeSyncedValuesBulk } from "../../db/repositories/field-values.ts";

interface FieldJson {
  id: string;
  key: string;
  label: string;
  type: string;
  options: { value: string; label: string }[];
  entity: string;
  syncMapping: null | { provider: string; object: string; property: string };
  readOnly: boolean;
  createdAt: string;
}

async function dump(t: TestApp): Promise<unknown> {
  const db = t.ctx.db;
  return {
    fields: await db.selectFrom("custom_fields").selectAll().orderBy("id").execute(),
    values: await db.selectFrom("field_values").selectAll().orderBy("field_id").orderBy("entity_id").execute(),
  };
}

describe.each(dialects)("custom fields API on %s", (dialect: Dialect) => {
  let t: TestApp;
  let synced: FieldRecord;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.ctx.db.deleteFrom("field_values").execute();
    await t.ctx.db.deleteFrom("custom_fields").execute();
    await t.ctx.db.deleteFrom("customer_domains").execute();
    await t.ctx.db.deleteFrom("customers").execute();
    [synced] = (await createSyncedFields(t.ctx.db, t.a.id, [
      { label: "Annual revenue", type: "number", syncMapping: { provider: "hubspot", object: "company", property: "annualrevenue" }, syncPropertyType: "number" },
    ])) as [FieldRecord];
  });

  const create = (body: unknown, token = t.a.adminToken) => t.request(token, "POST", "/api/v1/custom-fields", body);
  const customer = async (fields: Record<string, unknown>) =>
    (await t.request(t.a.adminToken, "POST", "/api/v1/customers", { name: "C", fields })).json<{ id: string; fields: Record<string, unknown> }>();

  it("creates fields with keys derived from labels, unique per workspace", async () => {
    const res = await create({ label: "Industry (HubSpot)", type: "select", options: ["Software", { value: "retail", label: "Retail" }] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      key: "industry_hubspot",
      label: "Industry (HubSpot)",
      type: "select",
      options: [
        { value: "Software", label: "Software" },
        { value: "retail", label: "Retail" },
      ],
      entity: "customer",
      syncMapping: null,
      readOnly: false,
    });
    const again = await create({ label: "Industry (HubSpot)", type: "text" });
    expect(again.json<FieldJson>().key).toBe("industry_hubspot_2");
    const explicit = await create({ label: "Whatever", type: "text", key: "industry_hubspot" });
    expect(explicit.statusCode).toBe(409);
    expect(explicit.json()).toMatchObject({ error: { code: "field_key_taken", details: { key: "industry_hubspot" } } });
    // The same key is free in another workspace.
    expect((await create({ label: "Industry (HubSpot)", type: "text" }, t.b.adminToken)).json<FieldJson>().key).toBe("industry_hubspot");

    const list = (await t.request(t.a.memberToken, "GET", "/api/v1/custom-fields?entity=customer")).json<{ items: FieldJson[] }>();
    expect(list.items.map((f) => [f.key, f.readOnly])).toEqual([
      ["annual_revenue", true],
      ["industry_hubspot", false],
      ["industry_hubspot_2", false],
    ]);
    expect(list.items[0]?.syncMapping).toEqual({ provider: "hubspot", object: "company", property: "annualrevenue" });
  });

  it("refuses field changes from members (403) and leaves the fields as they were", async () => {
    const field = (await create({ label: "Tier", type: "select", options: ["Gold"] })).json<FieldJson>();
    const before = await dump(t);
    for (const [method, url, body] of [
      ["POST", "/api/v1/custom-fields", { label: "X", type: "text" }],
      ["PATCH", `/api/v1/custom-fields/${field.id}`, { label: "Y" }],
      ["DELETE", `/api/v1/custom-fields/${field.id}`, undefined],
      ["DELETE", `/api/v1/custom-fields/${synced.id}`, undefined],
    ] as const) {
      const res = await t.request(t.a.memberToken, method, url, body);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    expect(await dump(t)).toEqual(before);
    expect((await t.request(t.a.memberToken, "GET", `/api/v1/custom-fields/${field.id}`)).statusCode).toBe(200);
  });

  it.each([
    ["select without options", { label: "S", type: "select" }, 400, "validation_failed"],
    ["options on a text field", { label: "T", type: "text", options: ["a"] }, 400, "validation_failed"],
    ["duplicate option values", { label: "S", type: "select", options: ["a", "a"] }, 400, "validation_failed"],
    ["unknown type", { label: "S", type: "currency" }, 400, "validation_failed"],
    ["bad explicit key", { label: "S", type: "text", key: "Bad Key" }, 400, "validation_failed"],
    ["blank label", { label: "   ", type: "text" }, 400, "validation_failed"],
    ["unknown body key", { label: "S", type: "text", colour: 1 }, 400, "validation_failed"],
    ["malformed JSON", '{"label":', 400, "malformed_json"],
  ])("refuses %s", async (_name, body, status, code) => {
    const before = await dump(t);
    const res = await create(body);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(await dump(t)).toEqual(before);
  });

  it("renames and changes options; removed options are cleared from customers", async () => {
    const single = (await create({ label: "Tier", type: "select", options: ["Gold", "Silver"] })).json<FieldJson>();
    const multi = (await create({ label: "Tags", type: "multi_select", options: ["a", "b", "c"] })).json<FieldJson>();
    const gold = await customer({ tier: "Gold", tags: ["a", "b"] });
    const silver = await customer({ tier: "Silver", tags: ["b"] });
    const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/custom-fields/${single.id}`, { label: "Plan", options: [{ value: "Gold", label: "Gold plan" }, "Bronze"] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ key: "tier", label: "Plan", options: [{ value: "Gold", label: "Gold plan" }, { value: "Bronze", label: "Bronze" }] });
    await t.request(t.a.adminToken, "PATCH", `/api/v1/custom-fields/${multi.id}`, { options: ["a", "c"] });
    const read = async (id: string) => (await t.request(t.a.adminToken, "GET", `/api/v1/customers/${id}`)).json<{ fields: Record<string, unknown> }>().fields;
    expect(await read(gold.id)).toEqual({ tier: "Gold", tags: ["a"] });
    expect(await read(silver.id)).toEqual({});
  });

  it("refuses a type change, and any edit of a synced field, but deletes a synced field with its values", async () => {
    const field = (await create({ label: "Count", type: "number" })).json<FieldJson>();
    const typeChange = await t.request(t.a.adminToken, "PATCH", `/api/v1/custom-fields/${field.id}`, { type: "text" });
    expect(typeChange.statusCode).toBe(400);
    expect(typeChange.json()).toMatchObject({ error: { code: "validation_failed" } });
    expect((await t.request(t.a.adminToken, "PATCH", `/api/v1/custom-fields/${field.id}`, { type: "number", label: "Seats" })).json()).toMatchObject({ label: "Seats" });

    const c = await customer({});
    await writeSyncedValues(t.ctx.db, t.a.id, c.id, new Map([[synced.id, { text: null, number: 5000 }]]));
    const before = await dump(t);
    const edit = await t.request(t.a.adminToken, "PATCH", `/api/v1/custom-fields/${synced.id}`, { label: "Revenue" });
    expect(edit.statusCode).toBe(422);
    expect(edit.json()).toEqual({
      error: { code: "field_read_only", message: 'The field "annual_revenue" is synced from HubSpot and cannot be edited here.', details: { field: "annual_revenue" } },
    });
    expect(await dump(t)).toEqual(before);

    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/custom-fields/${synced.id}`)).statusCode).toBe(204);
    expect(await t.ctx.db.selectFrom("field_values").selectAll().where("field_id", "=", synced.id).execute()).toEqual([]);
    expect((await t.request(t.a.adminToken, "GET", `/api/v1/custom-fields/${synced.id}`)).statusCode).toBe(404);
    expect(await listSyncedFields(t.ctx.db, t.a.id, "hubspot")).toEqual([]);
  });

  it("removing a sync mapping keeps the values and makes the field editable", async () => {
    const c = await customer({});
    await writeSyncedValuesBulk(t.ctx.db, t.a.id, new Map([[c.id, new Map([[synced.id, { text: null, number: 7 }]])]]));
    expect((await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${c.id}`, { fields: { annual_revenue: 8 } })).statusCode).toBe(422);
    const field = await removeSyncMapping(t.ctx.db, t.a.id, synced.id);
    expect(field.syncMapping).toBeNull();
    const got = (await t.request(t.a.adminToken, "GET", `/api/v1/custom-fields/${synced.id}`)).json<FieldJson>();
    expect(got).toMatchObject({ readOnly: false, syncMapping: null });
    const read = await t.request(t.a.adminToken, "GET", `/api/v1/customers/${c.id}`);
    expect(read.json()).toMatchObject({ fields: { annual_revenue: 7 } });
    const patched = await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${c.id}`, { fields: { annual_revenue: 8 } });
    expect(patched.json()).toMatchObject({ fields: { annual_revenue: 8 } });
  });

  it("writes synced values in bulk (upserts and clears) for many customers at once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await customer({})).id);
    const first = new Map(ids.map((id, i) => [id, new Map([[synced.id, { text: null, number: i * 10 }]])]));
    await writeSyncedValuesBulk(t.ctx.db, t.a.id, first);
    const second = new Map<string, Map<string, StoredValue | null>>([
      [ids[0]!, new Map([[synced.id, null]])],
      [ids[1]!, new Map([[synced.id, { text: null, number: 99 }]])],
    ]);
    await writeSyncedValuesBulk(t.ctx.db, t.a.id, second);
    const rows = await t.ctx.db.selectFrom("field_values").select(["entity_id", "number_value"]).where("field_id", "=", synced.id).execute();
    expect(new Map(rows.map((r) => [r.entity_id, r.number_value]))).toEqual(new Map([[ids[1]!, 99], [ids[2]!, 20]]));
  });

  it("isolates workspaces: B cannot see, change or delete A's fields", async () => {
    const field = (await create({ label: "Tier", type: "select", options: ["Gold"] })).json<FieldJson>();
    const before = await dump(t);
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { label: "Mine" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await t.request(t.b.adminToken, method, `/api/v1/custom-fields/${field.id}`, body);
      expect(res.statusCode).toBe(404);
    }
    expect((await t.request(t.b.adminToken, "GET", "/api/v1/custom-fields")).json()).toEqual({ items: [] });
    expect(await dump(t)).toEqual(before);
  });
});
