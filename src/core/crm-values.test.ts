import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { booleanSelectOptions, convertCrmValue, parseCrmTimestamp } from "./crm-values.ts";
import { fieldTypes, fromStoredValue, toStoredValue } from "./fields.ts";
import type { FieldDefinition, FieldOption, FieldType, FieldValue } from "./fields.ts";

function field(type: FieldType, options: FieldOption[] = []): FieldDefinition {
  return {
    id: `fld_${type}`,
    key: `crm_${type}`,
    label: `CRM ${type}`,
    type,
    options,
    syncMapping: { provider: "crm", object: "company", property: `prop_${type}` },
  };
}

const industry = field("select", [
  { value: "COMPUTER_SOFTWARE", label: "Computer Software" },
  { value: "RETAIL", label: "Retail" },
]);
const channels = field("multi_select", [
  { value: "email", label: "Email" },
  { value: "chat", label: "Chat" },
  { value: "phone", label: "Phone" },
]);
const boolSelect = field("select", booleanSelectOptions.map((option) => ({ ...option })));
const text = field("text");
const num = field("number");
const date = field("date");
const yesNo = field("yes_no");

describe("parseCrmTimestamp", () => {
  it.each<[string, number | null]>([
    ["1705314600000", Date.UTC(2024, 0, 15, 10, 30)],
    [" 1705314600000 ", Date.UTC(2024, 0, 15, 10, 30)],
    ["0", 0],
    ["-86400000", -86_400_000],
    ["2024-01-15T10:30:00.000Z", Date.UTC(2024, 0, 15, 10, 30)],
    ["2024-01-15", Date.UTC(2024, 0, 15)],
    ["", null],
    ["soon", null],
    ["1705314600000.5", null],
    ["99999999999999999999", null],
    ["Mon, 15 Jan 2024 10:30:00 GMT", null],
  ])("%j → %s", (raw, expected) => {
    expect(parseCrmTimestamp(raw)).toBe(expected);
  });
});

