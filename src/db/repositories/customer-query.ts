// Listing customers by custom field values (filters, sort, keyset pages) and the breakdown
// behind the insights chart. Both must give the same rows in the same order on SQLite and
// PostgreSQL, so every comparison here is one both databases evaluate alike:
// - names sort and match through a key lower-cased by the application (customers.name_key);
// - text values sort in byte order (PostgreSQL columns are COLLATE "C", migration 20261123T0100);
// - case-insensitive matching of text values folds ASCII letters only (SQLite's lower() folds
//   nothing else, so PostgreSQL is made to fold just as much);
// - numbers, dates (epoch ms) and yes/no compare on the double column.
import { PostgresAdapter, sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from "kysely";
import { AppError } from "../../core/errors.ts";
import { parseFilterValue, toStoredValue, type FieldType, type FilterOp, type FilterOperand } from "../../core/fields.ts";
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize, type CursorKey, type Page } from "../pagination.ts";
import type { Customer, Database } from "../schema.ts";
import type { FieldRecord } from "./custom-fields.ts";
import { customerNameKey, hydrateCustomers, type CustomerRecord } from "./customers.ts";

type SqlDialect = "sqlite" | "postgres";

function dialectOf(db: Kysely<Database>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

// ---------------------------------------------------------------------------------------------
// The query, as parsed from the request

export type ColumnSort = "name" | "createdAt" | "updatedAt";

export type CustomerSort = { kind: "column"; column: ColumnSort; desc: boolean } | { kind: "field"; field: FieldRecord; desc: boolean };

export interface CustomerFilter {
  field: FieldRecord;
  op: FilterOp;
  operand: FilterOperand;
}

export interface CustomerListQuery {
  sort: CustomerSort;
  filters: CustomerFilter[];
  /** Name or domain contains this (ASCII case-insensitive). */
  q?: string;
  linked?: boolean;
  limit: number;
  cursor?: string;
}

export const defaultSort: CustomerSort = { kind: "column", column: "name", desc: false };

const columnSorts: readonly ColumnSort[] = ["name", "createdAt", "updatedAt"];

/** `name`, `-createdAt`, `field:arr`, `-field:arr`... */
export function parseSort(raw: string | undefined, fields: readonly FieldRecord[]): CustomerSort {
  if (raw === undefined || raw === "") return defaultSort;
  const desc = raw.startsWith("-");
  const name = desc ? raw.slice(1) : raw;
  if (name.startsWith("field:")) {
    const key = name.slice("field:".length);
    const field = fields.find((f) => f.key === key);
    if (!field) throw new AppError("validation_failed", `Cannot sort by "${raw}": there is no customer field with the key "${key}".`, { sort: raw });
    return { kind: "field", field, desc };
  }
  const column = columnSorts.find((c) => c === name);
  if (!column) {
    throw new AppError("validation_failed", `Cannot sort by "${raw}"; use name, createdAt, updatedAt or field:<key>, with a leading "-" for descending.`, { sort: raw });
  }
  return { kind: "column", column, desc };
}

const filterParam = /^filter\[([^\][]*)\]\[([^\][]*)\]$/;

/**
 * `filter[<key>][<op>]=<value>` pairs from the raw query string (node:querystring, Fastify's
 * parser, leaves brackets alone). Several filters are ANDed; one key may carry several ops
 * (a range), but not the same op twice.
 */
export function parseFilters(params: Iterable<[string, string]>, fields: readonly FieldRecord[]): CustomerFilter[] {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const seen = new Set<string>();
  const filters: CustomerFilter[] = [];
  for (const [name, raw] of params) {
    if (!name.startsWith("filter")) continue;
    const match = filterParam.exec(name);
    if (!match) throw new AppError("invalid_filter", `"${name}" is not a filter; write filter[<field key>][<operator>]=<value>.`, { param: name });
    const [, key = "", op = ""] = match;
    const field = byKey.get(key);
    if (!field) throw new AppError("invalid_filter", `Cannot filter on "${key}": there is no customer field with this key.`, { field: key, op, value: raw });
    if (seen.has(`${key}\u0000${op}`)) throw new AppError("invalid_filter", `The filter ${name} is given twice.`, { field: key, op });
    seen.add(`${key}\u0000${op}`);
    filters.push({ field, op: op as FilterOp, operand: parseFilterValue(field, op, raw) });
  }
  return filters;
}

export function parseListQuery(
  input: { limit?: number | undefined; cursor?: string | undefined; sort?: string | undefined; q?: string | undefined; linked?: boolean | undefined; params: Iterable<[string, string]> },
  fields: readonly FieldRecord[],
): CustomerListQuery {
  const query: CustomerListQuery = {
    sort: parseSort(input.sort, fields),
    filters: parseFilters(input.params, fields),
    limit: Math.min(Math.max(input.limit ?? defaultPageSize, 1), maxPageSize),
  };
  if (input.q !== undefined && input.q.trim() !== "") query.q = input.q.trim();
  if (input.linked !== undefined) query.linked = input.linked;
  if (input.cursor !== undefined && input.cursor !== "") query.cursor = input.cursor;
  return query;
}

// ---------------------------------------------------------------------------------------------
// SQL fragments

type Column = "text_value" | "number_value";

/** Where a type's value lives for comparing and sorting (dates and yes/no: the number column). */
function columnFor(type: FieldType): Column {
  return type === "number" || type === "date" || type === "yes_no" ? "number_value" : "text_value";
}

const upperAscii = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lowerAscii = "abcdefghijklmnopqrstuvwxyz";

function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function lowerSql(dialect: SqlDialect, expr: RawBuilder<unknown>): RawBuilder<string> {
  return dialect === "postgres" ? sql<string>`translate(${expr}, ${sql.lit(upperAscii)}, ${sql.lit(lowerAscii)})` : sql<string>`lower(${expr})`;
}

/** `%text%` with LIKE's wildcards in `text` escaped by a backslash. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function containsSql(dialect: SqlDialect, expr: RawBuilder<unknown>, needle: string): RawBuilder<boolean> {
  return sql<boolean>`${lowerSql(dialect, expr)} LIKE ${likePattern(foldAscii(needle))} ESCAPE '\\'`;
}

/** Exact, case-sensitive substring test (no wildcards), for an element of a JSON list. */
function hasSubstring(dialect: SqlDialect, expr: RawBuilder<unknown>, needle: string): RawBuilder<boolean> {
  return dialect === "postgres" ? sql<boolean>`strpos(${expr}, ${needle}) > 0` : sql<boolean>`instr(${expr}, ${needle}) > 0`;
}

/** A filter operand in the form stored in the field's column. */
function storedOperand(field: FieldRecord, operand: string | number | boolean): string | number {
  if (field.type === "date" || field.type === "yes_no") {
    const stored = toStoredValue(field, operand);
    if (stored.number === null) throw new Error(`No stored number for ${field.key} ${String(operand)}`);
    return stored.number;
  }
  if (typeof operand === "boolean") throw new Error(`Boolean operand for ${field.type} field ${field.key}`);
  return operand;
}

function listOperand(filter: CustomerFilter): (string | number)[] {
  if (!Array.isArray(filter.operand)) throw new Error(`"in" needs a list for ${filter.field.key}`);
  return filter.operand.map((item) => storedOperand(filter.field, item));
}

function scalarOperand(filter: CustomerFilter): string | number {
  const operand = filter.operand;
  if (operand === null || Array.isArray(operand)) throw new Error(`"${filter.op}" needs one value for ${filter.field.key}`);
  return storedOperand(filter.field, operand);
}

interface ValueRefs {
  /** The column the field's type compares on. */
  col: RawBuilder<unknown>;
  text: RawBuilder<unknown>;
}

const rowRefs = (alias: string, type: FieldType): ValueRefs => ({ col: sql.ref(`${alias}.${columnFor(type)}`), text: sql.ref(`${alias}.text_value`) });

/**
 * The condition a customer's value meets for a positive op; null for the ops that are
 * expressed as the absence of such a value (neq, is_empty).
 *
 * multi_select values are JSON lists in option order: `contains x` means the list has x and
 * `in x,y` that it has x or y. The test looks for the JSON string `"x"`, which can only occur
 * in the list as that whole element, since quotes inside elements are escaped.
 */
function valueCondition(dialect: SqlDialect, filter: CustomerFilter, { col, text }: ValueRefs): RawBuilder<boolean> | null {
  switch (filter.op) {
    case "eq":
      return sql<boolean>`${col} = ${scalarOperand(filter)}`;
    case "gt":
      return sql<boolean>`${col} > ${scalarOperand(filter)}`;
    case "gte":
      return sql<boolean>`${col} >= ${scalarOperand(filter)}`;
    case "lt":
      return sql<boolean>`${col} < ${scalarOperand(filter)}`;
    case "lte":
      return sql<boolean>`${col} <= ${scalarOperand(filter)}`;
    case "in": {
      const items = listOperand(filter);
      if (filter.field.type === "multi_select") {
        return sql<boolean>`(${sql.join(items.map((item) => hasSubstring(dialect, text, JSON.stringify(item))), sql` OR `)})`;
      }
      return sql<boolean>`${col} IN (${sql.join(items)})`;
    }
    case "contains": {
      const needle = String(scalarOperand(filter));
      return filter.field.type === "multi_select" ? hasSubstring(dialect, text, JSON.stringify(needle)) : containsSql(dialect, text, needle);
    }
    case "is_not_empty":
      return sql<boolean>`${col} IS NOT NULL`;
    case "neq":
    case "is_empty":
      return null;
  }
}

function valueExists(fieldId: string, condition: RawBuilder<boolean> | null): RawBuilder<boolean> {
  const extra = condition ? sql` AND ${condition}` : sql``;
  return sql<boolean>`EXISTS (SELECT 1 FROM field_values fv WHERE fv.field_id = ${fieldId} AND fv.entity_id = c.id${extra})`;
}

/** The customer's value of a field as a scalar subquery: NULL when it has none. */
function valueOf(fieldId: string, column: Column): RawBuilder<unknown> {
  return sql`(SELECT fv.${sql.raw(column)} FROM field_values fv WHERE fv.field_id = ${fieldId} AND fv.entity_id = c.id)`;
}

/**
 * A positive filter, as a comparison with the value looked up by primary key. Not as EXISTS:
 * SQLite turns an EXISTS with a range on the value into a join that walks the whole
 * (field_id, value) index range for every customer, and PostgreSQL's semi-join estimates
 * make it sort every match where walking the sort order stops after a page. Which index
 * drives the query is chosen explicitly instead (chooseDriver).
 */
function positiveCondition(dialect: SqlDialect, filter: CustomerFilter): RawBuilder<boolean> {
  const refs = { col: valueOf(filter.field.id, columnFor(filter.field.type)), text: valueOf(filter.field.id, "text_value") };
  const condition = valueCondition(dialect, filter, refs);
  if (!condition) throw new Error(`No positive condition for ${filter.op}`);
  return condition;
}

/**
 * A customer matches `neq x` when it has no value equal to x, including when it has no value:
 * "industry is not Software" lists the customers whose industry is unknown too.
 */
function filterCondition(dialect: SqlDialect, filter: CustomerFilter): RawBuilder<boolean> {
  switch (filter.op) {
    case "neq":
      return sql<boolean>`NOT ${valueExists(filter.field.id, valueCondition(dialect, { ...filter, op: "eq" }, rowRefs("fv", filter.field.type)))}`;
    case "is_empty":
      return sql<boolean>`NOT ${valueExists(filter.field.id, null)}`;
    default:
      return positiveCondition(dialect, filter);
  }
}

/** Ops that a customer without a value can never meet. */
function needsValue(op: FilterOp): boolean {
  return op !== "neq" && op !== "is_empty";
}

type CustomerQuery = SelectQueryBuilder<Database, "customers" | "c" | any, any>;

function applyCommonFilters(dialect: SqlDialect, qb: CustomerQuery, workspaceId: string, query: CustomerListQuery): CustomerQuery {
  let out = qb.where(sql.ref("c.workspace_id"), "=", workspaceId);
  if (query.linked !== undefined) out = out.where(sql.ref("c.crm_company_id"), query.linked ? "is not" : "is", null);
  if (query.q !== undefined) {
    // Names through their stored key (any case folds alike); domains are stored lower-case.
    const pattern = likePattern(customerNameKey(query.q));
    out = out.where(
      sql<boolean>`(c.name_key LIKE ${pattern} ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer_domains cd WHERE cd.customer_id = c.id AND cd.domain LIKE ${pattern} ESCAPE '\\'))`,
    );
  }
  for (const filter of query.filters) out = out.where(filterCondition(dialect, filter));
  return out;
}

/** `(value, id)` strictly after the cursor in the given direction. */
function after(valueRef: string, idRef: string, desc: boolean, value: string | number, id: string): RawBuilder<boolean> {
  // A row-value comparison, which both databases turn into an index range seek.
  const op = sql.raw(desc ? "<" : ">");
  return sql<boolean>`(${sql.ref(valueRef)}, ${sql.ref(idRef)}) ${op} (${value}, ${id})`;
}

function checkedCursor(raw: string | undefined, expected: "string" | "number", nullable: boolean): CursorKey | undefined {
  if (raw === undefined) return undefined;
  const key = decodeCursor(raw);
  const [value] = key;
  if ((value === null && nullable) || typeof value === expected) return key;
  throw new AppError("invalid_cursor", "The cursor belongs to another sort order; start again without it.", { cursor: raw });
}

/** Ops a (field_id, value, entity_id) index can answer by itself. */
const indexableOps: readonly FilterOp[] = ["eq", "in", "gt", "gte", "lt", "lte"];

/**
 * Up to this many matches, starting from a filter's index and sorting its matches beats walking
 * the sort order: walking finds a page after about limit × rows / matches rows, so the break-even
 * is near sqrt(limit × rows), about 2,000 for a first page of 50 among 100,000 customers.
 */
export const driverThreshold = 2000;

/** How a page is fetched, for tests that must cover each plan; the answer never depends on it. */
export interface PlanOptions {
  /** 0: always walk the sort order; Infinity: always start from the most selective filter. */
  driverThreshold?: number;
  /** Size of the first batch read from the sort index when walking it (then ×4 each time). */
  walkBatch?: number;
}

/**
 * The filter whose index should drive the query: the most selective indexable one, when it
 * matches few enough customers. Counting is bounded (LIMIT), so a probe reads at most
 * driverThreshold + 1 index entries. Neither database keeps statistics that could decide this
 * (SQLite has none unless ANALYZE runs; PostgreSQL's assume field_id and value independent).
 */
async function chooseDriver(db: Kysely<Database>, query: CustomerListQuery, sortFieldId: string | null, plan: PlanOptions): Promise<CustomerFilter | null> {
  const threshold = plan.driverThreshold ?? driverThreshold;
  if (threshold <= 0) return null;
  const dialect = dialectOf(db);
  let best: CustomerFilter | null = null;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const filter of query.filters) {
    if (!indexableOps.includes(filter.op) || filter.field.type === "multi_select" || filter.field.id === sortFieldId) continue;
    const condition = valueCondition(dialect, filter, rowRefs("fv", filter.field.type));
    if (!condition) continue;
    const cap = Number.isFinite(threshold) ? threshold + 1 : Number.MAX_SAFE_INTEGER;
    const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM field_values fv WHERE fv.field_id = ${filter.field.id} AND ${condition} LIMIT ${cap}) probe`.execute(db);
    const count = Number(rows[0]?.n ?? 0);
    if (count < bestCount) {
      best = filter;
      bestCount = count;
    }
  }
  return bestCount <= threshold ? best : null;
}

/**
 * Customers `c`, either all of them or, with a driver, only those its index finds (`d`).
 * CROSS JOIN keeps that order on SQLite; PostgreSQL plans it as an ordinary join.
 */
function customersFrom(db: Kysely<Database>, driver: CustomerFilter | null): CustomerQuery {
  if (!driver) return db.selectFrom("customers as c");
  const condition = valueCondition(dialectOf(db), driver, rowRefs("d", driver.field.type));
  if (!condition) throw new Error(`Filter ${driver.op} cannot drive a query`);
  return db.selectFrom("field_values as d").crossJoin("customers as c").whereRef("c.id", "=", "d.entity_id").where("d.field_id", "=", driver.field.id).where(condition);
}

const columnOf: Record<ColumnSort, "name_key" | "created_at" | "updated_at"> = { name: "name_key", createdAt: "created_at", updatedAt: "updated_at" };

interface RowPage {
  rows: Customer[];
  /** The cursor of the last row, when more rows follow. */
  nextCursor: string | null;
}

type Step = { id: string; v: string | number };

/**
 * Walks a sort index in batches and keeps the customers that pass the filters, until `need`
 * rows are found or the index ends. Two plain statements per batch, each with one obvious
 * plan: a single query would leave the choice to a planner that misjudges how selective value
 * filters are (PostgreSQL then sorts every match, or JIT-compiles for a huge estimated cost).
 * After the first batch, the next is sized from the share of rows that passed so far.
 */
async function walkInBatches(
  steps: (position: CursorKey | undefined, batch: number) => Promise<Step[]>,
  keep: (ids: string[]) => Promise<Customer[]>,
  start: CursorKey | undefined,
  need: number,
  firstBatch: number,
): Promise<(Customer & { sort_value: string | number })[]> {
  const rows: (Customer & { sort_value: string | number })[] = [];
  let position = start;
  let scanned = 0;
  for (let batch = firstBatch; rows.length < need; ) {
    const found = await steps(position, batch);
    const last = found[found.length - 1];
    if (!last) break;
    const kept = new Map((await keep(found.map((step) => step.id))).map((row) => [row.id, row]));
    for (const step of found) {
      const row = kept.get(step.id);
      if (row) rows.push({ ...row, sort_value: step.v });
    }
    if (found.length < batch) break;
    position = [last.v, last.id];
    scanned += found.length;
    const rate = rows.length / scanned;
    const wanted = rate > 0 ? Math.ceil(((need - rows.length) / rate) * 1.25) : batch * 4;
    batch = Math.min(Math.max(wanted, firstBatch), 20_000);
  }
  return rows;
}

async function pageByColumn(db: Kysely<Database>, workspaceId: string, query: CustomerListQuery, column: ColumnSort, desc: boolean, plan: PlanOptions): Promise<RowPage> {
  const dialect = dialectOf(db);
  const col = columnOf[column];
  const cursor = checkedCursor(query.cursor, "string", false);
  const driver = await chooseDriver(db, query, null, plan);
  const direction = desc ? "desc" : "asc";
  let rows: Customer[];
  // Name search and the linked flag alone are planned well as one query (an index walk with a filter).
  if (!driver && query.filters.length > 0) {
    rows = await walkInBatches(
      async (position, batch) => {
        let walk = db.selectFrom("customers as c").select([sql<string>`c.id`.as("id"), sql<string>`${sql.ref(`c.${col}`)}`.as("v")]).where("c.workspace_id", "=", workspaceId);
        if (position) walk = walk.where(after(`c.${col}`, "c.id", desc, position[0] as string, position[1]));
        return (await walk.orderBy(sql.ref(`c.${col}`), direction).orderBy(sql.ref("c.id"), direction).limit(batch).execute()) as Step[];
      },
      async (ids) => (await applyCommonFilters(dialect, db.selectFrom("customers as c").selectAll("c"), workspaceId, query).where(sql.ref("c.id"), "in", ids).execute()) as Customer[],
      cursor,
      query.limit + 1,
      plan.walkBatch ?? 200,
    );
  } else {
    let qb = applyCommonFilters(dialect, customersFrom(db, driver).selectAll("c"), workspaceId, query);
    if (cursor) qb = qb.where(after(`c.${col}`, "c.id", desc, cursor[0] as string, cursor[1]));
    rows = (await qb.orderBy(sql.ref(`c.${col}`), direction).orderBy(sql.ref("c.id"), direction).limit(query.limit + 1).execute()) as Customer[];
  }
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit).map((row) => {
    const { sort_value: _omit, ...rest } = row as Customer & { sort_value?: unknown };
    return rest as Customer;
  });
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor([last[col], last.id]) : null };
}

/**
 * Sorted by a custom field: customers with a value first, by (value, id) straight from the
 * (field_id, value, entity_id) index; then, in both directions, the customers without a value,
 * by id in the same direction. A cursor with a null value points into that second part.
 */
async function pageByField(db: Kysely<Database>, workspaceId: string, query: CustomerListQuery, field: FieldRecord, desc: boolean, plan: PlanOptions): Promise<RowPage> {
  const dialect = dialectOf(db);
  const col = columnFor(field.type);
  const cursor = checkedCursor(query.cursor, col === "number_value" ? "number" : "string", true);
  const direction = desc ? "desc" : "asc";
  const rows: (Customer & { sort_value: string | number | null })[] = [];

  const driver = await chooseDriver(db, query, field.id, plan);

  if (!cursor || cursor[0] !== null) {
    // Conditions on `s`: filters on the sort field itself bound the index range.
    const sortConditions: RawBuilder<boolean>[] = [];
    for (const filter of query.filters) {
      if (filter.field.id !== field.id || !needsValue(filter.op)) continue;
      const condition = valueCondition(dialect, filter, rowRefs("s", field.type));
      if (condition) sortConditions.push(condition);
    }
    const fromSort = <Q extends CustomerQuery>(qb: Q): Q => {
      let out = qb.where(sql.ref("s.field_id"), "=", field.id).where(sql.ref("s.workspace_id"), "=", workspaceId).where(sql.ref(`s.${col}`), "is not", null);
      for (const condition of sortConditions) out = out.where(condition);
      return out as Q;
    };
    if (driver) {
      // Few matches: take them all from the driver's index and sort them.
      let qb = fromSort(customersFrom(db, driver).crossJoin("field_values as s").whereRef("s.entity_id", "=", "c.id"))
        .selectAll("c")
        .select(sql<string | number>`${sql.ref(`s.${col}`)}`.as("sort_value"));
      qb = applyCommonFilters(dialect, qb, workspaceId, query);
      if (cursor) qb = qb.where(after(`s.${col}`, "s.entity_id", desc, cursor[0] as string | number, cursor[1]));
      const found = await qb.orderBy(sql.ref(`s.${col}`), direction).orderBy(sql.ref("s.entity_id"), direction).limit(query.limit + 1).execute();
      rows.push(...(found as typeof rows));
    } else {
      // Many matches: walk the sort index until a page is full.
      const found = await walkInBatches(
        async (position, batch) => {
          let walk = fromSort(db.selectFrom("field_values as s")).select([sql<string>`s.entity_id`.as("id"), sql<string | number>`${sql.ref(`s.${col}`)}`.as("v")]);
          if (position) walk = walk.where(after(`s.${col}`, "s.entity_id", desc, position[0] as string | number, position[1]));
          return (await walk.orderBy(sql.ref(`s.${col}`), direction).orderBy(sql.ref("s.entity_id"), direction).limit(batch).execute()) as Step[];
        },
        async (ids) => (await applyCommonFilters(dialect, db.selectFrom("customers as c").selectAll("c"), workspaceId, query).where(sql.ref("c.id"), "in", ids).execute()) as Customer[],
        cursor,
        query.limit + 1,
        plan.walkBatch ?? 200,
      );
      rows.push(...found);
    }
  }

  const valueRequired = query.filters.some((f) => f.field.id === field.id && needsValue(f.op));
  if (rows.length <= query.limit && !valueRequired) {
    let qb = applyCommonFilters(
      dialect,
      customersFrom(db, driver)
        .selectAll("c")
        .select(sql<null>`NULL`.as("sort_value"))
        .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM field_values s WHERE s.field_id = ${field.id} AND s.entity_id = c.id)`),
      workspaceId,
      query,
    );
    if (cursor && cursor[0] === null) qb = qb.where(sql.ref("c.id"), desc ? "<" : ">", cursor[1]);
    const found = await qb.orderBy(sql.ref("c.id"), direction).limit(query.limit + 1 - rows.length).execute();
    rows.push(...(found as typeof rows));
  }

  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ sort_value: _omit, ...row }) => row),
    nextCursor: more && last ? encodeCursor([last.sort_value === null ? null : last.sort_value, last.id]) : null,
  };
}

