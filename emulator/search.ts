import { iso } from "./clock.ts";
import { validationError } from "./errors.ts";
import type { ObjectTypeInfo } from "./object-types.ts";
import type { PropertyDefinition } from "./properties.ts";
import type { ObjectCollection, StoredRecord } from "./records.ts";

/**
 * CRM search: filter groups ORed, filters ANDed, HubSpot's limits, offset paging with the
 * 10,000-result cap. Matching results are cached per query and collection version, so paging
 * through a large result costs one scan, not one per page.
 */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filtersTotal: 18, maxLimit: 200, maxResults: 10_000 } as const;

const OPERATORS = new Set([
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
]);

type Kind = "number" | "time" | "enum" | "string";
type Pred = (r: StoredRecord) => boolean;

export interface SearchFilterInput {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  highValue?: unknown;
  values?: unknown;
}

export interface SearchBody {
  filterGroups?: Array<{ filters?: SearchFilterInput[] }>;
  filters?: SearchFilterInput[];
  sorts?: Array<string | { propertyName?: string; direction?: string }>;
  query?: string;
  properties?: string[];
  limit?: number | string;
  after?: string | number;
}

export interface ParsedSearch {
  key: string;
  predicate: Pred | null;
  sorts: Array<{ name: string; desc: boolean; kind: Kind }>;
  limit: number;
  offset: number;
}

function kindOf(def: PropertyDefinition | undefined): Kind {
  if (!def) return "string";
  if (def.type === "number" || def.type === "currency_number") return "number";
  if (def.type === "date" || def.type === "datetime") return "time";
  if (def.type === "enumeration" || def.type === "bool") return "enum";
  return "string";
}

/** The value search compares: computed timestamps and ids come from record fields. */
function stringValue(r: StoredRecord, name: string): string | undefined {
  switch (name) {
    case "createdate":
      return iso(r.createdAt);
    case "hs_lastmodifieddate":
    case "lastmodifieddate":
      return iso(r.updatedAt);
    case "hs_object_id":
      return String(r.id);
    default:
      return r.props[name];
  }
}

function numberGetter(name: string, kind: Kind): (r: StoredRecord) => number | undefined {
  switch (name) {
    case "createdate":
      return (r) => r.createdAt;
    case "hs_lastmodifieddate":
    case "lastmodifieddate":
      return (r) => r.updatedAt;
    case "hs_object_id":
      return (r) => r.id;
  }
  if (kind === "time") {
    return (r) => {
      const v = r.props[name];
      if (v === undefined || v === "") return undefined;
      const ms = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
      return Number.isNaN(ms) ? undefined : ms;
    };
  }
  return (r) => {
    const v = r.props[name];
    if (v === undefined || v === "") return undefined;
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  };
}

function filterNumber(raw: unknown, kind: Kind, name: string): number {
  const s = String(raw);
  const n = kind === "time" && !/^-?\d+(\.\d+)?$/.test(s) ? Date.parse(s) : Number(s);
  if (Number.isNaN(n)) throw validationError(`There was a problem with the request: ${s} is not a valid value for ${name}`);
  return n;
}

function tokens(v: string): string[] {
  return v.toLowerCase().split(/[\s;,]+/).filter(Boolean);
}

