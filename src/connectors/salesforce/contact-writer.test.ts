import { describe, expect, it } from "vitest";
import { idsOnly } from "./contact-source.ts";
import { failureOf } from "./contact-writer.ts";

describe("a refused record's reason", () => {
  it.each([
    ["FIELD_CUSTOM_VALIDATION_EXCEPTION", ["Title"], { reason: "validation", message: "m", property: "Title" }],
    ["DUPLICATE_VALUE", ["Email"], { reason: "conflict", message: "m", property: "Email" }],
    ["DUPLICATES_DETECTED", [], { reason: "conflict", message: "m" }],
    ["ENTITY_IS_DELETED", [], { reason: "missing", message: "m" }],
    ["NOT_FOUND", [], { reason: "missing", message: "m" }],
    ["INVALID_EMAIL_ADDRESS", ["Email"], { reason: "invalid", message: "m", property: "Email" }],
    ["REQUIRED_FIELD_MISSING", ["LastName"], { reason: "invalid", message: "m", property: "LastName" }],
  ])("%s → %j", (statusCode, fields, failure) => {
    expect(failureOf({ success: false, errors: [{ statusCode, message: "m", fields }] })).toEqual(failure);
  });

  it("says so when Salesforce gives no reason", () => {
    expect(failureOf({ success: false })).toEqual({ reason: "invalid", message: "Salesforce refused the record and gave no reason." });
  });
});

describe("a list view's query", () => {
  it("keeps the view's filter and order, reading only ids", () => {
    const query = "SELECT Name, AccountId, Title, Phone, Email, Id, CreatedDate, LastModifiedDate, SystemModstamp FROM Contact WHERE MailingCountry = 'Germany' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST";
    expect(idsOnly(query)).toBe("SELECT Id FROM Contact WHERE MailingCountry = 'Germany' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST");
    expect(idsOnly("select toLabel(Salutation), Name FROM Contact")).toBe("SELECT Id FROM Contact");
  });
});
