// "Run now" reads what changed; `?full=true` is the support action that reads everything again,
// so a deletion the incremental search cannot see is taken in at once (not at the nightly pass).
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { connectedHarness, type RunJson } from "../support/hubspot.ts";

describe.each(dialects)("account sync: a full pass on demand on %s", (dialect: Dialect) => {
  const harness = connectedHarness(dialect);

  it("a company deleted in the CRM stops being an ambiguity candidate after a full pass", async () => {
    const h = harness();
    const domain = `shared-${dialect}.com`;
    const kept = await h.addCompany({ name: "Shared Kept", domain });
    const deleted = await h.addCompany({ name: "Shared Deleted", domain });
    const customer = await h.createCustomer("Shared", [domain]);
    await h.runSync();
    expect((await h.customer(customer.id)).linkStatus).toMatchObject({ reason: "ambiguous", candidates: [kept, deleted].sort() });

    await h.deleteRecord("companies", deleted);
    const incremental = await h.runSync();
    expect(incremental.status).toBe("succeeded");
    expect((await h.customer(customer.id)).crmLink).toBeNull();

    const members = await h.api("POST", "/api/v1/crm/hubspot/account-sync/run?full=true", undefined, h.ws.memberToken);
    expect(members.status).toBe(403);
    expect((await h.api("POST", "/api/v1/crm/hubspot/account-sync/run?full=maybe")).status).toBe(400);
    await h.ok("POST", "/api/v1/crm/hubspot/account-sync/run?full=true");
    await h.drain();
    const full: RunJson = await h.latestRun();
    expect(full.status).toBe("succeeded");
    // The full pass lists every company and deal; "run now" only searched what changed.
    expect(Object.keys(incremental.crmCalls.byEndpoint).sort()).toEqual(["companies.search", "deals.search"]);
    expect(Object.keys(full.crmCalls.byEndpoint).sort()).toEqual(["companies.list", "deals.list"]);
    expect((await h.customer(customer.id)).crmLink).toMatchObject({ companyId: kept, source: "auto" });
  });
});
