import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import {
  fieldKeyFromLabel,
  fieldTypes,
  filterOps,
  filterOpsByType,
  formatCanonicalDate,
  fromStoredValue,
  isFieldType,
  isFilterOp,
  maxTextLength,
  parseFilterValue,
  parseIsoDate,
  parseNumberLiteral,
  parseYesNo,
  resolveOption,
  toStoredValue,
  validateFieldValue,
} from "./fields.ts";
import type { FieldDefinition, FieldType, FieldValue } from "./fields.ts";

const options = {
  select: [
    { value: "software", label: "Software" },
    { value: "retail", label: "Retail & Commerce" },
    { value: "Health", label: "healthcare" },
  ],
  multi_select: [
    { value: "a", label: "Alpha" },
    { value: "b", label: "Beta" },
    { value: "c", label: "Gamma" },
  ],
};

function field(type: FieldType, overrides: Partial<FieldDefinition> = {}): FieldDefinition {
  return {
    id: `fld_${type}`,
    key: `my_${type}`,
    label: `My ${type}`,
    type,
    options: type === "select" ? options.select : type === "multi_select" ? options.multi_select : [],
    syncMapping: null,
    ...overrides,
  };
}

const text = field("text");
const num = field("number");
const date = field("date");
const select = field("select");
const multi = field("multi_select");
const yesNo = field("yes_no");

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("field types", () => {
  it("lists the six types", () => {
    expect(fieldTypes).toEqual(["text", "number", "date", "select", "multi_select", "yes_no"]);
    expect(isFieldType("multi_select")).toBe(true);
    expect(isFieldType("boolean")).toBe(false);
  });
});

