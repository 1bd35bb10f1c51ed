// Reading every record changed in a time range through HubSpot search, which stops at 10,000
// results a query and pages by offset.
//
// Design: keyset paging on (modified time, id) instead of `after` offsets. Each request asks
// for the first page of "modified >= since", sorted by modified time ascending. From a full
// page we keep the records strictly older than the page's last timestamp T and move `since`
// to T, so the records at T come back first in the next request. No query ever pages, so the
// 10,000 cap never applies, and a record that changes during the read cannot shift an offset
// and make us skip another one (it only moves later and is read again, which is harmless
// because writes are idempotent). When a whole page shares one timestamp (bulk imports), that
// instant is read on its own, sorted by hs_object_id, keyset on the id. Each record in the
// range is therefore emitted exactly once when nothing changes, and at least once otherwise.
// Every request costs one call, as offset paging would; the price is re-reading the last
// timestamp's records of each page, usually one record in two hundred.
import type { FilterGroup, HubSpotRecord, SearchFilter, SearchSort } from "./types.ts";

/** Where a windowed read resumes: records modified at `since` (with id > tieAfterId when set) and later. */
export interface ModifiedCursor {
  since: number;
  /** Set while reading one instant that holds more records than a page, by id. */
  tieAfterId?: string | undefined;
}

export interface WindowRequest {
  filterGroups: FilterGroup[];
  sorts: SearchSort[];
  limit: number;
}

export interface WindowSpec {
  property: string;
  /** Inclusive upper bound (epoch ms); undefined reads up to now. */
  until?: number | undefined;
  pageSize: number;
}

/** The next search to send for a cursor, or null when the range is read. */
export function windowRequest(cursor: ModifiedCursor, spec: WindowSpec): WindowRequest | null {
  if (spec.until !== undefined && cursor.since > spec.until) return null;
  if (cursor.tieAfterId !== undefined) {
    const filters: SearchFilter[] = [{ propertyName: spec.property, operator: "EQ", value: String(cursor.since) }];
    if (cursor.tieAfterId !== "") filters.push({ propertyName: "hs_object_id", operator: "GT", value: cursor.tieAfterId });
    return { filterGroups: [{ filters }], sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }], limit: spec.pageSize };
  }
  const filters: SearchFilter[] = [{ propertyName: spec.property, operator: "GTE", value: String(cursor.since) }];
  if (spec.until !== undefined) filters.push({ propertyName: spec.property, operator: "LTE", value: String(spec.until) });
  return { filterGroups: [{ filters }], sorts: [{ propertyName: spec.property, direction: "ASCENDING" }], limit: spec.pageSize };
}

/** HubSpot's datetime values: ISO 8601 on reads, epoch milliseconds in some places. */
export function parseTimestamp(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface WindowStep {
  /** Records to hand to the caller. */
  emit: HubSpotRecord[];
  /** Where to go on, or null when the range is read. */
  next: ModifiedCursor | null;
}

/** What a page answering windowRequest(cursor) means. Pure, so the edge cases are unit-tested. */
export function windowStep(cursor: ModifiedCursor, page: readonly HubSpotRecord[], spec: WindowSpec): WindowStep {
  if (cursor.tieAfterId !== undefined) {
    const last = page[page.length - 1];
    if (page.length < spec.pageSize || last === undefined) return { emit: [...page], next: afterInstant(cursor.since, spec) };
    return { emit: [...page], next: { since: cursor.since, tieAfterId: idOf(last) } };
  }
  if (page.length < spec.pageSize) return { emit: [...page], next: null };
  const stamps = page.map((record) => parseTimestamp(record.properties[spec.property]));
  let last: number | undefined;
  for (let i = stamps.length - 1; i >= 0 && last === undefined; i--) last = stamps[i];
  if (last === undefined) throw new Error(`search results lack ${spec.property}; ask for it in properties`);
  const older = page.filter((_, i) => {
    const stamp = stamps[i];
    return stamp === undefined || stamp < last;
  });
  // A whole page at one instant: read that instant by id, from its start.
  if (older.length === 0 || last <= cursor.since) return { emit: [], next: { since: last, tieAfterId: "" } };
  return { emit: older, next: { since: last } };
}

function afterInstant(since: number, spec: WindowSpec): ModifiedCursor | null {
  const next = since + 1;
  return spec.until !== undefined && next > spec.until ? null : { since: next };
}

function idOf(record: HubSpotRecord): string {
  return record.properties.hs_object_id ?? record.id;
}

export interface WindowedPage {
  results: HubSpotRecord[];
  /** Resume here after handling this page; null when the range is read. */
  cursor: ModifiedCursor | null;
}

/** Drives windowRequest/windowStep over any search function (the client's, or an in-memory one in tests). */
export async function* windowedSearch(
  search: (request: WindowRequest) => Promise<HubSpotRecord[]>,
  start: ModifiedCursor,
  spec: WindowSpec,
): AsyncGenerator<WindowedPage> {
  let cursor: ModifiedCursor | null = start;
  while (cursor !== null) {
    const request = windowRequest(cursor, spec);
    if (request === null) return;
    const step = windowStep(cursor, await search(request), spec);
    cursor = step.next;
    // Pages that only moved the cursor (a tie at a page boundary) still yield, so callers can checkpoint.
    yield { results: step.emit, cursor };
  }
}
