// Linking customers to HubSpot companies and deals (product spec §3.1, §3.2), against the
// emulator over HTTP, on both databases. Every test makes its own companies and domains.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { HubSpotHarness, type CustomerJson } from "../support/hubspot.ts";

describe.each(dialects)("account sync: linking on %s", (dialect: Dialect) => {
  let h: HubSpotHarness;
  let n = 0;
  /** A domain no other test uses. */
  const domain = (label: string, tld = "com") => `${label}-${++n}-${dialect}.${tld}`;

  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect);
    await h.connect();
    await h.importFields([
      { object: "company", name: "annualrevenue" },
      { object: "deal", name: "amount" },
    ]);
    const first = await h.enableSync();
    expect(first).toMatchObject({ trigger: "enable", status: "succeeded" });
  });
  afterAll(async () => {
    await h?.close();
  });

  // Without statistics PostgreSQL planned the link phase's reads of a fresh mirror as nested
  // loops over every company (db/planner-statistics.ts). ANALYZE's own count, not
  // autovacuum's: the test holds whether the server runs autovacuum or not.
  it.runIf(dialect === "postgres")("the first sync leaves planner statistics on the tables it filled", async () => {
    const tables = ["crm_companies", "crm_company_domains", "crm_deals", "crm_deal_companies", "customers", "field_values"];
    const stats = await sql<{ relname: string; analyze_count: number }>`
      SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(${tables})`.execute(h.t.ctx.db);
    expect(stats.rows.filter((r) => r.analyze_count >= 1).map((r) => r.relname).sort()).toEqual([...tables].sort());
  });

  it("tries a new customer at the next run and links it to its company (auto)", async () => {
    const d = domain("newcust");
    const companyId = await h.addCompany({ name: "New Customer Co", domain: d, annualrevenue: "5000" });
    const created = await h.createCustomer("New Customer Co", [d]);
    expect(created.crmLink).toBeNull();
    expect(created.linkStatus).toEqual({ state: "not_checked" });

    const run = await h.runSync();
    expect(run.status).toBe("succeeded");
    expect(run.counters.linked).toBe(1);
    const after = await h.customer(created.id);
    expect(after.crmLink).toMatchObject({ companyId, dealId: null, source: "auto" });
    expect(after.linkStatus.state).toBe("linked");
    expect(after.fields["annual_revenue"]).toBe(5000);
  });

  it("links the most recently created deal, not the most recently modified one nor the highest id", async () => {
    const d = domain("deals");
    const companyId = await h.addCompany({ name: "Deal Pick Co", domain: d });
    // Created first (lowest id) but with the newest createdate.
    const newest = await h.addDeal(companyId, { dealname: "Newest", amount: "300", createdate: "2024-06-01T10:00:00.000Z" });
    const oldest = await h.addDeal(companyId, { dealname: "Oldest", amount: "100", createdate: "2021-01-15T10:00:00.000Z" });
    const middle = await h.addDeal(companyId, { dealname: "Middle", amount: "200", createdate: "2023-03-01T10:00:00.000Z" });
    // Modified last: the most recently modified deal is the oldest one.
    await h.patchRecord("deals", oldest, { dealname: "Oldest (renamed)" });

    const c = await h.createCustomer("Deal Pick Co", [d]);
    await h.runSync();
    const after = await h.customer(c.id);
    expect(after.crmLink).toMatchObject({ companyId, dealId: newest, source: "auto" });
    expect(after.fields["amount"]).toBe(300);
    // "Open in HubSpot": the record pages come from the connector, in the connected portal.
    const { portalId } = await h.ok<{ portalId: string }>("GET", "/api/v1/crm/hubspot/connection");
    expect(after.crmLink).toMatchObject({
      companyUrl: `https://app.hubspot.com/contacts/${portalId}/record/0-2/${companyId}`,
      dealUrl: `https://app.hubspot.com/contacts/${portalId}/record/0-3/${newest}`,
    });

    // The link dialog lists the company's deals newest first.
    const deals = await h.ok<{ items: { id: string; name: string | null; createdAt: string | null }[] }>("GET", `/api/v1/crm/hubspot/companies/${companyId}/deals`);
    expect(deals.items.map((x) => x.id)).toEqual([newest, middle, oldest]);
    expect(deals.items[2]?.name).toBe("Oldest (renamed)");
  });

  it("links a company without deals with no deal, and fills the deal once the company gets one", async () => {
    const d = domain("nodeal");
    const companyId = await h.addCompany({ name: "No Deal Co", domain: d });
    const c = await h.createCustomer("No Deal Co", [d]);
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, dealId: null });

    const dealId = await h.addDeal(companyId, { dealname: "First deal", amount: "42" });
    await h.runSync();
    const after = await h.customer(c.id);
    expect(after.crmLink).toMatchObject({ companyId, dealId, source: "auto" });
    expect(after.fields["amount"]).toBe(42);
  });

  it("never links a customer without domains; adding a domain links it at the next run", async () => {
    const d = domain("nodomain");
    const companyId = await h.addCompany({ name: "Domainless Co", domain: d });
    const c = await h.createCustomer("Domainless Co", []);
    await h.runSync();
    const unlinked = await h.customer(c.id);
    expect(unlinked.crmLink).toBeNull();
    expect(unlinked.linkStatus).toMatchObject({ state: "unlinked", reason: "no_domains" });

    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toBeNull();

    const patched = await h.setDomains(c.id, [d]);
    expect(patched.linkStatus).toEqual({ state: "not_checked" });
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, source: "auto" });
  });

  it("retries a customer with unmatched domains when a domain is added", async () => {
    const miss = domain("nomatch");
    const hit = domain("latematch");
    const companyId = await h.addCompany({ name: "Late Match Co", domain: hit });
    const c = await h.createCustomer("Late Match Co", [miss]);
    await h.runSync();
    expect((await h.customer(c.id)).linkStatus).toMatchObject({ state: "unlinked", reason: "no_match" });

    await h.setDomains(c.id, [miss, hit]);
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, source: "auto" });
  });

  it("links a customer whose company appears in HubSpot later", async () => {
    const d = domain("appears");
    const c = await h.createCustomer("Appears Later", [d]);
    await h.runSync();
    expect((await h.customer(c.id)).linkStatus).toMatchObject({ state: "unlinked", reason: "no_match" });
    const companyId = await h.addCompany({ name: "Appears Later", domain: d });
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId });
  });

  it("does not relink an already linked customer when a domain is added", async () => {
    const a = domain("keep-a");
    const b = domain("keep-b");
    const companyA = await h.addCompany({ name: "Keep A", domain: a });
    await h.addCompany({ name: "Keep B", domain: b });
    const c = await h.createCustomer("Keep", [a]);
    await h.runSync();
    const linked = await h.customer(c.id);
    expect(linked.crmLink).toMatchObject({ companyId: companyA });

    const patched = await h.setDomains(c.id, [a, b]);
    expect(patched.crmLink).toEqual(linked.crmLink);
    const run = await h.runSync();
    expect(run.status).toBe("succeeded");
    expect((await h.customer(c.id)).crmLink).toEqual(linked.crmLink);
  });

  it("resets the link when a domain is removed and retries with the remaining domains", async () => {
    const a = domain("remove-a");
    const rest = domain("remove-rest");
    const companyA = await h.addCompany({ name: "Remove A", domain: a });
    const dealA = await h.addDeal(companyA, { dealname: "A deal", amount: "10" });
    const c = await h.createCustomer("Remove", [a, rest]);
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId: companyA, dealId: dealA });

    // The remaining domain's company appears after the customer was linked: no relinking...
    const companyRest = await h.addCompany({ name: "Remove Rest", domain: rest });
    const dealRest = await h.addDeal(companyRest, { dealname: "Rest deal", amount: "20" });
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId: companyA, dealId: dealA });

    // ...until the domain it was matched on is removed: company and deal are reset at once.
    const patched = await h.setDomains(c.id, [rest]);
    expect(patched.crmLink).toBeNull();
    expect(patched.linkStatus).toEqual({ state: "not_checked" });
    await h.runSync();
    const after = await h.customer(c.id);
    expect(after.crmLink).toMatchObject({ companyId: companyRest, dealId: dealRest, source: "auto" });
    expect(after.fields["amount"]).toBe(20);
  });

  it("keeps the link when the HubSpot company's domain changes, and keeps pulling its values", async () => {
    const d = domain("domchange");
    const companyId = await h.addCompany({ name: "Domain Change Co", domain: d, annualrevenue: "100" });
    const c = await h.createCustomer("Domain Change Co", [d]);
    await h.runSync();
    const linked = await h.customer(c.id);
    expect(linked.crmLink).toMatchObject({ companyId });

    await h.patchRecord("companies", companyId, { domain: domain("elsewhere"), annualrevenue: "200" });
    await h.runSync();
    const after = await h.customer(c.id);
    expect(after.crmLink).toEqual(linked.crmLink);
    expect(after.fields["annual_revenue"]).toBe(200);
  });

  it("keeps link and last values when the HubSpot company or deal is deleted, and links no one to them", async () => {
    const d = domain("deleted");
    const d2 = domain("deleted-additional");
    const companyId = await h.addCompany({ name: "Deleted Co", domain: d, hs_additional_domains: d2, annualrevenue: "777" });
    const older = await h.addDeal(companyId, { dealname: "Older", amount: "1", createdate: "2022-01-01T00:00:00.000Z" });
    const newer = await h.addDeal(companyId, { dealname: "Newer", amount: "999", createdate: "2024-01-01T00:00:00.000Z" });
    const c = await h.createCustomer("Deleted Co", [d]);
    await h.runSync();
    const linked = await h.customer(c.id);
    expect(linked.crmLink).toMatchObject({ companyId, dealId: newer });
    expect(linked.fields).toMatchObject({ annual_revenue: 777, amount: 999 });

    await h.deleteRecord("deals", newer);
    await h.runSync();
    // Turning sync off and on runs a full pass, the one that notices deletions.
    await h.setSync(false);
    const full = await h.enableSync();
    expect(full.message).toMatch(/^Full/);
    let after = await h.customer(c.id);
    expect(after.crmLink).toEqual(linked.crmLink);
    expect(after.fields).toMatchObject({ annual_revenue: 777, amount: 999 });
    expect(older).not.toBe(after.crmLink?.dealId);

    await h.deleteRecord("companies", companyId);
    await h.runSync();
    await h.setSync(false);
    await h.enableSync();
    after = await h.customer(c.id);
    expect(after.crmLink).toEqual(linked.crmLink);
    expect(after.fields).toMatchObject({ annual_revenue: 777, amount: 999 });

    // A deleted company is no longer a match for anyone.
    const other = await h.createCustomer("Deleted Co twin", [d2]);
    await h.runSync();
    expect((await h.customer(other.id)).linkStatus).toMatchObject({ state: "unlinked", reason: "no_match" });
  });

  it("pulls a synced property changed in HubSpot at the next run", async () => {
    const d = domain("changed");
    const companyId = await h.addCompany({ name: "Changed Co", domain: d, annualrevenue: "1000" });
    const dealId = await h.addDeal(companyId, { dealname: "D", amount: "50" });
    const c = await h.createCustomer("Changed Co", [d]);
    await h.runSync();
    expect((await h.customer(c.id)).fields).toMatchObject({ annual_revenue: 1000, amount: 50 });

    await h.patchRecord("companies", companyId, { annualrevenue: "2500" });
    await h.patchRecord("deals", dealId, { amount: "75" });
    const run = await h.runSync();
    expect(run.message).toMatch(/^Incremental/);
    expect(run.counters.updated).toBeGreaterThanOrEqual(1);
    expect((await h.customer(c.id)).fields).toMatchObject({ annual_revenue: 2500, amount: 75 });
  });

  it("leaves a customer unlinked when two companies share its domain, shows the candidates and logs company_match_ambiguous", async () => {
    const d = domain("shared");
    const first = await h.addCompany({ name: "Shared One", domain: d });
    const second = await h.addCompany({ name: "Shared Two", domain: d });
    const c = await h.createCustomer("Shared", [d]);
    const run = await h.runSync();
    const after = await h.customer(c.id);
    expect(after.crmLink).toBeNull();
    expect(after.linkStatus).toMatchObject({ state: "unlinked", reason: "ambiguous", candidates: [first, second] });

    expect(run.status).toBe("partial");
    const errors = await h.runErrors(run.id);
    const ambiguous = errors.filter((e) => e.code === "company_match_ambiguous" && e.recordId === c.id);
    expect(ambiguous).toHaveLength(1);
    expect(ambiguous[0]).toMatchObject({ recordType: "customer", details: { companyIds: [first, second] } });
    expect(ambiguous[0]?.hint).toMatch(/by hand/);

    // An additional domain of another company counts as sharing too.
    const d2 = domain("shared-additional");
    const main = await h.addCompany({ name: "Main", domain: d2 });
    const extra = await h.addCompany({ name: "Extra", domain: domain("extra-main"), hs_additional_domains: d2 });
    const c2 = await h.createCustomer("Shared additional", [d2]);
    await h.runSync();
    expect((await h.customer(c2.id)).linkStatus).toMatchObject({ reason: "ambiguous", candidates: [main, extra] });
  });

  it("matches on hs_additional_domains", async () => {
    const primary = domain("primary");
    const alt = domain("alt", "io");
    const second = domain("second", "net");
    const companyId = await h.addCompany({ name: "Many Domains", domain: primary, hs_additional_domains: `${alt};${second}` });
    const c = await h.createCustomer("Many Domains", [second]);
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, source: "auto" });
  });

  it("normalises domains on both sides (scheme, www., case, path)", async () => {
    const base = domain("norm");
    const companyId = await h.addCompany({ name: "Norm Co", domain: `WWW.${base.toUpperCase()}` });
    const c = await h.createCustomer("Norm Co", [`https://www.${base}/pricing?x=1`]);
    expect(c.domains).toEqual([base]);
    const base2 = domain("norm-url");
    const company2 = await h.addCompany({ name: "Norm URL", domain: `https://${base2}/`, hs_additional_domains: "" });
    const c2 = await h.createCustomer("Norm URL", [base2.toUpperCase()]);
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId });
    expect((await h.customer(c2.id)).crmLink).toMatchObject({ companyId: company2 });
  });

  describe("Link to HubSpot (manual)", () => {
    it("links by hand with the company's newest deal and returns its values at once; runs never relink it", async () => {
      const mine = domain("manual-own");
      const otherDomain = domain("manual-other");
      const companyId = await h.addCompany({ name: "Manual Target", domain: domain("manual-target"), annualrevenue: "4242" });
      await h.addDeal(companyId, { dealname: "Old", amount: "1", createdate: "2020-01-01T00:00:00.000Z" });
      const dealId = await h.addDeal(companyId, { dealname: "New", amount: "88", createdate: "2024-02-02T00:00:00.000Z" });
      // The customer's own domain matches another company: a run would link it there.
      const otherCompany = await h.addCompany({ name: "Manual Other", domain: otherDomain });
      const c = await h.createCustomer("Manual", [mine]);
      await h.runSync();
      expect((await h.customer(c.id)).crmLink).toBeNull();

      const runsBefore = (await h.runs(h.ws, "link")).length;
      const linked = await h.ok<CustomerJson>("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId });
      expect(linked.crmLink).toMatchObject({ companyId, dealId, source: "manual" });
      expect(linked.fields).toMatchObject({ annual_revenue: 4242, amount: 88 });
      const linkRuns = await h.runs(h.ws, "link");
      expect(linkRuns).toHaveLength(runsBefore + 1);
      expect(linkRuns[0]).toMatchObject({ kind: "link", trigger: "link", status: "succeeded", counters: { linked: 1 } });
      expect(linkRuns[0]?.crmCalls.total).toBeGreaterThan(0);

      await h.setDomains(c.id, [mine, otherDomain]);
      await h.runSync();
      expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, dealId, source: "manual" });
      expect(otherCompany).not.toBe(companyId);
    });

    it("links with an explicit deal or with no deal, and a run does not fill a manual link's deal", async () => {
      const companyId = await h.addCompany({ name: "Manual Deals", domain: domain("manual-deals") });
      const older = await h.addDeal(companyId, { dealname: "Older", amount: "5", createdate: "2020-01-01T00:00:00.000Z" });
      await h.addDeal(companyId, { dealname: "Newer", amount: "6", createdate: "2024-01-01T00:00:00.000Z" });
      const a = await h.createCustomer("Manual deal A");
      const b = await h.createCustomer("Manual deal B");
      const withDeal = await h.ok<CustomerJson>("PUT", `/api/v1/customers/${a.id}/crm-link`, { companyId, dealId: older });
      expect(withDeal.crmLink).toMatchObject({ companyId, dealId: older, source: "manual" });
      expect(withDeal.fields["amount"]).toBe(5);
      const noDeal = await h.ok<CustomerJson>("PUT", `/api/v1/customers/${b.id}/crm-link`, { companyId, dealId: null });
      expect(noDeal.crmLink).toMatchObject({ companyId, dealId: null, source: "manual" });
      expect(noDeal.fields["amount"]).toBeUndefined();
      await h.runSync();
      expect((await h.customer(b.id)).crmLink).toMatchObject({ companyId, dealId: null });
      expect((await h.customer(a.id)).crmLink).toMatchObject({ dealId: older });
    });

    it("refuses unknown companies and deals", async () => {
      const c = await h.createCustomer("Manual unknown");
      const res = await h.api<{ error: { code: string } }>("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId: "999999999" });
      expect(res.status).toBe(404);
      const companyId = await h.addCompany({ name: "Manual Known", domain: domain("manual-known") });
      const res2 = await h.api<{ error: { code: string } }>("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId, dealId: "3999999999" });
      expect(res2.status).toBe(404);
      expect((await h.customer(c.id)).crmLink).toBeNull();
      // Members may not link.
      const member = await h.api("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId }, h.ws.memberToken);
      expect(member.status).toBe(403);
    });

    it("unlinks with DELETE; the customer is then tried again by runs", async () => {
      const d = domain("unlink");
      const companyId = await h.addCompany({ name: "Unlink Co", domain: d, annualrevenue: "31" });
      const c = await h.createCustomer("Unlink Co", [d]);
      await h.ok("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId });
      const unlinked = await h.ok<CustomerJson>("DELETE", `/api/v1/customers/${c.id}/crm-link`);
      expect(unlinked.crmLink).toBeNull();
      expect((await h.customer(c.id)).crmLink).toBeNull();
      await h.runSync();
      expect((await h.customer(c.id)).crmLink).toMatchObject({ companyId, source: "auto" });
    });

    it("searches companies by name or domain for the link dialog", async () => {
      const d = domain("searchable");
      const companyId = await h.addCompany({ name: `Zebra Searchable ${dialect}`, domain: d });
      const byName = await h.ok<{ items: { id: string; name: string | null; domains: string[] }[] }>("GET", `/api/v1/crm/hubspot/companies?query=${encodeURIComponent(`Zebra Searchable ${dialect}`)}`);
      expect(byName.items.map((x) => x.id)).toContain(companyId);
      expect(byName.items.find((x) => x.id === companyId)).toMatchObject({ name: `Zebra Searchable ${dialect}`, domains: [d] });
      const byDomain = await h.ok<{ items: { id: string }[] }>("GET", `/api/v1/crm/hubspot/companies?query=${encodeURIComponent(d)}`);
      expect(byDomain.items.map((x) => x.id)).toEqual([companyId]);
    });

    it("links only, without values or a run, while HubSpot Sync is off", async () => {
      const b = h.t.b;
      await h.connect(b);
      await h.importFields([{ object: "company", name: "annualrevenue" }], b);
      const companyId = await h.addCompany({ name: "Sync Off Co", domain: domain("syncoff"), annualrevenue: "123" });
      const c = await h.createCustomer("Sync Off Co", [], b);
      const linked = await h.ok<CustomerJson>("PUT", `/api/v1/customers/${c.id}/crm-link`, { companyId }, b.adminToken);
      expect(linked.crmLink).toMatchObject({ companyId, source: "manual" });
      expect(linked.fields).toEqual({});
      expect(await h.runs(b, "link")).toEqual([]);
      // Workspace b's link is invisible to workspace a.
      expect((await h.api("GET", `/api/v1/customers/${c.id}`)).status).toBe(404);
    });
  });
});
