import { Client } from "@hubspot/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, PORTAL_ID, PRIVATE_APP_TOKEN, startEmulator, type RunningEmulator } from "../index.ts";

// The official SDK is an independent client: if its typed models come back complete, the
// emulator answers in HubSpot's shapes.
let emu: RunningEmulator;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, companies: 150, deals: 260, contacts: 400, rateLimits: false });
  client = new Client({ accessToken: PRIVATE_APP_TOKEN, basePath: emu.url });
});

afterAll(async () => {
  await emu.close();
});

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { code: number }).code;
  }
}

describe("CRM objects through the SDK", () => {
  it("pages companies with typed records and requested properties", async () => {
    const page = await client.crm.companies.basicApi.getPage(10, undefined, ["name", "domain", "hs_additional_domains", "annualrevenue"]);
    expect(page.results).toHaveLength(10);
    const c = page.results[0]!;
    expect(c.id).toMatch(/^\d+$/);
    expect(c.createdAt).toBeInstanceOf(Date);
    expect(c.updatedAt).toBeInstanceOf(Date);
    expect(c.archived).toBe(false);
    expect(Object.keys(c.properties).sort()).toEqual(
      ["annualrevenue", "createdate", "domain", "hs_additional_domains", "hs_lastmodifieddate", "hs_object_id", "name"].sort(),
    );
    expect(c.properties.hs_object_id).toBe(c.id);
    for (const v of Object.values(c.properties)) expect(v === null || typeof v === "string").toBe(true);
    expect(page.paging?.next?.after).toBeTruthy();
    const next = await client.crm.companies.basicApi.getPage(10, page.paging!.next!.after);
    expect(BigInt(next.results[0]!.id)).toBeGreaterThan(BigInt(page.results[9]!.id));
  });

  it("returns HubSpot's default properties when none are requested", async () => {
    const deals = await client.crm.deals.basicApi.getPage(1);
    expect(Object.keys(deals.results[0]!.properties).sort()).toEqual(
      ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"].sort(),
    );
    const contacts = await client.crm.contacts.basicApi.getPage(1);
    expect(Object.keys(contacts.results[0]!.properties).sort()).toEqual(["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]);
  });

  it("getAll walks every page of companies, deals and contacts", async () => {
    const stats = emu.store.stats();
    expect((await client.crm.companies.getAll(100)).length).toBe(stats.companies);
    expect((await client.crm.deals.getAll(100)).length).toBe(stats.deals);
    expect((await client.crm.contacts.getAll(100)).length).toBe(stats.contacts);
  });

  it("reads one record with associations and history", async () => {
    const first = (await client.crm.companies.basicApi.getPage(1)).results[0]!;
    const c = await client.crm.companies.basicApi.getById(first.id, ["name"], ["name"], ["contacts", "deals"]);
    expect(c.properties.name).toBe(first.properties.name);
    expect(c.propertiesWithHistory?.name?.[0]?.value).toBe(first.properties.name);
    expect(c.propertiesWithHistory?.name?.[0]?.timestamp).toBeInstanceOf(Date);
    const contactIds = emu.store.associations.list("companies", Number(first.id), "contacts");
    if (contactIds.length > 0) {
      const types = c.associations?.contacts?.results.map((r) => r.type);
      expect(types).toContain("company_to_contact");
      expect(types).toContain("company_to_contact_unlabeled");
    }
    expect(await status(client.crm.companies.basicApi.getById("999"))).toBe(404);
  });

  it("creates, updates and archives a company", async () => {
    const created = await client.crm.companies.basicApi.create({ properties: { name: "SDK Co", domain: "sdk.example" }, associations: [] });
    expect(created.properties.name).toBe("SDK Co");
    expect(created.properties.hs_object_id).toBe(created.id);
    const updated = await client.crm.companies.basicApi.update(created.id, { properties: { domain: "sdk2.example" } });
    expect(updated.properties.domain).toBe("sdk2.example");
    const hist = await client.crm.companies.basicApi.getById(created.id, ["domain"], ["domain"]);
    expect(hist.propertiesWithHistory?.domain?.map((h) => h.value)).toEqual(["sdk2.example", "sdk.example"]);
    expect(hist.propertiesWithHistory?.domain?.[0]?.sourceType).toBe("INTEGRATION");
    await client.crm.companies.basicApi.archive(created.id);
    expect(await status(client.crm.companies.basicApi.getById(created.id))).toBe(404);
    const archived = await client.crm.companies.basicApi.getById(created.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });

  it("rejects unknown and read-only properties with a VALIDATION_ERROR", async () => {
    try {
      await client.crm.companies.basicApi.create({ properties: { nope: "x", hs_object_id: "1" }, associations: [] });
      expect.fail("should throw");
    } catch (e) {
      const err = e as { code: number; body: { category: string; message: string } };
      expect(err.code).toBe(400);
      expect(err.body.category).toBe("VALIDATION_ERROR");
      expect(err.body.message).toContain("PROPERTY_DOESNT_EXIST");
      expect(err.body.message).toContain("READ_ONLY_VALUE");
    }
  });

  it("batch reads with a partial failure (207 with errors)", async () => {
    const ids = (await client.crm.deals.basicApi.getPage(3)).results.map((d) => d.id);
    const res = await client.crm.deals.batchApi.read({ inputs: [...ids.map((id) => ({ id })), { id: "123" }], properties: ["dealname", "amount"], propertiesWithHistory: [] });
    expect(res.results.map((r) => r.id).sort()).toEqual(ids.sort());
    expect(res.status).toBe("COMPLETE");
    const withErrors = res as typeof res & { errors?: Array<{ category: string; context: Record<string, string[]> }>; numErrors?: number };
    expect(withErrors.numErrors).toBe(1);
    expect(withErrors.errors?.[0]?.category).toBe("OBJECT_NOT_FOUND");
    expect(withErrors.errors?.[0]?.context.ids).toEqual(["123"]);
    expect(res.startedAt).toBeInstanceOf(Date);
  });

  it("batch creates, updates and upserts contacts", async () => {
    const created = await client.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: "batch1@sdk.example", firstname: "B1" }, associations: [] },
        { properties: { email: "batch2@sdk.example", firstname: "B2" }, associations: [] },
      ],
    });
    expect(created.results).toHaveLength(2);
    const [a] = created.results;
    const updated = await client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { lastname: "Updated" } }] });
    expect(updated.results[0]!.properties.lastname).toBe("Updated");
    const upserted = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: "batch1@sdk.example", idProperty: "email", properties: { jobtitle: "CTO" } },
        { id: "batch3@sdk.example", idProperty: "email", properties: { firstname: "B3" } },
      ],
    });
    const byEmail = new Map(upserted.results.map((r) => [r.properties.email ?? "", r]));
    expect(upserted.results).toHaveLength(2);
    expect(upserted.results.find((r) => r.id === a!.id)?._new).toBe(false);
    expect(byEmail.get("batch3@sdk.example")?._new).toBe(true);
    expect(byEmail.get("batch3@sdk.example")?.properties.firstname).toBe("B3");
    const byEmailGet = await client.crm.contacts.basicApi.getById("batch1@sdk.example", ["jobtitle"], undefined, undefined, false, "email");
    expect(byEmailGet.id).toBe(a!.id);
    expect(byEmailGet.properties.jobtitle).toBe("CTO");
    await client.crm.contacts.batchApi.archive({ inputs: [{ id: a!.id }] });
    expect(await status(client.crm.contacts.basicApi.getById(a!.id))).toBe(404);
  });

  it("searches with filters, sorts and paging", async () => {
    const since = Date.UTC(2023, 0, 1);
    const res = await client.crm.deals.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "hs_lastmodifieddate", operator: "GTE" as never, value: String(since) }] }],
      sorts: ["hs_lastmodifieddate"],
      properties: ["dealname", "hs_lastmodifieddate"],
      limit: 50,
      after: "0",
    });
    expect(res.total).toBeGreaterThan(0);
    const times = res.results.map((r) => Date.parse(r.properties.hs_lastmodifieddate!));
    expect(times.every((t) => t >= since)).toBe(true);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    if (res.total > 50) expect(res.paging?.next?.after).toBe("50");
    const expected = emu.store.objects.deals.records.filter((r) => r.live && r.updatedAt >= since).length;
    expect(res.total).toBe(expected);
  });

  it("merges contacts and resolves the merged id to the survivor", async () => {
    const [p, m] = (await client.crm.contacts.basicApi.getPage(2)).results;
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: p!.id, objectIdToMerge: m!.id });
    expect(merged.id).toBe(p!.id);
    const survivor = await client.crm.contacts.basicApi.getById(m!.id, ["hs_merged_object_ids"]);
    expect(survivor.id).toBe(p!.id);
    expect(survivor.properties.hs_merged_object_ids).toBe(m!.id);
    const page = await client.crm.contacts.getAll(100);
    expect(page.some((c) => c.id === m!.id)).toBe(false);
  });
});

