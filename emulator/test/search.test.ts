import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

let emu: RunningEmulator;
const ids: Record<string, string> = {};

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  const add = (key: string, props: Record<string, string>) => {
    ids[key] = String(emu.store.addRecord("companies", props).id);
  };
  add("acme", { name: "Acme Corp", domain: "acme.com", hs_additional_domains: "acme.io;acme-group.com", annualrevenue: "1000", industry: "RETAIL", product_interests: "analytics;security" });
  add("beta", { name: "Beta Labs", domain: "beta.io", annualrevenue: "5000", industry: "INTERNET" });
  add("gamma", { name: "Gamma Systems", annualrevenue: "250", contract_start: "2024-03-01" });
  add("delta", { name: "Delta Acme Partners", domain: "delta.de", hs_additional_domains: "acme.com" });
});

afterAll(async () => {
  await emu.close();
});

async function find(filters: object[], extra: object = {}): Promise<string[]> {
  const r = await api(emu.url, "/crm/objects/2026-09/companies/search", { body: { filterGroups: [{ filters }], limit: 100, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.results as Array<{ id: string }>).map((x) => x.id);
}

const of = (...keys: string[]) => keys.map((k) => ids[k]!);

describe("search operators", () => {
  it("supports all 13 operators", async () => {
    expect(await find([{ propertyName: "domain", operator: "EQ", value: "ACME.com" }])).toEqual(of("acme"));
    expect(await find([{ propertyName: "domain", operator: "NEQ", value: "acme.com" }])).toEqual(of("beta", "gamma", "delta"));
    expect(await find([{ propertyName: "annualrevenue", operator: "LT", value: "1000" }])).toEqual(of("gamma"));
    expect(await find([{ propertyName: "annualrevenue", operator: "LTE", value: "1000" }])).toEqual(of("acme", "gamma"));
    expect(await find([{ propertyName: "annualrevenue", operator: "GT", value: "1000" }])).toEqual(of("beta"));
    expect(await find([{ propertyName: "annualrevenue", operator: "GTE", value: "1000" }])).toEqual(of("acme", "beta"));
    expect(await find([{ propertyName: "annualrevenue", operator: "BETWEEN", value: "200", highValue: "1000" }])).toEqual(of("acme", "gamma"));
    expect(await find([{ propertyName: "industry", operator: "IN", values: ["RETAIL", "INTERNET"] }])).toEqual(of("acme", "beta"));
    expect(await find([{ propertyName: "industry", operator: "NOT_IN", values: ["RETAIL"] }])).toEqual(of("beta", "gamma", "delta"));
    expect(await find([{ propertyName: "domain", operator: "HAS_PROPERTY" }])).toEqual(of("acme", "beta", "delta"));
    expect(await find([{ propertyName: "domain", operator: "NOT_HAS_PROPERTY" }])).toEqual(of("gamma"));
    expect(await find([{ propertyName: "hs_additional_domains", operator: "CONTAINS_TOKEN", value: "acme.com" }])).toEqual(of("delta"));
    expect(await find([{ propertyName: "name", operator: "CONTAINS_TOKEN", value: "acm*" }])).toEqual(of("acme", "delta"));
    expect(await find([{ propertyName: "name", operator: "NOT_CONTAINS_TOKEN", value: "acme" }])).toEqual(of("beta", "gamma"));
    expect(await find([{ propertyName: "product_interests", operator: "EQ", value: "security" }])).toEqual(of("acme"));
    expect(await find([{ propertyName: "contract_start", operator: "GTE", value: String(Date.UTC(2024, 0, 1)) }])).toEqual(of("gamma"));
  });

  it("ORs groups and ANDs filters; finds a domain as primary or additional", async () => {
    const r = await api(emu.url, "/crm/objects/2026-09/companies/search", {
      body: {
        filterGroups: [
          { filters: [{ propertyName: "domain", operator: "EQ", value: "acme.com" }] },
          { filters: [{ propertyName: "hs_additional_domains", operator: "CONTAINS_TOKEN", value: "acme.com" }] },
        ],
        properties: ["domain"],
      },
    });
    expect(r.body.total).toBe(2);
    expect(r.body.results.map((x: { id: string }) => x.id)).toEqual(of("acme", "delta"));
    expect(Object.keys(r.body.results[0].properties).sort()).toEqual(["createdate", "domain", "hs_lastmodifieddate", "hs_object_id"]);
    expect(
      await find([
        { propertyName: "annualrevenue", operator: "GTE", value: "200" },
        { propertyName: "domain", operator: "HAS_PROPERTY" },
      ]),
    ).toEqual(of("acme", "beta"));
  });

  it("sorts by strings or objects and matches a free-text query", async () => {
    const desc = await find([], { sorts: [{ propertyName: "annualrevenue", direction: "DESCENDING" }] });
    expect(desc).toEqual(of("beta", "acme", "gamma", "delta"));
    const asc = await find([], { sorts: ["annualrevenue"] });
    expect(asc).toEqual(of("gamma", "acme", "beta", "delta"));
    expect(await find([], { query: "gamma" })).toEqual(of("gamma"));
  });
});

describe("search limits", () => {
  const filter = { propertyName: "domain", operator: "HAS_PROPERTY" };
  const post = (body: object) => api(emu.url, "/crm/objects/2026-09/companies/search", { body });

  it("rejects more than 5 groups, 6 filters in a group, 18 filters in all, limit above 200", async () => {
    expect((await post({ filterGroups: Array.from({ length: 5 }, () => ({ filters: [filter] })) })).status).toBe(200);
    const six = await post({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) });
    expect(six.status).toBe(400);
    expect(six.body.category).toBe("VALIDATION_ERROR");
    expect((await post({ filterGroups: [{ filters: Array.from({ length: 6 }, () => filter) }] })).status).toBe(200);
    expect((await post({ filterGroups: [{ filters: Array.from({ length: 7 }, () => filter) }] })).status).toBe(400);
    expect((await post({ filterGroups: Array.from({ length: 3 }, () => ({ filters: Array.from({ length: 6 }, () => filter) })) })).status).toBe(200);
    expect((await post({ filterGroups: Array.from({ length: 4 }, () => ({ filters: Array.from({ length: 5 }, () => filter) })) })).status).toBe(400);
    expect((await post({ limit: 200 })).status).toBe(200);
    expect((await post({ limit: 201 })).status).toBe(400);
    expect((await post({ filterGroups: [{ filters: [{ propertyName: "domain", operator: "LIKE", value: "x" }] }] })).status).toBe(400);
  });
});

describe("the 10,000-result cap", () => {
  it("reports the real total, stops at 10,000 and answers 400 when paging past it", async () => {
    const big = await startEmulator({ seed: 11, companies: 10_050, deals: 0, contacts: 0, rateLimits: false });
    try {
      const body = (after?: string) => ({ limit: 200, properties: ["name"], ...(after ? { after } : {}) });
      const first = await api(big.url, "/crm/objects/2026-09/companies/search", { body: body() });
      expect(first.body.total).toBe(10_050);
      const last = await api(big.url, "/crm/objects/2026-09/companies/search", { body: body("9900") });
      expect(last.status).toBe(200);
      expect(last.body.results).toHaveLength(100);
      expect(last.body.paging.next.after).toBe("10000");
      const past = await api(big.url, "/crm/objects/2026-09/companies/search", { body: body("10000") });
      expect(past.status).toBe(400);
      expect(past.body.category).toBe("VALIDATION_ERROR");
    } finally {
      await big.close();
    }
  });
});

describe("search indexing delay", () => {
  it("shows new and changed records only after searchDelayMs", async () => {
    await control(emu.url, "/config", { searchDelayMs: 5_000 }, "PUT");
    const created = emu.store.addRecord("companies", { name: "Late Co", domain: "late.example" });
    const q = [{ propertyName: "domain", operator: "EQ", value: "late.example" }];
    expect(await find(q)).toEqual([]);
    // The record itself is readable at once, as in HubSpot.
    expect((await api(emu.url, `/crm/objects/2026-09/companies/${created.id}`)).status).toBe(200);
    emu.store.clock.advance(5_001);
    expect(await find(q)).toEqual([String(created.id)]);
    emu.store.setProperties("companies", created.id, { domain: "later.example" });
    expect(await find(q)).toEqual([String(created.id)]);
    emu.store.clock.advance(5_001);
    expect(await find(q)).toEqual([]);
    await control(emu.url, "/config", { searchDelayMs: 0 }, "PUT");
  });
});
