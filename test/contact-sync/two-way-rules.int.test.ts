// Two-way edge rules (product spec §4.4): same-person records created on both sides, merges by
// hand and in HubSpot, invalid data, the write cap, deleted HubSpot contacts, the write scope.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContactHarness, uniqueEmail } from "./harness.ts";
import { signIn } from "../support/browser-session.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("contact sync: two-way rules", () => {
  let c: ContactHarness;
  let list: string;
  beforeAll(async () => {
    c = await ContactHarness.start("sqlite");
    list = await c.createList("rules", []);
    await c.twoWay(list);
  });
  afterAll(async () => {
    await c?.close();
  });

  it("same email created in both systems seconds apart: one person, the older record canonical", async () => {
    // HubSpot first (older), then crmsync.
    const email = uniqueEmail("both");
    const h = await c.addContact({ firstname: "Hub", lastname: "Older", email });
    await sleep(20);
    const local = await c.createContact({ firstName: "Local", lastName: "Newer", emails: [email], phones: ["+12125550170"] });
    await c.h.drain();
    expect(await c.contactByExternalId(h)).toMatchObject({ id: local.id, firstName: "Hub", lastName: "Older", phones: ["+12125550170"] });
    expect((await c.remote(h)).properties).toMatchObject({ firstname: "Hub", lastname: "Older", phone: "+12125550170" });

    // crmsync first (older), then HubSpot: found by the reconcile through its list.
    const email2 = uniqueEmail("both2");
    await c.h.stopWorker();
    const older = await c.createContact({ firstName: "Local", lastName: "Older", emails: [email2] });
    await sleep(20);
    const h2 = await c.addContact({ firstname: "Hub", lastname: "Newer", email: email2, phone: "+1 212 555 0171", lifecyclestage: "customer" });
    await c.addMembers(list, [h2]);
    c.h.startWorker();
    await c.h.drain();
    await c.runNow();
    expect(await c.contactByExternalId(h2)).toMatchObject({ id: older.id, firstName: "Local", lastName: "Older", phones: ["+12125550171"] });
    expect((await c.remote(h2)).properties).toMatchObject({ firstname: "Local", lastname: "Older" });
    // One person on each side: no duplicate was created in HubSpot.
    const withEmail = c.h.emu.store.objects.contacts.records.filter((r) => r.live && r.props["email"] === email2);
    expect(withEmail).toHaveLength(1);
  });

  it("a merge by hand is remembered: later imports do not bring the duplicate back, and HubSpot keeps both", async () => {
    const a = await c.addContact({ firstname: "Dup", lastname: "One", email: uniqueEmail("dup1"), lifecyclestage: "customer" });
    const b = await c.addContact({ firstname: "Dup", lastname: "Two", email: uniqueEmail("dup2"), lifecyclestage: "customer" });
    await c.addMembers(list, [a, b]);
    await c.runNow();
    const la = (await c.contactByExternalId(a))!;
    const lb = (await c.contactByExternalId(b))!;
    await c.h.ok("POST", `/api/v1/contacts/${la.id}/merge`, { duplicateId: lb.id });
    // A full pass reads every member again.
    await c.configure({ lifecycleStages: ["customer", "lead"] });
    const run = await c.runNow();
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(b)).toBeUndefined();
    expect((await c.contacts()).filter((x) => x.emails.some((e) => e.startsWith("dup2-")))).toHaveLength(1);
    expect((await c.remote(b)).archived).toBeFalsy();
  });

  it("a merge in HubSpot merges the two crmsync contacts", async () => {
    const a = await c.addContact({ firstname: "Hm", lastname: "Primary", email: uniqueEmail("hm1"), lifecyclestage: "customer" });
    const b = await c.addContact({ firstname: "Hm", lastname: "Merged", email: uniqueEmail("hm2"), phone: "+1 212 555 0180", lifecyclestage: "customer" });
    await c.addMembers(list, [a, b]);
    await c.runNow();
    const la = (await c.contactByExternalId(a))!;
    const lb = (await c.contactByExternalId(b))!;
    await c.h.control("POST", "/objects/contacts/merge", { primaryObjectId: a, objectIdToMerge: b });
    await c.runNow();
    const merged = (await c.contactByExternalId(a))!;
    expect(merged.id).toBe(la.id);
    expect(merged.phones).toEqual(["+12125550180"]);
    expect(merged.emails).toContain(lb.emails[0]);
    expect((await c.contacts()).some((x) => x.id === lb.id)).toBe(false);
  });

  it("never sends an invalid email (invalid_email), and still pushes the rest", async () => {
    const contact = await c.createContact({ firstName: "Bad", lastName: "Mail", phones: ["+12125550190"] });
    await c.h.drain();
    // A stored email HubSpot would refuse (data from before today's validation).
    await c.h.t.database.db.insertInto("contact_emails").values({ workspace_id: c.ws.id, contact_id: contact.id, email: "bad..mail@example.com", position: 0 }).execute();
    await sleep(5);
    await c.h.t.database.db.updateTable("contacts").set({ updated_at: new Date().toISOString() }).where("id", "=", contact.id).execute();
    const run = await c.runNow();
    expect(run.status).toBe("partial");
    const errors = await c.errors(run);
    expect(errors.map((e) => e.code)).toContain("invalid_email");
    const h = (await c.h.ok<{ externalId: string | null }>("GET", `/api/v1/contacts/${contact.id}`)).externalId;
    expect(h).toBeTruthy();
    expect((await c.remote(h!)).properties.email ?? null).toBeNull();
  });

  it("caps HubSpot writes per run; the rest goes at the next run", async () => {
    await c.configure({ maxWritesPerRun: 2 });
    await c.h.stopWorker();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await c.createContact({ name: `Capped ${i}`, emails: [uniqueEmail("cap")] })).id);
    c.h.startWorker();
    await c.h.drain();
    const linked = async () => (await Promise.all(ids.map((id) => c.h.ok<{ externalId: string | null }>("GET", `/api/v1/contacts/${id}`)))).filter((x) => x.externalId !== null).length;
    expect(await linked()).toBe(2);
    const run = await c.h.latestRun(c.ws, "push");
    expect(run.message).toMatch(/cap of 2/);
    await c.runNow();
    expect(await linked()).toBe(4);
    await c.configure({ maxWritesPerRun: 10_000 });
    await c.runNow();
    expect(await linked()).toBe(5);

    // Updates past the cap stay pending too.
    await c.configure({ maxWritesPerRun: 1 });
    await c.patchContact(ids[0]!, { lastName: "Edited" });
    await c.patchContact(ids[1]!, { lastName: "Edited" });
    const remoteLast = async () => {
      const out: (string | null)[] = [];
      for (const id of ids.slice(0, 2)) out.push((await c.remote((await c.h.ok<{ externalId: string }>("GET", `/api/v1/contacts/${id}`)).externalId)).properties.lastname ?? null);
      return out.filter((v) => v === "Edited").length;
    };
    await c.runNow();
    expect(await remoteLast()).toBe(1);
    await c.runNow();
    expect(await remoteLast()).toBe(2);
    await c.configure({ maxWritesPerRun: 10_000 });
  });

  it("a contact deleted in HubSpot stops syncing; the crmsync contact stays and is not pushed again", async () => {
    const created = await c.createContact({ firstName: "Will", lastName: "Go", emails: [uniqueEmail("del")] });
    await c.h.drain();
    const h = (await c.h.ok<{ externalId: string }>("GET", `/api/v1/contacts/${created.id}`)).externalId;
    await c.h.control("DELETE", `/objects/contacts/${h}`);
    await c.patchContact(created.id, { lastName: "Stays" });
    const before = c.liveContactCount();
    const run = await c.runNow();
    expect(await c.errors(run)).toEqual([]);
    expect(run.status).toBe("succeeded");
    expect(c.liveContactCount()).toBe(before);
    expect(await c.h.ok("GET", `/api/v1/contacts/${created.id}`)).toMatchObject({ lastName: "Stays", externalId: h });
    // Still archived in HubSpot, not recreated: no live contact holds it.
    expect(c.h.emu.store.objects.contacts.get(Number(h))?.archived).toBe(true);
  });
});

