// Synced values (product spec §3.3 type table, §6 value_not_convertible), against the emulator
// over HTTP, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UI_SOURCE } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { HubSpotHarness, type FieldJson } from "../support/hubspot.ts";

const companyProps = ["name", "annualrevenue", "contract_start", "last_review_at", "customer_tier", "product_interests", "is_strategic", "industry", "description"] as const;
const dealProps = ["amount", "closedate", "dealtype"] as const;

describe.each(dialects)("account sync: values on %s", (dialect: Dialect) => {
  let h: HubSpotHarness;
  let fields: FieldJson[];
  let n = 0;
  const domain = (label: string) => `${label}-${++n}-${dialect}.com`;
  /** The crmsync field key imported from a HubSpot property. */
  const key = (object: "company" | "deal", property: string): string => {
    const field = fields.find((f) => f.syncMapping?.object === object && f.syncMapping.property === property);
    if (!field) throw new Error(`no field for ${object}.${property}`);
    return field.key;
  };
  /** Writes a raw value into the emulator's record, as HubSpot's older APIs would hand it out (no validation). */
  const rawWrite = (id: string, props: Record<string, string>) => {
    const store = h.emu.store;
    const rec = store.objects.companies.get(Number(id));
    if (!rec) throw new Error(`no company ${id}`);
    store.objects.companies.applyChanges(rec, props, UI_SOURCE, store.now());
  };

  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect);
    await h.connect();
    fields = await h.importFields([...companyProps.map((name) => ({ object: "company" as const, name })), ...dealProps.map((name) => ({ object: "deal" as const, name }))]);
    await h.enableSync();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function linkedCustomer(companyProps: Record<string, string>, dealProps?: Record<string, string>) {
    const d = domain("values");
    const companyId = await h.addCompany({ domain: d, ...companyProps });
    const dealId = dealProps ? await h.addDeal(companyId, dealProps) : null;
    const c = await h.createCustomer(`Values ${n}`, [d]);
    await h.runSync();
    return { companyId, dealId, customerId: c.id };
  }

  it("maps every supported type: text, number, date, datetime, select, radio, multi-select, bool", async () => {
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(byKey[key("company", "annualrevenue")]).toMatchObject({ type: "number", readOnly: true });
    expect(byKey[key("company", "contract_start")]).toMatchObject({ type: "date" });
    expect(byKey[key("company", "last_review_at")]).toMatchObject({ type: "date" });
    expect(byKey[key("company", "customer_tier")]).toMatchObject({ type: "select", options: [{ value: "bronze", label: "Bronze" }, { value: "silver", label: "Silver" }, { value: "gold", label: "Gold" }, { value: "platinum", label: "Platinum" }] });
    expect(byKey[key("company", "product_interests")]).toMatchObject({ type: "multi_select" });
    expect(byKey[key("company", "is_strategic")]).toMatchObject({ type: "select", options: [{ value: "Yes", label: "Yes" }, { value: "No", label: "No" }] });
    expect(byKey[key("company", "description")]).toMatchObject({ type: "text" });
    expect(byKey[key("deal", "dealtype")]).toMatchObject({ type: "select" });

    const { customerId } = await linkedCustomer(
      {
        name: "Typed Co",
        annualrevenue: "1250000.5",
        contract_start: "2024-03-15",
        last_review_at: "2024-05-20T13:45:00.000Z",
        customer_tier: "gold",
        product_interests: "security;analytics",
        is_strategic: "true",
        industry: "COMPUTER_SOFTWARE",
        description: "Key account;\nweekly call.",
      },
      { dealname: "Typed deal", amount: "1999.99", closedate: "2025-02-01T00:00:00.000Z", dealtype: "newbusiness" },
    );
    const c = await h.customer(customerId);
    expect(c.fields).toEqual({
      [key("company", "name")]: "Typed Co",
      [key("company", "annualrevenue")]: 1250000.5,
      [key("company", "contract_start")]: "2024-03-15",
      [key("company", "last_review_at")]: "2024-05-20T13:45:00.000Z",
      [key("company", "customer_tier")]: "gold",
      // In the field's option order, not HubSpot's.
      [key("company", "product_interests")]: ["analytics", "security"],
      [key("company", "is_strategic")]: "Yes",
      [key("company", "industry")]: "COMPUTER_SOFTWARE",
      [key("company", "description")]: "Key account;\nweekly call.",
      [key("deal", "amount")]: 1999.99,
      [key("deal", "closedate")]: "2025-02-01",
      [key("deal", "dealtype")]: "newbusiness",
    });

    // Synced values are filterable like any field.
    const found = await h.ok<{ items: { id: string }[] }>("GET", `/api/v1/customers?filter[${key("company", "annualrevenue")}][gt]=1000000&filter[${key("company", "is_strategic")}][eq]=Yes`);
    expect(found.items.map((x) => x.id)).toContain(customerId);
  });

  it("reads dates given as epoch milliseconds and bool false as No", async () => {
    const { companyId, customerId } = await linkedCustomer({ name: "Epoch Co", is_strategic: "false", contract_start: "2024-01-01" });
    expect((await h.customer(customerId)).fields[key("company", "is_strategic")]).toBe("No");
    rawWrite(companyId, { contract_start: String(Date.UTC(2024, 5, 13)), last_review_at: String(Date.UTC(2024, 5, 13, 8, 30)) });
    await h.runSync();
    const c = await h.customer(customerId);
    expect(c.fields[key("company", "contract_start")]).toBe("2024-06-13");
    expect(c.fields[key("company", "last_review_at")]).toBe("2024-06-13T08:30:00.000Z");
  });

  it("clears a field when HubSpot's value is emptied", async () => {
    const { companyId, customerId } = await linkedCustomer({ name: "Clear Co", annualrevenue: "10", customer_tier: "silver", product_interests: "support" });
    expect((await h.customer(customerId)).fields).toMatchObject({ [key("company", "annualrevenue")]: 10, [key("company", "customer_tier")]: "silver" });
    await h.patchRecord("companies", companyId, { annualrevenue: "", customer_tier: "", product_interests: "" });
    await h.runSync();
    const c = await h.customer(customerId);
    expect(c.fields).not.toHaveProperty(key("company", "annualrevenue"));
    expect(c.fields).not.toHaveProperty(key("company", "customer_tier"));
    expect(c.fields).not.toHaveProperty(key("company", "product_interests"));
    expect(c.fields[key("company", "name")]).toBe("Clear Co");
  });

  it("keeps the previous value of a value it cannot convert and logs value_not_convertible with its hint", async () => {
    const { companyId, customerId } = await linkedCustomer({ name: "Bad Value Co", annualrevenue: "500", customer_tier: "bronze" });
    rawWrite(companyId, { annualrevenue: "1,234", name: "Bad Value Co (renamed)" });
    const run = await h.runSync();
    expect(run.status).toBe("partial");
    expect(run.errorCount).toBeGreaterThanOrEqual(1);
    const c = await h.customer(customerId);
    expect(c.fields[key("company", "annualrevenue")]).toBe(500);
    // The other fields of the same record still update.
    expect(c.fields[key("company", "name")]).toBe("Bad Value Co (renamed)");

    const errors = (await h.runErrors(run.id)).filter((e) => e.code === "value_not_convertible");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      recordType: "customer",
      recordId: customerId,
      crmId: companyId,
      details: { field: key("company", "annualrevenue"), object: "company", property: "annualrevenue", value: "1,234" },
      hint: "Fix the value in HubSpot, or refresh the field definition if its options changed.",
    });
    // The error links to the company's page in HubSpot (0-2: companies).
    expect(errors[0]!.crmUrl).toMatch(new RegExp(`/record/0-2/${companyId}$`));
    expect(errors[0]?.message).toContain("1,234");

    // Fixed in HubSpot: the next run takes it.
    await h.patchRecord("companies", companyId, { annualrevenue: "1234" });
    const fixed = await h.runSync();
    expect(fixed.status).toBe("succeeded");
    expect((await h.customer(customerId)).fields[key("company", "annualrevenue")]).toBe(1234);
  });

  it("writes nothing again when nothing changed (updated counts customers whose values changed)", async () => {
    await linkedCustomer({ name: "Stable Co", annualrevenue: "1" });
    const quiet = await h.runSync();
    expect(quiet.counters.updated).toBe(0);
    expect(quiet.counters.linked).toBe(0);
  });
});
