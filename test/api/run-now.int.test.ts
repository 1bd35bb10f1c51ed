// "Run now" answers honestly (product spec §6): 409 with a stable code and what to do when the
// run could not happen, and nothing is queued; 202 only for a run the worker will start.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../support/databases.ts";
import { HubSpotHarness } from "../support/hubspot.ts";

interface ErrorJson {
  error: { code: string; message: string };
}

describe.each(dialects)("run now on %s", (dialect) => {
  let h: HubSpotHarness;
  const pending = () => h.t.ctx.queue.listJobs({ workspaceId: h.ws.id, status: ["pending", "running"] });
  const refuse = async (url: string, code: string, message: RegExp) => {
    const res = await h.api<ErrorJson>("POST", url);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(await pending()).toEqual([]);
  };
  const accounts = "/api/v1/crm/hubspot/account-sync/run";
  const contacts = "/api/v1/crm/hubspot/contact-sync/run";

  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect, { worker: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("account sync: refuses while HubSpot Sync is off or HubSpot is disconnected, queues once it can run", async () => {
    await refuse(accounts, "sync_disabled", /HubSpot Sync is off/);
    await h.connect();
    await h.setSync(true);
    await h.t.ctx.queue.cancelPending(`account-sync:${h.ws.id}`);
    await h.ok("DELETE", "/api/v1/crm/hubspot/connection");
    await refuse(accounts, "crm_not_connected", /HubSpot is disconnected.*reconnect/);
    await h.connect();
    const queued = await h.api<{ queued: boolean }>("POST", accounts);
    expect(queued).toMatchObject({ status: 202, body: { queued: true } });
    expect(await pending()).toHaveLength(1);
    await h.t.ctx.queue.cancelPending(`account-sync:${h.ws.id}`);
  });

  it("contact sync: refuses while off, paused or disconnected", async () => {
    await refuse(contacts, "sync_disabled", /Contact sync is off/);
    await h.ok("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound", paused: true });
    await refuse(contacts, "sync_disabled", /paused/);
    await h.ok("PUT", "/api/v1/crm/hubspot/contact-sync", { paused: false });
    for (const queue of ["contact-sync", "account-sync"]) await h.t.ctx.queue.cancelPending(`${queue}:${h.ws.id}`);
    await h.ok("DELETE", "/api/v1/crm/hubspot/connection");
    await refuse(contacts, "crm_not_connected", /HubSpot is disconnected/);
  });
});
