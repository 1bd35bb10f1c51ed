// The local mirror of CRM companies and deals (see the crm_mirror migration). Writes are
// idempotent upserts, so a page read twice (a resumed run) changes nothing the second time.
// Writers join the caller's transaction when given one (a page commits with its checkpoint).
import type { Insertable, Kysely, Transaction } from "kysely";
import { CompanyDomainIndex, pickDeal } from "../../core/linking.ts";
import type { CrmCompany, CrmDeal } from "../../sync/ports.ts";
import { insertRows } from "../bulk-insert.ts";
import type { CrmRecordsTable, CrmCompanyDomainsTable, CrmDealCompaniesTable, Database } from "../schema.ts";
import { inTransaction } from "./field-values.ts";

type Db = Kysely<Database> | Transaction<Database>;
type MirrorTable = "crm_companies" | "crm_deals";

// SQLite allows 32,766 bound parameters per statement; 9 columns × 500 rows stays well below.
const chunkSize = 500;

function chunks<T>(items: readonly T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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
  for (const part of chunks(records)) {
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
    for (const part of chunks(companies)) {
      await trx
        .deleteFrom("crm_company_domains")
        .where("workspace_id", "=", workspaceId)
        .where("provider", "=", provider)
        .where("company_id", "in", part.map((c) => c.id))
        .execute();
    }
    const domainRows = companies.flatMap((c) => [...new Set(c.domains)].map((domain) => [workspaceId, provider, c.id, domain]));
    for (const part of chunks(domainRows)) {
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
    for (const part of chunks(withAssociations)) {
      await trx
        .deleteFrom("crm_deal_companies")
        .where("workspace_id", "=", workspaceId)
        .where("provider", "=", provider)
        .where("deal_id", "in", part.map((d) => d.id))
        .execute();
    }
    const rows = withAssociations.flatMap((d) => [...new Set(d.companyIds)].map((companyId) => [workspaceId, provider, companyId, d.id]));
    for (const part of chunks(rows)) {
      await insertRows<Database, CrmDealCompaniesTable>(trx, "crm_deal_companies.insert", ["workspace_id", "provider", "company_id", "deal_id"], part, (db, values) =>
        db.insertInto("crm_deal_companies").values(values),
      );
    }
  });
}

/** Records deal↔company associations seen outside a deal listing, keeping the others. */
export async function addDealCompanies(db: Kysely<Database>, workspaceId: string, provider: string, pairs: readonly { companyId: string; dealId: string }[]): Promise<void> {
  for (const part of chunks(pairs)) {
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
  for (const part of chunks(ids)) {
    await db.updateTable(table).set({ archived: 1 }).where("workspace_id", "=", workspaceId).where("provider", "=", provider).where("id", "in", part).execute();
  }
  return ids;
}

/** Marks records archived by id (a batch read found them gone). */
export async function archiveRecords(db: Kysely<Database>, table: MirrorTable, workspaceId: string, provider: string, ids: readonly string[]): Promise<void> {
  for (const part of chunks(ids)) {
    await db.updateTable(table).set({ archived: 1 }).where("workspace_id", "=", workspaceId).where("provider", "=", provider).where("id", "in", part).execute();
  }
}

// Rows a query reads at a time when a whole workspace's mirror is loaded for linking. One
// result of 100,000+ row objects, alive while the index was built from it, raised how far V8
// let the heap grow for the rest of the run (the large full run's peak RSS).
const scanPage = 10_000;

/** The domain index of every live mirrored company, for linking. */
export async function loadCompanyDomainIndex(db: Kysely<Database>, workspaceId: string, provider: string): Promise<CompanyDomainIndex> {
  const index = new CompanyDomainIndex();
  // Rows come in key order, a company's domains together (possibly across two pages).
  let company = null as { id: string; domains: string[] } | null;
  let after: { companyId: string; domain: string } | null = null;
  for (;;) {
    const position = after;
    let query = db
      .selectFrom("crm_company_domains as d")
      .innerJoin("crm_companies as c", (join) =>
        join.onRef("c.workspace_id", "=", "d.workspace_id").onRef("c.provider", "=", "d.provider").onRef("c.id", "=", "d.company_id"),
      )
      .select(["d.company_id", "d.domain"])
      .where("d.workspace_id", "=", workspaceId)
      .where("d.provider", "=", provider)
      .where("c.archived", "=", 0);
    if (position) query = query.where((eb) => eb(eb.refTuple("d.company_id", "d.domain"), ">", eb.tuple(position.companyId, position.domain)));
    const rows = await query.orderBy("d.company_id").orderBy("d.domain").limit(scanPage).execute();
    for (const row of rows) {
      if (company?.id !== row.company_id) {
        if (company) index.add(company);
        company = { id: row.company_id, domains: [] };
      }
      company.domains.push(row.domain);
    }
    if (rows.length < scanPage) break;
    const last = rows[rows.length - 1]!;
    after = { companyId: last.company_id, domain: last.domain };
  }
  if (company) index.add(company);
  return index;
}

/**
 * For each company, the most recently created live deal associated with it (pickDeal), over the
 * whole mirror: one pass in the associations' key order, since they are keyed by deal (written
 * as deals are listed) and not looked up by company.
 */
export async function latestDealsByCompany(db: Kysely<Database>, workspaceId: string, provider: string): Promise<Map<string, string>> {
  const dealIds = new Map<string, string>();
  const createdAts = new Map<string, string>();
  let after: { dealId: string; companyId: string } | null = null;
  for (;;) {
    const position = after;
    let query = db
      .selectFrom("crm_deal_companies as dc")
      .innerJoin("crm_deals as d", (join) =>
        join.onRef("d.workspace_id", "=", "dc.workspace_id").onRef("d.provider", "=", "dc.provider").onRef("d.id", "=", "dc.deal_id"),
      )
      .select(["dc.deal_id", "dc.company_id", "d.crm_created_at", "d.archived"])
      .where("dc.workspace_id", "=", workspaceId)
      .where("dc.provider", "=", provider);
    if (position) query = query.where((eb) => eb(eb.refTuple("dc.deal_id", "dc.company_id"), ">", eb.tuple(position.dealId, position.companyId)));
    const rows = await query.orderBy("dc.deal_id").orderBy("dc.company_id").limit(scanPage).execute();
    for (const row of rows) {
      if (row.archived !== 0) continue;
      const deal = { id: row.deal_id, createdAt: row.crm_created_at ?? "" };
      const currentId = dealIds.get(row.company_id);
      if (currentId === undefined || pickDeal([{ id: currentId, createdAt: createdAts.get(row.company_id)! }, deal]) === deal.id) {
        dealIds.set(row.company_id, deal.id);
        createdAts.set(row.company_id, deal.createdAt);
      }
    }
    if (rows.length < scanPage) break;
    const last = rows[rows.length - 1]!;
    after = { dealId: last.deal_id, companyId: last.company_id };
  }
  return dealIds;
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
  for (const part of chunks([...new Set(ids)])) {
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