describe("parseIsoDate and formatCanonicalDate", () => {
  it.each([
    ["2024-01-15", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-02-29", Date.UTC(2024, 1, 29), "2024-02-29"],
    ["2000-02-29", Date.UTC(2000, 1, 29), "2000-02-29"],
    ["2024-01-15T00:00:00Z", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-01-15T00:00:00.000Z", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-01-15T00:00Z", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-01-15T10:30:00Z", Date.UTC(2024, 0, 15, 10, 30), "2024-01-15T10:30:00.000Z"],
    ["2024-01-15T10:30:00.5Z", Date.UTC(2024, 0, 15, 10, 30, 0, 500), "2024-01-15T10:30:00.500Z"],
    ["2024-01-15T10:30:00.123456789Z", Date.UTC(2024, 0, 15, 10, 30, 0, 123), "2024-01-15T10:30:00.123Z"],
    ["2024-01-15T10:30:00+02:00", Date.UTC(2024, 0, 15, 8, 30), "2024-01-15T08:30:00.000Z"],
    ["2024-01-15T01:00:00+01:00", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-01-14T19:00:00-05:00", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["2024-01-15t10:30:00z", Date.UTC(2024, 0, 15, 10, 30), "2024-01-15T10:30:00.000Z"],
    ["  2024-01-15  ", Date.UTC(2024, 0, 15), "2024-01-15"],
    ["1969-12-31", -86_400_000, "1969-12-31"],
    ["0050-06-01", Date.parse("0050-06-01T00:00:00Z"), "0050-06-01"],
    ["9999-12-31T23:59:59.999Z", Date.UTC(9999, 11, 31, 23, 59, 59, 999), "9999-12-31T23:59:59.999Z"],
  ])("%j", (input, epoch, canonical) => {
    expect(parseIsoDate(input)).toBe(epoch);
    expect(formatCanonicalDate(epoch)).toBe(canonical);
  });

  it.each([
    [""],
    ["2024"],
    ["2024-1-5"],
    ["2024-13-01"],
    ["2024-00-10"],
    ["2024-01-00"],
    ["2024-01-32"],
    ["2023-02-29"],
    ["1900-02-29"],
    ["2024-04-31"],
    ["2024-01-15T10:30:00"], // no offset: would be read in the server's zone
    ["2024-01-15T24:00:00Z"],
    ["2024-01-15T10:60:00Z"],
    ["2024-01-15T10:30:60Z"],
    ["2024-01-15T10:30:00+24:00"],
    ["2024-01-15T10:30:00+0200"],
    ["2024-01-15 10:30:00Z"],
    ["15/01/2024"],
    ["Jan 15 2024"],
    ["1705312200000"],
    ["+012024-01-15"],
    ["0000-01-01T00:00:00+00:01"], // before year 0
  ])("rejects %j", (input) => {
    expect(parseIsoDate(input)).toBeNull();
  });

  it("refuses instants outside four-digit years and non-integers", () => {
    expect(formatCanonicalDate(Date.UTC(10000, 0, 1))).toBeNull();
    expect(formatCanonicalDate(-62_167_219_200_001)).toBeNull();
    expect(formatCanonicalDate(-62_167_219_200_000)).toBe("0000-01-01");
    expect(formatCanonicalDate(1.5)).toBeNull();
    expect(formatCanonicalDate(Number.NaN)).toBeNull();
  });
});

describe("parseNumberLiteral", () => {
  it.each([
    ["0", 0],
    ["-0", 0],
    ["42", 42],
    ["+42", 42],
    ["-1234.5", -1234.5],
    ["1234.50", 1234.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1.5E-2", 0.015],
    [" 7 ", 7],
  ])("%j → %d", (input, expected) => {
    expect(parseNumberLiteral(input)).toBe(expected);
  });

  it.each([[""], [" "], ["abc"], ["1,234.50"], ["1 234"], ["0x10"], ["Infinity"], ["NaN"], ["1e999"], ["1.2.3"], ["--1"], ["."]])(
    "rejects %j",
    (input) => {
      expect(parseNumberLiteral(input)).toBeNull();
    },
  );

  it("gives -0 as 0", () => {
    expect(Object.is(parseNumberLiteral("-0"), 0)).toBe(true);
  });
});

describe("parseYesNo", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    [" yes ", true],
    ["Yes", true],
    ["1", true],
    ["false", false],
    ["No", false],
    ["0", false],
    ["", undefined],
    ["y", undefined],
    ["2", undefined],
    ["on", undefined],
  ])("%j → %s", (raw, expected) => {
    expect(parseYesNo(raw)).toBe(expected);
  });
});

describe("validateFieldValue", () => {
  it.each<[FieldDefinition, unknown, FieldValue]>([
    [text, "hello", "hello"],
    [text, "  padded  ", "  padded  "],
    [text, "", null],
    [text, "   ", null],
    [text, "x".repeat(maxTextLength), "x".repeat(maxTextLength)],
    [num, 42, 42],
    [num, -3.25, -3.25],
    [num, 0, 0],
    [num, -0, 0],
    [num, 1e21, 1e21],
    [date, "2024-01-15", "2024-01-15"],
    [date, "2024-01-15T00:00:00.000Z", "2024-01-15"],
    [date, "2024-01-15T10:30:00+02:00", "2024-01-15T08:30:00.000Z"],
    [date, new Date(Date.UTC(2024, 0, 15)), "2024-01-15"],
    [date, new Date(Date.UTC(2024, 0, 15, 1)), "2024-01-15T01:00:00.000Z"],
    [select, "software", "software"],
    [select, "Software", "software"], // label
    [select, "SOFTWARE", "software"], // label, any case
    [select, " retail & commerce ", "retail"],
    [select, "Health", "Health"], // exact value beats another option's label
    [select, "healthcare", "Health"],
    [multi, ["a"], ["a"]],
    [multi, ["c", "a"], ["a", "c"]], // option order
    [multi, ["b", "beta", "BETA", "b"], ["b"]], // de-duplicated
    [multi, ["Gamma", "alpha"], ["a", "c"]],
    [multi, [], null],
    [yesNo, true, true],
    [yesNo, false, false],
  ])("%# %j", (f, input, expected) => {
    expect(validateFieldValue(f, input)).toEqual(expected);
  });

  it.each([text, num, date, select, multi, yesNo])("null clears a $type field", (f) => {
    expect(validateFieldValue(f, null)).toBeNull();
  });

  it.each<[FieldDefinition, unknown]>([
    [text, 42],
    [text, true],
    [text, ["a"]],
    [text, undefined],
    [text, "x".repeat(maxTextLength + 1)],
    [num, "42"],
    [num, Number.NaN],
    [num, Number.POSITIVE_INFINITY],
    [num, Number.NEGATIVE_INFINITY],
    [num, true],
    [num, undefined],
    [date, "2024-02-30"],
    [date, "2024-01-15T10:30:00"],
    [date, 1705312200000],
    [date, new Date(Number.NaN)],
    [date, "yesterday"],
    [select, "unknown"],
    [select, ""],
    [select, 1],
    [select, ["software"]],
    [multi, "a"],
    [multi, ["a", "z"]],
    [multi, ["a", 1]],
    [multi, [null]],
    [yesNo, "true"],
    [yesNo, 1],
    [yesNo, "yes"],
    [yesNo, undefined],
  ])("%# rejects %j", (f, input) => {
    const error = appErrorOf(() => validateFieldValue(f, input));
    expect(error.code).toBe("field_value_invalid");
    expect(error.message).toContain(`for field "${f.label}"`);
    expect(error.details).toEqual({ field: f.key, value: input });
  });

  it.each<[FieldDefinition, unknown, string]>([
    [num, "42", 'Invalid value "42" for field "My number": expected a finite number.'],
    [text, 7, 'Invalid value 7 for field "My text": expected text of at most 65,536 characters.'],
    [
      date,
      "soon",
      'Invalid value "soon" for field "My date": expected a date as YYYY-MM-DD or an ISO 8601 date-time with a time zone.',
    ],
    [select, "x", 'Invalid value "x" for field "My select": expected one of: software, retail, Health.'],
    [multi, ["z"], 'Invalid value ["z"] for field "My multi_select": expected a list of: a, b, c.'],
    [yesNo, "no", 'Invalid value "no" for field "My yes_no": expected true or false.'],
    [num, undefined, 'Invalid value undefined for field "My number": expected a finite number.'],
    [field("select", { options: [] }), "a", 'Invalid value "a" for field "My select": expected one of: (the field has no options).'],
  ])("%# message", (f, input, message) => {
    expect(appErrorOf(() => validateFieldValue(f, input)).message).toBe(message);
  });

  it("lists at most ten options and shortens long values", () => {
    const many = field("select", {
      options: Array.from({ length: 13 }, (_, i) => ({ value: `o${i}`, label: `O${i}` })),
    });
    const error = appErrorOf(() => validateFieldValue(many, "y".repeat(200)));
    expect(error.message).toBe(
      `Invalid value "${"y".repeat(76)}... for field "My select": expected one of: o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, and 3 more.`,
    );
  });

  it("resolveOption prefers the exact value and falls back to the label", () => {
    expect(resolveOption(select, "Health")).toBe("Health");
    expect(resolveOption(select, "HEALTHCARE")).toBe("Health");
    expect(resolveOption(select, "health")).toBeUndefined();
    expect(resolveOption(select, "nope")).toBeUndefined();
  });
});

describe("stored values", () => {
  it.each<[FieldDefinition, FieldValue, { text: string | null; number: number | null }]>([
    [text, "hello", { text: "hello", number: null }],
    [select, "software", { text: "software", number: null }],
    [num, 1234.5, { text: null, number: 1234.5 }],
    [date, "2024-01-15", { text: "2024-01-15", number: Date.UTC(2024, 0, 15) }],
    [date, "2024-01-15T08:30:00.000Z", { text: "2024-01-15T08:30:00.000Z", number: Date.UTC(2024, 0, 15, 8, 30) }],
    [multi, ["a", "c"], { text: '["a","c"]', number: null }],
    [yesNo, true, { text: "yes", number: 1 }],
    [yesNo, false, { text: "no", number: 0 }],
    [text, null, { text: null, number: null }],
    [date, null, { text: null, number: null }],
    [multi, null, { text: null, number: null }],
    [yesNo, null, { text: null, number: null }],
  ])("%# %j", (f, value, stored) => {
    expect(toStoredValue(f, value)).toEqual(stored);
    expect(fromStoredValue(f, stored)).toEqual(value);
  });

  it("canonicalises a date on the way in", () => {
    expect(toStoredValue(date, "2024-01-15T00:00:00Z")).toEqual({ text: "2024-01-15", number: Date.UTC(2024, 0, 15) });
  });

  it.each<[FieldDefinition, FieldValue]>([
    [text, 1],
    [select, true],
    [num, "1"],
    [num, Number.NaN],
    [date, 5],
    [date, "not a date"],
    [multi, "a"],
    [yesNo, 1],
  ])("%# refuses a %j that does not fit", (f, value) => {
    expect(appErrorOf(() => toStoredValue(f, value)).code).toBe("field_value_invalid");
  });

  it("reads a date from the number when the text is missing", () => {
    expect(fromStoredValue(date, { text: null, number: Date.UTC(2024, 0, 15) })).toBe("2024-01-15");
    expect(fromStoredValue(date, { text: null, number: Date.UTC(2024, 0, 15, 3) })).toBe("2024-01-15T03:00:00.000Z");
  });

  it("reads yes/no from the text when the number is missing", () => {
    expect(fromStoredValue(yesNo, { text: "yes", number: null })).toBe(true);
    expect(fromStoredValue(yesNo, { text: "no", number: null })).toBe(false);
  });

  it.each<[FieldDefinition, { text: string | null; number: number | null }]>([
    [multi, { text: "not json", number: null }],
    [multi, { text: '{"a":1}', number: null }],
    [multi, { text: "[1,2]", number: null }],
    [date, { text: null, number: 1e20 }],
  ])("%# throws on corrupt storage %j", (f, stored) => {
    expect(() => fromStoredValue(f, stored)).toThrowError(`Stored value of field "${f.key}" is corrupt`);
  });

  const arbitraryValue: Record<FieldType, fc.Arbitrary<unknown>> = {
    text: fc.string({ maxLength: 50 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    date: fc.oneof(
      fc.date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }),
      fc.integer({ min: -700_000, max: 2_900_000 }).map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10)),
    ),
    select: fc.constantFrom(...options.select.flatMap((o) => [o.value, o.label])),
    multi_select: fc.subarray(options.multi_select.flatMap((o) => [o.value, o.label])),
    yes_no: fc.boolean(),
  };

  it.each(fieldTypes.map((type) => [type]))("round-trips every valid %s value", (type) => {
    const f = field(type);
    fc.assert(
      fc.property(fc.option(arbitraryValue[type], { nil: null }), (input) => {
        const value = validateFieldValue(f, input);
        expect(fromStoredValue(f, toStoredValue(f, value))).toEqual(value);
        // Validation is idempotent: the API form is its own canonical form.
        expect(validateFieldValue(f, value)).toEqual(value);
      }),
    );
  });

  it("orders dates by their stored number", () => {
    fc.assert(
      fc.property(arbitraryValue.date, arbitraryValue.date, (a, b) => {
        const va = validateFieldValue(date, a);
        const vb = validateFieldValue(date, b);
        const na = toStoredValue(date, va).number ?? 0;
        const nb = toStoredValue(date, vb).number ?? 0;
        const ta = a instanceof Date ? a.getTime() : Date.parse(String(a));
        const tb = b instanceof Date ? b.getTime() : Date.parse(String(b));
        expect(Math.sign(na - nb)).toBe(Math.sign(ta - tb));
      }),
    );
  });
});