function tokenMatcher(pattern: string): (t: string) => boolean {
  const p = pattern.toLowerCase();
  if (!p.includes("*")) return (t) => t === p;
  const re = new RegExp(`^${p.split("*").map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (t) => re.test(t);
}

function compileFilter(f: SearchFilterInput, defs: Map<string, PropertyDefinition>): Pred {
  const name = typeof f.propertyName === "string" ? f.propertyName : "";
  const op = typeof f.operator === "string" ? f.operator : "";
  if (!name) throw validationError("There was a problem with the request: propertyName is required on every filter");
  if (!OPERATORS.has(op)) throw validationError(`There was a problem with the request: Unknown operator "${op}"`);
  const def = defs.get(name);
  if (!def) throw validationError(`There was a problem with the request: Property "${name}" does not exist`);
  const kind = kindOf(def);
  const numeric = kind === "number" || kind === "time";
  const need = (x: unknown, what: string): unknown => {
    if (x === undefined || x === null || x === "") throw validationError(`There was a problem with the request: ${what} is required for operator ${op}`);
    return x;
  };
  const has: Pred = (r) => {
    const v = stringValue(r, name);
    return v !== undefined && v !== "";
  };
  if (op === "HAS_PROPERTY") return has;
  if (op === "NOT_HAS_PROPERTY") return (r) => !has(r);

  if (op === "CONTAINS_TOKEN" || op === "NOT_CONTAINS_TOKEN") {
    const wanted = tokens(String(need(f.value, "value"))).map(tokenMatcher);
    const contains: Pred = (r) => {
      const v = stringValue(r, name);
      if (!v) return false;
      const ts = tokens(v);
      return wanted.every((m) => ts.some(m));
    };
    return op === "CONTAINS_TOKEN" ? contains : (r) => !contains(r);
  }

  if (op === "IN" || op === "NOT_IN") {
    if (!Array.isArray(f.values)) throw validationError(`There was a problem with the request: values is required for operator ${op}`);
    let inn: Pred;
    if (numeric) {
      const set = new Set(f.values.map((x) => filterNumber(x, kind, name)));
      const get = numberGetter(name, kind);
      inn = (r) => {
        const n = get(r);
        return n !== undefined && set.has(n);
      };
    } else {
      const set = new Set(f.values.map((x) => String(x).toLowerCase()));
      inn = (r) => {
        const v = stringValue(r, name);
        if (v === undefined || v === "") return false;
        if (kind === "enum") return v.split(";").some((x) => set.has(x.toLowerCase()));
        return set.has(v.toLowerCase());
      };
    }
    return op === "IN" ? inn : (r) => !inn(r);
  }

  if (numeric) {
    const get = numberGetter(name, kind);
    const a = filterNumber(need(f.value, "value"), kind, name);
    const cmp = (test: (n: number) => boolean): Pred => (r) => {
      const n = get(r);
      return n !== undefined && test(n);
    };
    switch (op) {
      case "EQ":
        return cmp((n) => n === a);
      case "NEQ":
        return (r) => get(r) !== a;
      case "LT":
        return cmp((n) => n < a);
      case "LTE":
        return cmp((n) => n <= a);
      case "GT":
        return cmp((n) => n > a);
      case "GTE":
        return cmp((n) => n >= a);
      default: {
        const b = filterNumber(need(f.highValue, "highValue"), kind, name);
        return cmp((n) => n >= a && n <= b);
      }
    }
  }

  const a = String(need(f.value, "value")).toLowerCase();
  const eq: Pred = (r) => {
    const v = stringValue(r, name);
    if (v === undefined) return false;
    if (kind === "enum") return v.split(";").some((x) => x.toLowerCase() === a);
    return v.toLowerCase() === a;
  };
  const cmp = (test: (v: string) => boolean): Pred => (r) => {
    const v = stringValue(r, name);
    return v !== undefined && v !== "" && test(v.toLowerCase());
  };
  switch (op) {
    case "EQ":
      return eq;
    case "NEQ":
      return (r) => !eq(r);
    case "LT":
      return cmp((v) => v < a);
    case "LTE":
      return cmp((v) => v <= a);
    case "GT":
      return cmp((v) => v > a);
    case "GTE":
      return cmp((v) => v >= a);
    default: {
      const b = String(need(f.highValue, "highValue")).toLowerCase();
      return cmp((v) => v >= a && v <= b);
    }
  }
}

function compileQuery(query: string, info: ObjectTypeInfo): Pred {
  const words = tokens(query);
  return (r) => {
    const hay: string[] = [];
    for (const p of info.queryProperties) {
      const v = r.props[p];
      if (v) hay.push(...v.toLowerCase().split(/[\s@.;,\-_/]+/), v.toLowerCase());
    }
    return words.every((w) => hay.some((h) => h.startsWith(w)));
  };
}

export function parseSearch(body: SearchBody, defs: Map<string, PropertyDefinition>, info: ObjectTypeInfo): ParsedSearch {
  const groups = body.filterGroups ?? (body.filters ? [{ filters: body.filters }] : []);
  if (!Array.isArray(groups)) throw validationError("Invalid input JSON: filterGroups must be an array");
  if (groups.length > SEARCH_LIMITS.groups)
    throw validationError(`There was a problem with the request: filterGroups may contain at most ${SEARCH_LIMITS.groups} groups (got ${groups.length})`);
  let total = 0;
  const compiled: Pred[][] = [];
  for (const g of groups) {
    const filters = g.filters ?? [];
    if (filters.length > SEARCH_LIMITS.filtersPerGroup)
      throw validationError(`There was a problem with the request: a filter group may contain at most ${SEARCH_LIMITS.filtersPerGroup} filters (got ${filters.length})`);
    total += filters.length;
    compiled.push(filters.map((f) => compileFilter(f, defs)));
  }
  if (total > SEARCH_LIMITS.filtersTotal)
    throw validationError(`There was a problem with the request: at most ${SEARCH_LIMITS.filtersTotal} filters are allowed in total (got ${total})`);

  const preds: Pred[] = [];
  const nonEmpty = compiled.filter((g) => g.length > 0);
  if (nonEmpty.length > 0) preds.push((r) => nonEmpty.some((g) => g.every((p) => p(r))));
  if (typeof body.query === "string" && body.query.trim() !== "") preds.push(compileQuery(body.query, info));
  const predicate: Pred | null = preds.length === 0 ? null : preds.length === 1 ? preds[0]! : (r) => preds.every((p) => p(r));

  const sorts: ParsedSearch["sorts"] = [];
  for (const s of body.sorts ?? []) {
    let name: string;
    let desc = false;
    if (typeof s === "string") {
      desc = s.startsWith("-");
      name = desc ? s.slice(1) : s;
    } else {
      name = s.propertyName ?? "";
      desc = (s.direction ?? "ASCENDING").toUpperCase() === "DESCENDING";
    }
    if (!name) throw validationError("There was a problem with the request: sorts need a propertyName");
    sorts.push({ name, desc, kind: kindOf(defs.get(name)) });
  }

  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0) throw validationError(`There was a problem with the request: invalid limit ${String(body.limit)}`);
  if (limit > SEARCH_LIMITS.maxLimit)
    throw validationError(`There was a problem with the request: limit must be at most ${SEARCH_LIMITS.maxLimit} (got ${limit})`);
  const offset = body.after === undefined || body.after === "" ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`There was a problem with the request: invalid after ${String(body.after)}`);
  if (offset >= SEARCH_LIMITS.maxResults)
    throw validationError(
      `There was a problem with the request: paging beyond ${SEARCH_LIMITS.maxResults} results is not supported (after=${offset}). Narrow the search with filters.`,
    );

  const key = JSON.stringify([groups, body.query ?? "", sorts]);
  return { key, predicate, sorts, limit, offset };
}

function sortMatches(matches: StoredRecord[], sorts: ParsedSearch["sorts"]): StoredRecord[] {
  if (sorts.length === 0) return matches;
  const keyed = matches.map((r) => ({
    r,
    k: sorts.map((s) => (s.kind === "number" || s.kind === "time" ? numberGetter(s.name, s.kind)(r) : stringValue(r, s.name)?.toLowerCase())),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < sorts.length; i++) {
      const a = x.k[i];
      const b = y.k[i];
      if (a === b) continue;
      // Records without a value sort last in both directions.
      if (a === undefined) return 1;
      if (b === undefined) return -1;
      const c = a < b ? -1 : 1;
      return sorts[i]!.desc ? -c : c;
    }
    return x.r.id - y.r.id;
  });
  return keyed.map((x) => x.r);
}

interface CacheEntry {
  version: number;
  matches: StoredRecord[];
}

export class SearchEngine {
  private readonly cache = new Map<ObjectCollection, Map<string, CacheEntry>>();

  clear(): void {
    this.cache.clear();
  }

  /** All matches in result order (what search sees, honouring the indexing delay). */
  matches(coll: ObjectCollection, q: ParsedSearch, now: number): StoredRecord[] {
    const pending = coll.hasPendingSearch(now);
    let perColl = this.cache.get(coll);
    if (!pending) {
      const hit = perColl?.get(q.key);
      if (hit && hit.version === coll.version) {
        perColl!.delete(q.key);
        perColl!.set(q.key, hit);
        return hit.matches;
      }
    }
    const out: StoredRecord[] = [];
    const pred = q.predicate;
    for (const rec of coll.records) {
      const view = pending && rec.pending && now < rec.pending.visibleAt ? rec.pending.view : rec;
      if (!view || view.archived || view.mergedInto !== 0) continue;
      if (pred === null || pred(view)) out.push(view);
    }
    const matches = sortMatches(out, q.sorts);
    if (!pending) {
      if (!perColl) {
        perColl = new Map();
        this.cache.set(coll, perColl);
      }
      perColl.set(q.key, { version: coll.version, matches });
      if (perColl.size > 16) perColl.delete(perColl.keys().next().value!);
    }
    return matches;
  }

  run(coll: ObjectCollection, q: ParsedSearch, now: number): { total: number; page: StoredRecord[]; nextAfter: string | undefined } {
    const matches = this.matches(coll, q, now);
    const end = Math.min(q.offset + q.limit, matches.length, SEARCH_LIMITS.maxResults);
    const page = matches.slice(q.offset, Math.max(q.offset, end));
    const nextAfter = end < matches.length && q.limit > 0 ? String(end) : undefined;
    return { total: matches.length, page, nextAfter };
  }
}