/** One page of customer rows (no hydration): what the list endpoint and the benchmark time. */
export async function findCustomerRows(db: Kysely<Database>, workspaceId: string, query: CustomerListQuery, plan: PlanOptions = {}): Promise<RowPage> {
  const sort = query.sort;
  return sort.kind === "column" ? pageByColumn(db, workspaceId, query, sort.column, sort.desc, plan) : pageByField(db, workspaceId, query, sort.field, sort.desc, plan);
}

export async function listCustomers(
  db: Kysely<Database>,
  workspaceId: string,
  query: CustomerListQuery,
  fields: readonly FieldRecord[],
  plan: PlanOptions = {},
): Promise<Page<CustomerRecord>> {
  const { rows, nextCursor } = await findCustomerRows(db, workspaceId, query, plan);
  return { items: await hydrateCustomers(db, workspaceId, rows, fields), nextCursor };
}

// ---------------------------------------------------------------------------------------------
// Breakdown (insights)

export interface BreakdownBucket {
  key: string;
  label: string;
  count: number;
  from?: string | number;
  to?: string | number;
}

export interface Breakdown {
  field: { key: string; label: string; type: FieldType };
  buckets: BreakdownBucket[];
  /** Customers in the workspace. */
  total: number;
}

export const noneKey = "__none__";
export const otherKey = "__other__";
/** Most value buckets a breakdown of text or select values shows before "(other)". */
export const maxValueBuckets = 50;
export const maxNumberBuckets = 10;
/** Beyond this many months, dates are counted per year. */
export const maxMonthBuckets = 120;

