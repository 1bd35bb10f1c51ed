import { describe, expect, it } from "vitest";
import { mergeContacts, type MergeableContact } from "./contact-merge.ts";

const empty: MergeableContact = {
  name: "",
  firstName: null,
  lastName: null,
  emails: [],
  phones: [],
  customerId: null,
  tags: [],
  externalId: null,
  lastSyncedAt: null,
};

const contact = (values: Partial<MergeableContact>): MergeableContact => ({ ...empty, ...values });

describe("mergeContacts", () => {
  it("never overwrites a survivor value, and fills only the empty ones", () => {
    const survivor = contact({ name: "Ann Lee", firstName: "Ann", lastName: null, customerId: "cust-1" });
    const duplicate = contact({ name: "Annie L.", firstName: "Annie", lastName: "Lee", customerId: "cust-2" });
    const { merged, changed } = mergeContacts(survivor, duplicate);
    expect(merged).toMatchObject({ name: "Ann Lee", firstName: "Ann", lastName: "Lee", customerId: "cust-1" });
    expect(changed).toEqual(["lastName"]);
  });

  it("treats a blank name as empty and takes the duplicate's", () => {
    const { merged, changed } = mergeContacts(contact({ name: "  " }), contact({ name: "Bo" }));
    expect(merged.name).toBe("Bo");
    expect(changed).toEqual(["name"]);
  });

  it("keeps an empty duplicate value from wiping anything", () => {
    const survivor = contact({ name: "Ann", firstName: "Ann", customerId: "c", emails: ["a@x.com"] });
    const { merged, changed } = mergeContacts(survivor, contact({}));
    expect(merged).toMatchObject({ name: "Ann", firstName: "Ann", customerId: "c", emails: ["a@x.com"] });
    expect(changed).toEqual([]);
  });

  it("moves every handle and tag, survivor's first and without repeats", () => {
    const survivor = contact({ emails: ["a@x.com", "b@x.com"], phones: ["+14155550100"], tags: ["vip"] });
    const duplicate = contact({ emails: ["b@x.com", "c@x.com"], phones: ["+14155550101", "+14155550100"], tags: ["customer", "vip"] });
    const { merged, changed } = mergeContacts(survivor, duplicate);
    expect(merged.emails).toEqual(["a@x.com", "b@x.com", "c@x.com"]);
    expect(merged.phones).toEqual(["+14155550100", "+14155550101"]);
    expect(merged.tags).toEqual(["vip", "customer"]);
    // The primary email and phone stay the survivor's: their change times (weighed by two-way
    // sync against the CRM's) do not move; the tags' do.
    expect(changed).toEqual(["tags"]);
  });

  it("moves the change time of emails and phones when the survivor had none and takes the duplicate's", () => {
    const { merged, changed } = mergeContacts(contact({ emails: ["a@x.com"] }), contact({ emails: ["b@x.com"], phones: ["+14155550101"] }));
    expect(merged.phones).toEqual(["+14155550101"]);
    expect(changed).toEqual(["phones"]);
  });

  it("keeps the survivor's external id and reports the duplicate's as dropped", () => {
    const outcome = mergeContacts(
      contact({ externalId: "101", lastSyncedAt: "2026-01-01T00:00:00.000Z" }),
      contact({ externalId: "202", lastSyncedAt: "2026-02-01T00:00:00.000Z" }),
    );
    expect(outcome.merged.externalId).toBe("101");
    expect(outcome.merged.lastSyncedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(outcome.droppedExternalId).toBe("202");
  });

  it("takes the duplicate's external id (and its sync time) when the survivor has none", () => {
    const outcome = mergeContacts(contact({}), contact({ externalId: "202", lastSyncedAt: "2026-02-01T00:00:00.000Z" }));
    expect(outcome.merged.externalId).toBe("202");
    expect(outcome.merged.lastSyncedAt).toBe("2026-02-01T00:00:00.000Z");
    expect(outcome.droppedExternalId).toBeNull();
  });

  it("drops nothing when neither is linked", () => {
    expect(mergeContacts(contact({}), contact({})).droppedExternalId).toBeNull();
  });

  it("does not mutate its inputs", () => {
    const survivor = contact({ emails: ["a@x.com"] });
    const duplicate = contact({ emails: ["b@x.com"] });
    mergeContacts(survivor, duplicate);
    expect(survivor.emails).toEqual(["a@x.com"]);
    expect(duplicate.emails).toEqual(["b@x.com"]);
  });
});
