// Multi-row inserts compiled once per shape. Building a Kysely query creates and freezes an
// operation node for every value, then compiles them to SQL: for the sync engine's bulk writes
// (100-row mirror pages, 500-row value chunks) that was most of Kysely's share of a full account
// sync's CPU, and much of its garbage. The SQL of a shape and row count depends only on the
// dialect, so it is compiled once from a query whose values are placeholders, and later inserts
// of that shape send the same SQL with their own parameters.
//
// On PostgreSQL the rows go as one array per column, unnested into rows by the server
// (`INSERT … SELECT * FROM unnest($1::text[], …)`): one SQL text whatever the number of rows,
// and a handful of parameters instead of one per value. The server parses and plans a
// thousand-row VALUES list for every statement; measured on 12,000 mirrored companies, the
// arrays took about half the server's CPU time and wall time.
import { CompiledQuery, PostgresAdapter, sql, type Compilable, type Kysely } from "kysely";

/** A value's place (row-major index) in the rows being inserted, while a template compiles. */
class Slot {
  constructor(readonly index: number) {}
}

interface Template {
  sql: string;
  /** Per parameter of `sql`: the index of the row value it takes, or a constant of the query. */
  parameters: (number | { constant: unknown })[];
}

// Templates kept per dialect; row counts vary (a page's last chunk), so the number is bounded.
const maxTemplates = 100;
const templatesByDialect = new WeakMap<object, Map<string, Template>>();

function templatesOf<DB>(db: Kysely<DB>): Map<string, Template> {
  const adapter = db.getExecutor().adapter;
  let templates = templatesByDialect.get(adapter);
  if (!templates) {
    templates = new Map();
    templatesByDialect.set(adapter, templates);
  }
  return templates;
}

/**
 * Inserts `rows` (values in `columns` order) with the statement `build` makes from column
 * objects. Every value that differs between calls must come from the rows: whatever else the
 * built query holds is fixed by the first call of a `shape`.
 */
export async function insertRows<DB, Row extends object>(
  db: Kysely<DB>,
  shape: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly (readonly unknown[])[],
  build: (db: Kysely<DB>, values: Row[]) => Compilable,
): Promise<void> {
  if (rows.length === 0) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter) return insertColumns(db, `${shape}:columns`, columns, rows, (one: Row) => build(db, [one]));
  const templates = templatesOf(db);
  const key = `${shape}:${rows.length}`;
  let template = templates.get(key);
  if (template) {
    templates.delete(key);
  } else {
    const placeholders = rows.map((_, r) => Object.fromEntries(columns.map((column, c) => [column, new Slot(r * columns.length + c)])) as Row);
    const compiled = build(db, placeholders).compile();
    template = { sql: compiled.sql, parameters: compiled.parameters.map((p) => (p instanceof Slot ? p.index : { constant: p })) };
    if (templates.size >= maxTemplates) templates.delete(templates.keys().next().value!);
  }
  templates.set(key, template);
  const width = columns.length;
  const parameters = new Array<unknown>(template.parameters.length);
  for (let i = 0; i < parameters.length; i++) {
    const p = template.parameters[i]!;
    // An undefined value is stored as NULL, as drivers do, not left out as Kysely would.
    parameters[i] = typeof p === "number" ? (rows[(p / width) | 0]![p % width] ?? null) : p.constant;
  }
  await db.executeQuery(CompiledQuery.raw(template.sql, parameters));
}

// PostgreSQL's type of each column by table, read from the catalog once per database handle.
const columnTypesByDialect = new WeakMap<object, Map<string, Promise<Map<string, string>>>>();

function columnTypes<DB>(db: Kysely<DB>, table: string): Promise<Map<string, string>> {
  const adapter = db.getExecutor().adapter;
  let tables = columnTypesByDialect.get(adapter);
  if (!tables) {
    tables = new Map();
    columnTypesByDialect.set(adapter, tables);
  }
  let types = tables.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`
      SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`
      .execute(db)
      .then((result) => new Map(result.rows.map((r) => [r.name, r.type])));
    // A failed look-up is not kept: the next insert asks again.
    types.catch(() => tables.delete(table));
    tables.set(table, types);
  }
  return types;
}

/** insertRows on PostgreSQL: the built statement for one row, its VALUES list swapped for unnest() of column arrays. */
async function insertColumns<Row>(db: Kysely<any>, key: string, columns: readonly string[], rows: readonly (readonly unknown[])[], buildOne: (row: Row) => Compilable): Promise<void> {
  const templates = templatesOf(db);
  let template = templates.get(key);
  if (!template) {
    const compiled = buildOne(Object.fromEntries(columns.map((column, c) => [column, new Slot(c)])) as Row).compile();
    // Kysely numbers the row's values first, in column order: `values ($1, $2, …)`.
    const values = `values (${columns.map((_, c) => `$${c + 1}`).join(", ")})`;
    const at = compiled.sql.indexOf(values);
    const table = /^insert into "([^"]+)"/.exec(compiled.sql)?.[1];
    const inOrder = columns.every((_, c) => (compiled.parameters[c] as Slot | undefined)?.index === c);
    if (at < 0 || !table || !inOrder) throw new Error(`insertRows: cannot turn "${compiled.sql.slice(0, 80)}…" into an unnest() insert`);
    const types = await columnTypes(db, table);
    const arrays = columns.map((column, c) => {
      const type = types.get(column);
      if (!type) throw new Error(`insertRows: ${table} has no column ${column}`);
      return `$${c + 1}::${type}[]`;
    });
    template = {
      sql: `${compiled.sql.slice(0, at)}select * from unnest(${arrays.join(", ")})${compiled.sql.slice(at + values.length)}`,
      parameters: compiled.parameters.map((p) => (p instanceof Slot ? p.index : { constant: p })),
    };
    if (templates.size >= maxTemplates) templates.delete(templates.keys().next().value!);
    templates.set(key, template);
  }
  // An undefined value is stored as NULL, as drivers do, not left out as Kysely would.
  const arrays = columns.map((_, c) => rows.map((row) => row[c] ?? null));
  const parameters = template.parameters.map((p) => (typeof p === "number" ? arrays[p] : p.constant));
  await db.executeQuery(CompiledQuery.raw(template.sql, parameters));
}