describe("contact sync: two-way needs the contacts write scope", () => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start("sqlite");
  });
  afterAll(async () => {
    await c?.close();
  });

  it("answers 409 naming the missing scope for an OAuth connection without it", async () => {
    const ws = c.h.t.b;
    const browser = await signIn(c.h.t, ws.adminEmail);
    const { authorizeUrl } = (await browser.request("POST", "/api/v1/crm/hubspot/oauth/start")).json<{ authorizeUrl: string }>();
    const approved = await fetch(authorizeUrl, { redirect: "manual" });
    const back = new URL(approved.headers.get("location")!);
    const callback = await browser.request("GET", `/api/v1/crm/hubspot/oauth/callback${back.search}`);
    expect(callback.headers["location"]).toContain("connected=1");
    const list = await c.createList("scopes", []);
    const res = await c.h.api<{ error: { code: string; message: string; details: { missingScopes: string[] } } }>(
      "PUT",
      "/api/v1/crm/hubspot/contact-sync",
      { mode: "two_way", source: { kind: "list", listId: list } },
      ws.adminToken,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.details.missingScopes).toEqual(["crm.objects.contacts.write"]);
    expect(res.body.error.message).toContain("crm.objects.contacts.write");
    // Inbound needs only read scopes.
    const inbound = await c.h.api("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound", source: { kind: "list", listId: list } }, ws.adminToken);
    expect(inbound.status).toBe(200);
  });
});

describe("contact sync: from inbound to two-way", () => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start("sqlite");
  });
  afterAll(async () => {
    await c?.close();
  });

  it("the confirmed first reconcile is the full pass the preview showed, even right after an inbound run", async () => {
    const remote = await c.addContact({ firstname: "In", lastname: "Bound", email: uniqueEmail("inbound"), lifecyclestage: "customer" });
    const list = await c.createList("inbound-then-two-way", [remote]);
    await c.configure({ mode: "inbound", source: { kind: "list", listId: list }, lifecycleStages: [] });
    expect(await c.h.latestRun(c.ws, "contacts")).toMatchObject({ status: "succeeded", message: expect.stringContaining("(full)") });
    const local = await c.createContact({ name: "Only Here", emails: [uniqueEmail("only-here")] });

    // Only the mode changes: what contact sync reads stays the same.
    await c.configure({ mode: "two_way" });
    const preview = await c.preview();
    expect(preview.crm.create).toBe(1);
    const first = await c.confirm();
    expect(first).toMatchObject({ status: "succeeded", message: expect.stringContaining("Reconcile (full)") });
    expect(first.counters.read).toBe(1);
    expect((await c.h.ok<{ externalId: string | null }>("GET", `/api/v1/contacts/${local.id}`)).externalId).toBeTruthy();
  });
});
