import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/support/app.ts";
import { dialects } from "../../../test/support/databases.ts";
import type { Dialect } from "../../db/database.ts";
import { createField, createSyncedFields, type FieldRecord } from "../../db/repositories/custom-fields.ts";
import { setCustomerLink } from "../../db/repositories/customers.ts";

interface CustomerJson {
  id: string;
  name: string;
  domains: string[];
  fields: Record<string, unknown>;
  crmLink: null | { provider: string; companyId: string; dealId: string | null; source: string; linkedAt: string };
  linkStatus: { state: string; reason?: string; candidates?: string[]; checkedAt?: string };
  createdAt: string;
  updatedAt: string;
}

/** Every table a customer write touches, in a fixed order, to prove a refused write left nothing behind. */
async function dump(t: TestApp): Promise<unknown> {
  const db = t.ctx.db;
  return {
    customers: await db.selectFrom("customers").selectAll().orderBy("id").execute(),
    domains: await db.selectFrom("customer_domains").selectAll().orderBy("workspace_id").orderBy("domain").execute(),
    values: await db.selectFrom("field_values").selectAll().orderBy("field_id").orderBy("entity_id").execute(),
    fields: await db.selectFrom("custom_fields").selectAll().orderBy("id").execute(),
  };
}

async function clear(t: TestApp): Promise<void> {
  await t.ctx.db.deleteFrom("field_values").execute();
  await t.ctx.db.deleteFrom("custom_fields").execute();
  await t.ctx.db.deleteFrom("customer_domains").execute();
  await t.ctx.db.deleteFrom("customers").execute();
}