describe("properties through the SDK", () => {
  it("lists company properties in HubSpot's full shape, including kinds crmsync must refuse", async () => {
    const { results } = await client.crm.properties.coreApi.getAll("companies");
    const byName = new Map(results.map((p) => [p.name, p]));
    for (const n of ["name", "domain", "hs_additional_domains", "industry", "annualrevenue", "numberofemployees", "city", "country", "lifecyclestage", "hubspot_owner_id", "createdate", "hs_lastmodifieddate"])
      expect(byName.has(n), n).toBe(true);
    const fieldTypes = new Set(results.map((p) => p.fieldType));
    for (const ft of ["text", "textarea", "number", "date", "select", "radio", "checkbox", "booleancheckbox", "phonenumber", "file", "html", "calculation_equation", "calculation_rollup", "calculation_score", "calculation_read_time", "unknown"])
      expect(fieldTypes.has(ft), ft).toBe(true);
    const types = new Set(results.map((p) => p.type));
    for (const t of ["string", "number", "date", "datetime", "enumeration", "bool", "phone_number", "json", "object_coordinates", "currency_number"]) expect(types.has(t), t).toBe(true);
    const owner = byName.get("hubspot_owner_id")!;
    expect(owner.referencedObjectType).toBe("OWNER");
    expect(owner.externalOptions).toBe(true);
    const formula = byName.get("arr_formula")!;
    expect(formula.calculated).toBe(true);
    expect(formula.calculationFormula).toBeTruthy();
    const tier = byName.get("customer_tier")!;
    expect(tier.options.map((o) => o.value)).toEqual(["bronze", "silver", "gold", "platinum"]);
    expect(tier.modificationMetadata?.readOnlyValue).toBe(false);
    expect(tier.createdAt).toBeInstanceOf(Date);
  });

  it("gets one property and 404s on an unknown one", async () => {
    const stage = await client.crm.properties.coreApi.getByName("deals", "dealstage");
    expect(stage.type).toBe("enumeration");
    expect(stage.options.length).toBeGreaterThan(3);
    expect(await status(client.crm.properties.coreApi.getByName("deals", "nope"))).toBe(404);
    const contacts = await client.crm.properties.coreApi.getAll("contacts");
    const names = contacts.results.map((p) => p.name);
    for (const n of ["email", "phone", "firstname", "lastname", "lifecyclestage", "company", "jobtitle", "createdate", "lastmodifieddate", "hs_merged_object_ids"]) expect(names).toContain(n);
  });
});

