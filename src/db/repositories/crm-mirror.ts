// The local mirror of CRM companies and deals (see the crm_mirror migration). Writes are
// idempotent upserts, so a page read twice (a resumed run) changes nothing the second time.
// Writers join the caller's transaction when given one (a page commits with its checkpoint).
import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import { CompanyDomainIndex, pickDeal } from "../../core/linking.ts";
import type { CrmCompany, CrmDeal } from "../../sync/ports.ts";
import { insertRows } from "../bulk-insert.ts";
import { chunks, rowsPerStatement } from "../statement-rows.ts";
import type { CrmRecordsTable, CrmCompanyDomainsTable, CrmDealCompaniesTable, Database } from "../schema.ts";
import { inTransaction } from "./field-values.ts";

type Db = Kysely<Database> | Transaction<Database>;
type MirrorTable = "crm_companies" | "crm_deals";

const recordColumns = ["workspace_id", "provider", "id", "properties", "crm_created_at", "crm_modified_at", "archived", "seen_at", "updated_at"] as const;

async function upsertRecords(
  db: Db,
  table: MirrorTable,
  workspaceId: string,
  provider: string,
  records: readonly (CrmCompany | CrmDeal)[],
  seenAt: string,
): Promise<void> {
  const now = new Date().toISOString();
  for (const part of chunks(records, rowsPerStatement(db, recordColumns.length))) {
    await insertRows<Database, Insertable<CrmRecordsTable>>(
      db,
      `${table}.upsert`,
      recordColumns,
      part.map((r) => [workspaceId, provider, r.id, JSON.stringify(r.properties), r.createdAt, r.modifiedAt, 0, seenAt, now]),
      (db, values) =>
        db
          .insertInto(table)
          .values(values)
          .onConflict((oc) =>
            oc.columns(["workspace_id", "provider", "id"]).doUpdateSet((eb) => ({
              properties: eb.ref("excluded.properties"),
              crm_created_at: eb.ref("excluded.crm_created_at"),
              crm_modified_at: eb.ref("excluded.crm_modified_at"),
              archived: 0,
              seen_at: eb.ref("excluded.seen_at"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          ),
    );
  }
}

export async function upsertCompanies(db: Kysely<Database>, workspaceId: string, provider: string, companies: readonly CrmCompany[], seenAt: string): Promise<void> {
  if (companies.length === 0) return;
  await inTransaction(db, async (trx) => {
    await upsertRecords(trx, "crm_companies", workspaceId, provider, companies, seenAt);
    for (const part of chunks(companies, rowsPerStatement(trx))) {
      await trx
        .deleteFrom("crm_company_domains")
        .where("workspace_id", "=", workspaceId)
        .where("provider", "=", provider)
        .where("company_id", "in", part.map((c) => c.id))
        .execute();
    }
    const domainRows = companies.flatMap((c) => [...new Set(c.domains)].map((domain) => [workspaceId, provider, c.id, domain]));
    for (const part of chunks(domainRows, rowsPerStatement(trx, 4))) {
      await insertRows<Database, CrmCompanyDomainsTable>(trx, "crm_company_domains.insert", ["workspace_id", "provider", "company_id", "domain"], part, (db, values) =>
        db.insertInto("crm_company_domains").values(values),
      );
    }
  });
}

/** Upserts deals; their company associations are replaced when the source read them. */
export async function upsertDeals(db: Kysely<Database>, workspaceId: string, provider: string, deals: readonly CrmDeal[], seenAt: string): Promise<void> {
  if (deals.length === 0) return;
  await inTransaction(db, async (trx) => {
    await upsertRecords(trx, "crm_deals", workspaceId, provider, deals, seenAt);
    const withAssociations = deals.filter((d) => d.companyIds !== undefined);
    for (const part of chunks(withAssociations, rowsPerStatement(trx))) {
      await trx
        .deleteFrom("crm_deal_companies")
        .where("workspace_id", "=", workspaceId)
        .where("provider", "=", provider)
        .where("deal_id", "in", part.map((d) => d.id))
        .execute();
    }
    const rows = withAssociations.flatMap((d) => [...new Set(d.companyIds)].map((companyId) => [workspaceId, provider, companyId, d.id]));
    for (const part of chunks(rows, rowsPerStatement(trx, 4))) {
      await insertRows<Database, CrmDealCompaniesTable>(trx, "crm_deal_companies.insert", ["workspace_id", "provider", "company_id", "deal_id"], part, (db, values) =>
        db.insertInto("crm_deal_companies").values(values),
      );
    }
  });
}

/** Records deal↔company associations seen outside a deal listing, keeping the others. */
export async function addDealCompanies(db: Kysely<Database>, workspaceId: string, provider: string, pairs: readonly { companyId: string; dealId: string }[]): Promise<void> {
  for (const part of chunks(pairs, rowsPerStatement(db, 4))) {
    await db
      .insertInto("crm_deal_companies")
      .values(part.map((p) => ({ workspace_id: workspaceId, provider, company_id: p.companyId, deal_id: p.dealId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** After a full pass: records the pass did not see were deleted in the CRM. Returns their ids. */
export async function archiveUnseen(db: Kysely<Database>, table: MirrorTable, workspaceId: string, provider: string, passStartedAt: string): Promise<string[]> {
  const gone = await db
    .selectFrom(table)
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("provider", "=", provider)
    .where("archived", "=", 0)
    .where("seen_at", "<", passStartedAt)
    .execute();
  const ids = gone.map((r) => r.id);
  for (const part of chunks(ids, rowsPerStatement(db))) {
    await db.updateTable(table).set({ archived: 1 }).where("workspace_id", "=", workspaceId).where("provider", "=", provider).where("id", "in", part).execute();
  }
  return ids;
}

/** Marks records archived by id (a batch read found them gone). */
export async function archiveRecords(db: Kysely<Database>, table: MirrorTable, workspaceId: string, provider: string, ids: readonly string[]): Promise<void> {
  for (const part of chunks(ids, rowsPerStatement(db))) {
    await db.updateTable(table).set({ archived: 1 }).where("workspace_id", "=", workspaceId).where("provider", "=", provider).where("id", "in", part).execute();
  }
}

// Rows a query reads at a time when a whole workspace's mirror is loaded for linking. One
// result of 100,000+ row objects, alive while the index was built from it, raised how far V8
// let the heap grow for the rest of the run (the large full run's peak RSS).
const scanPage = 10_000;

// The whole-mirror reads below never join two tables in SQL. Joined, a freshly loaded mirror
// without planner statistics (PostgreSQL before its first ANALYZE) was planned as a nested
// loop that scanned every company of the workspace for each domain: 37 s per page instead of
// 44 ms. Instead each reads a page of parent rows by its primary key, then the child rows in
// that page's key range by theirs: two index range scans whatever the statistics say, and the
// ranges are compared by the database, so no collation has to be mirrored in JavaScript.

interface LiveRecord {
  id: string;
  createdAt: string;
}

/**
 * The mirror's live records of `table`, a page at a time in key order, each with its rows of
 * `children` (a table keyed by the record's id after workspace and provider) as parent/child
 * pairs: the child rows of an archived record are left out.
 */
async function* pagesWithChildren(
  db: Kysely<Database>,
  workspaceId: string,
  provider: string,
  pageSize: number,
  table: MirrorTable,
  children: { table: "crm_company_domains" | "crm_deal_companies"; parent: "company_id" | "deal_id"; child: "domain" | "company_id" },
): AsyncGenerator<{ live: Map<string, LiveRecord>; pairs: { parent: string; child: string }[] }> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom(table)
      .select(["id", "archived", "crm_created_at"])
      .where("workspace_id", "=", workspaceId)
      .where("provider", "=", provider);
    if (after !== null) query = query.where("id", ">", after);
    const records = await query.orderBy("id").limit(pageSize).execute();
    if (records.length === 0) return;
    const last = records[records.length - 1]!.id;
    const pairs = await sql<{ parent: string; child: string }>`
      SELECT ${sql.ref(children.parent)} AS parent, ${sql.ref(children.child)} AS child FROM ${sql.table(children.table)}
      WHERE workspace_id = ${workspaceId} AND provider = ${provider} AND ${sql.ref(children.parent)} BETWEEN ${records[0]!.id} AND ${last}
      ORDER BY 1, 2`.execute(db);
    const live = new Map(records.filter((r) => r.archived === 0).map((r) => [r.id, { id: r.id, createdAt: r.crm_created_at ?? "" }]));
    yield { live, pairs: pairs.rows.filter((p) => live.has(p.parent)) };
    if (records.length < pageSize) return;
    after = last;
  }
}

/** The domain index of every live mirrored company, for linking. */
export async function loadCompanyDomainIndex(db: Kysely<Database>, workspaceId: string, provider: string, pageSize = scanPage): Promise<CompanyDomainIndex> {
  const index = new CompanyDomainIndex();
  const children = { table: "crm_company_domains", parent: "company_id", child: "domain" } as const;
  for await (const { pairs } of pagesWithChildren(db, workspaceId, provider, pageSize, "crm_companies", children)) {
    const domains = new Map<string, string[]>();
    for (const { parent, child } of pairs) {
      const list = domains.get(parent);
      if (list) list.push(child);
      else domains.set(parent, [child]);
    }
    for (const [id, list] of domains) index.add({ id, domains: list });
  }
  return index;
}

/**
 * For each company, the most recently created live deal associated with it (pickDeal), over the
 * whole mirror: one pass in deal order, the associations' own key order (they are keyed by deal,
 * as the deal listing writes them, and not looked up by company).
 */
export async function latestDealsByCompany(db: Kysely<Database>, workspaceId: string, provider: string, pageSize = scanPage): Promise<Map<string, string>> {
  const latest = new Map<string, LiveRecord>();
  const children = { table: "crm_deal_companies", parent: "deal_id", child: "company_id" } as const;
  for await (const { live, pairs } of pagesWithChildren(db, workspaceId, provider, pageSize, "crm_deals", children)) {
    for (const { parent, child: companyId } of pairs) {
      const deal = live.get(parent)!;
      const current = latest.get(companyId);
      if (current === undefined || pickDeal([current, deal]) === deal.id) latest.set(companyId, deal);
    }
  }
  return new Map([...latest].map(([companyId, deal]) => [companyId, deal.id]));
}

/** Mirrored property values by record id (archived records included: their last values stay). */
export async function mirroredProperties(
  db: Kysely<Database>,
  table: MirrorTable,
  workspaceId: string,
  provider: string,
  ids: readonly string[],
): Promise<Map<string, { properties: Record<string, string | null>; archived: boolean }>> {
  const result = new Map<string, { properties: Record<string, string | null>; archived: boolean }>();
  for (const part of chunks([...new Set(ids)], rowsPerStatement(db))) {
    const rows = await db
      .selectFrom(table)
      .select(["id", "properties", "archived"])
      .where("workspace_id", "=", workspaceId)
      .where("provider", "=", provider)
      .where("id", "in", part)
      .execute();
    for (const row of rows) result.set(row.id, { properties: JSON.parse(row.properties) as Record<string, string | null>, archived: row.archived === 1 });
  }
  return result;
}

export async function getSyncState(db: Kysely<Database>, workspaceId: string, provider: string, key: string): Promise<string | null> {
  const row = await db
    .selectFrom("sync_state")
    .select("value")
    .where("workspace_id", "=", workspaceId)
    .where("provider", "=", provider)
    .where("key", "=", key)
    .executeTakeFirst();
  return row?.value ?? null;
}

export async function setSyncState(db: Kysely<Database>, workspaceId: string, provider: string, key: string, value: string): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("sync_state")
    .values({ workspace_id: workspaceId, provider, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(["workspace_id", "provider", "key"]).doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function clearSyncState(db: Kysely<Database>, workspaceId: string, provider: string): Promise<void> {
  await db.deleteFrom("sync_state").where("workspace_id", "=", workspaceId).where("provider", "=", provider).execute();
}
