// A local mirror of the CRM records account sync needs (ids, domains, creation and change
// times, imported property values) so linking and value updates happen locally and an
// incremental run asks the CRM only for what changed.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["crm_companies", "crm_deals"]) {
    await db.schema
      .createTable(table)
      .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("properties", "text", (c) => c.notNull())
      .addColumn("crm_created_at", "text")
      .addColumn("crm_modified_at", "text")
      .addColumn("archived", "integer", (c) => c.notNull())
      .addColumn("seen_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ["workspace_id", "provider", "id"])
      .execute();
  }
  await db.schema
    .createTable("crm_company_domains")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("company_id", "text", (c) => c.notNull())
    .addColumn("domain", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_company_domains_pk", ["workspace_id", "provider", "company_id", "domain"])
    .execute();
  await db.schema.createIndex("crm_company_domains_domain").on("crm_company_domains").columns(["workspace_id", "provider", "domain"]).execute();

  await db.schema
    .createTable("crm_deal_companies")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("company_id", "text", (c) => c.notNull())
    .addColumn("deal_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_deal_companies_pk", ["workspace_id", "provider", "company_id", "deal_id"])
    .execute();
  await db.schema.createIndex("crm_deal_companies_deal").on("crm_deal_companies").columns(["workspace_id", "provider", "deal_id"]).execute();

  await db.schema
    .createTable("sync_state")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sync_state_pk", ["workspace_id", "provider", "key"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
