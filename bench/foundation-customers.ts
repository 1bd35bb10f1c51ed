// Customers at scale: bulk insert throughput, and the latency of a filtered, sorted first page
// through the same repository query the list route uses.
//
//   node --import tsx bench/foundation-customers.ts [--dialect sqlite|postgres|both] [--count 100000] [--reps 50] [--json] [--explain]
//
// --explain prints the plan of every statement of each scenario (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN ANALYZE on PostgreSQL).
//
// Each dialect gets a fresh database (a temp SQLite file; a PostgreSQL database created and
// dropped here, at TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type Insertable, type LogEvent } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../src/config.ts";
import type { Dialect } from "../src/db/database.ts";
import { createSyncedFields, listFields, type FieldRecord } from "../src/db/repositories/custom-fields.ts";
import { listCustomers, parseListQuery } from "../src/db/repositories/customer-query.ts";
import { newCustomerRow } from "../src/db/repositories/customers.ts";
import { inTransaction, writeSyncedValuesBulk } from "../src/db/repositories/field-values.ts";
import { createWorkspace } from "../src/db/repositories/workspaces.ts";
import type { CustomerDomainsTable, CustomersTable, Database } from "../src/db/schema.ts";
import { toStoredValue, type StoredValue } from "../src/core/fields.ts";
import { createTestDatabase } from "../test/support/databases.ts";

const { values: args } = parseArgs({
  options: {
    dialect: { type: "string", default: "both" },
    count: { type: "string", default: "100000" },
    reps: { type: "string", default: "50" },
    batch: { type: "string", default: "1000" },
    json: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
  },
});

const count = Number(args.count);
const reps = Number(args.reps);
const batchSize = Number(args.batch);
const chosen: Dialect[] = args.dialect === "both" ? ["sqlite", "postgres"] : [args.dialect as Dialect];
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(reps) || reps < 1 || chosen.some((d) => d !== "sqlite" && d !== "postgres")) {
  console.error("usage: bench/foundation-customers.ts [--dialect sqlite|postgres|both] [--count N] [--reps N] [--batch N] [--json]");
  process.exit(2);
}

// Deterministic data, so runs compare.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const industries = ["Software", "Retail", "Finance", "Health", "Education", "Manufacturing", "Media", "Energy"];
const tiers = ["Enterprise", "Mid-market", "SMB"];
const words = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Cyberdyne", "Tyrell", "Soylent", "Vandelay"];

async function setUpFields(db: Kysely<Database>, workspaceId: string): Promise<Record<string, FieldRecord>> {
  const mapping = (property: string) => ({ provider: "hubspot" as const, object: "company" as const, property });
  const options = (list: string[]) => list.map((value) => ({ value, label: value }));
  await createSyncedFields(db, workspaceId, [
    { label: "ARR", type: "number", syncMapping: mapping("arr") },
    { label: "Industry", type: "select", options: options(industries), syncMapping: mapping("industry") },
    { label: "Employees", type: "number", syncMapping: mapping("numberofemployees") },
    { label: "Renewal", type: "date", syncMapping: mapping("renewal_date") },
    { label: "Tier", type: "select", options: options(tiers), syncMapping: mapping("tier") },
  ]);
  return Object.fromEntries((await listFields(db, workspaceId)).map((f) => [f.key, f]));
}

async function insertCustomers(db: Kysely<Database>, workspaceId: string, fields: Record<string, FieldRecord>): Promise<number> {
  const random = rng(42);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const field = (key: string) => fields[key]!;
  const started = performance.now();
  for (let offset = 0; offset < count; offset += batchSize) {
    const n = Math.min(batchSize, count - offset);
    const now = new Date().toISOString();
    const customers: Insertable<CustomersTable>[] = [];
    const domains: Insertable<CustomerDomainsTable>[] = [];
    const values = new Map<string, Map<string, StoredValue | null>>();
    for (let i = 0; i < n; i++) {
      const index = offset + i;
      const id = randomUUID();
      const name = `${pick(words)} ${pick(words)} ${index}`;
      customers.push(newCustomerRow(workspaceId, name, { id, now }));
      domains.push({ workspace_id: workspaceId, customer_id: id, domain: `customer-${index}.example.com`, position: 0 });
      const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
      const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
      values.set(
        id,
        new Map([
          [field("arr").id, toStoredValue(field("arr"), Math.round(random() * 500_000))],
          [field("industry").id, toStoredValue(field("industry"), pick(industries))],
          [field("employees").id, toStoredValue(field("employees"), Math.floor(random() * 5000))],
          [field("renewal").id, toStoredValue(field("renewal"), `202${5 + Math.floor(random() * 3)}-${month}-${day}`)],
          [field("tier").id, toStoredValue(field("tier"), pick(tiers))],
        ]),
      );
    }
    await inTransaction(db, async (trx) => {
      // 14 columns per customer row: 500 rows keep a statement under SQLite's bound-variable limit.
      for (let i = 0; i < customers.length; i += 500) await trx.insertInto("customers").values(customers.slice(i, i + 500)).execute();
      for (let i = 0; i < domains.length; i += 1000) await trx.insertInto("customer_domains").values(domains.slice(i, i + 1000)).execute();
      await writeSyncedValuesBulk(trx, workspaceId, values);
    });
  }
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

interface Scenario {
  name: string;
  sort: string;
  params: [string, string][];
  q?: string;
}

const scenarios: Scenario[] = [
  { name: "arr gt 100000 & industry eq Software, sort -field:arr", sort: "-field:arr", params: [["filter[arr][gt]", "100000"], ["filter[industry][eq]", "Software"]] },
  { name: "industry eq Software & tier in Enterprise,SMB, sort name", sort: "name", params: [["filter[industry][eq]", "Software"], ["filter[tier][in]", "Enterprise,SMB"]] },
  { name: "renewal lt 2026-01-01, sort -field:employees", sort: "-field:employees", params: [["filter[renewal][lt]", "2026-01-01"]] },
  { name: "employees eq 1234 (rare), sort -field:arr", sort: "-field:arr", params: [["filter[employees][eq]", "1234"]] },
  { name: "no filter, sort -updatedAt", sort: "-updatedAt", params: [] },
  { name: "q=globex, sort name", sort: "name", params: [], q: "globex" },
];

interface Timing {
  scenario: string;
  medianMs: number;
  p95Ms: number;
  rows: number;
}

async function time(db: Kysely<Database>, workspaceId: string, scenario: Scenario): Promise<Timing> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < reps + 3; i++) {
    const started = performance.now();
    // What GET /api/v1/customers does: read the field definitions, parse, query, hydrate.
    const fields = await listFields(db, workspaceId);
    const query = parseListQuery({ sort: scenario.sort, limit: 50, q: scenario.q, params: scenario.params }, fields);
    const page = await listCustomers(db, workspaceId, query, fields);
    const elapsed = performance.now() - started;
    rows = page.items.length;
    if (i >= 3) samples.push(elapsed); // the first runs warm caches and prepare statements
  }
  samples.sort((x, y) => x - y);
  return { scenario: scenario.name, medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95), rows };
}

