// Account sync from Salesforce end to end, on both databases: connect through OAuth on the
// sandbox host, turn Salesforce Sync on, customers linked by their Account's Website and to the
// Opportunity created last, imported fields filled; and a run that reaches its share of the
// org's daily allocation pauses and resumes to the same state as a run that did not pause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tryNormalizeDomain } from "../../src/core/domains.ts";
import { signIn } from "../support/browser-session.ts";
import { dialects } from "../support/databases.ts";
import { insertCustomers, snapshotWorkspace } from "../support/hubspot.ts";
import { SalesforceHarness } from "../support/salesforce.ts";
import type { RunJson } from "../support/hubspot.ts";

const accounts = 4_500;
const opportunities = 5_200;

describe.each(dialects)("Salesforce account sync on %s", (dialect) => {
  let h: SalesforceHarness;
  /** Live Accounts whose Website's domain no other live Account has, by domain. */
  let matchable: Map<string, string>;
  /** The Opportunity created last of each Account (ties by the larger Id). */
  let latestDeal: Map<string, string>;

  beforeAll(async () => {
    h = await SalesforceHarness.start(dialect, { accounts, opportunities, seed: 14 });
    const owners = new Map<string, string[]>();
    for (const rec of h.emu.store.all("Account")) {
      if (rec.values.IsDeleted || typeof rec.values["Website"] !== "string") continue;
      const domain = tryNormalizeDomain(rec.values["Website"]);
      if (domain) owners.set(domain, [...(owners.get(domain) ?? []), rec.id]);
    }
    matchable = new Map([...owners].filter(([, ids]) => ids.length === 1).map(([domain, [id]]) => [domain, id!]));
    const newest = new Map<string, { id: string; created: number }>();
    for (const opp of h.emu.store.all("Opportunity")) {
      const accountId = opp.values["AccountId"];
      if (opp.values.IsDeleted || typeof accountId !== "string") continue;
      const created = Number(opp.values["CreatedDate"]);
      const best = newest.get(accountId);
      if (!best || created > best.created || (created === best.created && opp.id > best.id)) newest.set(accountId, { id: opp.id, created });
    }
    latestDeal = new Map([...newest].map(([accountId, { id }]) => [accountId, id]));
    const customers = [...matchable.keys()].slice(0, 300).map((domain, i) => ({ name: `Customer ${i}`, domains: [domain] }));
    for (const ws of [h.t.a, h.t.b]) await insertCustomers(h.t.ctx.db, ws.id, customers);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it("offers Salesforce after HubSpot, with production or sandbox to sign in; another place is refused", async () => {
    const providers = await h.ok<{ items: { id: string; authMethods: string[]; oauthEnvironments: string[] }[] }>("GET", "/api/v1/crm/providers", undefined, h.t.a);
    expect(providers.items.map((p) => [p.id, p.authMethods, p.oauthEnvironments])).toEqual([
      ["hubspot", ["oauth", "token"], []],
      ["salesforce", ["oauth"], ["production", "sandbox"]],
    ]);
    const browser = await signIn(h.t, h.t.a.adminEmail);
    const refused = await browser.request("POST", "/api/v1/crm/salesforce/oauth/start?environment=staging");
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe("validation_failed");
    const production = await browser.request("POST", "/api/v1/crm/salesforce/oauth/start");
    expect(new URL(production.json<{ authorizeUrl: string }>().authorizeUrl).origin).toBe("http://127.0.0.1:9");
  });

  it("connects on the sandbox host, links customers by Website to their Account and its newest Opportunity, and fills imported fields", async () => {
    expect(await h.connect(h.t.a)).toBe("/integrations/salesforce?connected=1");
    await h.ok("POST", "/api/v1/crm/salesforce/import-fields", { properties: [{ object: "company", name: "Industry" }, { object: "deal", name: "StageName" }] }, h.t.a);
    await h.enableSync(h.t.a);
    const run = await h.latestRun(h.t.a);
    expect(run).toMatchObject({ provider: "salesforce", status: "succeeded" });
    // /limits, the Accounts and Opportunities 2,000 a call, two describes at import are not on the run.
    expect(run.crmCalls.byEndpoint).toEqual({ limits: 1, query: Math.ceil(accounts / 2_000) + Math.ceil(opportunities / 2_000) });

    const snapshot = await snapshotWorkspace(h.t.ctx.db, h.t.a.id);
    let linked = 0;
    for (const [domain, accountId] of [...matchable].slice(0, 300)) {
      const index = [...matchable.keys()].indexOf(domain);
      const customer = snapshot.get(`Customer ${index}`)!;
      expect(customer.companyId).toBe(accountId);
      expect(customer.dealId).toBe(latestDeal.get(accountId) ?? null);
      expect(customer.source).toBe("auto");
      linked++;
      const industry = h.emu.store.get("Account", accountId)!.values["Industry"];
      if (typeof industry === "string") expect(Object.values(customer.fields).some((v) => v.text === industry)).toBe(true);
    }
    expect(linked).toBe(300);
  }, 120_000);

  it("a run that reaches its daily share pauses, and resumed later ends where an uninterrupted run ends", async () => {
    await h.connect(h.t.b);
    await h.ok("POST", "/api/v1/crm/salesforce/import-fields", { properties: [{ object: "company", name: "Industry" }, { object: "deal", name: "StageName" }] }, h.t.b);
    // The org has 24 calls a day left in all: a quarter is five, and the run needs 7.
    await h.control("PUT", "/limits", { max: 24, used: 0 });
    await h.enableSync(h.t.b);
    const paused = await h.latestRun(h.t.b);
    expect(paused.status).toBe("queued");
    expect(paused.pause).toEqual({ limit: "daily", resumesAt: expect.any(String) as unknown });
    expect(Date.parse(paused.pause!.resumesAt) - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(paused.message).toMatch(/^Paused: Salesforce's daily API limit was reached; resumes at /);

    // A day later the allocation is back; the scheduler's clock reaches the pause's end.
    await h.control("PUT", "/limits", { max: 100_000, used: 0 });
    await h.t.ctx.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 1).toISOString() }).where("status", "=", "pending").execute();
    await h.background.worker.drain();
    const resumed = await h.latestRun(h.t.b);
    expect(resumed).toMatchObject({ id: paused.id, status: "succeeded", pause: null });
    // The pages read before the pause were not read again: 1 + 5 before, 1 + 2 after.
    expect(resumed.crmCalls.byEndpoint).toEqual({ limits: 2, query: Math.ceil(accounts / 2_000) + Math.ceil(opportunities / 2_000) });

    const uninterrupted = await snapshotWorkspace(h.t.ctx.db, h.t.a.id);
    const afterPause = await snapshotWorkspace(h.t.ctx.db, h.t.b.id);
    const strip = (m: typeof afterPause) => [...m].map(([name, s]) => [name, s.companyId, s.dealId, s.source, Object.values(s.fields).map((v) => v.text).sort()]).sort();
    expect(strip(afterPause)).toEqual(strip(uninterrupted));
  }, 120_000);

  it("Save & Sync links a customer by hand to an Account and its newest Opportunity: /limits and two queries", async () => {
    // The workspace's CRM is Salesforce: the API links through it.
    const accountId = [...latestDeal.keys()].find((id) => ![...matchable.values()].slice(0, 300).includes(id))!;
    await insertCustomers(h.t.ctx.db, h.t.a.id, [{ name: "Linked by hand", domains: [] }]);
    const customerId = (await h.t.ctx.db.selectFrom("customers").select("id").where("workspace_id", "=", h.t.a.id).where("name", "=", "Linked by hand").executeTakeFirstOrThrow()).id;
    const customer = await h.ok<{ crmLink: Record<string, unknown> }>("PUT", `/api/v1/customers/${customerId}/crm-link`, { companyId: accountId }, h.t.a);
    expect(customer.crmLink).toMatchObject({ provider: "salesforce", companyId: accountId, dealId: latestDeal.get(accountId), source: "manual" });
    expect(String(customer.crmLink["companyUrl"])).toContain(accountId);
    const [run] = (await h.ok<{ items: RunJson[] }>("GET", "/api/v1/sync-runs?kind=link&limit=1", undefined, h.t.a)).items;
    expect(run).toMatchObject({ status: "succeeded", crmCalls: { total: 3, byEndpoint: { limits: 1, query: 2 } } });
    const industry = h.emu.store.get("Account", accountId)!.values["Industry"];
    const values = (await snapshotWorkspace(h.t.ctx.db, h.t.a.id)).get("Linked by hand")!.fields;
    if (typeof industry === "string") expect(Object.values(values).some((v) => v.text === industry)).toBe(true);
  });

  it("a grant revoked in Salesforce disconnects the workspace, as for HubSpot", async () => {
    // An admin revokes crmsync's access in Setup: every grant of the org goes.
    for (const grant of h.emu.store.auth.refreshTokens.values()) h.emu.store.auth.revoke(grant.token);
    await h.ok("POST", "/api/v1/crm/salesforce/account-sync/run", undefined, h.t.a);
    await h.background.worker.drain();
    expect(await h.latestRun(h.t.a)).toMatchObject({ status: "failed" });
    const view = await h.ok<{ status: string; statusReason: string | null }>("GET", "/api/v1/crm/salesforce/connection", undefined, h.t.a);
    expect(view.status).toBe("disconnected");
    expect(view.statusReason).toMatch(/^Salesforce revoked access/);
  }, 60_000);
});