describe("associations v4 through the SDK", () => {
  it("pages a company's contacts with association types", async () => {
    const companyId = emu.store.objects.contacts.records.map((r) => emu.store.associations.list("contacts", r.id, "companies")[0]).find((x) => x !== undefined)!;
    const res = await client.crm.associations.v4.basicApi.getPage("companies", String(companyId), "contacts", undefined, 500);
    expect(res.results.length).toBeGreaterThan(0);
    const first = res.results[0]!;
    expect(String(first.toObjectId)).toMatch(/^\d+$/);
    expect(first.associationTypes.map((t) => t.typeId)).toContain(280);
  });

  it("batch reads deal -> company associations with primary type 5", async () => {
    const dealIds = emu.store.objects.deals.records.slice(0, 20).map((r) => String(r.id));
    const res = await client.crm.associations.v4.batchApi.getPage("deals", "companies", { inputs: dealIds.map((id) => ({ id })) });
    expect(res.results.length).toBeGreaterThan(0);
    const r = res.results[0]!;
    expect(r._from.id).toMatch(/^\d+$/);
    const typeIds = r.to[0]!.associationTypes.map((t) => t.typeId).sort((a, b) => a - b);
    expect(typeIds).toEqual([5, 341]);
  });

  it("creates and deletes a default association", async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: "Assoc Co" }, associations: [] });
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: "assoc@sdk.example" }, associations: [] });
    const created = await client.crm.associations.v4.basicApi.createDefault("contacts", contact.id, "companies", company.id);
    expect(created.results[0]!.associationSpec.associationTypeId).toBe(279);
    let page = await client.crm.associations.v4.basicApi.getPage("companies", company.id, "contacts");
    expect(page.results.map((x) => String(x.toObjectId))).toEqual([contact.id]);
    await client.crm.associations.v4.basicApi.archive("contacts", contact.id, "companies", company.id);
    page = await client.crm.associations.v4.basicApi.getPage("companies", company.id, "contacts");
    expect(page.results).toEqual([]);
  });
});

