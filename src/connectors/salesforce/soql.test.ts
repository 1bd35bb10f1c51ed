import { describe, expect, it } from "vitest";
import { renderSelect } from "./reads.ts";
import { encodedLength, isRecordId, maxUriBytes, soqlContains, soqlDateTime, soqlId, soqlString, splitFields, splitValues } from "./soql.ts";

describe("SOQL literals", () => {
  it.each([
    ["Acme", "'Acme'"],
    ["O'Brien", "'O\\'Brien'"],
    ["back\\slash", "'back\\\\slash'"],
    ["two\nlines\ttab", "'two\\nlines\\ttab'"],
    ['say "hi"', "'say \\\"hi\\\"'"],
    ["' OR Name != '", "'\\' OR Name != \\''"],
  ])("quotes %j as %s", (value, literal) => {
    expect(soqlString(value)).toBe(literal);
  });

  it("escapes LIKE wildcards so they match themselves", () => {
    expect(soqlContains("50%_off")).toBe("'%50\\%\\_off%'");
    expect(soqlContains("it's")).toBe("'%it\\'s%'");
  });

  it("accepts 15- and 18-character ids and refuses anything else", () => {
    expect(isRecordId("001000000000001")).toBe(true);
    expect(isRecordId("001000000000001AAA")).toBe(true);
    for (const bad of ["", "001", "0010000000000012", "001000000000001' OR ''='", "001000000000001AA "]) expect(isRecordId(bad)).toBe(false);
    expect(() => soqlId("x' OR Id != '")).toThrow(/Not a Salesforce record id/);
  });

  it("writes datetimes as UTC without milliseconds", () => {
    expect(soqlDateTime(Date.UTC(2026, 11, 3, 17, 5, 9, 250))).toBe("2026-12-03T17:05:09Z");
  });
});

describe("splitting long queries", () => {
  const fields = Array.from({ length: 1200 }, (_, i) => `Custom_Field_Number_${i}__c`);
  const render = (list: readonly string[]) => renderSelect("Account", list, "WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp, Id");

  it("keeps a short field list in one query", () => {
    expect(splitFields(["Name", "Website"], render, 200)).toEqual([["Id", "Name", "Website"]]);
  });

  it("splits a long field list so every query fits the URI limit with margin, each part led by Id", () => {
    const parts = splitFields(fields, render, 200);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part[0]).toBe("Id");
      expect(200 + encodedLength(render(part))).toBeLessThanOrEqual(maxUriBytes - 1_000);
    }
    // Every field once, in order.
    expect(parts.flatMap((p) => p.slice(1))).toEqual(fields);
  });

  it("drops repeated fields, Id included, whatever their case", () => {
    expect(splitFields(["Name", "name", "ID", "Website"], render, 200)).toEqual([["Id", "Name", "Website"]]);
  });

  it("refuses a field name that is not one", () => {
    expect(() => splitFields(["Name FROM User --"], render, 200)).toThrow(/Not a Salesforce field name/);
  });

  it("groups ids so each IN list fits", () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `001${String(i).padStart(15, "0")}`);
    const renderIds = (group: readonly string[]) => renderSelect("Contact", ["Id", "AccountId"], `WHERE AccountId IN (${group.map(soqlId).join(",")})`);
    const groups = splitValues(ids, renderIds, 200);
    expect(groups.flat()).toEqual(ids);
    for (const group of groups) expect(200 + encodedLength(renderIds(group))).toBeLessThanOrEqual(maxUriBytes - 1_000);
    // 18-character ids take 28 bytes encoded with their quotes and comma: about 540 a query.
    expect(groups.length).toBeGreaterThanOrEqual(5);
    expect(groups.length).toBeLessThanOrEqual(7);
  });
});
