import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTimestamp, windowedSearch, windowRequest, windowStep } from "./search-window.ts";
import type { ModifiedCursor, WindowRequest, WindowSpec } from "./search-window.ts";
import type { HubSpotRecord, SearchFilter } from "./types.ts";

const prop = "hs_lastmodifieddate";

interface Row {
  id: number;
  modified: number;
}

function record(row: Row): HubSpotRecord {
  const iso = new Date(row.modified).toISOString();
  return { id: String(row.id), properties: { hs_object_id: String(row.id), [prop]: iso }, createdAt: iso, updatedAt: iso };
}

function matches(row: Row, filter: SearchFilter): boolean {
  const value = filter.propertyName === prop ? row.modified : row.id;
  const wanted = Number(filter.value);
  switch (filter.operator) {
    case "EQ":
      return value === wanted;
    case "GT":
      return value > wanted;
    case "GTE":
      return value >= wanted;
    case "LTE":
      return value <= wanted;
    default:
      throw new Error(`unexpected operator ${filter.operator}`);
  }
}

/**
 * An in-memory stand-in for HubSpot search with the properties the design must not rely on:
 * ties on the sort key come back in an arbitrary order, and no query may page past 10,000.
 */
function memorySearch(rows: Row[], seed = 7): { search: (req: WindowRequest) => Promise<HubSpotRecord[]>; requests: WindowRequest[] } {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const requests: WindowRequest[] = [];
  const search = (req: WindowRequest): Promise<HubSpotRecord[]> => {
    requests.push(req);
    const group = req.filterGroups[0];
    if (group === undefined || req.filterGroups.length !== 1) throw new Error("one filter group expected");
    const sort = req.sorts[0];
    if (sort === undefined) throw new Error("a sort is expected");
    const hits = rows
      .filter((row) => group.filters.every((filter) => matches(row, filter)))
      .map((row) => ({ row, tie: random() }))
      .sort((a, b) =>
        sort.propertyName === prop ? a.row.modified - b.row.modified || a.tie - b.tie : a.row.id - b.row.id,
      );
    return Promise.resolve(hits.slice(0, req.limit).map(({ row }) => record(row)));
  };
  return { search, requests };
}

async function readAll(
  search: (req: WindowRequest) => Promise<HubSpotRecord[]>,
  spec: WindowSpec,
  start: ModifiedCursor = { since: 0 },
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of windowedSearch(search, start, spec)) ids.push(...page.results.map((r) => r.id));
  return ids;
}

function expectExactlyOnce(ids: string[], rows: Row[]): void {
  expect(ids.length).toBe(rows.length);
  expect(new Set(ids)).toEqual(new Set(rows.map((row) => String(row.id))));
}

describe("windowRequest", () => {
  it("asks for the range sorted by modified time, bounded by until", () => {
    expect(windowRequest({ since: 1000 }, { property: prop, until: 5000, pageSize: 200 })).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: prop, operator: "GTE", value: "1000" },
            { propertyName: prop, operator: "LTE", value: "5000" },
          ],
        },
      ],
      sorts: [{ propertyName: prop, direction: "ASCENDING" }],
      limit: 200,
    });
  });

  it("reads one instant by id while a tie is open", () => {
    expect(windowRequest({ since: 1000, tieAfterId: "42" }, { property: prop, pageSize: 100 })).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: prop, operator: "EQ", value: "1000" },
            { propertyName: "hs_object_id", operator: "GT", value: "42" },
          ],
        },
      ],
      sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
      limit: 100,
    });
  });

  it("is done once since passes until", () => {
    expect(windowRequest({ since: 5001 }, { property: prop, until: 5000, pageSize: 200 })).toBeNull();
  });
});

describe("windowStep", () => {
  const spec: WindowSpec = { property: prop, pageSize: 3 };

  it("keeps the records older than the page's last instant and restarts at that instant", () => {
    const page = [{ id: 1, modified: 10 }, { id: 2, modified: 20 }, { id: 3, modified: 20 }].map(record);
    const step = windowStep({ since: 0 }, page, spec);
    expect(step.emit.map((r) => r.id)).toEqual(["1"]);
    expect(step.next).toEqual({ since: 20 });
  });

  it("switches to reading by id when a whole page is one instant", () => {
    const page = [{ id: 5, modified: 20 }, { id: 2, modified: 20 }, { id: 9, modified: 20 }].map(record);
    expect(windowStep({ since: 20 }, page, spec)).toEqual({ emit: [], next: { since: 20, tieAfterId: "" } });
  });

  it("leaves the instant for the next millisecond when the tie is read", () => {
    const page = [{ id: 5, modified: 20 }].map(record);
    expect(windowStep({ since: 20, tieAfterId: "2" }, page, spec)).toEqual({ emit: page, next: { since: 21 } });
  });

  it("ends on a short page", () => {
    const page = [{ id: 1, modified: 10 }].map(record);
    expect(windowStep({ since: 0 }, page, spec)).toEqual({ emit: page, next: null });
  });
});

