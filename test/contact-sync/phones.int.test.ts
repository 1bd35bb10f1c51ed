// CRM phones written in national format ("(415) 555-0122"): read with the workspace's default
// country, and reported (phone_invalid) instead of dropped when they cannot be read. Against the
// emulator over HTTP, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { ContactHarness, uniqueEmail } from "./harness.ts";

describe.each(dialects)("contact sync: phones on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it("reports a national phone it cannot place, then reads it once the workspace has a default country", async () => {
    const national = await c.addContact({ firstname: "Nat", lastname: "Ional", phone: "(415) 555-0122", lifecyclestage: "customer" });
    const withEmail = await c.addContact({ firstname: "Em", lastname: "Ail", email: uniqueEmail("phones"), phone: "415.555.0199", lifecyclestage: "customer" });
    const garbage = await c.addContact({ firstname: "Gar", lastname: "Bage", email: uniqueEmail("garbage"), phone: "call reception", lifecyclestage: "customer" });
    const list = await c.createList("phones", [national, withEmail, garbage]);

    await c.configure({ mode: "inbound", source: { kind: "list", listId: list } });
    const first = await c.h.latestRun(c.ws, "contacts");
    expect(first.status).toBe("partial");
    const errors = await c.errors(first);
    expect(errors.filter((e) => e.code === "phone_invalid").map((e) => e.crmId).sort()).toEqual([national, withEmail, garbage].sort());
    const nationalError = errors.find((e) => e.crmId === national && e.code === "phone_invalid")!;
    expect(nationalError.message).toBe(`The phone "(415) 555-0122" of HubSpot contact ${national} could not be read (no default country is set, so only numbers starting with + are read); it was not imported.`);
    expect(nationalError.hint).toContain("default country");
    // The contact with an email came in without its phone; the phone-only one could not.
    expect(await c.contactByExternalId(withEmail)).toMatchObject({ phones: [] });
    expect(await c.contactByExternalId(national)).toBeUndefined();

    await c.h.ok("PATCH", "/api/v1/workspace-settings", { defaultCountry: "US" });
    await c.h.ok("POST", "/api/v1/crm/hubspot/contact-sync/run?full=true");
    await c.h.drain();
    const second = await c.h.latestRun(c.ws, "contacts");
    expect(second.id).not.toBe(first.id);
    expect(await c.contactByExternalId(national)).toMatchObject({ phones: ["+14155550122"] });
    expect(await c.contactByExternalId(withEmail)).toMatchObject({ phones: ["+14155550199"] });
    const again = await c.errors(second);
    expect(again.filter((e) => e.code === "phone_invalid").map((e) => e.crmId)).toEqual([garbage]);
    expect(again.find((e) => e.crmId === garbage)?.message).toContain("could not be read as a number of US");
  });
});
