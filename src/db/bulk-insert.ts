// Multi-row inserts compiled once per shape. Building a Kysely query creates and freezes an
// operation node for every value, then compiles them to SQL: for the sync engine's bulk writes
// (100-row mirror pages, 500-row value chunks) that was most of Kysely's share of a full account
// sync's CPU, and much of its garbage. The SQL of a shape and row count depends only on the
// dialect, so it is compiled once from a query whose values are placeholders, and later inserts
// of that shape send the same SQL with their own parameters.
import { CompiledQuery, type Compilable, type Kysely } from "kysely";

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
