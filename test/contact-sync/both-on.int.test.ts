// Turning on account sync and contact sync "from synced companies" together: the contact run
// waits for account sync's first run instead of failing (account_sync_failed) and leaving the
// newcomer with no contacts until the next day. Against the emulator, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import type { RunJson } from "../support/hubspot.ts";
import { ContactHarness } from "./harness.ts";

describe.each(dialects)("contact sync: turned on with account sync on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it("the first contact run waits for the first account run, then imports the linked companies' contacts", { timeout: 180_000 }, async () => {
    const domain = `together-${dialect}.com`;
    const companyId = await c.h.addCompany({ name: "Together", domain });
    const customer = await c.h.createCustomer("Together", [domain]);
    const ann = await c.addContact({ firstname: "Ann", lastname: "Together", email: `ann@${domain}`, lifecyclestage: "customer" }, companyId);
    // The first account run is slow, so the contact run certainly starts while it runs.
    c.h.emu.store.faults.add({ endpoint: "companies.list", kind: "slow", delayMs: 1_500, count: 1 });

    await c.h.setSync(true);
    await c.h.ok("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound", source: { kind: "synced_companies" } });

    let runs: RunJson[] = [];
    for (const started = Date.now(); Date.now() - started < 120_000; await new Promise((resolve) => setTimeout(resolve, 200))) {
      runs = await c.h.runs(c.ws, "contacts");
      if (runs.some((run) => run.status !== "queued" && run.status !== "running")) break;
    }
    expect(runs.map((run) => run.status)).toEqual(["succeeded"]);
    expect((await c.h.latestRun(c.ws, "accounts")).status).toBe("succeeded");
    expect(await c.contactByExternalId(ann)).toMatchObject({ customerId: customer.id, firstName: "Ann" });
  });
});
