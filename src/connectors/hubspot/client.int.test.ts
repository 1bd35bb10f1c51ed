// The client against the real emulator over HTTP: paging, resuming, batch chunking at HubSpot's
// maxima (calls counted by the emulator), 207 partial results and whole-chunk refusals.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN, startEmulator } from "../../../emulator/index.ts";
import type { RunningEmulator } from "../../../emulator/index.ts";
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient } from "./client.ts";
import { staticTokenAuth } from "./transport.ts";
import { CallCounter } from "./types.ts";
import type { HubSpotRecord } from "./types.ts";

let emu: RunningEmulator;
let client: HubSpotClient;
let counter: CallCounter;

const companies = 450;
const contacts = 1_200;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimits: false, seed: 11, companies, deals: 300, contacts });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.store.counters.reset();
  counter = new CallCounter();
  client = createHubSpotClient({ baseUrl: emu.url, auth: staticTokenAuth(PRIVATE_APP_TOKEN), counter });
});

// Every endpoint key the client counts is the emulator's own name for that call, call for call.
afterEach(() => {
  expect(counter.snapshot()).toEqual(Object.fromEntries(Object.entries(emu.store.counters.snapshot().endpoints).sort(([a], [b]) => a.localeCompare(b))));
});

/** Calls the emulator saw for an endpoint; the client's own counter must agree. */
function calls(endpoint: string): number {
  const seen = emu.store.counters.get(endpoint);
  expect(counter.get(endpoint)).toBe(seen);
  return seen;
}

async function collect<T>(pages: AsyncIterable<{ results: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page.results);
  return out;
}

function liveIds(type: "companies" | "contacts" | "deals"): string[] {
  return emu.store.objects[type].records.filter((r) => r.live).map((r) => String(r.id));
}

describe("listObjects", () => {
  it("pages through every company with the asked properties, one call per 100", async () => {
    const records = await collect(client.listObjects("companies", { properties: ["name", "domain"] }));
    expect(records.map((r) => r.id).sort()).toEqual(liveIds("companies").sort());
    expect(new Set(records.map((r) => r.id)).size).toBe(companies);
    for (const record of records) {
      expect(record.properties).toHaveProperty("name");
      expect(record.properties).toHaveProperty("domain");
      expect(typeof record.properties.name).toBe("string");
    }
    expect(calls("companies.list")).toBe(Math.ceil(companies / 100));
  });

  it("resumes from a page's cursor without repeating or missing a record", async () => {
    const first: HubSpotRecord[] = [];
    let cursor: string | undefined;
    for await (const page of client.listObjects("companies", { properties: ["name"] })) {
      first.push(...page.results);
      cursor = page.nextAfter;
      if (first.length >= 200) break;
    }
    expect(cursor).toBeDefined();
    const rest = await collect(client.listObjects("companies", { properties: ["name"], after: cursor }));
    const all = [...first, ...rest].map((r) => r.id);
    expect(all.length).toBe(companies);
    expect(new Set(all).size).toBe(companies);
  });

  it("includes associations when asked", async () => {
    const deals = await collect(client.listObjects("deals", { properties: ["dealname"], associations: ["companies"] }));
    expect(deals.length).toBe(300);
    expect(deals.some((d) => (d.associations?.companies?.results.length ?? 0) > 0)).toBe(true);
  });
});

