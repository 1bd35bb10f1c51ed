// The mirror's indexes, fitted to how a full pass writes it: page by page in CRM id order, each
// page committed on its own. An index keyed otherwise (by domain, by company for deals) takes
// its entries at random places, so every page's commit rewrote about a hundred of its leaf
// pages; on 120,000 companies and 150,000 deals those writes and their checkpoints were the
// largest part of the mirror phases' time.
// - crm_company_domains by domain: no query reads it (linking loads a workspace's domains by
//   the primary key's prefix and matches in memory). Dropped.
// - crm_deal_companies: keyed by deal first, like the deal listing that writes it; a run reads
//   every live deal's companies in one pass when it links, instead of looking companies up a
//   batch at a time, so nothing looks associations up by company any more.
// Forward-only, written against Kysely<any>, importing no app code.
import { PostgresAdapter, sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("crm_company_domains_domain").execute();

  const key = ["workspace_id", "provider", "deal_id", "company_id"] as const;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable("crm_deal_companies").dropConstraint("crm_deal_companies_pk").execute();
    await db.schema.alterTable("crm_deal_companies").addPrimaryKeyConstraint("crm_deal_companies_pk", [...key]).execute();
    await db.schema.dropIndex("crm_deal_companies_deal").execute();
    return;
  }
  // SQLite cannot change a table's primary key: the table is rebuilt (its old index goes with it).
  await db.schema
    .createTable("crm_deal_companies_rekeyed")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("company_id", "text", (c) => c.notNull())
    .addColumn("deal_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_deal_companies_pk", [...key])
    .execute();
  await sql`INSERT INTO crm_deal_companies_rekeyed (workspace_id, provider, company_id, deal_id)
    SELECT workspace_id, provider, company_id, deal_id FROM crm_deal_companies`.execute(db);
  await db.schema.dropTable("crm_deal_companies").execute();
  await db.schema.alterTable("crm_deal_companies_rekeyed").renameTo("crm_deal_companies").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
