import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../../test/support/databases.ts";
import { AppError } from "../../core/errors.ts";
import { createWorkspace } from "./workspaces.ts";
import {
  contactIdsByHandles,
  countContacts,
  createContact,
  deleteContact,
  findContactByHandle,
  getContact,
  getContactByExternalId,
  insertContacts,
  linkExternalId,
  listContacts,
  listContactsByExternalIds,
  mergeContacts,
  mergedAwayExternalIds,
  prepareContact,
  updateContact,
  wasMergedAway,
} from "./contacts.ts";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(dialects)("contacts repository on %s", (dialect) => {
  let database: TestDatabase;
  let ws: string;
  let other: string;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ws = (await createWorkspace(database.db, "one")).id;
    other = (await createWorkspace(database.db, "two")).id;
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("contact_merges").execute();
    await database.db.deleteFrom("contacts").execute();
  });

  it("stamps given per-field change times and marks sync writes as synced", async () => {
    const contact = await createContact(
      database.db,
      ws,
      { firstName: "Ann", lastName: "Lee", emails: ["ann@example.com"] },
      { source: "sync", externalId: "hs-1", changedAt: { firstName: "2026-01-01T00:00:00.000Z", emails: "2026-01-02T00:00:00.000Z" } },
    );
    expect(contact.fieldChangedAt).toEqual({
      name: contact.createdAt,
      firstName: "2026-01-01T00:00:00.000Z",
      lastName: contact.createdAt,
      emails: "2026-01-02T00:00:00.000Z",
    });
    expect(contact.externalId).toBe("hs-1");
    expect(contact.lastSyncedAt).not.toBeNull();
    expect(await getContact(database.db, ws, contact.id)).toEqual(contact);

    const updated = await updateContact(database.db, ws, contact.id, { lastName: "Smith", emails: ["ann@example.com"] }, { changedAt: "2026-03-01T00:00:00.000Z" });
    expect(updated.fieldChangedAt).toEqual({
      name: "2026-03-01T00:00:00.000Z",
      firstName: "2026-01-01T00:00:00.000Z",
      lastName: "2026-03-01T00:00:00.000Z",
      emails: "2026-01-02T00:00:00.000Z",
    });
    expect(await getContact(database.db, ws, contact.id)).toEqual(updated);

    // A secondary email leaves the primary, the value a CRM holds, as it was: no new change time.
    const secondary = await updateContact(database.db, ws, contact.id, { emails: ["ann@example.com", "ann@work.example"] }, { changedAt: "2026-04-01T00:00:00.000Z" });
    expect(secondary.emails).toEqual(["ann@example.com", "ann@work.example"]);
    expect(secondary.fieldChangedAt.emails).toBe("2026-01-02T00:00:00.000Z");
    const primary = await updateContact(database.db, ws, contact.id, { emails: ["ann@work.example", "ann@example.com"] }, { changedAt: "2026-05-01T00:00:00.000Z" });
    expect(primary.fieldChangedAt.emails).toBe("2026-05-01T00:00:00.000Z");
  });

  it("a sync write that changes nothing only moves lastSyncedAt", async () => {
    const contact = await createContact(database.db, ws, { name: "Bo", emails: ["bo@example.com"] });
    expect(contact.lastSyncedAt).toBeNull();
    const synced = await updateContact(database.db, ws, contact.id, { name: "Bo" }, { source: "sync" });
    expect(synced.lastSyncedAt).not.toBeNull();
    expect({ ...synced, lastSyncedAt: null }).toEqual(contact);
    expect(await getContact(database.db, ws, contact.id)).toEqual(synced);
  });

  it("finds contacts by external id, one or many, within the workspace only", async () => {
    const a = await createContact(database.db, ws, { name: "A" }, { externalId: "hs-a" });
    const b = await createContact(database.db, ws, { name: "B" }, { externalId: "hs-b" });
    await createContact(database.db, other, { name: "C" }, { externalId: "hs-c" });
    expect((await getContactByExternalId(database.db, ws, "hs-a"))?.id).toBe(a.id);
    expect(await getContactByExternalId(database.db, ws, "hs-c")).toBeUndefined();
    const many = await listContactsByExternalIds(database.db, ws, ["hs-a", "hs-b", "hs-c", "hs-missing", "hs-a"]);
    expect([...many.keys()].sort()).toEqual(["hs-a", "hs-b"]);
    expect(many.get("hs-b")).toEqual(b);
    const big = await listContactsByExternalIds(database.db, ws, Array.from({ length: 1200 }, (_, i) => `hs-${i}`).concat("hs-b"));
    expect([...big.keys()]).toEqual(["hs-b"]);
  });

  it("finds a contact by any spelling of a handle, email first", async () => {
    const byEmail = await createContact(database.db, ws, { name: "E", emails: ["e@example.com"] });
    const byPhone = await createContact(database.db, ws, { name: "P", phones: ["+14155550100"] });
    await createContact(database.db, other, { name: "X", emails: ["x@example.com"] });
    expect((await findContactByHandle(database.db, ws, { email: " E@Example.com " }))?.id).toBe(byEmail.id);
    expect((await findContactByHandle(database.db, ws, { phone: "+1 415 555 0100" }))?.id).toBe(byPhone.id);
    expect((await findContactByHandle(database.db, ws, { email: "e@example.com", phone: "+14155550100" }))?.id).toBe(byEmail.id);
    expect((await findContactByHandle(database.db, ws, { email: "nobody@example.com", phone: "+14155550100" }))?.id).toBe(byPhone.id);
    expect(await findContactByHandle(database.db, ws, { email: "not an email", phone: "nope" })).toBeUndefined();
    expect(await findContactByHandle(database.db, ws, { email: "x@example.com" })).toBeUndefined();
    expect(await findContactByHandle(database.db, ws, {})).toBeUndefined();

    const held = await contactIdsByHandles(database.db, ws, { emails: ["e@example.com", "x@example.com"], phones: ["+14155550100"] });
    expect([...held.emails]).toEqual([["e@example.com", byEmail.id]]);
    expect([...held.phones]).toEqual([["+14155550100", byPhone.id]]);
  });

  it("links and unlinks an external id, one CRM contact to one contact", async () => {
    const a = await createContact(database.db, ws, { name: "A" });
    const b = await createContact(database.db, ws, { name: "B" });
    const linked = await linkExternalId(database.db, ws, a.id, "hs-1", { syncedAt: "2026-05-01T00:00:00.000Z" });
    expect(linked).toMatchObject({ externalId: "hs-1", lastSyncedAt: "2026-05-01T00:00:00.000Z", updatedAt: a.updatedAt });
    expect(await getContact(database.db, ws, a.id)).toEqual(linked);
    const clash = await rejection(linkExternalId(database.db, ws, b.id, "hs-1"));
    expect(clash.code).toBe("conflict");
    expect(clash.details).toEqual({ externalId: "hs-1", contactId: a.id });
    expect(await rejection(createContact(database.db, ws, { name: "C" }, { externalId: "hs-1" }))).toMatchObject({ code: "conflict" });
    expect((await linkExternalId(database.db, ws, a.id, null)).externalId).toBeNull();
    expect((await linkExternalId(database.db, ws, b.id, "hs-1")).externalId).toBe("hs-1");
    expect((await rejection(linkExternalId(database.db, other, b.id, "hs-2"))).code).toBe("not_found");
  });

  it("concurrent creates of one email: exactly one wins, the others get email_taken", async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => createContact(database.db, ws, { name: `R${i}`, emails: ["race@example.com"] })));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect(["email_taken", "conflict"]).toContain((r.reason as AppError).code);
    }
    expect(await countContacts(database.db, ws)).toBe(1);
  });

  it("stores a batch of new contacts with their handles and tags, in time order of their ids", async () => {
    const batch = [
      prepareContact({ firstName: "Ann", emails: ["Ann@Example.com"], tags: ["customer"] }, { source: "sync", externalId: "hs-1" }),
      prepareContact({ firstName: "Bob", phones: ["+1 415 555 0100"], tags: ["lead", "vip"] }, { source: "sync", externalId: "hs-2" }),
      prepareContact({ name: "Cy" }),
    ];
    const stored = await insertContacts(database.db, ws, batch);
    expect(stored.map((c) => c.id)).toEqual(batch.map((b) => b.record.id));
    expect([...stored.map((c) => c.id)].sort()).toEqual(stored.map((c) => c.id));
    const bob = await getContactByExternalId(database.db, ws, "hs-2");
    expect(bob).toMatchObject({ name: "Bob", phones: ["+14155550100"], tags: ["lead", "vip"], externalId: "hs-2" });
    expect(await findContactByHandle(database.db, ws, { email: "ann@example.com" })).toMatchObject({ id: batch[0]!.record.id, tags: ["customer"] });
    expect(await countContacts(database.db, ws)).toBe(3);
  });

  it("a batch that claims a handle twice, or one already held, stores none of its contacts", async () => {
    await createContact(database.db, ws, { name: "Held", emails: ["held@example.com"] });
    const twice = await rejection(
      insertContacts(database.db, ws, [prepareContact({ name: "One", emails: ["same@example.com"] }), prepareContact({ name: "Two", emails: ["same@example.com"] })]),
    );
    expect(twice.code).toBe("email_taken");
    const held = await rejection(insertContacts(database.db, ws, [prepareContact({ name: "Three", phones: ["+14155550199"] }), prepareContact({ name: "Four", emails: ["held@example.com"] })]));
    expect(held.code).toBe("email_taken");
    const linkedTwice = await rejection(
      insertContacts(database.db, ws, [prepareContact({ name: "Five" }, { externalId: "hs-9" }), prepareContact({ name: "Six" }, { externalId: "hs-9" })]),
    );
    expect(linkedTwice.code).toBe("conflict");
    const noCustomer = await rejection(insertContacts(database.db, ws, [prepareContact({ name: "Seven", customerId: "no-such-customer" })]));
    expect(noCustomer.code).toBe("not_found");
    expect((await listContacts(database.db, ws)).items.map((c) => c.name)).toEqual(["Held"]);
  });

  it("joins a caller's transaction, so the caller's rollback undoes the write", async () => {
    await database.db
      .transaction()
      .execute(async (tx) => {
        await createContact(tx, ws, { name: "In tx", emails: ["tx@example.com"] });
        expect(await countContacts(tx, ws)).toBe(1);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(await countContacts(database.db, ws)).toBe(0);
  });

  it("records merges so an import can skip the merged-away CRM contact", async () => {
    const survivor = await createContact(database.db, ws, { name: "S", emails: ["s@example.com"] }, { externalId: "hs-s" });
    const duplicate = await createContact(database.db, ws, { name: "D", emails: ["d@example.com"], phones: ["+14155550111"] }, { externalId: "hs-d" });
    const merged = await mergeContacts(database.db, ws, survivor.id, duplicate.id, { mergedAt: "2026-06-01T00:00:00.000Z" });
    expect(merged).toMatchObject({ externalId: "hs-s", emails: ["s@example.com", "d@example.com"], phones: ["+14155550111"] });
    // The phone is new to the survivor; its primary email is not (a secondary was added).
    expect(merged.fieldChangedAt).toMatchObject({ emails: survivor.fieldChangedAt.emails, phones: "2026-06-01T00:00:00.000Z", name: survivor.fieldChangedAt.name });
    expect(await getContact(database.db, ws, survivor.id)).toEqual(merged);
    expect(await getContact(database.db, ws, duplicate.id)).toBeUndefined();
    expect(await wasMergedAway(database.db, ws, "hs-d")).toBe(true);
    expect(await wasMergedAway(database.db, ws, "hs-s")).toBe(false);
    expect(await wasMergedAway(database.db, other, "hs-d")).toBe(false);
    expect([...(await mergedAwayExternalIds(database.db, ws, ["hs-d", "hs-s", "hs-x"]))]).toEqual(["hs-d"]);
    expect((await findContactByHandle(database.db, ws, { email: "d@example.com" }))?.id).toBe(survivor.id);
  });

  it("a failed merge changes nothing", async () => {
    const a = await createContact(database.db, ws, { name: "A", emails: ["a@example.com"] });
    const elsewhere = await createContact(database.db, other, { name: "B", emails: ["b@example.com"] });
    expect((await rejection(mergeContacts(database.db, ws, a.id, elsewhere.id))).code).toBe("not_found");
    expect((await rejection(mergeContacts(database.db, ws, a.id, a.id))).code).toBe("conflict");
    expect(await getContact(database.db, ws, a.id)).toEqual(a);
    expect(await getContact(database.db, other, elsewhere.id)).toEqual(elsewhere);
    expect(await database.db.selectFrom("contact_merges").selectAll().execute()).toEqual([]);
  });

  it("deletes within the workspace only, with the contact's custom field values", async () => {
    const a = await createContact(database.db, ws, { name: "A", emails: ["a@example.com"] });
    const now = new Date().toISOString();
    const fieldId = `field-${dialect}`;
    await database.db
      .insertInto("custom_fields")
      .values({ id: fieldId, workspace_id: ws, entity: "contact", key: `k${Date.now()}`, label: "K", type: "text", options: "[]", sync_provider: null, sync_object: null, sync_property: null, sync_property_type: null, position: 0, created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await database.db.insertInto("field_values").values({ workspace_id: ws, field_id: fieldId, entity_id: a.id, text_value: "v", number_value: null, updated_at: now }).execute();
    expect(await deleteContact(database.db, other, a.id)).toBe(false);
    expect(await deleteContact(database.db, ws, a.id)).toBe(true);
    expect(await deleteContact(database.db, ws, a.id)).toBe(false);
    expect(await database.db.selectFrom("contact_emails").selectAll().where("contact_id", "=", a.id).execute()).toEqual([]);
    expect(await database.db.selectFrom("field_values").selectAll().where("entity_id", "=", a.id).execute()).toEqual([]);
  });

  it("rejects a cursor that does not fit the sort", async () => {
    const bad = Buffer.from(JSON.stringify([5, "x"])).toString("base64url");
    expect((await rejection(listContacts(database.db, ws, { cursor: bad }))).code).toBe("invalid_cursor");
  });
});
