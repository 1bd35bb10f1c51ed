// A workspace syncs with one CRM at a time, and every job names the CRM it runs for (decision
// 0036). Two CRMs are registered here: HubSpot and "Other CRM" (HubSpot's connector under
// another id, at the same emulator), so the rules are checked without a second emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import { accountSyncJob } from "../../src/jobs/scheduler.ts";
import { dialects } from "../support/databases.ts";
import { HubSpotHarness } from "../support/hubspot.ts";

describe.each(dialects)("the workspace's CRM on %s", (dialect: Dialect) => {
  let h: HubSpotHarness;
  const domain = `one-crm-${dialect}.com`;

  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect, { secondCrm: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  const connect = (provider: string) => h.api<{ error: { code: string; message: string } }>("POST", `/api/v1/crm/${provider}/connection/private-app`, { token: PRIVATE_APP_TOKEN });

  it("a workspace that never connected is offered the default CRM", async () => {
    expect(await h.ok("GET", "/api/v1/crm/current")).toMatchObject({ provider: "hubspot", displayName: "HubSpot", status: "not_connected" });
  });

  it("refuses a second CRM while one is connected, saying which to disconnect", async () => {
    await h.ok("POST", "/api/v1/crm/hubspot/connection/private-app", { token: PRIVATE_APP_TOKEN });
    const second = await connect("other");
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("crm_other_connected");
    expect(second.body.error.message).toBe("This workspace is connected to HubSpot; disconnect HubSpot before connecting Other CRM.");
    const oauth = await h.api<{ error: { code: string } }>("POST", "/api/v1/crm/other/oauth/start");
    expect(oauth.body.error.code).toBe("crm_other_connected");
    expect((await h.ok<{ status: string }>("GET", "/api/v1/crm/other/connection")).status).toBe("not_connected");
  });

  it("runs a HubSpot job as HubSpot's run, and names HubSpot on the customer's link", async () => {
    const companyId = await h.addCompany({ name: "One CRM Co", domain });
    const customer = await h.createCustomer("One CRM Co", [domain]);
    const run = await h.enableSync();
    expect(run.status).toBe("succeeded");
    const jobs = await h.t.ctx.queue.listJobs({ workspaceId: h.ws.id, queue: "account-sync" });
    expect(jobs[0]?.payload).toMatchObject({ provider: "hubspot", trigger: "enable" });
    expect((await h.customer(customer.id)).crmLink).toMatchObject({ provider: "hubspot", companyId });
  });

  it("moving to another CRM forgets the old CRM's links and runs the new CRM's jobs", async () => {
    await h.ok("DELETE", "/api/v1/crm/hubspot/connection");
    // Disconnected, the workspace still shows its CRM (its links and names stay HubSpot's).
    expect(await h.ok("GET", "/api/v1/crm/current")).toMatchObject({ provider: "hubspot", status: "disconnected" });
    expect((await connect("other")).status).toBe(200);
    expect(await h.ok("GET", "/api/v1/crm/current")).toMatchObject({ provider: "other", displayName: "Other CRM", status: "connected" });
    const [customer] = (await h.ok<{ items: { id: string; crmLink: unknown; linkStatus: { state: string } }[] }>("GET", "/api/v1/customers?limit=10")).items;
    expect(customer).toMatchObject({ crmLink: null, linkStatus: { state: "not_checked" } });

    await h.ok("PUT", "/api/v1/crm/other/account-sync", { enabled: true });
    await h.drain();
    const run = await h.latestRun();
    expect(run.status).toBe("succeeded");
    const jobs = await h.t.ctx.queue.listJobs({ workspaceId: h.ws.id, queue: "account-sync" });
    expect(jobs[0]?.payload).toMatchObject({ provider: "other" });
    // The run belongs to the CRM its job named, and the link is the new CRM's.
    const runs = await h.t.ctx.db.selectFrom("sync_runs").select(["provider"]).where("id", "=", run.id).execute();
    expect(runs).toEqual([{ provider: "other" }]);
    expect((await h.customer(customer!.id)).crmLink).toMatchObject({ provider: "other", source: "auto" });
  });

  it("runs a job queued before jobs named their CRM with the workspace's CRM", async () => {
    const legacy = accountSyncJob({ workspaceId: h.ws.id, provider: "unused", trigger: "manual", triggeredBy: null });
    await h.t.ctx.queue.enqueue({ ...legacy, payload: { workspaceId: h.ws.id, trigger: "manual", triggeredBy: null } });
    await h.drain();
    const run = await h.latestRun();
    expect(run).toMatchObject({ trigger: "manual", status: "succeeded" });
    const rows = await h.t.ctx.db.selectFrom("sync_runs").select(["provider"]).where("id", "=", run.id).execute();
    expect(rows).toEqual([{ provider: "other" }]);
  });
});