async function countCustomers(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db.selectFrom("customers").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countWithValue(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<number> {
  const row = await db
    .selectFrom("field_values")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", fieldId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Keeps the `max` largest buckets (ties: earlier first) in their order, the rest summed in "(other)". */
function capBuckets(buckets: BreakdownBucket[], max: number): BreakdownBucket[] {
  if (buckets.length <= max) return buckets;
  const ranked = buckets.map((bucket, index) => ({ bucket, index })).sort((a, b) => b.bucket.count - a.bucket.count || a.index - b.index);
  const kept = new Set(ranked.slice(0, max).map((r) => r.index));
  const other = buckets.filter((_, index) => !kept.has(index)).reduce((sum, bucket) => sum + bucket.count, 0);
  return [...buckets.filter((_, index) => kept.has(index)), { key: otherKey, label: "(other)", count: other }];
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function textCounts(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("field_values")
    .select(["text_value", (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", fieldId)
    .groupBy("text_value")
    .execute();
  return new Map(rows.map((row) => [row.text_value ?? "", Number(row.n)]));
}

async function multiSelectCounts(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<Map<string, number>> {
  const query =
    dialectOf(db) === "postgres"
      ? sql<{ k: string; n: number }>`SELECT e.value AS k, COUNT(*) AS n FROM field_values fv CROSS JOIN LATERAL jsonb_array_elements_text(fv.text_value::jsonb) AS e(value)
          WHERE fv.workspace_id = ${workspaceId} AND fv.field_id = ${fieldId} GROUP BY e.value`
      : sql<{ k: string; n: number }>`SELECT e.value AS k, COUNT(*) AS n FROM field_values fv, json_each(fv.text_value) e
          WHERE fv.workspace_id = ${workspaceId} AND fv.field_id = ${fieldId} GROUP BY e.value`;
  const { rows } = await query.execute(db);
  return new Map(rows.map((row) => [row.k, Number(row.n)]));
}

/** Option buckets in option order (zero counts included), then values no option has any more. */
function optionBuckets(field: FieldRecord, counts: Map<string, number>): BreakdownBucket[] {
  const buckets = field.options.map((option) => ({ key: option.value, label: option.label, count: counts.get(option.value) ?? 0 }));
  const known = new Set(field.options.map((option) => option.value));
  const stale = [...counts].filter(([value]) => !known.has(value)).sort(([a], [b]) => compareBytes(a, b));
  return [...buckets, ...stale.map(([value, count]) => ({ key: value, label: value, count }))];
}

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 10 });

/** The smallest 1-2-2.5-5 × 10^k step that covers [min, max] in at most `maxNumberBuckets` buckets. */
export function numberBucketEdges(min: number, max: number): number[] {
  if (min === max) return [min, min];
  const round = (n: number) => Number(n.toPrecision(12));
  let magnitude = 10 ** Math.floor(Math.log10((max - min) / maxNumberBuckets));
  for (;;) {
    for (const factor of [1, 2, 2.5, 5]) {
      const step = factor * magnitude;
      const start = round(Math.floor(min / step) * step);
      const count = Math.floor(round((max - start) / step)) + 1;
      if (count <= maxNumberBuckets) return Array.from({ length: count + 1 }, (_, i) => round(start + i * step));
    }
    magnitude *= 10;
  }
}

async function numberBuckets(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<BreakdownBucket[]> {
  const range = await db
    .selectFrom("field_values")
    .select((eb) => [eb.fn.min<number>("number_value").as("lo"), eb.fn.max<number>("number_value").as("hi")])
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", fieldId)
    .executeTakeFirst();
  if (!range || range.lo === null || range.hi === null) return [];
  const edges = numberBucketEdges(Number(range.lo), Number(range.hi));
  const last = edges.length - 2;
  // Bucket i is [edge i, edge i+1); the last one also takes its upper edge (the maximum).
  const cases = edges.slice(1, -1).map((edge, i) => sql`WHEN number_value < ${edge} THEN ${sql.lit(i)}`);
  const bucketExpr = cases.length > 0 ? sql<number>`CASE ${sql.join(cases, sql` `)} ELSE ${sql.lit(last)} END` : sql<number>`${sql.lit(0)}`;
  const rows = await db
    .selectFrom("field_values")
    .select([bucketExpr.as("b"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", fieldId)
    .groupBy(sql`1`)
    .execute();
  const counts = new Map(rows.map((row) => [Number(row.b), Number(row.n)]));
  return edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1] ?? from;
    return { key: `${from}..${to}`, label: from === to ? numberFormat.format(from) : `${numberFormat.format(from)} – ${numberFormat.format(to)}`, count: counts.get(i) ?? 0, from, to };
  });
}

function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split("-").map(Number);
  return m === 12 ? `${String(y + 1).padStart(4, "0")}-01` : `${String(y).padStart(4, "0")}-${String(m + 1).padStart(2, "0")}`;
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

async function dateBuckets(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<BreakdownBucket[]> {
  // Stored dates are canonical ISO text in UTC, so the first seven characters are the month.
  const rows = await db
    .selectFrom("field_values")
    .select([sql<string>`substr(text_value, 1, 7)`.as("m"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", fieldId)
    .groupBy(sql`substr(text_value, 1, 7)`)
    .execute();
  if (rows.length === 0) return [];
  const counts = new Map(rows.map((row) => [row.m, Number(row.n)]));
  const months = [...counts.keys()].sort();
  const first = months[0] ?? "";
  const lastMonth = months[months.length - 1] ?? first;
  const all: string[] = [];
  for (let m = first; m <= lastMonth && all.length <= maxMonthBuckets; m = nextMonth(m)) all.push(m);
  if (all.length <= maxMonthBuckets) {
    return all.map((m) => {
      const [y = "", mm = "1"] = m.split("-");
      return { key: m, label: `${monthNames[Number(mm) - 1] ?? mm} ${y}`, count: counts.get(m) ?? 0, from: `${m}-01`, to: `${nextMonth(m)}-01` };
    });
  }
  const byYear = new Map<number, number>();
  for (const [m, n] of counts) byYear.set(Number(m.slice(0, 4)), (byYear.get(Number(m.slice(0, 4))) ?? 0) + n);
  const firstYear = Number(first.slice(0, 4));
  const lastYear = Number(lastMonth.slice(0, 4));
  const year = (y: number) => String(y).padStart(4, "0");
  return Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i).map((y) => ({
    key: year(y),
    label: year(y),
    count: byYear.get(y) ?? 0,
    from: `${year(y)}-01-01`,
    to: `${year(y + 1)}-01-01`,
  }));
}

/**
 * Customers per value of a field, plus "(none)" for those without one:
 * - select, multi_select: one bucket per option in option order, zeros included (a customer
 *   counts once per option it has, so multi_select buckets may add up to more than `total`);
 *   over 50 options, the 50 largest stay and the rest sum into "(other)";
 * - text: the 50 most frequent values (ties in byte order), the rest in "(other)";
 * - yes_no: yes, no;
 * - number: at most 10 equal round-number ranges [from, to) covering min..max;
 * - date: per calendar month (UTC), gaps filled with zero; per year beyond 120 months.
 */
export async function customerBreakdown(db: Kysely<Database>, workspaceId: string, field: FieldRecord): Promise<Breakdown> {
  const [total, withValue] = await Promise.all([countCustomers(db, workspaceId), countWithValue(db, workspaceId, field.id)]);
  let buckets: BreakdownBucket[];
  switch (field.type) {
    case "select":
      buckets = capBuckets(optionBuckets(field, await textCounts(db, workspaceId, field.id)), maxValueBuckets);
      break;
    case "multi_select":
      buckets = capBuckets(optionBuckets(field, await multiSelectCounts(db, workspaceId, field.id)), maxValueBuckets);
      break;
    case "text": {
      const counts = [...(await textCounts(db, workspaceId, field.id))].sort(([a, x], [b, y]) => y - x || compareBytes(a, b));
      buckets = capBuckets(
        counts.map(([value, count]) => ({ key: value, label: value, count })),
        maxValueBuckets,
      );
      break;
    }
    case "yes_no": {
      const counts = await textCounts(db, workspaceId, field.id);
      buckets = [
        { key: "yes", label: "Yes", count: counts.get("yes") ?? 0 },
        { key: "no", label: "No", count: counts.get("no") ?? 0 },
      ];
      break;
    }
    case "number":
      buckets = await numberBuckets(db, workspaceId, field.id);
      break;
    case "date":
      buckets = await dateBuckets(db, workspaceId, field.id);
      break;
  }
  buckets.push({ key: noneKey, label: "(none)", count: total - withValue });
  return { field: { key: field.key, label: field.label, type: field.type }, buckets, total };
}
