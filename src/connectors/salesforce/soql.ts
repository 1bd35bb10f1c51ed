// SOQL text built from values, never pasted: string literals escaped as Salesforce documents
// (backslash, quote and control characters; LIKE wildcards too inside LIKE patterns), record ids
// checked against the id alphabet, and long field lists split so no request URI exceeds
// Salesforce's limit.

/** Salesforce refuses request URIs longer than 16,384 bytes; crmsync stays well under. */
export const maxUriBytes = 16_384;
const uriMargin = 1_384;
export const uriBudgetBytes = maxUriBytes - uriMargin;

const escapes: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", '"': '\\"' };

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\b\f"]/g, (c) => escapes[c] ?? c)}'`;
}

/** A quoted LIKE pattern matching `value` anywhere: % and _ in the value match themselves. */
export function soqlContains(value: string): string {
  const quoted = soqlString(value).slice(1, -1).replace(/[%_]/g, (c) => `\\${c}`);
  return `'%${quoted}%'`;
}

const idPattern = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Whether `id` can be a Salesforce record id (15 or 18 letters and digits). */
export function isRecordId(id: string): boolean {
  return idPattern.test(id);
}

/** A quoted record id; throws for anything else, so no caller can slip text into a query. */
export function soqlId(id: string): string {
  if (!isRecordId(id)) throw new Error(`Not a Salesforce record id: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** A SOQL dateTime literal (unquoted, UTC). */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const fieldName = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Field names as asked, checked and deduplicated (case-insensitively, as Salesforce reads them). */
export function checkedFields(fields: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const field of fields) {
    if (!fieldName.test(field)) throw new Error(`Not a Salesforce field name: ${JSON.stringify(field)}`);
    const key = field.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(field);
  }
  return out;
}

/** Bytes a SOQL text takes in a query string (percent-encoded as URLSearchParams does). */
export function encodedLength(soql: string): number {
  return new URLSearchParams({ q: soql }).toString().length;
}

/**
 * Packs items into groups whose query, as `render` builds it, fits `budget` bytes of URI
 * (`fixedBytes` for scheme, host and path). `render` must join the items with one separator,
 * so a group's length is measured from one rendering and the items' own lengths.
 */
function pack(items: readonly string[], render: (items: readonly string[]) => string, fixedBytes: number, budget: number, maxPerGroup: number, seed: readonly string[] = []): string[][] {
  if (items.length === 0) return [];
  const first = items[0]!;
  const one = encodedLength(render([...seed, first]));
  const two = encodedLength(render([...seed, first, first]));
  const itemBytes = (item: string) => encodedLength(render([...seed, item])) - one + (two - one);
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = fixedBytes + one - (two - one);
  const fresh = () => fixedBytes + one - (two - one);
  for (const item of items) {
    const size = itemBytes(item);
    if (current.length > 0 && (current.length >= maxPerGroup || bytes + size > budget)) {
      groups.push(current);
      current = [];
      bytes = fresh();
    }
    if (bytes + size > budget) throw new Error(`A query for ${item} alone is longer than Salesforce accepts.`);
    current.push(item);
    bytes += size;
  }
  groups.push(current);
  return groups;
}

/**
 * Splits `fields` into lists whose query, built by `render`, fits the URI budget. Every list
 * starts with `Id`, by which the rows of the parts are joined again; fields keep their order,
 * so the ones the source itself needs (given first) land in the first list.
 */
export function splitFields(fields: readonly string[], render: (fields: readonly string[]) => string, fixedBytes: number, budget = uriBudgetBytes): string[][] {
  const rest = checkedFields(["Id", ...fields]).slice(1);
  if (rest.length === 0) return [["Id"]];
  return pack(rest, render, fixedBytes, budget, Number.MAX_SAFE_INTEGER, ["Id"]).map((group) => ["Id", ...group]);
}

/** Splits values (ids) into groups whose rendered query fits the URI budget. */
export function splitValues(values: readonly string[], render: (values: readonly string[]) => string, fixedBytes: number, budget = uriBudgetBytes, maxPerGroup = 2_000): string[][] {
  return pack(values, render, fixedBytes, budget, maxPerGroup);
}