describe("batchRead", () => {
  it("reads in chunks of 100, reporting missing ids as per-input errors (207)", async () => {
    const ids = liveIds("contacts").slice(0, 250);
    const missing = ["999", "998", "997"];
    const result = await client.batchRead("contacts", [...ids, ...missing, ids[0] ?? ""], { properties: ["email", "firstname"] });
    expect(result.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(result.errors.flatMap((e) => e.ids).sort()).toEqual(missing.sort());
    expect(result.errors.every((e) => e.category === "OBJECT_NOT_FOUND")).toBe(true);
    expect(calls("contacts.batch.read")).toBe(Math.ceil(253 / 100));
  });

  it("reads in chunks of 50 with property history", async () => {
    const ids = liveIds("companies").slice(0, 230);
    const result = await client.batchRead("companies", ids, { properties: ["name"], propertiesWithHistory: ["name"] });
    expect(result.results.length).toBe(230);
    expect(result.results.every((r) => Array.isArray(r.propertiesWithHistory?.name))).toBe(true);
    expect(calls("companies.batch.read")).toBe(Math.ceil(230 / 50));
  });
});

describe("associations", () => {
  let bigCompany: string;

  beforeAll(() => {
    // A company with more contacts than one association page (500) holds.
    const company = emu.store.addRecord("companies", { name: "Big Co", domain: "big.example" });
    bigCompany = String(company.id);
    for (const contact of emu.store.objects.contacts.records.slice(0, 1_100)) emu.store.associations.add("companies", company.id, "contacts", contact.id);
  });

  it("batch reads 1,000 ids a call", async () => {
    const ids = liveIds("contacts");
    const result = await client.batchReadAssociations("contacts", "companies", ids);
    expect(result.byId.size).toBe(ids.length);
    expect(result.errors).toEqual([]);
    const withCompany = [...result.byId.values()].filter((list) => list.length > 0).length;
    expect(withCompany).toBeGreaterThan(0);
    expect(calls("associations.batch.read")).toBe(Math.ceil(ids.length / 1_000));
  });

  it("follows per-input paging for a record with more associations than a page", async () => {
    const small = liveIds("companies").slice(0, 5);
    const result = await client.batchReadAssociations("companies", "contacts", [bigCompany, ...small]);
    const big = result.byId.get(bigCompany) ?? [];
    expect(big.length).toBeGreaterThanOrEqual(1_100);
    expect(new Set(big.map((a) => a.toObjectId)).size).toBe(big.length);
    expect(big[0]?.associationTypes[0]?.typeId).toBeTypeOf("number");
    // First call for all inputs, then one per further page of the big company.
    expect(calls("associations.batch.read")).toBe(Math.ceil(big.length / 500));
  });

  it("lists one record's associations across pages", async () => {
    const list = await client.listAssociations("companies", bigCompany, "contacts");
    expect(list.length).toBeGreaterThanOrEqual(1_100);
    expect(calls("associations.batch.read")).toBe(Math.ceil(list.length / 500));
  });
});

describe("batch writes", () => {
  const contact = (i: number, tag: string): { properties: Record<string, string> } => ({
    properties: { email: `${tag}-${i}@batch.example`, firstname: `F${i}`, lastname: "Batch" },
  });

  it("creates 250 contacts in three calls", async () => {
    const result = await client.batchCreate("contacts", Array.from({ length: 250 }, (_, i) => contact(i, "create")));
    expect(result.errors).toEqual([]);
    expect(result.results.length).toBe(250);
    expect(calls("contacts.batch.create")).toBe(3);
  });

  it("reports a refused chunk against its inputs and goes on with the others", async () => {
    const inputs = Array.from({ length: 150 }, (_, i) => contact(i, "dup"));
    inputs[120] = contact(101, "dup"); // duplicate email inside the second chunk: HubSpot refuses that whole batch
    const result = await client.batchCreate("contacts", inputs);
    expect(result.results.length).toBe(100);
    expect(result.errors.length).toBe(1);
    expect(result.errors[0]?.category).toBe("CONFLICT");
    expect(result.errors[0]?.inputIndexes).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
  });

  it("returns per-input errors from a 207 on update", async () => {
    const ids = liveIds("contacts").slice(0, 3);
    const result = await client.batchUpdate("contacts", [
      ...ids.map((id) => ({ id, properties: { jobtitle: "Updated" } })),
      { id: "123", properties: { jobtitle: "Nobody" } },
    ]);
    expect(result.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.ids).toEqual(["123"]);
    expect(result.errors[0]?.category).toBe("OBJECT_NOT_FOUND");
  });

  it("upserts by email and says which records are new", async () => {
    const result = await client.batchUpsert("contacts", [
      { id: "create-0@batch.example", idProperty: "email", properties: { firstname: "Again" } },
      { id: "upsert-new@batch.example", idProperty: "email", properties: { firstname: "New" } },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.results.map((r) => r.new).sort()).toEqual([false, true]);
  });
});

describe("single reads", () => {
  it("gets a record, and null for one that does not exist", async () => {
    const id = liveIds("companies")[0] ?? "";
    const record = await client.getObject("companies", id, { properties: ["name"] });
    expect(record?.id).toBe(id);
    expect(await client.getObject("companies", "42")).toBeNull();
  });

  it("merges two contacts into the primary", async () => {
    const [a, b] = liveIds("contacts").slice(-2);
    const survivor = await client.mergeContacts(a ?? "", b ?? "");
    expect(survivor.id).toBe(a);
    const merged = await client.getObject("contacts", a ?? "", { properties: ["hs_merged_object_ids"] });
    expect(merged?.properties.hs_merged_object_ids).toContain(b);
    expect(calls("contacts.merge")).toBe(1);
  });

  it("lists and gets properties; a missing property is null", async () => {
    const properties = await client.listProperties("companies");
    expect(properties.map((p) => p.name)).toEqual(expect.arrayContaining(["name", "domain", "hs_lastmodifieddate"]));
    expect((await client.getProperty("deals", "dealname"))?.type).toBe("string");
    expect(await client.getProperty("deals", "no_such_property")).toBeNull();
    expect(calls("properties.companies.list")).toBe(1);
    expect(calls("properties.deals.get")).toBe(2);
  });
});

describe("lists", () => {
  it("gets a list, null once deleted, and pages memberships by 250", async () => {
    const members = liveIds("contacts").slice(0, 600);
    const list = emu.store.createList("Client test", "contacts", members);
    const got = await client.getList(String(list.listId));
    expect(got?.name).toBe("Client test");
    const memberships = await collect(client.listMemberships(String(list.listId)));
    expect(memberships.map((m) => m.recordId).sort()).toEqual([...members].sort());
    expect(calls("lists.memberships")).toBe(Math.ceil(600 / 250));
    emu.store.deleteList(list.listId);
    expect(await client.getList(String(list.listId))).toBeNull();
  });
});
