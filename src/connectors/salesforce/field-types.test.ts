import { describe, expect, it } from "vitest";
import type { DescribeField } from "./client.ts";
import { crmTypeOf, mapSalesforceField } from "./field-types.ts";

const field = (type: string, extra: Partial<DescribeField> = {}): DescribeField => ({ name: "F", label: "F", type, ...extra });

describe("Salesforce field types as crmsync fields", () => {
  it.each([
    ["string", "text"],
    ["textarea", "text"],
    ["email", "text"],
    ["phone", "text"],
    ["url", "text"],
    ["currency", "number"],
    ["percent", "number"],
    ["double", "number"],
    ["int", "number"],
    ["long", "number"],
    ["date", "date"],
    ["datetime", "date"],
  ])("%s → %s", (type, mapped) => {
    expect(mapSalesforceField(field(type))).toEqual({ supported: true, type: mapped, options: [] });
  });

  it("copies a picklist's active values as select options, labels kept", () => {
    const stage = field("picklist", {
      name: "StageName",
      picklistValues: [
        { value: "Prospecting", label: "Prospecting", active: true },
        { value: "Closed Won", label: "Closed Won", active: true },
        { value: "Old", label: "Old stage", active: false },
        { value: "Prospecting", label: "again", active: true },
        { value: "Blank", label: "", active: true },
      ],
    });
    expect(mapSalesforceField(stage)).toEqual({
      supported: true,
      type: "select",
      options: [
        { value: "Prospecting", label: "Prospecting" },
        { value: "Closed Won", label: "Closed Won" },
        { value: "Blank", label: "Blank" },
      ],
    });
  });

  it("makes a multipicklist a multi_select and a boolean a Yes/No select", () => {
    expect(mapSalesforceField(field("multipicklist", { picklistValues: [{ value: "A", label: "A", active: true }] }))).toEqual({ supported: true, type: "multi_select", options: [{ value: "A", label: "A" }] });
    expect(mapSalesforceField(field("boolean"))).toEqual({ supported: true, type: "select", options: [{ value: "Yes", label: "Yes" }, { value: "No", label: "No" }] });
  });

  it("imports a formula field like its result type and says it is a formula", () => {
    const formula = field("currency", { calculated: true, updateable: false });
    expect(mapSalesforceField(formula)).toEqual({ supported: true, type: "number", options: [] });
    expect(crmTypeOf(formula)).toBe("formula (currency)");
  });

  it.each(["base64", "address", "location", "anyType", "encryptedstring", "reference", "id", "time", "combobox", "complexvalue"])("refuses %s with a reason", (type) => {
    const mapping = mapSalesforceField(field(type));
    expect(mapping.supported).toBe(false);
    expect(mapping.supported === false && mapping.reason.length).toBeGreaterThan(10);
  });

  it("names the parts to import instead of an address", () => {
    expect(mapSalesforceField(field("address"))).toMatchObject({ supported: false, reason: expect.stringContaining("parts") as unknown });
  });
});