describe("fieldKeyFromLabel", () => {
  const none = new Set<string>();
  it.each([
    ["ARR", "arr"],
    ["Annual Revenue", "annual_revenue"],
    ["  Annual   Revenue (USD) ", "annual_revenue_usd"],
    ["Lifecycle-Stage", "lifecycle_stage"],
    ["Número de empleados", "numero_de_empleados"],
    ["Straße", "strasse"],
    ["Œuvre Ærø", "oeuvre_aero"],
    ["Ｆｕｌｌｗｉｄｔｈ", "fullwidth"],
    ["2024 Revenue", "field_2024_revenue"],
    ["日本語", "field"],
    ["!!!", "field"],
    ["", "field"],
    ["already_snake_case", "already_snake_case"],
    ["a__b", "a_b"],
    ["_leading and trailing_", "leading_and_trailing"],
  ])("%j → %j", (label, key) => {
    expect(fieldKeyFromLabel(label, none)).toBe(key);
  });

  it("adds _2, _3... until the key is free", () => {
    expect(fieldKeyFromLabel("ARR", new Set(["arr"]))).toBe("arr_2");
    expect(fieldKeyFromLabel("ARR", new Set(["arr", "arr_2", "arr_3"]))).toBe("arr_4");
    expect(fieldKeyFromLabel("ARR", new Set(["arr_2"]))).toBe("arr");
    expect(fieldKeyFromLabel("日本語", new Set(["field"]))).toBe("field_2");
  });

  it("does not modify the taken set", () => {
    const taken = new Set(["arr"]);
    fieldKeyFromLabel("ARR", taken);
    expect([...taken]).toEqual(["arr"]);
  });

  it("keeps keys within 64 characters, suffix included", () => {
    const label = "word ".repeat(30);
    const key = fieldKeyFromLabel(label, none);
    expect(key.length).toBeLessThanOrEqual(64);
    expect(key).toBe("word_".repeat(12) + "word");
    const next = fieldKeyFromLabel(label, new Set([key]));
    expect(next).toBe(`${"word_".repeat(12)}wo_2`);
    expect(next).toHaveLength(64);
    const a30 = "a".repeat(30);
    const cutOnSeparator = `${a30} ${a30} ${a30}`;
    expect(fieldKeyFromLabel(cutOnSeparator, none)).toBe(`${a30}_${a30}_aa`);
    // The cut for "_2" ends on "_", which is dropped rather than doubled.
    expect(fieldKeyFromLabel(cutOnSeparator, new Set([`${a30}_${a30}_aa`]))).toBe(`${a30}_${a30}_2`);
  });

  it("always yields a fresh snake_case ASCII key", () => {
    fc.assert(
      fc.property(fc.string(), fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { maxLength: 20 }), (label, taken) => {
        const takenSet = new Set(taken);
        const key = fieldKeyFromLabel(label, takenSet);
        expect(key).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
        expect(key.length).toBeLessThanOrEqual(64);
        expect(takenSet.has(key)).toBe(false);
      }),
    );
  });
});

