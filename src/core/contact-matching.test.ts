import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  crmAdditionalEmails,
  crmEmail,
  crmPhone,
  handleClashes,
  matchCrmContact,
  stageAllowed,
  withLifecycleTag,
  withPrimary,
  type ContactRef,
  type CrmContactFacts,
  type MatchLookups,
  type MatchOptions,
} from "./contact-matching.ts";

interface World {
  contacts: ContactRef[];
  emails: Record<string, string>;
  phones: Record<string, string>;
  merged?: string[];
}

function lookups(world: World): MatchLookups {
  const byId = new Map(world.contacts.map((c) => [c.id, c]));
  return {
    byExternalId: (crmId) => world.contacts.find((c) => c.externalId === crmId),
    byEmail: (email) => (world.emails[email] ? byId.get(world.emails[email]) : undefined),
    byPhone: (phone) => (world.phones[phone] ? byId.get(world.phones[phone]) : undefined),
    mergedAway: (crmId) => (world.merged ?? []).includes(crmId),
  };
}

const options: MatchOptions = { emailHandle: true, phoneHandle: true, lifecycleStages: ["customer", "subscriber"] };
const crm = (facts: Partial<CrmContactFacts>): CrmContactFacts => ({ id: "h1", email: "ann@acme.com", phone: null, lifecycleStage: "customer", ...facts });

