import fc from "fast-check";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import { isValidEmail, normalizeEmail, normalizePhone, tryNormalizeEmail, tryNormalizePhone } from "./handles.ts";

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("normalizeEmail", () => {
  it.each([
    ["bob@acme.com", "bob@acme.com"],
    ["  Bob@Acme.COM ", "bob@acme.com"],
    ["first.last@sub.acme.co.uk", "first.last@sub.acme.co.uk"],
    ["bob+tag@acme.com", "bob+tag@acme.com"],
    ["o'brien@acme.ie", "o'brien@acme.ie"],
    ["x!#$%&'*+/=?^_`{|}~-y@acme.com", "x!#$%&'*+/=?^_`{|}~-y@acme.com"],
    ["a@b.co", "a@b.co"],
    ["jane@müller.de", "jane@xn--mller-kva.de"],
    ["jane@xn--mller-kva.de", "jane@xn--mller-kva.de"],
    ["jane@acme.xn--p1ai", "jane@acme.xn--p1ai"],
    ["jane@acme.museum", "jane@acme.museum"],
    ["123@456.com", "123@456.com"],
    [`${"a".repeat(64)}@acme.com`, `${"a".repeat(64)}@acme.com`],
    // 254 characters, the longest address
    [
      `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`,
      `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`,
    ],
  ])("%j → %j", (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
    expect(tryNormalizeEmail(input)).toBe(expected);
    expect(isValidEmail(input)).toBe(true);
  });

  it.each([
    [""],
    ["   "],
    ["bob"],
    ["bob@"],
    ["@acme.com"],
    ["bob@acme"],
    ["bob@localhost"],
    ["bob@@acme.com"],
    ["bob@acme@acme.com"],
    [".bob@acme.com"],
    ["bob.@acme.com"],
    ["bo..b@acme.com"],
    ["bob smith@acme.com"],
    ['"bob"@acme.com'],
    ["bob(comment)@acme.com"],
    ["bob@[192.168.0.1]"],
    ["bob@192.168.0.1"],
    ["bob@acme..com"],
    ["bob@-acme.com"],
    ["bob@acme-.com"],
    ["bob@acme.c"],
    ["bob@acme.123"],
    ["bob@acme_inc.com"],
    ["bob@ac\tme.com"],
    ["bob@ac\nme.com"],
    ["bob@ac me.com"],
    ["bob@.acme.com"],
    ["bob@acme.com."],
    ["jürgen@acme.de"],
    ["bob,alice@acme.com"],
    ["bob@acme.com>"],
    [`${"a".repeat(65)}@acme.com`],
    [`a@${"b".repeat(64)}.com`],
    [`${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`], // 255 characters
  ])("rejects %j", (input) => {
    expect(isValidEmail(input)).toBe(false);
    expect(tryNormalizeEmail(input)).toBeNull();
    const error = appErrorOf(() => normalizeEmail(input));
    expect(error.code).toBe("email_invalid");
    expect(error.message).toBe(`"${input}" is not a valid email address.`);
    expect(error.details).toEqual({ value: input });
  });

  it("is idempotent", () => {
    const local = fc.stringMatching(/^[a-z0-9+_-]{1,10}(\.[a-z0-9+_-]{1,10}){0,2}$/);
    const domain = fc.stringMatching(/^[a-z0-9]{1,10}\.(com|org|io|co\.uk)$/);
    fc.assert(
      fc.property(local, domain, fc.boolean(), (l, d, upper) => {
        const input = upper ? `${l}@${d}`.toUpperCase() : `${l}@${d}`;
        const once = normalizeEmail(input);
        expect(once).toBe(`${l}@${d}`);
        expect(normalizeEmail(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (input) => {
        if (!isValidEmail(input)) return;
        const once = normalizeEmail(input);
        expect(normalizeEmail(once)).toBe(once);
      }),
    );
  });
});

describe("normalizePhone", () => {
  it.each([
    ["+1 212 555 0100", undefined, "+12125550100"],
    ["+1 (212) 555-0100", undefined, "+12125550100"],
    ["  +12125550100  ", undefined, "+12125550100"],
    ["(212) 555-0100", "US", "+12125550100"],
    ["212.555.0100", "US", "+12125550100"],
    ["+44 20 7946 0958", undefined, "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["0044 20 7946 0958", "GB", "+442079460958"],
    ["+33 6 12 34 56 78", undefined, "+33612345678"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["+49 30 901820", undefined, "+4930901820"],
    ["tel:+1-212-555-0100", undefined, "+12125550100"],
    // A leading + wins over the default country.
    ["+44 20 7946 0958", "US", "+442079460958"],
  ] as const)("%j (%s) → %j", (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
    expect(tryNormalizePhone(input, country)).toBe(expected);
  });

  it.each([
    ["", undefined],
    ["abc", undefined],
    ["212 555 0100", undefined],
    ["+1 111 111 1111", undefined],
    ["+1 212 555 01000", undefined],
    ["+999 1234567", undefined],
    ["12", "US"],
    ["0044 20 7946 0958", "US"],
    ["+1 212 555 0100 ext. 12", undefined],
    ["(212) 555-0100 x34", "US"],
  ] as const)("rejects %j (%s)", (input, country) => {
    expect(tryNormalizePhone(input, country)).toBeNull();
    const error = appErrorOf(() => normalizePhone(input, country));
    expect(error.code).toBe("phone_invalid");
    expect(error.message).toContain(`"${input}"`);
    expect(error.details).toEqual({ value: input });
  });

  it("explains the international format when no default country was given", () => {
    expect(appErrorOf(() => normalizePhone("212 555 0100")).message).toBe(
      '"212 555 0100" is not a valid phone number. Use the international format, starting with +.',
    );
    expect(appErrorOf(() => normalizePhone("12", "US")).message).toBe('"12" is not a valid phone number.');
  });

  it("explains why an extension is refused", () => {
    expect(appErrorOf(() => normalizePhone("+1 212 555 0100 ext. 12")).message).toBe(
      '"+1 212 555 0100 ext. 12" has an extension, which a phone handle cannot store.',
    );
  });

  // normalizePhone refuses these without asking libphonenumber-js (see parsePhone); this
  // checks that the library, should it change, still cannot read them either.
  it("refuses, as the library does, any number without a + when no default country is given", () => {
    const library = (input: string) => {
      const phone = parsePhoneNumberFromString(input.trim());
      return phone !== undefined && phone.isValid() ? phone.number : null;
    };
    const examples = [
      "212 555 0100",
      "12125550100",
      "0044 20 7946 0958",
      "00 1 212 555 0100",
      "011 44 20 7946 0958",
      "\uFF0B1 212 555 0100",
      "\uFF11\uFF12\uFF11\uFF12\uFF15\uFF15\uFF15\uFF10\uFF11\uFF10\uFF10",
      "tel:2125550100;phone-context=example.com",
      "tel:12125550100",
      "1 (212) 555-0100 ext. 12",
    ];
    for (const input of examples) {
      expect(library(input), input).toBeNull();
      expect(tryNormalizePhone(input)).toBeNull();
    }
    const phoneish = fc.stringMatching(/^[0-9 ()\-.x#:;=a-z\uFF0B\uFF10-\uFF19]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(phoneish, fc.string()), (raw) => {
        const input = raw.replaceAll("+", "");
        expect(library(input)).toBeNull();
        expect(tryNormalizePhone(input)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it("is idempotent on its own output", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000_000, max: 9_999_999 }), fc.constantFrom("212", "415", "646"), (line, area) => {
        const e164 = tryNormalizePhone(`(${area}) ${line}`, "US");
        if (e164 === null) return;
        expect(e164).toMatch(/^\+1\d{10}$/);
        expect(normalizePhone(e164)).toBe(e164);
        expect(normalizePhone(e164, "GB")).toBe(e164);
      }),
    );
  });
});
