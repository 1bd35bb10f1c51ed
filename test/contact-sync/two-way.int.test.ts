// Two-way contact sync (product spec §4.4): preview and confirm, on-create push, reconcile with
// per-field last-writer-wins, no echo, empty never wipes, same-person merges, merges remembered,
// write cap, invalid data never sent, nothing ever deleted in HubSpot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContactHarness, uniqueEmail } from "./harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("contact sync: two-way", () => {
  let c: ContactHarness;
  let list: string;
  beforeAll(async () => {
    c = await ContactHarness.start("sqlite");
  });
  afterAll(async () => {
    // crmsync never deletes (nor archives) a HubSpot record.
    const counts = c?.h.counters().endpoints ?? {};
    expect(counts["contacts.archive"] ?? 0).toBe(0);
    expect(counts["contacts.batch.archive"] ?? 0).toBe(0);
    expect(counts["contacts.merge"] ?? 0).toBe(0);
    await c?.close();
  });

  it("writes nothing to HubSpot before a preview is confirmed; the preview shows what the first reconcile does", async () => {
    const remoteEmail = uniqueEmail("remote");
    const localEmail = uniqueEmail("local");
    const remote = await c.addContact({ firstname: "Rem", lastname: "Ote", email: remoteEmail, lifecyclestage: "lead" });
    list = await c.createList("two-way", [remote]);
    const local = await c.createContact({ firstName: "Lo", lastName: "Cal", emails: [localEmail], phones: ["+12125550140"] });

    const view = await c.configure({ mode: "two_way", source: { kind: "list", listId: list }, lifecycleStages: [] });
    expect(view).toMatchObject({ mode: "two_way", needsConfirmation: true, confirmedAt: null });
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/run")).status).toBe(409);
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/confirm")).status).toBe(409);
    // A contact created now is not pushed: nothing goes to HubSpot before confirmation.
    await c.createContact({ name: "Early Bird", emails: [uniqueEmail("early")] });
    await c.h.drain();

    c.h.resetCounters();
    const before = c.liveContactCount();
    const preview = await c.preview();
    expect(preview.stoppedBy).toBeNull();
    expect(preview.crm.create).toBeGreaterThanOrEqual(2);
    expect(preview.local.create).toBe(1);
    expect(preview.sample.some((s) => s.action === "create_in_crm" && s.contactId === local.id)).toBe(true);
    expect(preview.sample.some((s) => s.action === "create_here" && s.crmId === remote)).toBe(true);
    // A dry run: reads only.
    const writes = Object.entries(c.h.counters().endpoints).filter(([k, n]) => n > 0 && /create|update|upsert|archive|merge/.test(k));
    expect(writes).toEqual([]);
    expect(c.liveContactCount()).toBe(before);
    expect(await c.contactByExternalId(remote)).toBeUndefined();
    expect((await c.h.api("POST", "/api/v1/crm/hubspot/contact-sync/preview", undefined, c.ws.memberToken)).status).toBe(403);

    const first = await c.confirm();
    expect(first).toMatchObject({ kind: "reconcile", trigger: "enable", status: "succeeded" });
    const pushed = await c.contactByEmail(localEmail);
    expect(pushed?.externalId).toBeTruthy();
    expect((await c.remote(pushed!.externalId!)).properties).toMatchObject({ firstname: "Lo", lastname: "Cal", email: localEmail, phone: "+12125550140" });
    expect(await c.contactByExternalId(remote)).toMatchObject({ firstName: "Rem", lastName: "Ote" });
    expect(first.crmCalls.byEndpoint["contacts.batch.create"]).toBe(1);
  });

  it("pushes a contact created in crmsync within seconds (durable job, kind push, trigger create)", async () => {
    const email = uniqueEmail("oncreate");
    const created = await c.createContact({ firstName: "New", lastName: "Person", emails: [email] });
    await c.h.drain();
    const run = await c.h.latestRun(c.ws, "push");
    expect(run).toMatchObject({ kind: "push", trigger: "create", status: "succeeded" });
    const after = await c.contactByEmail(email);
    expect(after?.id).toBe(created.id);
    expect(after?.externalId).toBeTruthy();
    expect((await c.remote(after!.externalId!)).properties).toMatchObject({ email, firstname: "New", lastname: "Person" });
  });

  it("settles each field on its own: the latest edit wins, on either side", async () => {
    const email = uniqueEmail("lww");
    const h = await c.addContact({ firstname: "Alpha", lastname: "Beta", email, phone: "+1 212 555 0150", lifecyclestage: "customer" });
    await c.addMembers(list, [h]);
    await c.runNow();
    const local = (await c.contactByExternalId(h))!;
    // HubSpot edits the first name, then crmsync the last name: both survive.
    await c.patchRemote(h, { firstname: "Remote-First" });
    await sleep(5);
    await c.patchContact(local.id, { lastName: "Local-Last" });
    // The same field on both sides: the later edit wins (crmsync's here).
    await c.patchRemote(h, { phone: "+1 212 555 0151" });
    await sleep(5);
    await c.patchContact(local.id, { phones: ["+12125550152"] });
    const run = await c.runNow();
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(h)).toMatchObject({ firstName: "Remote-First", lastName: "Local-Last", phones: ["+12125550152"] });
    expect((await c.remote(h)).properties).toMatchObject({ firstname: "Remote-First", lastname: "Local-Last", phone: "+12125550152" });

    // And the other way round: HubSpot's later edit of the same field wins.
    await c.patchContact(local.id, { lastName: "Local-Again" });
    await sleep(5);
    await c.patchRemote(h, { lastname: "Remote-Later" });
    await c.runNow();
    expect(await c.contactByExternalId(h)).toMatchObject({ lastName: "Remote-Later" });
    expect((await c.remote(h)).properties.lastname).toBe("Remote-Later");
  });

  it("takes an edit made only in HubSpot without reading its property history, even with HubSpot's clock behind", async () => {
    const email = uniqueEmail("remote-only");
    const h = await c.addContact({ firstname: "Only", lastname: "Remote", email, lifecyclestage: "customer" });
    await c.addMembers(list, [h]);
    await c.runNow();
    // HubSpot's clock an hour behind crmsync's: its change time looks older than crmsync's values.
    c.h.emu.store.clock.advance(-60 * 60_000);
    try {
      await c.patchRemote(h, { lastname: "Edited-In-HubSpot" });
      c.h.resetCounters();
      const run = await c.runNow();
      expect(run.status).toBe("succeeded");
      expect(await c.contactByExternalId(h)).toMatchObject({ lastName: "Edited-In-HubSpot" });
      expect((await c.remote(h)).properties.lastname).toBe("Edited-In-HubSpot");
      // The change came with the search; no batch read (with or without history) was needed.
      expect(c.h.counters().endpoints["contacts.batch.read"] ?? 0).toBe(0);
      expect(c.h.counters().endpoints["contacts.batch.update"] ?? 0).toBe(0);
    } finally {
      c.h.emu.store.clock.advance(60 * 60_000);
    }
  });

  it("pushes an edit made only in crmsync without reading HubSpot's property history, even with HubSpot's clock ahead", async () => {
    const email = uniqueEmail("local-only");
    // HubSpot's clock an hour ahead of crmsync's: the history time of its (unchanged) last name
    // looks newer than crmsync's edit.
    c.h.emu.store.clock.advance(60 * 60_000);
    try {
      const h = await c.addContact({ firstname: "Only", lastname: "Local", email, lifecyclestage: "customer" });
      await c.addMembers(list, [h]);
      await c.runNow();
      const local = (await c.contactByExternalId(h))!;
      await c.patchContact(local.id, { lastName: "Edited-In-Crmsync" });
      c.h.resetCounters();
      const run = await c.runNow();
      expect(run.status).toBe("succeeded");
      expect((await c.remote(h)).properties.lastname).toBe("Edited-In-Crmsync");
      expect(await c.contactByExternalId(h)).toMatchObject({ lastName: "Edited-In-Crmsync" });
      // One batch read (the contact as HubSpot holds it now), no second one for its history.
      expect(c.h.counters().endpoints["contacts.batch.read"] ?? 0).toBe(1);
      expect(c.h.counters().endpoints["contacts.batch.update"] ?? 0).toBe(1);
    } finally {
      c.h.emu.store.clock.advance(-60 * 60_000);
    }
  });

  it("never wipes a value with an empty one, on either side", async () => {
    const email = uniqueEmail("empty");
    const h = await c.addContact({ firstname: "Em", lastname: "Pty", email, phone: "+1 212 555 0160", lifecyclestage: "customer" });
    await c.addMembers(list, [h]);
    await c.runNow();
    const local = (await c.contactByExternalId(h))!;
    await sleep(5);
    await c.patchRemote(h, { phone: "" });
    await c.patchContact(local.id, { lastName: null });
    await c.runNow();
    expect(await c.contactByExternalId(h)).toMatchObject({ phones: ["+12125550160"], lastName: "Pty" });
    expect((await c.remote(h)).properties).toMatchObject({ phone: "+12125550160", lastname: "Pty" });
  });

  it("does not take its own writes back as HubSpot edits (no echo), even with HubSpot's clock ahead", async () => {
    const email = uniqueEmail("echo");
    const created = await c.createContact({ firstName: "Echo", lastName: "One", emails: [email] });
    await c.h.drain();
    const h = (await c.contactByEmail(email))!.externalId!;
    // HubSpot's clock runs 10 minutes ahead of crmsync's: its history time of crmsync's push is
    // later than crmsync's next edit, which must still win.
    c.h.emu.store.clock.advance(10 * 60_000);
    try {
      await c.patchContact(created.id, { lastName: "Two" });
      await c.runNow();
      expect((await c.remote(h)).properties.lastname).toBe("Two");
      await c.patchContact(created.id, { lastName: "Three" });
      const run = await c.runNow();
      expect((await c.remote(h)).properties.lastname).toBe("Three");
      expect(await c.contactByExternalId(h)).toMatchObject({ lastName: "Three" });
      expect(run.status).toBe("succeeded");
      // Nothing changed since: the next reconcile writes nothing anywhere.
      c.h.resetCounters();
      const quiet = await c.runNow();
      expect(quiet.counters).toMatchObject({ created: 0, updated: 0 });
      expect(c.h.counters().endpoints["contacts.batch.update"] ?? 0).toBe(0);
    } finally {
      c.h.emu.store.clock.advance(-10 * 60_000);
    }
  });
});