describe("matchCrmContact (§4.3 order)", () => {
  it("1. updates the contact whose external id is the CRM id, whatever its handles and stage", () => {
    const world: World = { contacts: [{ id: "c1", externalId: "h1" }, { id: "c2", externalId: null }], emails: { "ann@acme.com": "c2" }, phones: {} };
    expect(matchCrmContact(crm({ lifecycleStage: "lead", email: null }), lookups(world), options)).toEqual({ kind: "update", contactId: "c1" });
  });

  it("never brings back a CRM contact whose crmsync record was merged away", () => {
    const world: World = { contacts: [], emails: {}, phones: {}, merged: ["h1"] };
    expect(matchCrmContact(crm({}), lookups(world), options)).toEqual({ kind: "skip", reason: "merged_away" });
  });

  it("skips a contact with no email and no phone (contact_missing_handle)", () => {
    expect(matchCrmContact(crm({ email: null, phone: null }), lookups({ contacts: [], emails: {}, phones: {} }), options)).toEqual({ kind: "error", code: "contact_missing_handle" });
  });

  it("applies the lifecycle filter at first import only", () => {
    const none: World = { contacts: [], emails: {}, phones: {} };
    expect(matchCrmContact(crm({ lifecycleStage: "lead" }), lookups(none), options)).toEqual({ kind: "skip", reason: "lifecycle_stage" });
    expect(matchCrmContact(crm({ lifecycleStage: "Customer" }), lookups(none), options)).toEqual({ kind: "create" });
    expect(matchCrmContact(crm({ lifecycleStage: null }), lookups(none), options)).toEqual({ kind: "skip", reason: "lifecycle_stage" });
    expect(matchCrmContact(crm({ lifecycleStage: "lead" }), lookups(none), { ...options, lifecycleStages: [] })).toEqual({ kind: "create" });
  });

  it("2. links an unlinked contact sharing the email, or logs contact_already_linked", () => {
    const world: World = { contacts: [{ id: "c1", externalId: null }], emails: { "ann@acme.com": "c1" }, phones: {} };
    expect(matchCrmContact(crm({}), lookups(world), options)).toEqual({ kind: "link", contactId: "c1", via: "email" });
    world.contacts[0] = { id: "c1", externalId: "h9" };
    expect(matchCrmContact(crm({}), lookups(world), options)).toEqual({ kind: "error", code: "contact_already_linked", contactId: "c1", linkedTo: "h9", via: "email" });
  });

  it("2. links by an additional email when the primary matches nobody, never one linked elsewhere", () => {
    const world: World = { contacts: [{ id: "c1", externalId: null }, { id: "c2", externalId: "h7" }], emails: { "old@acme.com": "c1", "other@acme.com": "c2" }, phones: {} };
    expect(matchCrmContact(crm({ additionalEmails: ["old@acme.com"] }), lookups(world), options)).toEqual({ kind: "link", contactId: "c1", via: "email" });
    expect(matchCrmContact(crm({ additionalEmails: ["other@acme.com"] }), lookups(world), options)).toEqual({ kind: "create" });
    // The primary email comes first.
    world.emails["ann@acme.com"] = "c2";
    expect(matchCrmContact(crm({ additionalEmails: ["old@acme.com"] }), lookups(world), options)).toMatchObject({ kind: "error", code: "contact_already_linked", contactId: "c2" });
    expect(matchCrmContact(crm({ additionalEmails: ["old@acme.com"] }), lookups(world), { ...options, emailHandle: false })).toEqual({ kind: "create" });
  });

  it("2. matches on the phone when the email matches nobody", () => {
    const world: World = { contacts: [{ id: "c1", externalId: null }], emails: {}, phones: { "+12125550100": "c1" } };
    expect(matchCrmContact(crm({ phone: "+12125550100" }), lookups(world), options)).toEqual({ kind: "link", contactId: "c1", via: "phone" });
  });

  it("a phone-only CRM contact whose phone is linked elsewhere is contact_already_linked; with its own email it is a new person", () => {
    const world: World = { contacts: [{ id: "c1", externalId: "h9" }], emails: {}, phones: { "+12125550100": "c1" } };
    expect(matchCrmContact(crm({ email: null, phone: "+12125550100" }), lookups(world), options)).toMatchObject({ kind: "error", code: "contact_already_linked" });
    expect(matchCrmContact(crm({ phone: "+12125550100" }), lookups(world), options)).toEqual({ kind: "create" });
    expect(handleClashes(crm({ phone: "+12125550100" }), null, lookups(world), options)).toEqual([{ code: "phone_taken", value: "+12125550100", holderId: "c1" }]);
  });

  it("matches on handles only when they are mapped", () => {
    const world: World = { contacts: [{ id: "c1", externalId: null }], emails: { "ann@acme.com": "c1" }, phones: {} };
    expect(matchCrmContact(crm({}), lookups(world), { ...options, emailHandle: false, phoneHandle: false })).toEqual({ kind: "create" });
  });

  it("3. creates a contact otherwise", () => {
    expect(matchCrmContact(crm({}), lookups({ contacts: [], emails: {}, phones: {} }), options)).toEqual({ kind: "create" });
  });

  it("reports an email another contact holds when updating (email_taken)", () => {
    const world: World = { contacts: [{ id: "c1", externalId: "h1" }, { id: "c2", externalId: null }], emails: { "ann@acme.com": "c2" }, phones: {} };
    expect(handleClashes(crm({}), "c1", lookups(world), options)).toEqual([{ code: "email_taken", value: "ann@acme.com", holderId: "c2" }]);
    expect(handleClashes(crm({}), "c2", lookups(world), options)).toEqual([]);
  });

  it("property: the decision is always one §4.3 allows for the facts", () => {
    const id = fc.constantFrom("h1", "h2", "h3");
    fc.assert(
      fc.property(
        fc.record({ id, email: fc.option(fc.constantFrom("a@x.com", "b@x.com")), phone: fc.option(fc.constantFrom("+12125550100", "+12125550101")), lifecycleStage: fc.option(fc.constantFrom("customer", "lead")) }),
        fc.array(fc.record({ externalId: fc.option(id) }), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a@x.com", "b@x.com"), fc.nat(2)),
        fc.dictionary(fc.constantFrom("+12125550100", "+12125550101"), fc.nat(2)),
        (facts, contacts, emails, phones) => {
          const refs = contacts.map((c, i) => ({ id: `c${i}`, externalId: c.externalId }));
          const world: World = {
            contacts: refs,
            emails: Object.fromEntries(Object.entries(emails).filter(([, i]) => i < refs.length).map(([k, i]) => [k, `c${i}`])),
            phones: Object.fromEntries(Object.entries(phones).filter(([, i]) => i < refs.length).map(([k, i]) => [k, `c${i}`])),
          };
          const decision = matchCrmContact(facts, lookups(world), options);
          const linked = refs.find((r) => r.externalId === facts.id);
          if (linked) expect(decision).toEqual({ kind: "update", contactId: linked.id });
          if (decision.kind === "link") expect(refs.find((r) => r.id === decision.contactId)?.externalId).toBeNull();
          if (decision.kind === "create") expect(facts.email !== null || facts.phone !== null).toBe(true);
        },
      ),
    );
  });
});

describe("values from the CRM", () => {
  it("reads emails and phones as crmsync stores them, unreadable ones as absent", () => {
    expect(crmEmail(" Ann@ACME.com ")).toBe("ann@acme.com");
    expect(crmEmail("not-an-email")).toBeNull();
    expect(crmEmail("")).toBeNull();
    expect(crmPhone("+1 (212) 555-0100")).toBe("+12125550100");
    expect(crmPhone("212-555-0100")).toBeNull();
    expect(crmPhone(null)).toBeNull();
  });

  it("reads additional emails as a list without the primary, repeats or invalid ones", () => {
    expect(crmAdditionalEmails(["Old@Acme.com", " ann@acme.com", "", "not-an-email", " old@acme.com"], "ann@acme.com")).toEqual(["old@acme.com"]);
    expect(crmAdditionalEmails([], null)).toEqual([]);
  });

  it("turns the lifecycle stage into one tag, keeping other tags", () => {
    expect(withLifecycleTag(["vip", "lifecycle:lead"], "Customer")).toEqual(["lifecycle:customer", "vip"]);
    expect(withLifecycleTag(["vip", "lifecycle:lead"], null)).toEqual(["vip"]);
    expect(stageAllowed("SUBSCRIBER", ["subscriber"])).toBe(true);
  });

  it("puts the CRM's value first and never wipes with an absent one", () => {
    expect(withPrimary(["a@x.com", "b@x.com"], "c@x.com")).toEqual(["c@x.com", "b@x.com"]);
    expect(withPrimary(["a@x.com", "b@x.com"], "b@x.com")).toEqual(["b@x.com"]);
    expect(withPrimary(["a@x.com"], null)).toEqual(["a@x.com"]);
    expect(withPrimary([], "a@x.com")).toEqual(["a@x.com"]);
    // The replaced primary stays when the CRM still lists it among the person's other emails.
    expect(withPrimary(["a@x.com", "b@x.com"], "c@x.com", ["a@x.com"])).toEqual(["c@x.com", "a@x.com", "b@x.com"]);
  });
});