describe("convertCrmValue", () => {
  it("gives the bool options Yes and No", () => {
    expect(booleanSelectOptions).toEqual([
      { value: "Yes", label: "Yes" },
      { value: "No", label: "No" },
    ]);
  });

  it.each(fieldTypes.map((type) => [type]))("clears a %s field on an empty value", (type) => {
    const f = field(type, [{ value: "x", label: "X" }]);
    for (const raw of [null, undefined, "", "   "]) expect(convertCrmValue(f, raw)).toEqual({ ok: true, value: null });
  });

  it.each<[FieldDefinition, string, FieldValue]>([
    [text, "Acme Inc.", "Acme Inc."],
    [text, "  spaced  ", "  spaced  "],
    [text, "line 1\nline 2", "line 1\nline 2"],
    [num, "1234.5", 1234.5],
    [num, "1234.50", 1234.5],
    [num, "-3", -3],
    [num, "0", 0],
    [num, " 42 ", 42],
    [num, "1.5E7", 15_000_000],
    [date, "1705276800000", "2024-01-15"], // date property: midnight UTC in ms
    [date, "1705314600000", "2024-01-15T10:30:00.000Z"], // datetime in ms
    [date, "-86400000", "1969-12-31"],
    [date, "2024-01-15", "2024-01-15"],
    [date, "2024-01-15T10:30:00.000Z", "2024-01-15T10:30:00.000Z"],
    [date, "2024-01-15T10:30:00Z", "2024-01-15T10:30:00.000Z"],
    [date, "2024-01-15T00:00:00.000Z", "2024-01-15"],
    [date, "2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00.000Z"],
    [industry, "COMPUTER_SOFTWARE", "COMPUTER_SOFTWARE"],
    [industry, " RETAIL ", "RETAIL"],
    [boolSelect, "true", "Yes"],
    [boolSelect, "false", "No"],
    [boolSelect, "TRUE", "Yes"],
    [boolSelect, "Yes", "Yes"],
    [boolSelect, "No", "No"],
    [channels, "email", ["email"]],
    [channels, "phone;email", ["email", "phone"]],
    [channels, "chat;chat;email", ["email", "chat"]],
    [channels, ";email;; chat ;", ["email", "chat"]],
    [channels, ";", null],
    [yesNo, "true", true],
    [yesNo, "false", false],
    [yesNo, "Yes", true],
    [yesNo, "no", false],
    [yesNo, "1", true],
    [yesNo, "0", false],
  ])("%# %j", (f, raw, value) => {
    expect(convertCrmValue(f, raw)).toEqual({ ok: true, value });
  });

  it.each<[FieldDefinition, string, string]>([
    [num, "abc", '"abc" is not a number.'],
    // Grouping is refused: "1,234" is 1234 in one locale and 1.234 in another.
    [num, "1,234.50", '"1,234.50" is not a number.'],
    [num, "1,5", '"1,5" is not a number.'],
    [num, "Infinity", '"Infinity" is not a number.'],
    [num, "1e400", '"1e400" is not a number.'],
    [date, "yesterday", '"yesterday" is not a date.'],
    [date, "2024-02-30", '"2024-02-30" is not a date.'],
    [date, "1705314600000.5", '"1705314600000.5" is not a date.'],
    [date, "99999999999999999", '"99999999999999999" is not a date.'],
    [date, "2024-01-15T10:30:00", '"2024-01-15T10:30:00" is not a date.'],
    [industry, "HEALTHCARE", '"HEALTHCARE" is not one of the field\'s options (COMPUTER_SOFTWARE, RETAIL).'],
    // Labels are not accepted from the CRM: it always sends internal values.
    [industry, "Retail", '"Retail" is not one of the field\'s options (COMPUTER_SOFTWARE, RETAIL).'],
    [industry, "true", '"true" is not one of the field\'s options (COMPUTER_SOFTWARE, RETAIL).'],
    [field("select"), "a", '"a" is not one of the field\'s options (none).'],
    [boolSelect, "maybe", '"maybe" is not one of the field\'s options (Yes, No).'],
    [channels, "email;fax", '"fax" is not one of the field\'s options (email, chat, phone).'],
    [channels, "fax;pager", '"fax", "pager" are not among the field\'s options (email, chat, phone).'],
    [yesNo, "maybe", '"maybe" is not a yes/no value.'],
    [text, "x".repeat(65_537), `Invalid value "${"x".repeat(76)}... for field "CRM text": expected text of at most 65,536 characters.`],
  ])("%# refuses %j", (f, raw, reason) => {
    expect(convertCrmValue(f, raw)).toEqual({ ok: false, reason });
  });

  it("quotes values as JSON in reasons", () => {
    expect(convertCrmValue(num, 'say "hi"\n')).toEqual({ ok: false, reason: '"say \\"hi\\"\\n" is not a number.' });
  });

  it("shortens long values in reasons", () => {
    const result = convertCrmValue(num, "9".repeat(100) + "x");
    expect(result).toEqual({ ok: false, reason: `"${"9".repeat(76)}... is not a number.` });
  });

  it("yields values that store and read back unchanged", () => {
    const fields = [text, num, date, industry, channels, boolSelect, yesNo];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string(), (f, raw) => {
        const result = convertCrmValue(f, raw);
        if (!result.ok) {
          expect(result.reason.length).toBeGreaterThan(0);
          return;
        }
        expect(fromStoredValue(f, toStoredValue(f, result.value))).toEqual(result.value);
      }),
    );
  });

  it("reads every HubSpot number string exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(convertCrmValue(num, String(n))).toEqual({ ok: true, value: n === 0 ? 0 : n });
      }),
    );
  });

  it("reads every epoch-ms date and its ISO form alike", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }), (ms) => {
        const fromMs = convertCrmValue(date, String(ms));
        const fromIso = convertCrmValue(date, new Date(ms).toISOString());
        expect(fromMs).toEqual(fromIso);
        expect(fromMs.ok && toStoredValue(date, fromMs.value).number).toBe(ms);
      }),
    );
  });
});
