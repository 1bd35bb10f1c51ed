// SOQL reads of any length of field list: the fields are split so no request URI exceeds
// Salesforce's limit, the first part carries the query's own filter and order, and later parts
// read the same rows by Id and are joined onto them.
import type { QueryPage, SalesforceClient, SalesforceRecord } from "./client.ts";
import { soqlDateTime, soqlId, splitFields, splitValues } from "./soql.ts";

/** Scheme, host and path of a query call, counted generously (My Domain hosts run long). */
export const queryUriBytes = 200;

export interface SelectSpec {
  object: string;
  fields: readonly string[];
  /** SOQL after `FROM object`: WHERE, ORDER BY, LIMIT. */
  tail?: string | undefined;
  /** Read the recycle bin too (queryAll). */
  all?: boolean | undefined;
}

export function renderSelect(object: string, fields: readonly string[], tail = ""): string {
  return `SELECT ${fields.join(", ")} FROM ${object}${tail === "" ? "" : ` ${tail}`}`;
}

function rowsOf(page: QueryPage): SalesforceRecord[] {
  return page.records.filter((r): r is SalesforceRecord => typeof r.Id === "string");
}

/**
 * Rows whose `column` is one of `values` (quoted by `quote`), in as many calls as the URI limit
 * needs: record ids by Id, contacts by AccountId or Email.
 */
export async function rowsWhereIn(client: SalesforceClient, object: string, fields: readonly string[], column: string, values: readonly string[], quote: (value: string) => string = soqlId): Promise<SalesforceRecord[]> {
  const out: SalesforceRecord[] = [];
  const render = (group: readonly string[]) => renderSelect(object, fields, `WHERE ${column} IN (${group.map(quote).join(",")})`);
  for (const group of splitValues([...new Set(values)], render, queryUriBytes)) {
    for await (const page of client.queryPages(render(group))) out.push(...rowsOf(page));
  }
  return out;
}

/** Rows of the given ids with these fields. */
export function rowsById(client: SalesforceClient, object: string, fields: readonly string[], ids: readonly string[]): Promise<SalesforceRecord[]> {
  return rowsWhereIn(client, object, fields, "Id", ids);
}

/** Query answers page by page, each row with every field asked for; `last` on the final one. */
export async function* selectAnswers(client: SalesforceClient, spec: SelectSpec): AsyncGenerator<{ rows: SalesforceRecord[]; last: boolean }> {
  const [first = ["Id"], ...rest] = splitFields(spec.fields, (f) => renderSelect(spec.object, f, spec.tail), queryUriBytes);
  for await (const page of client.queryPages(renderSelect(spec.object, first, spec.tail), { all: spec.all ?? false })) {
    const rows = rowsOf(page);
    for (const part of rest) {
      if (rows.length === 0) break;
      const byId = new Map((await rowsById(client, spec.object, part, rows.map((r) => r.Id))).map((r) => [r.Id, r]));
      for (const row of rows) Object.assign(row, byId.get(row.Id) ?? Object.fromEntries(part.map((f) => [f, null])));
    }
    yield { rows, last: page.done || !page.nextRecordsUrl };
  }
}

export async function* selectPages(client: SalesforceClient, spec: SelectSpec): AsyncGenerator<SalesforceRecord[]> {
  for await (const answer of selectAnswers(client, spec)) yield answer.rows;
}

/** Rows changed at or after `sinceMs`, oldest change first, each Id once. */
export async function* modifiedSince(client: SalesforceClient, object: string, fields: readonly string[], sinceMs: number): AsyncGenerator<SalesforceRecord[]> {
  const seen = new Set<string>();
  for await (const rows of selectPages(client, { object, fields, tail: `WHERE SystemModstamp >= ${soqlDateTime(sinceMs)} ORDER BY SystemModstamp, Id` })) {
    const fresh = rows.filter((r) => !seen.has(r.Id) && seen.add(r.Id));
    if (fresh.length > 0) yield fresh;
  }
}

/** Every row of a query with every field asked for. */
export async function selectAll(client: SalesforceClient, spec: SelectSpec): Promise<SalesforceRecord[]> {
  const out: SalesforceRecord[] = [];
  for await (const rows of selectPages(client, spec)) out.push(...rows);
  return out;
}

/** Rows by id with every field asked for, whatever the number of ids and fields. */
export async function selectByIds(client: SalesforceClient, object: string, fields: readonly string[], ids: readonly string[]): Promise<SalesforceRecord[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const [first = ["Id"], ...rest] = splitFields(fields, (f) => renderSelect(object, f, `WHERE Id IN (${soqlId(wanted[0]!)})`), queryUriBytes);
  const rows = await rowsById(client, object, first, wanted);
  for (const part of rest) {
    const byId = new Map((await rowsById(client, object, part, rows.map((r) => r.Id))).map((r) => [r.Id, r]));
    for (const row of rows) Object.assign(row, byId.get(row.Id) ?? {});
  }
  return rows;
}
