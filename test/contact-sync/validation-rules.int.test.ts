// HubSpot's validation rules on 2026-09 writes (reference §5) in a two-way run: the portal's
// rule refuses one contact's update; that contact gets a crm_validation_failed run error naming
// it, HubSpot's message and the property, and the other contacts of the batch are written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { ContactHarness, uniqueEmail } from "./harness.ts";

describe.each(dialects)("contact sync: a HubSpot validation rule refuses one write, on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it("records crm_validation_failed for the refused contact and writes the others", async () => {
    const names = ["Avery", "Blake", "Casey"];
    const remote: string[] = [];
    for (const name of names) remote.push(await c.addContact({ firstname: name, lastname: "Original", email: uniqueEmail(name.toLowerCase()), lifecyclestage: "customer" }));
    const list = await c.createList(`rules-${dialect}`, remote);
    expect((await c.twoWay(list)).status).toBe("succeeded");

    // A HubSpot admin's rule: a last name starts with a capital letter.
    const ruleMessage = "Last name must start with a capital letter";
    await c.h.control("PUT", "/validation-rules/contacts", { rules: [{ kind: "regex", property: "lastname", pattern: "[A-Z].*", message: ruleMessage }] });
    const locals = await Promise.all(remote.map(async (id) => (await c.contactByExternalId(id))!));
    await c.patchContact(locals[0]!.id, { lastName: "Ashford" });
    const refused = await c.patchContact(locals[1]!.id, { lastName: "lowercase" });
    await c.patchContact(locals[2]!.id, { lastName: "Carver" });

    c.h.resetCounters();
    const run = await c.runNow();
    expect(run.status).toBe("partial");
    // One batch update for the three; the refused one was not tried again.
    expect(run.crmCalls.byEndpoint["contacts.batch.update"]).toBe(1);

    const errors = await c.errors(run);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({ code: "crm_validation_failed", recordType: "contact", recordId: locals[1]!.id, crmId: remote[1] });
    expect(error?.message).toContain(ruleMessage);
    expect(error?.message).toContain("lastname");
    expect(error?.message).toContain(refused.name);
    expect(error?.details).toMatchObject({ property: "lastname", field: "lastName", value: "lowercase" });
    expect(error?.hint).toMatch(/meets the rule/);

    // The rest of the batch went on; the refused value never reached HubSpot.
    expect((await c.remote(remote[0]!)).properties.lastname).toBe("Ashford");
    expect((await c.remote(remote[2]!)).properties.lastname).toBe("Carver");
    expect((await c.remote(remote[1]!)).properties.lastname).toBe("Original");

    // Once the value meets the rule, the next run writes it.
    await c.patchContact(locals[1]!.id, { lastName: "Lowercase" });
    const next = await c.runNow();
    expect(next.status).toBe("succeeded");
    expect((await c.remote(remote[1]!)).properties.lastname).toBe("Lowercase");
  });
});
