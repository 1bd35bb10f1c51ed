import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pageSchema, parse, parseRecordPage, searchSchema } from "./schemas.ts";

// Answers of every kind: mostly well-formed records, with odd values anywhere.
const odd = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]));
const id = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 1e9 }), odd);
const paging = fc.oneof(fc.constant(undefined), fc.record({ next: fc.oneof(fc.constant(undefined), fc.record({ after: id, link: fc.string() }, { requiredKeys: [] })) }, { requiredKeys: [] }), odd);
const properties = fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), odd)), odd);
const associations = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.record({ results: fc.oneof(fc.array(fc.oneof(fc.record({ id, type: fc.oneof(fc.string(), odd) }), odd), { maxLength: 3 }), odd), paging }, { requiredKeys: ["results"] }), odd)),
  odd,
);
const record = fc.record(
  { id, properties, createdAt: fc.oneof(fc.string(), odd), updatedAt: fc.oneof(fc.string(), odd), archived: fc.oneof(fc.boolean(), odd), associations, propertiesWithHistory: fc.oneof(fc.constant(undefined), odd), extra: odd },
  { requiredKeys: [] },
);
const body = fc.oneof(fc.record({ results: fc.oneof(fc.array(fc.oneof(record, odd), { maxLength: 4 }), odd), paging, total: fc.oneof(fc.integer(), odd) }, { requiredKeys: [] }), odd);

function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("parseRecordPage", () => {
  it.each([
    ["list pages", pageSchema],
    ["search pages", searchSchema],
  ] as const)("accepts, rejects and outputs %s exactly as zod does", (_, schema) => {
    fc.assert(
      fc.property(body, (answer) => {
        const expected = outcome(() => parse(schema, structuredClone(answer), "companies.list", 200));
        const actual = outcome(() => (schema === searchSchema ? parseRecordPage(searchSchema, structuredClone(answer), "companies.list", 200) : parseRecordPage(pageSchema, structuredClone(answer), "companies.list", 200)));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it("normalises a plain page in place: ids as strings, missing properties as {}", () => {
    const answer = { results: [{ id: 7, createdAt: "a", updatedAt: "b", associations: { companies: { results: [{ id: 9, type: "deal_to_company" }] } } }], paging: { next: { after: 8 } } };
    const page = parseRecordPage(pageSchema, answer, "deals.list", 200);
    expect(page).toBe(answer);
    expect(page).toEqual({ results: [{ id: "7", properties: {}, createdAt: "a", updatedAt: "b", associations: { companies: { results: [{ id: "9", type: "deal_to_company" }] } } }], paging: { next: { after: "8" } } });
  });
});
