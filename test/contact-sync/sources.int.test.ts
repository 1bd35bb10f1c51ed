// Contact sync's sources and the errors that stop a field, a source or a run (product spec §4.1,
// §4.2, §4.3, §6), and the settings API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRun, transitionRun, listRunErrors } from "../../src/db/repositories/sync-runs.ts";
import { runContactSync } from "../../src/sync/contact-sync/run.ts";
import { loadContactSyncSettings, workspacesForContactRuns } from "../../src/sync/contact-sync/settings.ts";
import { inboundContactsSchedule, reconcileSchedule } from "../../src/jobs/scheduler.ts";
import { ContactHarness, uniqueEmail } from "./harness.ts";

describe("contact sync: sources, settings and stopping errors", () => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start("sqlite");
  });
  afterAll(async () => {
    await c?.close();
  });

  it("has safe defaults, lets members read and only admins change", async () => {
    const view = await c.settings();
    expect(view).toMatchObject({
      mode: "off",
      source: { kind: "synced_companies" },
      lifecycleStages: ["customer", "subscriber"],
      mapping: { firstName: "firstname", lastName: "lastname", email: "email", phone: "phone" },
      paused: false,
      needsConfirmation: false,
    });
    expect((await c.h.api("GET", "/api/v1/crm/hubspot/contact-sync", undefined, c.ws.memberToken)).status).toBe(200);
    expect((await c.h.api("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound" }, c.ws.memberToken)).status).toBe(403);
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/run", undefined, c.ws.memberToken)).status).toBe(403);
    expect((await c.h.api("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "sometimes" })).status).toBe(400);
    // The synced-companies source needs account sync on.
    const refused = await c.h.api<{ error: { code: string } }>("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("sync_disabled");
    // Off: nothing to run.
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/run")).status).toBe(409);
    const doc = await c.h.t.request(null, "GET", "/docs/json");
    expect(Object.keys(doc.json().paths)).toEqual(expect.arrayContaining(["/api/v1/crm/{provider}/contact-sync", "/api/v1/crm/{provider}/contact-sync/preview", "/api/v1/crm/{provider}/contact-sync/confirm", "/api/v1/crm/{provider}/contact-sync/run"]));
  });

  it("synced companies: reads the linked companies' contacts (batch associations) and attaches them to the customer", async () => {
    const domain = `acme-${process.pid}.com`;
    const companyId = await c.h.addCompany({ name: "Acme", domain });
    const customer = await c.h.createCustomer("Acme", [domain]);
    await c.h.enableSync();
    const ann = await c.addContact({ firstname: "Ann", lastname: "Acme", email: `ann@${domain}`, lifecyclestage: "customer" }, companyId);
    const other = await c.addContact({ firstname: "Not", lastname: "Linked", email: uniqueEmail("nolink"), lifecyclestage: "customer" });
    c.h.resetCounters();
    await c.configure({ mode: "inbound", source: { kind: "synced_companies" } });
    const run = await c.h.latestRun(c.ws, "contacts");
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(ann)).toMatchObject({ customerId: customer.id, firstName: "Ann" });
    expect(await c.contactByExternalId(other)).toBeUndefined();
    expect(run.crmCalls.byEndpoint).toMatchObject({ "associations.batch.read": 1, "contacts.batch.read": 1 });

    // Account sync turned off: the company source cannot be read.
    await c.h.setSync(false);
    const failed = await c.runNow();
    expect(failed.status).toBe("failed");
    expect((await c.errors(failed)).map((e) => e.code)).toEqual(["account_sync_failed"]);
    await c.h.setSync(true);
    await c.h.drain();
  });

  it("a deleted property stops only its field (crm_field_not_found)", async () => {
    const res = await c.hubspot("POST", "/crm/v3/properties/contacts", { name: "nick_name", label: "Nickname", type: "string", fieldType: "text", groupName: "contactinformation" });
    expect(res.status).toBeLessThan(300);
    const email = uniqueEmail("field");
    const id = await c.addContact({ firstname: "Field", nick_name: "Nick", email, lifecyclestage: "customer" });
    const list = await c.createList("fields", [id]);
    await c.configure({ mode: "inbound", source: { kind: "list", listId: list }, mapping: { lastName: "nick_name" } });
    expect(await c.contactByExternalId(id)).toMatchObject({ firstName: "Field", lastName: "Nick" });
    expect((await c.hubspot("DELETE", "/crm/v3/properties/contacts/nick_name")).status).toBe(204);
    await c.patchRemote(id, { firstname: "Still" });
    const run = await c.runNow();
    expect(run.status).toBe("partial");
    const errors = await c.errors(run);
    expect(errors.map((e) => e.code)).toEqual(["crm_field_not_found"]);
    expect(errors[0]!.details).toMatchObject({ field: "lastName", property: "nick_name" });
    expect(await c.contactByExternalId(id)).toMatchObject({ firstName: "Still", lastName: "Nick" });
    await c.configure({ mapping: { lastName: "lastname" } });
  });

  it("a deleted source list stops contact sync until another list is chosen (crm_list_not_found)", async () => {
    const id = await c.addContact({ firstname: "Lis", email: uniqueEmail("list"), lifecyclestage: "customer" });
    const list = await c.createList("to-delete", [id]);
    await c.configure({ source: { kind: "list", listId: list } });
    await c.h.control("DELETE", `/lists/${list}`);
    const failed = await c.runNow();
    expect(failed.status).toBe("failed");
    expect((await c.errors(failed)).map((e) => e.code)).toEqual(["crm_list_not_found"]);
    const view = await c.settings();
    expect(view.sourceError).toMatchObject({ code: "crm_list_not_found", listId: list });
    // Stopped: "run now" says why, and nothing is queued.
    const refused = await c.h.api<{ error: { code: string; message: string } }>("POST", "/api/v1/crm/hubspot/contact-sync/run");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "crm_list_not_found", message: expect.stringContaining(list) });
    expect(await c.h.t.ctx.queue.listJobs({ workspaceId: c.ws.id, status: "pending" })).toEqual([]);
    await c.h.drain();
    expect((await c.h.latestRun(c.ws, "contacts")).id).toBe(failed.id);
    // Another list: running again.
    const next = await c.createList("replacement", [id]);
    const resumed = await c.configure({ source: { kind: "list", listId: next } });
    expect(resumed.sourceError).toBeNull();
    const run = await c.h.latestRun(c.ws, "contacts");
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(id)).toBeDefined();
  });

  it("two HubSpot contacts may not claim one email or phone (email_taken, phone_taken)", async () => {
    const phone = "+1 212 555 0199";
    const first = await c.addContact({ firstname: "First", email: uniqueEmail("p1"), phone, lifecyclestage: "customer" });
    const second = await c.addContact({ firstname: "Second", email: uniqueEmail("p2"), phone, lifecyclestage: "customer" });
    const holderEmail = uniqueEmail("holder");
    const holder = await c.createContact({ name: "Holder", emails: [holderEmail] });
    const list = await c.createList("taken", [first, second]);
    const run = (await c.configure({ source: { kind: "list", listId: list } })) && (await c.h.latestRun(c.ws, "contacts"));
    const errors = await c.errors(run);
    expect(errors.map((e) => e.code)).toEqual(["phone_taken"]);
    expect(errors[0]).toMatchObject({ crmId: second });
    expect(await c.contactByExternalId(second)).toMatchObject({ firstName: "Second", phones: [] });

    // A linked contact whose email changes in HubSpot to one another contact holds.
    await c.patchRemote(first, { email: holderEmail, firstname: "First-Renamed" });
    const next = await c.runNow();
    expect((await c.errors(next)).map((e) => e.code)).toEqual(["email_taken"]);
    const firstLocal = await c.contactByExternalId(first);
    expect(firstLocal?.firstName).toBe("First-Renamed");
    // "Open in HubSpot": the contact's record page, from the connector, in the connected portal.
    const { portalId } = await c.h.ok<{ portalId: string }>("GET", "/api/v1/crm/hubspot/connection");
    expect(firstLocal?.externalUrl).toBe(`https://app.hubspot.com/contacts/${portalId}/record/0-1/${first}`);
    expect((await c.h.ok<{ externalUrl: string | null }>("GET", `/api/v1/contacts/${holder.id}`)).externalUrl).toBeNull();
    expect(firstLocal?.emails).not.toContain(holderEmail);
    expect((await c.h.ok<{ emails: string[] }>("GET", `/api/v1/contacts/${holder.id}`)).emails).toEqual([holderEmail]);
  });

  it("runs inbound every 24 hours while on and not paused; pausing stops runs and schedules", async () => {
    const db = c.h.t.ctx.db;
    const hubspot = c.h.t.ctx.crm.provider("hubspot");
    const schedule = inboundContactsSchedule({ workspaces: async () => (await workspacesForContactRuns(db, hubspot, "contacts")).map((workspaceId) => ({ workspaceId, provider: hubspot.id })) });
    expect(schedule.intervalMs).toBe(24 * 3600 * 1000);
    const due = await schedule.due(new Date());
    expect(due.map((j) => [j.queue, j.workspaceId])).toEqual([["contact-sync", c.ws.id]]);
    const reconcile = reconcileSchedule({ workspaces: async () => (await workspacesForContactRuns(db, hubspot, "reconcile")).map((workspaceId) => ({ workspaceId, provider: hubspot.id })) });
    expect(await reconcile.due(new Date())).toEqual([]);
    await c.configure({ paused: true });
    expect(await schedule.due(new Date())).toEqual([]);
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/run")).status).toBe(409);
    await c.configure({ paused: false });
    expect(await schedule.due(new Date())).toHaveLength(1);
  });

  it("stops at the contact limit with contact_limit_reached", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await c.addContact({ firstname: `Lim${i}`, email: uniqueEmail("limit"), lifecyclestage: "customer" }));
    const list = await c.createList("limit", ids);
    await c.h.stopWorker();
    await c.h.ok("PUT", "/api/v1/crm/hubspot/contact-sync", { source: { kind: "list", listId: list } });
    const db = c.h.t.ctx.db;
    const count = (await c.contacts()).length;
    const session = (await c.h.t.ctx.crm.open(c.ws.id, "hubspot"))!;
    const run = await transitionRun(db, (await createRun(db, { workspaceId: c.ws.id, provider: "hubspot", kind: "contacts", trigger: "manual" })).id, "running");
    const settings = await loadContactSyncSettings(db, c.ws.id, c.h.t.ctx.crm.provider("hubspot"));
    const done = await runContactSync({ db, source: session.contactSource, provider: "hubspot", crmName: "HubSpot", takeCalls: session.takeCalls, contactLimit: count + 1 }, run, settings);
    expect(done.status).toBe("failed");
    expect(done.records_created).toBe(1);
    const errors = await listRunErrors(db, c.ws.id, run.id, { limit: 10 });
    expect(errors.items.map((e) => e.code)).toEqual(["contact_limit_reached"]);
    c.h.startWorker();
  });
});
