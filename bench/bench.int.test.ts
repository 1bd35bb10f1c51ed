// Guards the efficiency claim in `npm test`: a full account sync of the small size, through the
// real engine against the emulator, costs no more CRM calls than ⌈companies/100⌉ + ⌈deals/100⌉
// (at most 1.1 × that bound, the benchmark's target; today it is exactly the bound).
import { describe, expect, it } from "vitest";
import { runBench } from "./lib/bench.ts";

describe("bench: full account sync, small size", () => {
  it("reads every company and deal in the fewest calls HubSpot allows", async () => {
    const report = await runBench({ size: "small", dialect: "sqlite", scenarios: ["full"], inProcess: true });
    const full = report.scenarios.full;
    expect(full).toBeDefined();
    const bound = Math.ceil(report.portal.companies / 100) + Math.ceil(report.portal.deals / 100);
    expect(full!.lowerBound).toBe(bound);
    expect(full!.calls.byEndpoint).toEqual({ "companies.list": Math.ceil(report.portal.companies / 100), "deals.list": Math.ceil(report.portal.deals / 100) });
    expect(full!.calls.total).toBeLessThanOrEqual(Math.floor(1.1 * bound));
    // Every record was read and every customer with a domain one company holds was linked.
    expect(full!.details.read).toEqual({ companies: report.portal.companies, deals: report.portal.deals });
    expect(full!.details.customers.linked).toBeGreaterThanOrEqual(report.customers.unique);
    expect(full!.details.runCounts.crmCalls).toBe(full!.calls.total);
  }, 20_000);
});
