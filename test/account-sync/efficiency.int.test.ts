// What account sync costs in HubSpot calls (the "Must show"): a full run pages
// companies and deals once, an incremental run reads only the changes, and no call is made per
// customer. 10,000 customers, 12,000 companies, 15,000 deals, on SQLite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HubSpotHarness, endpointCounts, insertCustomers, snapshotWorkspace, sorted, uniquelyMatchableCompanies, type RunJson } from "../support/hubspot.ts";

const companies = 12_000;
const deals = 15_000;
const customers = 10_000;
const lowerBound = Math.ceil(companies / 100) + Math.ceil(deals / 100);

describe("account sync: efficiency at 10,000 customers, 12,000 companies, 15,000 deals", () => {
  let h: HubSpotHarness;
  let matched = 0;
  let full: RunJson;
  let fullMs = 0;
  const figures: Record<string, number | string> = {};

  beforeAll(async () => {
    let started = Date.now();
    h = await HubSpotHarness.start("sqlite", { emulator: { seed: 42, companies, deals, contacts: 0 } });
    figures["emulator start ms"] = Date.now() - started;
    await h.connect();
    await h.connect(h.t.b);
    for (const ws of [h.t.a, h.t.b]) {
      await h.importFields(
        [
          { object: "company", name: "annualrevenue" },
          { object: "company", name: "industry" },
          { object: "deal", name: "amount" },
        ],
        ws,
      );
    }
    const matches = uniquelyMatchableCompanies(h.emu.store).slice(0, customers);
    matched = matches.length;
    started = Date.now();
    await insertCustomers(h.t.ctx.db, h.ws.id, [
      ...matches.map((m, i) => ({ name: `Customer ${i}`, domains: [m.domain] })),
      ...Array.from({ length: customers - matches.length }, (_, i) => ({ name: `Unmatched ${i}`, domains: [`unmatched-${i}.example.org`] })),
    ]);
    // Workspace b: the same portal with a hundredth of the customers.
    await insertCustomers(h.t.ctx.db, h.t.b.id, matches.slice(0, customers / 100).map((m, i) => ({ name: `Customer ${i}`, domains: [m.domain] })));
    figures["customers inserted ms"] = Date.now() - started;
  }, 120_000);
  afterAll(async () => {
    console.log(`account sync efficiency (${customers} customers, ${companies} companies, ${deals} deals):`, figures);
    await h?.close();
  });

  // Each run reads 27,000 records: on a busy 2-core machine that can pass vitest's default 30 s.
  it("a full run costs one call per 100 companies and per 100 deals, within 10% of that bound", async () => {
    expect(matched).toBeGreaterThan(customers * 0.9);
    h.resetCounters();
    const started = Date.now();
    full = await h.enableSync();
    fullMs = Date.now() - started;
    const hubspot = h.counters();
    figures["lower bound calls"] = lowerBound;
    figures["full run calls"] = full.crmCalls.total;
    figures["full run ms"] = fullMs;
    figures["full run linked"] = full.counters.linked;

    expect(full.status).toBe("succeeded");
    expect(full.counters.read).toBe(companies + deals);
    expect(full.counters.linked).toBe(matched);
    expect(full.crmCalls.total).toBeLessThanOrEqual(Math.floor(1.1 * lowerBound));
    expect(sorted(full.crmCalls.byEndpoint)).toEqual(endpointCounts(hubspot));
    expect(full.crmCalls.total).toBe(hubspot.total);
  }, 180_000);

  it("makes no call per customer: a hundredth of the customers costs the same calls", async () => {
    const started = Date.now();
    const small = await h.enableSync(h.t.b);
    figures["full run calls, 100 customers"] = small.crmCalls.total;
    figures["full run ms, 100 customers"] = Date.now() - started;
    expect(small.status).toBe("succeeded");
    expect(small.crmCalls.byEndpoint).toEqual(full.crmCalls.byEndpoint);
    // And the links agree with the big workspace's.
    const big = await snapshotWorkspace(h.t.ctx.db, h.ws.id);
    for (const [name, snap] of await snapshotWorkspace(h.t.ctx.db, h.t.b.id)) expect(snap, name).toEqual(big.get(name));
  }, 180_000);

  it("after 1% of companies and deals change, an incremental run costs at most 3% of the full run's calls", async () => {
    const store = h.emu.store;
    const liveCompanies = store.objects.companies.records.filter((r) => r.live);
    const liveDeals = store.objects.deals.records.filter((r) => r.live);
    const changedCompanies = liveCompanies.filter((_, i) => i % 100 === 0);
    const changedDeals = liveDeals.filter((_, i) => i % 100 === 0);
    for (const r of changedCompanies) store.setProperties("companies", r.id, { annualrevenue: String(777_000 + (r.id % 1000)) });
    for (const r of changedDeals) store.setProperties("deals", r.id, { amount: String(5_000 + (r.id % 1000)) });

    h.resetCounters();
    const started = Date.now();
    const incremental = await h.runSync();
    const ms = Date.now() - started;
    const hubspot = h.counters();
    figures["changed records"] = changedCompanies.length + changedDeals.length;
    figures["incremental run calls"] = incremental.crmCalls.total;
    figures["incremental calls by endpoint"] = JSON.stringify(incremental.crmCalls.byEndpoint);
    figures["incremental run ms"] = ms;
    figures["incremental share of full"] = `${((100 * incremental.crmCalls.total) / full.crmCalls.total).toFixed(2)}%`;

    expect(incremental.status).toBe("succeeded");
    expect(incremental.message).toMatch(/^Incremental/);
    expect(incremental.counters.read).toBe(changedCompanies.length + changedDeals.length);
    expect(incremental.crmCalls.total).toBeLessThanOrEqual(Math.floor(0.03 * full.crmCalls.total));
    expect(sorted(incremental.crmCalls.byEndpoint)).toEqual(endpointCounts(hubspot));

    // The changes arrived: a changed company's customer has its new revenue.
    const changedIds = new Set(changedCompanies.map((r) => String(r.id)));
    const snapshot = await snapshotWorkspace(h.t.ctx.db, h.ws.id);
    const touched = [...snapshot.values()].filter((s) => s.companyId !== null && changedIds.has(s.companyId));
    expect(touched.length).toBeGreaterThan(0);
    for (const s of touched) expect(s.fields["annual_revenue"]?.number).toBe(777_000 + (Number(s.companyId) % 1000));
    expect(incremental.counters.updated).toBeGreaterThanOrEqual(touched.length);
  }, 180_000);
});
