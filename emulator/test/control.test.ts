import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 21, companies: 60, deals: 100, contacts: 150, rateLimits: false });
});

afterAll(async () => {
  await emu.close();
});

describe("control API", () => {
  it("counts calls per stable endpoint key and per token, and resets", async () => {
    await control(emu.url, "/counters", undefined, "DELETE");
    await api(emu.url, "/crm/objects/2026-09/companies?limit=5");
    await api(emu.url, "/crm/objects/2026-09/companies/search", { body: {} });
    await api(emu.url, "/crm/objects/2026-09/deals/batch/read", { body: { inputs: [] } });
    await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/read", { body: { inputs: [] } });
    await api(emu.url, "/crm/properties/2026-09/companies");
    await api(emu.url, "/crm/lists/2026-09/1/memberships");
    const c = (await control(emu.url, "/counters")).body;
    expect(c.endpoints).toEqual({
      "companies.list": 1,
      "companies.search": 1,
      "deals.batch.read": 1,
      "associations.batch.read": 1,
      "properties.companies.list": 1,
      "lists.memberships": 1,
    });
    expect(c.total).toBe(6);
    expect(c.tokens["pat-emulator-0000"].total).toBe(6);
    expect(c.statuses["200"]).toBe(6);
    await control(emu.url, "/counters/reset", {});
    expect((await control(emu.url, "/counters")).body.total).toBe(0);
  });

  it("counts the legacy v3/v4 paths apart, under the same names prefixed legacy.", async () => {
    await control(emu.url, "/counters/reset", {});
    const companyId = emu.store.objects.companies.records[0]!.id;
    await api(emu.url, "/crm/v3/objects/companies?limit=5");
    await api(emu.url, `/crm/v3/objects/companies/${companyId}`);
    await api(emu.url, "/crm/v3/objects/companies/search", { body: {} });
    await api(emu.url, "/crm/v4/associations/deals/companies/batch/read", { body: { inputs: [] } });
    await api(emu.url, `/crm/v4/objects/companies/${companyId}/associations/deals`);
    await api(emu.url, "/crm/v3/properties/companies");
    await api(emu.url, "/crm/v3/lists/search", { body: {} });
    await api(emu.url, "/account-info/v3/details");
    await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    await api(emu.url, "/account-info/2026-09/details");
    expect((await control(emu.url, "/counters")).body.endpoints).toEqual({
      "legacy.companies.list": 1,
      "legacy.companies.get": 1,
      "legacy.companies.search": 1,
      "legacy.associations.batch.read": 1,
      "legacy.associations.list": 1,
      "legacy.properties.companies.list": 1,
      "legacy.lists.search": 1,
      "legacy.accountInfo.details": 1,
      "companies.list": 1,
      "accountInfo.details": 1,
    });
  });

  it("changes a company's domain with history attributed to a user", async () => {
    const id = emu.store.objects.companies.records[0]!.id;
    const before = (await api(emu.url, `/crm/objects/2026-09/companies/${id}?properties=domain`)).body;
    const r = await control(emu.url, `/objects/companies/${id}`, { properties: { domain: "changed.example" } }, "PATCH");
    expect(r.status).toBe(200);
    const after = (await api(emu.url, `/crm/objects/2026-09/companies/${id}?properties=domain&propertiesWithHistory=domain`)).body;
    expect(after.properties.domain).toBe("changed.example");
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect(after.properties.hs_lastmodifieddate).toBe(after.updatedAt);
    expect(after.propertiesWithHistory.domain[0]).toMatchObject({ value: "changed.example", sourceType: "CRM_UI" });
  });

  it("adds a deal to a company and archives records", async () => {
    const companyId = emu.store.objects.companies.records[1]!.id;
    const deal = await control(emu.url, "/objects/deals", { properties: { dealname: "New deal", amount: "1200" }, companyId });
    expect(deal.status).toBe(201);
    const assoc = await api(emu.url, `/crm/v4/objects/deals/${deal.body.id}/associations/companies`);
    expect(assoc.body.results[0].toObjectId).toBe(companyId);
    expect(assoc.body.results[0].associationTypes.map((t: { typeId: number }) => t.typeId)).toEqual([5, 341]);
    expect((await control(emu.url, `/objects/deals/${deal.body.id}`, undefined, "DELETE")).status).toBe(204);
    expect((await api(emu.url, `/crm/objects/2026-09/deals/${deal.body.id}`)).status).toBe(404);
    const archived = await api(emu.url, `/crm/objects/2026-09/deals?archived=true`);
    expect(archived.body.results.map((d: { id: string }) => d.id)).toContain(deal.body.id);
    // Archived deals disappear from the company's associations.
    const fromCompany = await api(emu.url, `/crm/v4/objects/companies/${companyId}/associations/deals`);
    expect(fromCompany.body.results.map((x: { toObjectId: number }) => x.toObjectId)).not.toContain(Number(deal.body.id));
  });

  it("creates and deletes lists with members", async () => {
    const members = emu.store.objects.contacts.records.slice(0, 3).map((r) => r.id);
    const l = await control(emu.url, "/lists", { name: "Ctl", objectType: "contacts", memberIds: members });
    expect(l.status).toBe(201);
    const m = await api(emu.url, `/crm/lists/2026-09/${l.body.listId}/memberships`);
    expect(m.body.total).toBe(3);
    expect(m.body.results.map((x: { recordId: string }) => x.recordId)).toEqual(members.map(String));
    await control(emu.url, `/lists/${l.body.listId}`, undefined, "DELETE");
    const gone = await api(emu.url, `/crm/lists/2026-09/${l.body.listId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.category).toBe("OBJECT_NOT_FOUND");
  });

  it("reseeds deterministically", async () => {
    const a = await control(emu.url, "/seed", { seed: 5, companies: 20, deals: 30, contacts: 40 });
    expect(a.body.counts).toMatchObject({ companies: 20, deals: 30, contacts: 40 });
    const first = (await api(emu.url, "/crm/objects/2026-09/companies?limit=3&properties=name,domain")).body.results;
    await control(emu.url, "/reset", { seed: 5, companies: 20, deals: 30, contacts: 40 });
    const again = (await api(emu.url, "/crm/objects/2026-09/companies?limit=3&properties=name,domain")).body.results;
    expect(again).toEqual(first);
  });
});

describe("CRM behaviour details", () => {
  it("rejects batches above 100 inputs and history batches above 50", async () => {
    const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1) }));
    expect((await api(emu.url, "/crm/objects/2026-09/companies/batch/read", { body: { inputs: inputs(101) } })).status).toBe(400);
    expect((await api(emu.url, "/crm/objects/2026-09/companies/batch/read", { body: { inputs: inputs(51), propertiesWithHistory: ["name"] } })).status).toBe(400);
    expect((await api(emu.url, "/crm/objects/2026-09/companies/batch/read", { body: { inputs: inputs(50), propertiesWithHistory: ["name"] } })).status).toBe(207);
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=101")).status).toBe(400);
  });

  it("account-info details name the token's portal", async () => {
    const r = await api(emu.url, "/account-info/2026-09/details");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ portalId: 62515, accountType: "STANDARD", uiDomain: "app.hubspot.com", dataHostingLocation: "na1" });
    expect((await api(emu.url, "/account-info/2026-09/details", { token: "pat-unknown" })).status).toBe(401);
  });

  it("2026-09 lists search needs listIds, processingTypes, offset and additionalProperties; v3 does not", async () => {
    const bad = await api(emu.url, "/crm/lists/2026-09/search", { body: { query: "" } });
    expect(bad.status).toBe(400);
    expect(bad.body.category).toBe("VALIDATION_ERROR");
    expect(bad.body.errors.map((e: { in: string }) => e.in)).toEqual(["listIds", "processingTypes", "offset", "additionalProperties"]);
    const ok = await api(emu.url, "/crm/lists/2026-09/search", { body: { listIds: [], processingTypes: [], offset: 0, additionalProperties: [] } });
    expect(ok.status).toBe(200);
    expect(ok.body.total).toBe(emu.store.stats().lists);
    expect((await api(emu.url, "/crm/v3/lists/search", { body: {} })).status).toBe(200);
  });

  it("2026-09 association batch read has string ids and no null labels; v4 keeps numbers and nulls", async () => {
    const deal = emu.store.objects.deals.records.find((d) => d.live && emu.store.associations.list("deals", d.id, "companies").length > 0)!;
    const now = await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/read", { body: { inputs: [{ id: String(deal.id) }] } });
    const to = now.body.results[0].to[0];
    expect(typeof to.toObjectId).toBe("string");
    for (const t of to.associationTypes) {
      expect(t).not.toHaveProperty("fromObjectTypeId");
      expect(t.label === undefined || typeof t.label === "string").toBe(true);
    }
    const old = await api(emu.url, "/crm/v4/associations/deals/companies/batch/read", { body: { inputs: [{ id: String(deal.id) }] } });
    expect(typeof old.body.results[0].to[0].toObjectId).toBe("number");
    expect(old.body.results[0].to[0].associationTypes.some((t: { label: unknown }) => t.label === null)).toBe(true);
  });

  it("2026-09 association batch archive answers 200 with a batch body, v4 answers 204", async () => {
    const deal = emu.store.objects.deals.records.find((d) => d.live && emu.store.associations.list("deals", d.id, "companies").length > 0)!;
    const companyId = emu.store.associations.list("deals", deal.id, "companies")[0]!;
    const input = { inputs: [{ from: { id: String(deal.id) }, to: [{ id: String(companyId) }] }] };
    const r = await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/archive", { body: input });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "COMPLETE", results: [] });
    expect(emu.store.associations.has("deals", deal.id, "companies", companyId)).toBe(false);
    emu.store.associations.add("deals", deal.id, "companies", companyId, [5]);
    const labels = await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/labels/archive", {
      body: { inputs: [{ from: { id: String(deal.id) }, to: { id: String(companyId) }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 5 }] }] },
    });
    expect(labels.status).toBe(200);
    expect(emu.store.associations.typesBetween("deals", deal.id, "companies", companyId).map((t) => t.typeId)).toEqual([341]);
    expect((await api(emu.url, "/crm/v4/associations/deals/companies/batch/archive", { body: input })).status).toBe(204);
  });

  it("v4 batch read reports ids without associations as 207 errors", async () => {
    const lonely = emu.store.addRecord("companies", { name: "Lonely" });
    const withDeal = emu.store.objects.deals.records.find((d) => emu.store.associations.list("deals", d.id, "companies").length > 0)!;
    const r = await api(emu.url, "/crm/associations/2026-09/companies/deals/batch/read", {
      body: { inputs: [{ id: String(lonely.id) }, { id: String(emu.store.associations.list("deals", withDeal.id, "companies")[0]) }] },
    });
    expect(r.status).toBe(207);
    expect(r.body.results).toHaveLength(1);
    expect(r.body.errors[0].subCategory).toBe("crm.associations.NO_ASSOCIATIONS_FOUND");
    expect(r.body.errors[0].context.fromObjectId).toEqual([String(lonely.id)]);
  });

  it("merge chains hs_merged_object_ids, moves associations and drops the merged record from search", async () => {
    const [a, b, c] = emu.store.objects.contacts.records.filter((r) => r.live && r.props.email).slice(0, 3);
    const companyOfB = emu.store.associations.list("contacts", b!.id, "companies");
    await api(emu.url, "/crm/objects/2026-09/contacts/merge", { body: { primaryObjectId: String(b!.id), objectIdToMerge: String(c!.id) } });
    const merged = await api(emu.url, "/crm/objects/2026-09/contacts/merge", { body: { primaryObjectId: String(a!.id), objectIdToMerge: String(b!.id) } });
    expect(merged.status).toBe(200);
    const survivor = (await api(emu.url, `/crm/objects/2026-09/contacts/${c!.id}?properties=hs_merged_object_ids,hs_additional_emails`)).body;
    expect(survivor.id).toBe(String(a!.id));
    expect(survivor.properties.hs_merged_object_ids.split(";").sort()).toEqual([String(b!.id), String(c!.id)].sort());
    expect(survivor.properties.hs_additional_emails).toContain(b!.props.email);
    for (const company of companyOfB) expect(emu.store.associations.has("contacts", a!.id, "companies", company)).toBe(true);
    const s = await api(emu.url, "/crm/objects/2026-09/contacts/search", { body: { filterGroups: [{ filters: [{ propertyName: "hs_object_id", operator: "IN", values: [String(b!.id), String(c!.id)] }] }] } });
    expect(s.body.total).toBe(0);
    const self = await api(emu.url, "/crm/objects/2026-09/contacts/merge", { body: { primaryObjectId: String(a!.id), objectIdToMerge: String(a!.id) } });
    expect(self.status).toBe(400);
  });

  it("refuses a duplicate contact email with 409 CONFLICT", async () => {
    const existing = emu.store.objects.contacts.records.find((r) => r.live && r.props.email)!;
    const r = await api(emu.url, "/crm/objects/2026-09/contacts", { body: { properties: { email: existing.props.email!.toUpperCase() } } });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(`Contact already exists. Existing ID: ${existing.id}`);
  });

  it("answers unknown routes with a HubSpot-shaped 404", async () => {
    const r = await api(emu.url, "/crm/objects/2026-09/widgets");
    expect(r.status).toBe(404);
    expect(r.body.status).toBe("error");
  });
});
