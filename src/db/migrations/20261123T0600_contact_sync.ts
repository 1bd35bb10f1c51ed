// Contact sync's own state: which CRM contacts a run has seen in its source (so incremental
// runs read only new members and changed contacts), and what crmsync last pushed per contact
// and field (so crmsync's own writes never come back as CRM edits).
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("contact_sync_records")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("crm_id", "text", (c) => c.notNull())
    // linked | skipped | error | deleted
    .addColumn("status", "text", (c) => c.notNull())
    // The customer the source attaches the contact to (companies source), when any.
    .addColumn("customer_id", "text")
    .addColumn("crm_modified_at", "text")
    .addColumn("seen_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contact_sync_records_pk", ["workspace_id", "provider", "crm_id"])
    .execute();
  await db.schema.createIndex("contact_sync_records_seen").on("contact_sync_records").columns(["workspace_id", "provider", "seen_at"]).execute();

  await db.schema
    .createTable("contact_sync_pushes")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("contact_id", "text", (c) => c.notNull())
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    // The CRM's time of the write (its clock, epoch ms as text).
    .addColumn("pushed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contact_sync_pushes_pk", ["workspace_id", "provider", "contact_id", "field"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