describe("lists through the SDK", () => {
  it("gets a list and pages its memberships in record-id order", async () => {
    const list = emu.store.createList("SDK list", "contacts", emu.store.objects.contacts.records.slice(0, 260).map((r) => r.id));
    const got = await client.crm.lists.listsApi.getById(String(list.listId));
    expect(got.list.name).toBe("SDK list");
    expect(got.list.objectTypeId).toBe("0-1");
    expect(got.list.processingType).toBe("MANUAL");
    const p1 = await client.crm.lists.membershipsApi.getPage(String(list.listId), undefined, undefined, 250);
    expect(p1.results).toHaveLength(250);
    expect(p1.results[0]!.membershipTimestamp).toBeInstanceOf(Date);
    const ids = p1.results.map((r) => BigInt(r.recordId));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const p2 = await client.crm.lists.membershipsApi.getPage(String(list.listId), p1.paging!.next!.after);
    expect(p2.results).toHaveLength(10);
    expect(p2.paging?.next).toBeUndefined();
    const search = await client.crm.lists.listsApi.doSearch({ query: "SDK" });
    expect(search.lists.map((l) => l.name)).toContain("SDK list");
    emu.store.deleteList(list.listId);
    expect(await status(client.crm.lists.listsApi.getById(String(list.listId)))).toBe(404);
  });
});

describe("list memberships in join order through the SDK", () => {
  it("pages by the time members joined, a re-added member last, and backward from a cursor newest first", async () => {
    const ids = emu.store.objects.contacts.records.slice(0, 262).map((r) => r.id);
    const list = emu.store.createList("SDK join order", "contacts", ids.slice(0, 260));
    const listId = String(list.listId);
    const p1 = await client.crm.lists.membershipsApi.getPageOrderedByAddedToListDate(listId, undefined, undefined, 250);
    expect(p1.results).toHaveLength(250);
    expect(p1.results[0]!.membershipTimestamp).toBeInstanceOf(Date);
    // Joined together: ties go by record id.
    expect(p1.results.map((r) => Number(r.recordId))).toEqual(ids.slice(0, 250));
    // The first member leaves and comes back later, then a new one joins: both after the rest.
    const later = emu.store.now() + 1000;
    emu.store.lists.removeMembers(list, [ids[0]!], later);
    emu.store.lists.addMembers(list, [ids[0]!, ids[261]!], later + 1);
    const p2 = await client.crm.lists.membershipsApi.getPageOrderedByAddedToListDate(listId, p1.paging!.next!.after);
    expect(p2.results.map((r) => Number(r.recordId))).toEqual([...ids.slice(250, 260), ids[0], ids[261]]);
    expect(p2.paging?.next).toBeUndefined();
    expect(p2.paging?.prev?.before).toBeDefined();
    const back = await client.crm.lists.membershipsApi.getPageOrderedByAddedToListDate(listId, undefined, p2.paging!.prev!.before, 3);
    expect(back.results.map((r) => Number(r.recordId))).toEqual([ids[249], ids[248], ids[247]]);
    // Record-id order is unchanged by join times.
    const byId = await client.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 1);
    expect(byId.results[0]!.recordId).toBe(String(ids[0]));
    emu.store.deleteList(list.listId);
  });
});