describe.each(dialects)("customers API on %s", (dialect: Dialect) => {
  let t: TestApp;
  let synced: FieldRecord;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await clear(t);
    const ws = t.a.id;
    await createField(t.ctx.db, ws, { label: "ARR", type: "number" });
    await createField(t.ctx.db, ws, { label: "Industry", type: "select", options: [{ value: "software", label: "Software" }, { value: "retail", label: "Retail" }] });
    await createField(t.ctx.db, ws, { label: "Tags", type: "multi_select", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] });
    await createField(t.ctx.db, ws, { label: "Renewal", type: "date" });
    await createField(t.ctx.db, ws, { label: "VIP", type: "yes_no" });
    await createField(t.ctx.db, ws, { label: "Note", type: "text" });
    [synced] = (await createSyncedFields(t.ctx.db, ws, [
      { label: "Lifecycle", type: "select", options: [{ value: "customer", label: "Customer" }], syncMapping: { provider: "hubspot", object: "company", property: "lifecyclestage" } },
    ])) as [FieldRecord];
  });

  const post = (body: unknown, token = t.a.adminToken) => t.request(token, "POST", "/api/v1/customers", body);

  it("creates a customer with normalised domains and typed values, and reads it back", async () => {
    const res = await post({
      name: "  Acme  ",
      domains: ["https://WWW.Acme.com/pricing", "acme.io", "acme.com"],
      fields: { arr: 120000, industry: "Software", tags: ["b", "a"], renewal: "2026-03-01", vip: true, note: "Key account" },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<CustomerJson>();
    expect(created).toMatchObject({
      name: "Acme",
      domains: ["acme.com", "acme.io"],
      fields: { arr: 120000, industry: "software", tags: ["a", "b"], renewal: "2026-03-01", vip: true, note: "Key account" },
      crmLink: null,
      linkStatus: { state: "not_checked" },
    });
    const got = await t.request(t.a.memberToken, "GET", `/api/v1/customers/${created.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(created);
  });

  it("lets members create, change and delete customers", async () => {
    const created = (await post({ name: "By member" }, t.a.memberToken)).json<CustomerJson>();
    const patched = await t.request(t.a.memberToken, "PATCH", `/api/v1/customers/${created.id}`, { fields: { arr: 5 } });
    expect(patched.statusCode).toBe(200);
    expect((await t.request(t.a.memberToken, "DELETE", `/api/v1/customers/${created.id}`)).statusCode).toBe(204);
    expect((await t.request(t.a.memberToken, "GET", `/api/v1/customers/${created.id}`)).statusCode).toBe(404);
  });

  it("merges fields on PATCH (null clears), replaces domains and bumps updatedAt", async () => {
    const created = (await post({ name: "Acme", domains: ["acme.com", "acme.io"], fields: { arr: 1, note: "x", vip: false } })).json<CustomerJson>();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${created.id}`, { domains: ["acme.net"], fields: { arr: 2, note: null } });
    expect(res.statusCode).toBe(200);
    const patched = res.json<CustomerJson>();
    expect(patched.domains).toEqual(["acme.net"]);
    expect(patched.fields).toEqual({ arr: 2, vip: false });
    expect(patched.updatedAt > created.updatedAt).toBe(true);
    expect(patched.createdAt).toBe(created.createdAt);
    // The freed domain can be used by another customer.
    expect((await post({ name: "Other", domains: ["acme.io"] })).statusCode).toBe(201);
  });

  it("refuses a domain another customer holds, naming it, and changes nothing", async () => {
    const holder = (await post({ name: "Holder", domains: ["acme.com"] })).json<CustomerJson>();
    const other = (await post({ name: "Other" })).json<CustomerJson>();
    const before = await dump(t);
    for (const [method, url] of [
      ["POST", "/api/v1/customers"],
      ["PATCH", `/api/v1/customers/${other.id}`],
    ] as const) {
      const res = await t.request(t.a.adminToken, method, url, { name: "New", domains: ["new.com", "http://www.ACME.com"], fields: { arr: 9 } });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: "domain_taken", details: { domain: "acme.com", customerId: holder.id, customerName: "Holder" } } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain("Holder");
    }
    expect(await dump(t)).toEqual(before);
    // The same domain in another workspace is fine.
    expect((await post({ name: "B's Acme", domains: ["acme.com"] }, t.b.adminToken)).statusCode).toBe(201);
  });

  it("resets the CRM link when a domain is removed from a linked customer, not when one is added", async () => {
    const created = (await post({ name: "Acme", domains: ["acme.com", "acme.io"] })).json<CustomerJson>();
    await setCustomerLink(t.ctx.db, t.a.id, created.id, { companyId: "101", dealId: "202", source: "auto" });
    const linked = (await t.request(t.a.adminToken, "GET", `/api/v1/customers/${created.id}`)).json<CustomerJson>();
    expect(linked.crmLink).toMatchObject({ provider: "hubspot", companyId: "101", dealId: "202", source: "auto" });
    expect(linked.linkStatus.state).toBe("linked");

    const added = (await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${created.id}`, { domains: ["acme.com", "acme.io", "acme.net"] })).json<CustomerJson>();
    expect(added.crmLink).toEqual(linked.crmLink);

    const renamed = (await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${created.id}`, { name: "Acme Inc", fields: { arr: 3 } })).json<CustomerJson>();
    expect(renamed.crmLink).toEqual(linked.crmLink);

    const removed = (await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${created.id}`, { domains: ["acme.io", "acme.net"] })).json<CustomerJson>();
    expect(removed.crmLink).toBeNull();
    expect(removed.linkStatus).toEqual({ state: "not_checked" });
    const row = await t.ctx.db.selectFrom("customers").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect([row.crm_company_id, row.crm_deal_id, row.crm_link_source, row.crm_linked_at]).toEqual([null, null, null, null]);
  });

  describe("bad input is refused with a stable code and the database unchanged", () => {
    const cases: { name: string; body: unknown; raw?: string; status: number; code: string; patch?: boolean }[] = [
      { name: "invalid domain", body: { name: "X", domains: ["not a domain"] }, status: 422, code: "domain_invalid" },
      { name: "IP address as domain", body: { name: "X", domains: ["10.0.0.1"] }, status: 422, code: "domain_invalid" },
      { name: "number field given text", body: { name: "X", fields: { arr: "100" } }, status: 422, code: "field_value_invalid" },
      { name: "date field given garbage", body: { name: "X", fields: { renewal: "2026-02-30" } }, status: 422, code: "field_value_invalid" },
      { name: "yes_no given a string", body: { name: "X", fields: { vip: "yes" } }, status: 422, code: "field_value_invalid" },
      { name: "select value outside its options", body: { name: "X", fields: { industry: "Mining" } }, status: 422, code: "field_value_invalid" },
      { name: "multi_select value outside its options", body: { name: "X", fields: { tags: ["a", "zzz"] } }, status: 422, code: "field_value_invalid" },
      { name: "unknown field key", body: { name: "X", fields: { nope: 1 } }, status: 422, code: "field_unknown" },
      { name: "synced field", body: { name: "X", fields: { lifecycle: "customer" } }, status: 422, code: "field_read_only" },
      { name: "unknown top-level key", body: { name: "X", colour: "red" }, status: 400, code: "validation_failed" },
      { name: "name of the wrong type", body: { name: 42 }, status: 400, code: "validation_failed" },
      { name: "blank name", body: { name: "   " }, status: 400, code: "validation_failed" },
      { name: "domains not a list", body: { name: "X", domains: "acme.com" }, status: 400, code: "validation_failed" },
      { name: "malformed JSON", body: undefined, raw: '{"name": "X",', status: 400, code: "malformed_json" },
      { name: "oversized body", body: undefined, raw: JSON.stringify({ name: "X", fields: { note: "x".repeat(1_100_000) } }), status: 413, code: "payload_too_large" },
    ];

    for (const method of ["POST", "PATCH"] as const) {
      for (const c of cases) {
        it(`${method}: ${c.name} → ${c.status} ${c.code}`, async () => {
          const existing = (await post({ name: "Existing", domains: ["existing.com"], fields: { arr: 1, tags: ["a"] } })).json<CustomerJson>();
          const before = await dump(t);
          const url = method === "POST" ? "/api/v1/customers" : `/api/v1/customers/${existing.id}`;
          const body = method === "PATCH" && c.body && typeof c.body === "object" && "name" in c.body && (c.body as { name: unknown }).name === "X" ? { ...c.body, name: "Y" } : c.body;
          const res = await t.request(t.a.adminToken, method, url, c.raw ?? body);
          expect(res.statusCode).toBe(c.status);
          const json = res.json<{ error: { code: string; message: string; details: unknown } }>();
          expect(json.error.code).toBe(c.code);
          expect(json.error.message.length).toBeGreaterThan(0);
          expect(await dump(t)).toEqual(before);
        });
      }
    }

    it("a valid value next to an invalid one is not written either", async () => {
      const existing = (await post({ name: "Existing", fields: { arr: 1 } })).json<CustomerJson>();
      const before = await dump(t);
      const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/customers/${existing.id}`, { name: "Renamed", domains: ["fresh.com"], fields: { arr: 2, note: "ok", industry: "Mining" } });
      expect(res.statusCode).toBe(422);
      expect(await dump(t)).toEqual(before);
    });
  });

  it("refuses every write to a synced field, even clearing it, with the read-only message", async () => {
    const created = (await post({ name: "Acme" })).json<CustomerJson>();
    const before = await dump(t);
    for (const value of ["customer", null]) {
      for (const [method, url] of [
        ["POST", "/api/v1/customers"],
        ["PATCH", `/api/v1/customers/${created.id}`],
      ] as const) {
        const res = await t.request(t.a.adminToken, method, url, { name: "Acme", fields: { lifecycle: value } });
        expect(res.statusCode).toBe(422);
        expect(res.json()).toEqual({
          error: { code: "field_read_only", message: 'The field "lifecycle" is synced from HubSpot and cannot be edited here.', details: { field: "lifecycle" } },
        });
      }
    }
    expect(await dump(t)).toEqual(before);
    expect(synced.syncMapping).not.toBeNull();
  });

  it("isolates workspaces: B's token gets 404 for A's customer and never lists it", async () => {
    const created = (await post({ name: "Secret", domains: ["secret.com"], fields: { arr: 10 } })).json<CustomerJson>();
    const before = await dump(t);
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { name: "Stolen" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await t.request(t.b.adminToken, method, `/api/v1/customers/${created.id}`, body);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(await dump(t)).toEqual(before);
    const list = await t.request(t.b.adminToken, "GET", "/api/v1/customers?q=secret");
    expect(list.json()).toEqual({ items: [], nextCursor: null });
    // A's field keys mean nothing in B.
    const filtered = await t.request(t.b.adminToken, "GET", "/api/v1/customers?filter[arr][gt]=1");
    expect(filtered.statusCode).toBe(400);
    expect(filtered.json()).toMatchObject({ error: { code: "invalid_filter" } });
    expect((await t.request(t.b.adminToken, "POST", "/api/v1/customers", { name: "B", fields: { arr: 1 } })).json()).toMatchObject({ error: { code: "field_unknown" } });
  });

  it("requires credentials", async () => {
    expect((await t.request(null, "GET", "/api/v1/customers")).statusCode).toBe(401);
    expect((await t.request("csk_nope", "POST", "/api/v1/customers", { name: "X" })).statusCode).toBe(401);
  });

  it("deletes a customer with its domains and values", async () => {
    const created = (await post({ name: "Gone", domains: ["gone.com"], fields: { arr: 1, tags: ["a"] } })).json<CustomerJson>();
    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/customers/${created.id}`)).statusCode).toBe(204);
    expect(await t.ctx.db.selectFrom("field_values").selectAll().where("entity_id", "=", created.id).execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom("customer_domains").selectAll().where("customer_id", "=", created.id).execute()).toEqual([]);
    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/customers/${created.id}`)).statusCode).toBe(404);
    expect((await post({ name: "Reuse", domains: ["gone.com"] })).statusCode).toBe(201);
  });

  it("documents the routes in OpenAPI", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/docs/json" })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/custom-fields", "/api/v1/custom-fields/{id}", "/api/v1/insights/customers"]));
  });
});
