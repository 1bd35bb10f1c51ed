// Free-mail and personal domains never link a customer by themselves (product spec §3.1), with
// the workspace's own allow and deny lists, against the emulator on both databases.
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { connectedHarness } from "../support/hubspot.ts";

describe.each(dialects)("account sync: personal domains on %s", (dialect: Dialect) => {
  const harness = connectedHarness(dialect);

  it("never links a customer whose only domain is a free-mail one, and says why", async () => {
    const h = harness();
    await h.addCompany({ name: "The company that put gmail.com on its record", domain: "gmail.com" });
    const customer = await h.createCustomer("Jane Doe (gmail)", ["gmail.com"]);
    expect((await h.runSync()).status).toBe("succeeded");
    const after = await h.customer(customer.id);
    expect(after.crmLink).toBeNull();
    expect(after.linkStatus).toMatchObject({ state: "unlinked", reason: "personal_domain" });
  });

  it("links on the customer's company domain and ignores its personal one", async () => {
    const h = harness();
    const companyId = await h.addCompany({ name: "Mixed Co", domain: `mixed-${dialect}.com` });
    const customer = await h.createCustomer("Mixed Co", ["yahoo.com", `mixed-${dialect}.com`]);
    await h.runSync();
    expect((await h.customer(customer.id)).crmLink).toMatchObject({ companyId, source: "auto" });
  });

  it("follows the workspace's deny and allow lists at the next run", async () => {
    const h = harness();
    const family = `family-smith-${dialect}.net`;
    await h.addCompany({ name: "Family Smith", domain: family });
    const familyCustomer = await h.createCustomer("The Smiths", [family]);
    const gmxCompany = await h.addCompany({ name: "GMX itself", domain: "gmx.de" });
    const gmxCustomer = await h.createCustomer("GMX (the provider, a customer)", ["gmx.de"]);

    const settings = await h.ok("PATCH", "/api/v1/workspace-settings", { personalDomains: { allow: ["GMX.de"], deny: [`https://www.${family}/`] } });
    expect(settings).toMatchObject({ personalDomains: { allow: ["gmx.de"], deny: [family] } });
    await h.runSync();
    expect((await h.customer(familyCustomer.id)).linkStatus).toMatchObject({ state: "unlinked", reason: "personal_domain" });
    expect((await h.customer(gmxCustomer.id)).crmLink).toMatchObject({ companyId: gmxCompany });
  });

  it("an admin can still link a personal-domain customer by hand", async () => {
    const h = harness();
    const companyId = await h.addCompany({ name: "Solo consultant", domain: "hotmail.com" });
    const customer = await h.createCustomer("Solo consultant", ["hotmail.com"]);
    const linked = await h.ok<{ crmLink: { companyId: string; source: string } }>("PUT", `/api/v1/customers/${customer.id}/crm-link`, { companyId });
    expect(linked.crmLink).toMatchObject({ companyId, source: "manual" });
  });

  it("checks settings: members read but cannot change, bad values are refused by name and nothing is stored", async () => {
    const h = harness();
    const before = await h.ok("GET", "/api/v1/workspace-settings", undefined, h.ws.memberToken);
    expect(before).toMatchObject({ defaultCountry: null, contactLimit: 1_000_000 });
    expect((await h.api("PATCH", "/api/v1/workspace-settings", { defaultCountry: "US" }, h.ws.memberToken)).status).toBe(403);
    const badCountry = await h.api<{ error: { code: string; message: string } }>("PATCH", "/api/v1/workspace-settings", { defaultCountry: "XX" });
    expect(badCountry.status).toBe(400);
    expect(badCountry.body.error.message).toContain('"XX" is not a country');
    const badDomain = await h.api<{ error: { code: string } }>("PATCH", "/api/v1/workspace-settings", { personalDomains: { deny: ["not a domain"] } });
    expect(badDomain).toMatchObject({ status: 422, body: { error: { code: "domain_invalid" } } });
    const both = await h.api<{ error: { code: string } }>("PATCH", "/api/v1/workspace-settings", { personalDomains: { deny: ["gmx.de"] } });
    expect(both.status).toBe(400);
    expect(await h.ok("GET", "/api/v1/workspace-settings")).toEqual(before);
    expect(await h.ok("PATCH", "/api/v1/workspace-settings", { defaultCountry: "gb" })).toMatchObject({ defaultCountry: "GB" });
  });
});