describe("windowedSearch", () => {
  it("reads 25,000 changed records exactly once, with no query past the 10,000 cap", async () => {
    // Bulk-import shaped data: long runs of records sharing one millisecond.
    const rows: Row[] = [];
    for (let i = 1; i <= 25_000; i++) rows.push({ id: i, modified: 1_700_000_000_000 + Math.floor(i / 7) * 3 + (i % 3) });
    const { search, requests } = memorySearch(rows);
    expectExactlyOnce(await readAll(search, { property: prop, pageSize: 200 }), rows);
    expect(requests.every((r) => r.limit === 200)).toBe(true);
    // One request per page plus re-reads of each page's last instant: a few percent over the minimum.
    expect(requests.length).toBeLessThan(Math.ceil(25_000 / 200) * 1.1);
  });

  it("reads an instant holding more records than several pages", async () => {
    const rows: Row[] = [{ id: 1, modified: 5 }];
    for (let i = 2; i <= 1_001; i++) rows.push({ id: i * 3, modified: 10 });
    rows.push({ id: 2, modified: 11 }, { id: 4, modified: 12 });
    const { search } = memorySearch(rows);
    expectExactlyOnce(await readAll(search, { property: prop, pageSize: 100 }), rows);
  });

  it("stops at until and resumes from a checkpointed cursor", async () => {
    const rows: Row[] = Array.from({ length: 900 }, (_, i) => ({ id: i + 1, modified: 1000 + Math.floor(i / 4) }));
    const { search } = memorySearch(rows);
    const spec: WindowSpec = { property: prop, until: 1100, pageSize: 50 };
    const wanted = rows.filter((row) => row.modified <= 1100);
    const seen: string[] = [];
    let checkpoint: ModifiedCursor | null = null;
    for await (const page of windowedSearch(search, { since: 0 }, spec)) {
      seen.push(...page.results.map((r) => r.id));
      checkpoint = page.cursor;
      if (seen.length >= 150) break;
    }
    expect(checkpoint).not.toBeNull();
    seen.push(...(await readAll(search, spec, checkpoint ?? { since: 0 })));
    expectExactlyOnce(seen, wanted);
  });

  it("skips no unchanged record when records change while it reads", async () => {
    const rows: Row[] = Array.from({ length: 2_000 }, (_, i) => ({ id: i + 1, modified: 1000 + Math.floor(i / 3) }));
    const { search: inner } = memorySearch(rows);
    let calls = 0;
    // Between requests, touch records behind and ahead of the cursor, as users editing in HubSpot would.
    const search = (req: WindowRequest): Promise<HubSpotRecord[]> => {
      calls++;
      for (const row of rows) if (row.id % 97 === calls % 97) row.modified = 5_000 + calls;
      return inner(req);
    };
    const ids = await readAll(search, { property: prop, pageSize: 100 });
    expect(new Set(ids)).toEqual(new Set(rows.map((row) => String(row.id))));
  });

  it("emits every record exactly once for any timestamps and page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 400 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 1000 }),
        async (stamps, pageSize, seed) => {
          const rows = stamps.map((modified, i) => ({ id: i + 1, modified }));
          const { search } = memorySearch(rows, seed);
          expectExactlyOnce(await readAll(search, { property: prop, pageSize }), rows);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("parseTimestamp", () => {
  it("reads ISO and epoch milliseconds", () => {
    expect(parseTimestamp("2024-01-02T03:04:05.678Z")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(parseTimestamp("1704164645678")).toBe(1704164645678);
    expect(parseTimestamp("")).toBeUndefined();
    expect(parseTimestamp(null)).toBeUndefined();
    expect(parseTimestamp("soon")).toBeUndefined();
  });
});