describe("writes through the SDK", () => {
  it("creates lists, adds members and reads several lists", async () => {
    const created = await client.crm.lists.listsApi.create({ name: "SDK created", objectTypeId: "0-1", processingType: "MANUAL" });
    const ids = emu.store.objects.contacts.records.slice(0, 2).map((r) => String(r.id));
    const added = await client.crm.lists.membershipsApi.add(created.list.listId, [...ids, "42"]);
    expect(added.recordsIdsAdded).toEqual(ids);
    expect(added.recordIdsMissing).toEqual(["42"]);
    const all = await client.crm.lists.listsApi.getAll([created.list.listId]);
    expect(all.lists[0]!.size).toBe(2);
  });

  it("creates a property and a labelled (primary) association", async () => {
    const prop = await client.crm.properties.coreApi.create("companies", { name: "sdk_prop", label: "SDK", type: "string" as never, fieldType: "text" as never, groupName: "companyinformation" });
    expect(prop.hubspotDefined).toBe(false);
    const company = await client.crm.companies.basicApi.create({ properties: { name: "Primary Co", sdk_prop: "x" }, associations: [] });
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: "primary@sdk.example" },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: "HUBSPOT_DEFINED" as never, associationTypeId: 1 }] }],
    });
    const pair = await client.crm.associations.v4.basicApi.create("contacts", contact.id, "companies", company.id, [
      { associationCategory: "HUBSPOT_DEFINED" as never, associationTypeId: 1 },
    ]);
    expect(pair.labels).toEqual(["Primary"]);
    const got = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ["companies"]);
    expect(got.associations?.companies?.results.map((r) => r.type).sort()).toEqual(["contact_to_company", "contact_to_company_unlabeled"]);
  });
});

describe("OAuth through the SDK", () => {
  it("exchanges a code, refreshes, reads metadata and revokes", async () => {
    const redirectUri = "http://localhost:9999/callback";
    const authorize = await fetch(
      `${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${encodeURIComponent("oauth crm.objects.companies.read")}&state=xyz`,
      { redirect: "manual" },
    );
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get("location")!);
    expect(location.searchParams.get("state")).toBe("xyz");
    const code = location.searchParams.get("code")!;
    const oauthClient = new Client({ basePath: emu.url });
    const tokens = await oauthClient.oauth.tokensApi.create("authorization_code", code, redirectUri, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET);
    expect(tokens.tokenType).toBe("bearer");
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken.length).toBeLessThanOrEqual(300);
    const info = await oauthClient.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(PORTAL_ID);
    expect(info.scopes).toContain("crm.objects.companies.read");
    const authed = new Client({ accessToken: tokens.accessToken, basePath: emu.url });
    expect((await authed.crm.companies.basicApi.getPage(1)).results).toHaveLength(1);
    expect(await status(authed.crm.deals.basicApi.getPage(1))).toBe(403);
    const refreshed = await oauthClient.oauth.tokensApi.create("refresh_token", undefined, undefined, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    await oauthClient.oauth.refreshTokensApi.archive(tokens.refreshToken);
    expect(await status(authed.crm.companies.basicApi.getPage(1))).toBe(401);
    expect(await status(oauthClient.oauth.tokensApi.create("refresh_token", undefined, undefined, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, tokens.refreshToken))).toBe(400);
  });
});