describe("parseFilterValue", () => {
  it("knows its operators", () => {
    expect(filterOps).toEqual(["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "is_empty", "is_not_empty"]);
    expect(isFilterOp("gte")).toBe(true);
    expect(isFilterOp("like")).toBe(false);
  });

  it.each<[FieldDefinition, string, string, unknown]>([
    [text, "eq", "Acme", "Acme"],
    [text, "neq", "Acme", "Acme"],
    [text, "contains", "cm", "cm"],
    [text, "in", "a, b ,,c,a", ["a", "b", "c"]],
    [num, "eq", "100", 100],
    [num, "gt", "100000", 100000],
    [num, "gte", "-1.5", -1.5],
    [num, "lt", "1e3", 1000],
    [num, "lte", "0", 0],
    [num, "neq", "7", 7],
    [num, "in", "1,2, 3,2", [1, 2, 3]],
    [date, "gt", "2024-01-15", "2024-01-15"],
    [date, "lte", "2024-01-15T10:30:00+02:00", "2024-01-15T08:30:00.000Z"],
    [date, "eq", "2024-01-15T00:00:00Z", "2024-01-15"],
    [date, "in", "2024-01-15,2024-01-16", ["2024-01-15", "2024-01-16"]],
    [select, "eq", "Software", "software"],
    [select, "eq", "software", "software"],
    [select, "neq", "retail", "retail"],
    [select, "in", "software,Retail & Commerce", ["software", "retail"]],
    [multi, "contains", "Beta", "b"],
    [multi, "in", "a,c", ["a", "c"]],
    [yesNo, "eq", "true", true],
    [yesNo, "eq", "Yes", true],
    [yesNo, "eq", "1", true],
    [yesNo, "neq", "false", false],
    [yesNo, "eq", "no", false],
    [yesNo, "eq", "0", false],
  ])("%# %s %s %j", (f, op, raw, expected) => {
    expect(parseFilterValue(f, op, raw)).toEqual(expected);
  });

  it.each(fieldTypes.map((type) => [type]))("is_empty and is_not_empty take no operand on %s", (type) => {
    expect(parseFilterValue(field(type), "is_empty", "")).toBeNull();
    expect(parseFilterValue(field(type), "is_not_empty", "whatever")).toBeNull();
  });

  it("matches the table of ops per type", () => {
    expect(filterOpsByType).toEqual({
      text: ["eq", "neq", "in", "contains", "is_empty", "is_not_empty"],
      number: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
      date: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
      select: ["eq", "neq", "in", "is_empty", "is_not_empty"],
      multi_select: ["contains", "in", "is_empty", "is_not_empty"],
      yes_no: ["eq", "neq", "is_empty", "is_not_empty"],
    });
  });

  const refusedOps = fieldTypes.flatMap((type) =>
    filterOps.filter((op) => !filterOpsByType[type].includes(op)).map((op) => [type, op] as const),
  );

  it.each(refusedOps)("refuses %s %s", (type, op) => {
    const f = field(type);
    const error = appErrorOf(() => parseFilterValue(f, op, "1"));
    expect(error.code).toBe("invalid_filter");
    expect(error.message).toBe(
      `Invalid filter on field "${f.label}": operator "${op}" does not apply to a ${type} field; use one of ${filterOpsByType[type].join(", ")}.`,
    );
    expect(error.details).toEqual({ field: f.key, op, value: "1" });
  });

  it("refuses gt on select and contains on number", () => {
    expect(() => parseFilterValue(select, "gt", "software")).toThrowError('operator "gt" does not apply to a select field');
    expect(() => parseFilterValue(num, "contains", "1")).toThrowError('operator "contains" does not apply to a number field');
  });

  it("refuses an unknown operator", () => {
    const error = appErrorOf(() => parseFilterValue(num, "like", "1"));
    expect(error.code).toBe("invalid_filter");
    expect(error.message).toContain('unknown operator "like"');
  });

  it.each<[FieldDefinition, string, string]>([
    [text, "eq", ""],
    [text, "contains", ""],
    [num, "gt", "abc"],
    [num, "eq", ""],
    [num, "eq", "1,000"],
    [num, "in", "1,x"],
    [date, "gt", "15/01/2024"],
    [date, "eq", "2024-02-30"],
    [select, "eq", "Unknown"],
    [select, "in", "software,nope"],
    [multi, "contains", "z"],
    [yesNo, "eq", "maybe"],
    [text, "in", ""],
    [num, "in", " , ,"],
  ])("%# refuses %s %s %j", (f, op, raw) => {
    const error = appErrorOf(() => parseFilterValue(f, op, raw));
    expect(error.code).toBe("invalid_filter");
    expect(error.message).toMatch(new RegExp(`^Invalid filter on field "${f.label}": `));
    expect(error.details).toEqual({ field: f.key, op, value: raw });
  });

  it("names the bad value and what was expected", () => {
    expect(appErrorOf(() => parseFilterValue(num, "gt", "abc")).message).toBe(
      'Invalid filter on field "My number": "abc" is not valid; expected a finite number.',
    );
    expect(appErrorOf(() => parseFilterValue(num, "in", "1,x")).message).toBe(
      'Invalid filter on field "My number": "x" is not valid; expected a finite number.',
    );
    expect(appErrorOf(() => parseFilterValue(text, "in", " , ")).message).toBe(
      'Invalid filter on field "My text": "in" needs a comma-separated list of values.',
    );
  });

  it("gives a date operand that toStoredValue turns into the number to compare", () => {
    const operand = parseFilterValue(date, "gte", "2024-01-15T10:30:00+02:00");
    expect(toStoredValue(date, operand as string).number).toBe(Date.UTC(2024, 0, 15, 8, 30));
  });
});
