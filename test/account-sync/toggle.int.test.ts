// The HubSpot Sync toggle and triggers (product spec §3.4), against the emulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspacesWithAccountSync } from "../../src/db/repositories/sync-settings.ts";
import { accountSyncJob } from "../../src/jobs/scheduler.ts";
import { startBackground } from "../../src/sync/background.ts";
import { HubSpotHarness, type CustomerJson, type FieldJson, type RunJson } from "../support/hubspot.ts";

interface AccountSyncView {
  enabled: boolean;
  changedAt: string | null;
  activeRun: RunJson | null;
  lastRun: RunJson | null;
}

describe("account sync: the HubSpot Sync toggle", () => {
  let h: HubSpotHarness;
  let n = 0;
  const domain = (label: string) => `${label}-${++n}.com`;
  let companyId: string;
  let customer: CustomerJson;
  let revenue: FieldJson;

  const fieldRows = () => h.t.ctx.db.selectFrom("field_values").select("field_id").where("workspace_id", "=", h.ws.id).execute();
  const view = () => h.ok<AccountSyncView>("GET", "/api/v1/crm/hubspot/account-sync");

  beforeAll(async () => {
    h = await HubSpotHarness.start("sqlite");
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses to turn on before HubSpot is connected, and members cannot switch it", async () => {
    const res = await h.api<{ error: { code: string } }>("PUT", "/api/v1/crm/hubspot/account-sync", { enabled: true }, h.t.b.adminToken);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("crm_not_connected");
    expect((await h.api("PUT", "/api/v1/crm/hubspot/account-sync", { enabled: true }, h.ws.memberToken)).status).toBe(403);
    expect((await view()).enabled).toBe(false);
  });

  it("turning it on starts an immediate full run; with no imported field it links and writes no values", async () => {
    const d = domain("first");
    companyId = await h.addCompany({ name: "Toggle Co", domain: d, annualrevenue: "100" });
    customer = await h.createCustomer("Toggle Co", [d]);
    await h.setSync(true);
    const queued = await view();
    expect(queued.enabled).toBe(true);
    expect(queued.changedAt).not.toBeNull();
    await h.drain();
    const run = await h.latestRun();
    expect(run).toMatchObject({ trigger: "enable", status: "succeeded", counters: { linked: 1, updated: 0 } });
    expect(run.message).toMatch(/^Full/);
    expect((await h.customer(customer.id)).crmLink).toMatchObject({ companyId });
    expect(await fieldRows()).toEqual([]);
    expect((await view()).lastRun?.id).toBe(run.id);

    // On again while on: nothing new.
    await h.setSync(true);
    await h.drain();
    expect(await h.runs()).toHaveLength(1);
  });

  it("turning it off stops runs and keeps links, values, read-only state and mappings", async () => {
    [revenue] = (await h.importFields([{ object: "company", name: "annualrevenue" }])) as [FieldJson];
    await h.drain();
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(100);
    const runsBefore = (await h.runs()).length;

    await h.setSync(false);
    expect((await view()).enabled).toBe(false);
    expect(await workspacesWithAccountSync(h.t.ctx.db, "hubspot")).not.toContain(h.ws.id);
    await h.patchRecord("companies", companyId, { annualrevenue: "200" });
    const manual = await h.api<{ error: { code: string } }>("POST", "/api/v1/crm/hubspot/account-sync/run");
    expect(manual.status).toBe(409);
    expect(manual.body.error.code).toBe("sync_disabled");
    // A job queued before the toggle went off (a schedule slot, say) does nothing.
    const { id: jobId } = await h.t.ctx.queue.enqueue(accountSyncJob({ workspaceId: h.ws.id, provider: "hubspot", trigger: "schedule" }));
    await h.drain();
    expect((await h.t.ctx.queue.getJob(jobId))?.status).toBe("done");
    expect(await h.runs()).toHaveLength(runsBefore);

    const kept = await h.customer(customer.id);
    expect(kept.crmLink).toMatchObject({ companyId, source: "auto" });
    expect(kept.fields[revenue.key]).toBe(100);
    const field = await h.ok<FieldJson>("GET", `/api/v1/custom-fields/${revenue.id}`);
    expect(field).toMatchObject({ readOnly: true, syncMapping: { provider: "hubspot", object: "company", property: "annualrevenue" } });
    expect((await h.api("PATCH", `/api/v1/customers/${customer.id}`, { fields: { [revenue.key]: 5 } })).status).toBe(422);
  });

  it("turning it on again needs no reconfiguration and runs a full sync", async () => {
    const run = await h.enableSync();
    expect(run).toMatchObject({ trigger: "enable", status: "succeeded" });
    expect(run.message).toMatch(/^Full/);
    expect(run.crmCalls.byEndpoint["companies.list"]).toBeGreaterThanOrEqual(1);
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(200);
  });

  it("turning it off cancels a run that was queued but had not started", async () => {
    await h.stopWorker();
    const runsBefore = (await h.runs()).length;
    await h.ok("POST", "/api/v1/crm/hubspot/account-sync/run");
    const [pending] = await h.t.ctx.queue.listJobs({ workspaceId: h.ws.id, status: "pending" });
    expect(pending).toBeDefined();
    await h.setSync(false);
    expect((await h.t.ctx.queue.getJob(pending!.id))?.status).toBe("cancelled");
    h.startWorker();
    await h.drain();
    expect(await h.runs()).toHaveLength(runsBefore);
    await h.enableSync();
  });

  it("turning it off during a run stops that run before it writes anything more", async () => {
    await h.patchRecord("companies", companyId, { annualrevenue: "300" });
    h.emu.store.faults.add({ endpoint: "companies.search", kind: "slow", delayMs: 2_500, count: 1 });
    await h.ok("POST", "/api/v1/crm/hubspot/account-sync/run");
    await waitForRunning(h);
    try {
      await h.setSync(false);
      await h.drain();
      const run = await h.latestRun();
      expect(run.status).toBe("cancelled");
      expect(run.message).toMatch(/turned off/);
      // Nothing more came in after the switch.
      expect((await h.customer(customer.id)).fields[revenue.key]).toBe(200);
    } finally {
      await h.setSync(true);
    }
    await h.drain();
    const on = await h.latestRun();
    expect(on.status).toBe("succeeded");
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(300);
  });

  it("coalesces triggers during a run into one follow-up run, and never runs a workspace twice at once", async () => {
    // A second worker process's worth of workers: exclusivity must hold across them.
    const other = startBackground({ db: h.t.ctx.db, queue: h.t.ctx.queue, connections: h.t.ctx.crm, schedules: false, pollIntervalMs: 20 });
    try {
      const runsBefore = (await h.runs()).length;
      h.emu.store.faults.add({ endpoint: "companies.search", kind: "slow", delayMs: 600, count: 1 });
      await h.ok("POST", "/api/v1/crm/hubspot/account-sync/run");
      await waitForRunning(h);

      const answers: boolean[] = [];
      for (let i = 0; i < 3; i++) answers.push((await h.ok<{ coalesced: boolean }>("POST", "/api/v1/crm/hubspot/account-sync/run")).coalesced);
      // The first trigger queues the follow-up; the others join it.
      expect(answers).toEqual([false, true, true]);
      await h.importFields([{ object: "company", name: "city" }]); // one more trigger, also coalesced

      await h.drain();
      await other.worker.drain();
      await h.drain();
      const runs = (await h.runs()).slice(0, (await h.runs()).length - runsBefore).reverse();
      expect(runs).toHaveLength(2);
      const [first, second] = runs as [RunJson, RunJson];
      expect(first.status).toBe("succeeded");
      expect(second.status).toBe("succeeded");
      expect(Date.parse(second.startedAt!)).toBeGreaterThanOrEqual(Date.parse(first.finishedAt!));
      // The import asked for a full read: the follow-up is one.
      expect(second.message).toMatch(/^Full/);
    } finally {
      await other.stop();
    }
  });
});

async function waitForRunning(h: HubSpotHarness): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const v = await h.ok<AccountSyncView>("GET", "/api/v1/crm/hubspot/account-sync");
    if (v.activeRun?.status === "running") return;
    if (Date.now() > until) throw new Error("the run never started");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
