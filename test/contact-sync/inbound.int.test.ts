// Inbound contact sync (product spec §4.1-4.3), against the emulator over HTTP, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { ContactHarness, uniqueEmail } from "./harness.ts";

describe.each(dialects)("contact sync: inbound from a list on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it("imports a list in §4.3's order, with every matching error, and stage filter at first import", async () => {
    const emails = { ann: uniqueEmail("ann"), bob: uniqueEmail("bob"), lee: uniqueEmail("lee"), kim: uniqueEmail("kim"), taken: uniqueEmail("taken") };
    // crmsync already has Kim (unlinked) and Taken (linked to another HubSpot contact).
    const kimLocal = await c.createContact({ name: "Kim Local", emails: [emails.kim], tags: ["vip"] });
    const ann = await c.addContact({ firstname: "Ann", lastname: "Lee", email: emails.ann, phone: "+1 212 555 0101", lifecyclestage: "customer" });
    const bob = await c.addContact({ firstname: "Bob", lastname: "Lead", email: emails.bob, lifecyclestage: "lead" });
    const phoneOnly = await c.addContact({ firstname: "Pho", lastname: "Ne", phone: "+44 20 7946 0958", lifecyclestage: "subscriber" });
    const noHandle = await c.addContact({ firstname: "No", lastname: "Handle", lifecyclestage: "customer" });
    const kim = await c.addContact({ firstname: "Kim", lastname: "Remote", email: emails.kim, lifecyclestage: "customer" });
    const list = await c.createList("inbound-1", [ann, bob, phoneOnly, noHandle, kim]);

    const view = await c.configure({ mode: "inbound", source: { kind: "list", listId: list } });
    expect(view.mode).toBe("inbound");
    const run = view.lastRun ?? (await c.h.latestRun(c.ws, "contacts"));
    const done = await c.h.latestRun(c.ws, "contacts");
    expect(done).toMatchObject({ provider: "hubspot", kind: "contacts", trigger: "enable", status: "partial" });
    expect(run.id).toBe(done.id);

    const annLocal = await c.contactByExternalId(ann);
    expect(annLocal).toMatchObject({ firstName: "Ann", lastName: "Lee", name: "Ann Lee", emails: [emails.ann], phones: ["+12125550101"], tags: ["lifecycle:customer"] });
    expect(await c.contactByExternalId(bob)).toBeUndefined();
    expect(await c.contactByExternalId(phoneOnly)).toMatchObject({ emails: [], phones: ["+442079460958"], tags: ["lifecycle:subscriber"] });
    expect(await c.contactByExternalId(noHandle)).toBeUndefined();
    // Matched by email: linked and updated, its own tags kept.
    expect(await c.contactByExternalId(kim)).toMatchObject({ id: kimLocal.id, firstName: "Kim", lastName: "Remote", tags: ["lifecycle:customer", "vip"] });

    const errors = await c.errors(done);
    expect(errors.map((e) => e.code).sort()).toEqual(["contact_missing_handle"]);
    expect(errors[0]).toMatchObject({ crmId: noHandle });
    expect(done.counters).toMatchObject({ read: 5, created: 2, linked: 1 });
    expect(done.crmCalls.byEndpoint).toMatchObject({ "lists.memberships.joinOrder": 1, "contacts.batch.read": 1, "lists.get": 1, "properties.contacts.list": 1 });

    // A second HubSpot contact claiming Kim's email while Kim is linked: contact_already_linked.
    // (HubSpot keeps emails unique, so the clash comes from the phone of a phone-only contact.)
    const twin = await c.addContact({ firstname: "Twin", phone: "+1 212 555 0101", lifecyclestage: "customer" });
    await c.addMembers(list, [twin]);
    const second = await c.runNow();
    expect(second.status).toBe("partial");
    const secondErrors = await c.errors(second);
    expect(secondErrors.map((e) => e.code)).toEqual(["contact_already_linked"]);
    expect(secondErrors[0]).toMatchObject({ crmId: twin, recordId: annLocal!.id });
    // Incremental: only the new member was read (no contacts.batch.read of the others).
    expect(second.counters.read).toBe(1);
  });

  it("names two HubSpot contacts claiming one phone in the same run phone_taken, not contact_already_linked", async () => {
    const first = await c.addContact({ firstname: "Sam", lastname: "First", email: uniqueEmail("sam"), phone: "+1 303 555 0147", lifecyclestage: "customer" });
    const twin = await c.addContact({ firstname: "Sam", lastname: "Twin", phone: "+1 303 555 0147", lifecyclestage: "customer" });
    const list = await c.createList("same-run-twins", [first, twin]);
    await c.configure({ mode: "inbound", source: { kind: "list", listId: list } });
    const run = await c.h.latestRun(c.ws, "contacts");
    const firstLocal = await c.contactByExternalId(first);
    expect(firstLocal).toMatchObject({ phones: ["+13035550147"] });
    expect(await c.contactByExternalId(twin)).toBeUndefined();
    const errors = await c.errors(run);
    expect(errors.map((e) => e.code)).toEqual(["phone_taken"]);
    expect(errors[0]).toMatchObject({ crmId: twin, recordId: firstLocal!.id });
    expect(errors[0]!.message).toContain(first);
    // The error links to the skipped contact's page in HubSpot (0-1: contacts).
    expect(errors[0]!.crmUrl).toMatch(new RegExp(`/record/0-1/${twin}$`));
  });

  it("counts only the list's contacts: changes elsewhere in the portal are neither read nor skipped", async () => {
    const members = [await c.addContact({ firstname: "In", lastname: "List", email: uniqueEmail("in") }), await c.addContact({ firstname: "Also", lastname: "In", email: uniqueEmail("also") })];
    const outsiders = [await c.addContact({ firstname: "Not", lastname: "Member", email: uniqueEmail("out1") }), await c.addContact({ firstname: "Nor", lastname: "This", email: uniqueEmail("out2") })];
    const list = await c.createList("two-members", members);
    await c.configure({ mode: "inbound", source: { kind: "list", listId: list }, lifecycleStages: [] });
    for (const id of outsiders) await c.patchRemote(id, { firstname: "Elsewhere" });
    await c.patchRemote(members[0]!, { firstname: "Changed" });
    const run = await c.runNow();
    expect(run.message).toContain("(incremental)");
    expect(run.counters).toMatchObject({ read: 1, skipped: 0, updated: 1 });
  });

  it("links a contact known only by one of HubSpot's additional emails instead of duplicating it", async () => {
    const emails = { old: uniqueEmail("old"), now: uniqueEmail("now"), second: uniqueEmail("second"), own: uniqueEmail("own") };
    const known = await c.createContact({ name: "Known By Old Address", emails: [emails.old] });
    const moved = await c.addContact({ firstname: "Moved", lastname: "On", email: emails.now, hs_additional_emails: emails.old, lifecyclestage: "customer" });
    const fresh = await c.addContact({ firstname: "Two", lastname: "Addresses", email: emails.own, hs_additional_emails: `${emails.second};not-an-email`, lifecyclestage: "customer" });
    const list = await c.createList("additional-emails", [moved, fresh]);
    await c.configure({ mode: "inbound", source: { kind: "list", listId: list } });
    const run = await c.h.latestRun(c.ws, "contacts");
    expect(await c.errors(run)).toEqual([]);
    expect(run.counters).toMatchObject({ read: 2, linked: 1, created: 1 });
    expect(await c.contactByExternalId(moved)).toMatchObject({ id: known.id, firstName: "Moved", emails: [emails.now, emails.old] });
    expect(await c.contactByExternalId(fresh)).toMatchObject({ emails: [emails.own, emails.second] });
    expect((await c.contacts()).filter((x) => x.emails.includes(emails.old))).toHaveLength(1);
  });

  it("applies the stage filter only at first import and keeps the stage as a tag", async () => {
    const email = uniqueEmail("stage");
    const id = await c.addContact({ firstname: "Sta", lastname: "Ge", email, lifecyclestage: "customer" });
    const list = await c.createList("stages", [id]);
    await c.configure({ source: { kind: "list", listId: list } });
    expect(await c.contactByExternalId(id)).toMatchObject({ tags: ["lifecycle:customer"] });
    await c.patchRemote(id, { lifecyclestage: "lead", lastname: "Changed" });
    const run = await c.runNow();
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(id)).toMatchObject({ lastName: "Changed", tags: ["lifecycle:lead"] });
  });

  it("keeps the crmsync contact of a deleted HubSpot contact, and an empty value never wipes", async () => {
    const email = uniqueEmail("gone");
    const id = await c.addContact({ firstname: "Gone", lastname: "Soon", email, phone: "+1 212 555 0177", lifecyclestage: "customer" });
    const other = await c.addContact({ firstname: "Clear", lastname: "Phone", email: uniqueEmail("clear"), phone: "+1 212 555 0178", lifecyclestage: "customer" });
    const list = await c.createList("deleted", [id, other]);
    await c.configure({ source: { kind: "list", listId: list } });
    const local = await c.contactByExternalId(id);
    expect(local).toBeDefined();
    await c.h.control("DELETE", `/objects/contacts/${id}`);
    await c.patchRemote(other, { phone: "" });
    const run = await c.runNow();
    expect(run.status).toBe("succeeded");
    expect(await c.contactByExternalId(id)).toMatchObject({ id: local!.id, firstName: "Gone" });
    expect(await c.contactByExternalId(other)).toMatchObject({ phones: ["+12125550178"] });
  });
});