/** Runs each scenario once through a second, logging handle and prints the plan of each statement. */
async function explain(target: DatabaseTarget, workspaceId: string): Promise<void> {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const log = (event: LogEvent) => {
    if (event.level === "query") statements.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  const sqlite = target.dialect === "sqlite" ? new SQLite(target.file) : null;
  const pool = target.dialect === "postgres" ? new pg.Pool({ connectionString: target.url, max: 1 }) : null;
  const db = new Kysely<Database>({ dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }), log });
  try {
    for (const scenario of scenarios) {
      statements.length = 0;
      const fields = await listFields(db, workspaceId);
      await listCustomers(db, workspaceId, parseListQuery({ sort: scenario.sort, limit: 50, q: scenario.q, params: scenario.params }, fields), fields);
      console.log(`\n  plan: ${scenario.name}`);
      for (const statement of statements) {
        console.log(`    ${statement.sql.slice(0, 400)}`);
        if (sqlite) {
          const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...(statement.parameters as unknown[])) as { detail: string }[];
          for (const row of rows) console.log(`      ${row.detail}`);
        } else {
          const { rows } = await pool!.query<{ "QUERY PLAN": string }>(`EXPLAIN ANALYZE ${statement.sql}`, statement.parameters as unknown[]);
          for (const row of rows) console.log(`      ${row["QUERY PLAN"]}`);
        }
      }
    }
  } finally {
    await db.destroy();
  }
}

interface Result {
  dialect: Dialect;
  customers: number;
  insertSeconds: number;
  customersPerSecond: number;
  rowsPerSecond: number;
  timings: Timing[];
}

async function run(dialect: Dialect): Promise<Result> {
  const database = await createTestDatabase(dialect);
  try {
    const { id: workspaceId } = await createWorkspace(database.db, "bench");
    const fields = await setUpFields(database.db, workspaceId);
    const insertMs = await insertCustomers(database.db, workspaceId, fields);
    // Autovacuum analyzes a freshly loaded table within a minute or so; do it now so PostgreSQL
    // plans with real statistics. SQLite plans by the query's shape (no ANALYZE is ever run).
    if (dialect === "postgres") await sql`ANALYZE`.execute(database.db);
    if (args.explain) await explain(database.target, workspaceId);
    const timings: Timing[] = [];
    for (const scenario of scenarios) timings.push(await time(database.db, workspaceId, scenario));
    // Each customer is a customers row, a domain row and five value rows.
    return {
      dialect,
      customers: count,
      insertSeconds: insertMs / 1000,
      customersPerSecond: count / (insertMs / 1000),
      rowsPerSecond: (count * 7) / (insertMs / 1000),
      timings,
    };
  } finally {
    await database.drop();
  }
}

const results: Result[] = [];
for (const dialect of chosen) {
  if (!args.json) console.log(`\n${dialect}: inserting ${count.toLocaleString("en-US")} customers (batches of ${batchSize}) ...`);
  const result = await run(dialect);
  results.push(result);
  if (!args.json) {
    console.log(
      `  insert: ${result.insertSeconds.toFixed(1)} s, ${Math.round(result.customersPerSecond).toLocaleString("en-US")} customers/s ` +
        `(${Math.round(result.rowsPerSecond).toLocaleString("en-US")} rows/s: customer + domain + 5 values)`,
    );
    console.log(`  first page (limit 50, ${reps} repetitions):`);
    for (const t of result.timings) console.log(`    ${t.scenario.padEnd(58)} median ${t.medianMs.toFixed(2).padStart(7)} ms   p95 ${t.p95Ms.toFixed(2).padStart(7)} ms   (${t.rows} rows)`);
  }
}
if (args.json) console.log(JSON.stringify(results, null, 2));
const sqlite = results.find((r) => r.dialect === "sqlite");
const headline = sqlite?.timings[0];
if (headline && !args.json) console.log(`\ngoal: filtered, sorted first page < 50 ms median on SQLite — ${headline.medianMs < 50 ? "met" : "NOT met"} (${headline.medianMs.toFixed(2)} ms)`);
