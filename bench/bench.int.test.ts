// Guards the efficiency claims in `npm test`, on the small size, through the real engines against
// the emulator: a full account sync costs no more CRM calls than ⌈companies/100⌉ + ⌈deals/100⌉,
// and a full inbound contact sync from a list no more than the check calls + ⌈members/250⌉
// membership pages + ⌈members/100⌉ batch reads (at most 1.1 × the bound, the benchmark's target;
// today both are exactly their bound).
import { describe, expect, it } from "vitest";
import { contactBounds, runBench } from "./lib/bench.ts";

describe("bench: full account sync, small size", () => {
  it("reads every company and deal in the fewest calls HubSpot allows", async () => {
    const [report] = await runBench({ size: "small", dialects: ["sqlite"], scenarios: ["full"], inProcess: true });
    if (!report) throw new Error("no report");
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

describe("bench: full inbound contact sync, small size", () => {
  it("reads every list member in the fewest calls HubSpot allows", async () => {
    const [report] = await runBench({ size: "small", dialects: ["sqlite"], scenarios: ["contacts"], inProcess: true });
    if (!report) throw new Error("no report");
    const contacts = report.scenarios.contacts;
    const full = contacts?.full;
    expect(full).toBeDefined();
    const members = contacts!.list.members;
    expect(members).toBe(report.portal.contacts);
    const bound = contactBounds.check + Math.ceil(members / 250) + Math.ceil(members / 100);
    expect(full!.lowerBound).toBe(bound);
    expect(full!.calls.byEndpoint).toEqual({
      "properties.contacts.list": 1,
      "lists.get": 1,
      "lists.memberships.joinOrder": Math.ceil(members / 250),
      "contacts.batch.read": Math.ceil(members / 100),
    });
    expect(full!.calls.total).toBeLessThanOrEqual(Math.floor(1.1 * bound));
    // Every member was read, once, and the run counted the calls the emulator did.
    expect(full!.details.mode).toBe("full");
    expect(full!.details.read.members).toBe(members);
    expect(full!.details.runCounts.read).toBe(members);
    expect(full!.details.runCounts.crmCalls).toBe(full!.calls.total);
    expect(full!.details.contacts.linked).toBeGreaterThan(0.9 * members);
  }, 30_000);
});
