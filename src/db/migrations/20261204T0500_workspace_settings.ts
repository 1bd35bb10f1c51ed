// Per-workspace settings that change how records are read: the country national phone numbers
// belong to, the workspace's own additions to the personal-domain list, and the contact limit.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("workspace_settings")
    .addColumn("workspace_id", "text", (c) => c.primaryKey().references("workspaces.id").onDelete("cascade"))
    .addColumn("default_country", "text")
    .addColumn("personal_domains_allow", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("personal_domains_deny", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("contact_limit", "integer")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
