// Contacts: a record of merges (so an import does not bring a merged-away duplicate back), a
// lower-cased name key for search and sorting, and indexes for the list's other sort orders.
// Forward-only, written against Kysely<any>, importing no app code.
import { PostgresAdapter, sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The key is lower-cased by the application, not by SQL: SQLite's lower() folds ASCII only
  // and PostgreSQL's follows the locale, so only a stored key searches and sorts alike on both.
  // On PostgreSQL the column compares bytewise ("C") so its order matches SQLite's BINARY.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql`ALTER TABLE contacts ADD COLUMN name_key text ${sql.raw(postgres ? 'COLLATE "C" ' : "")}NOT NULL DEFAULT ''`.execute(db);
  // Approximate for non-ASCII names (see above); the table is empty when this first runs.
  await sql`UPDATE contacts SET name_key = lower(name)`.execute(db);

  await db.schema.dropIndex("contacts_workspace_name").execute();
  await db.schema.createIndex("contacts_workspace_name_key").on("contacts").columns(["workspace_id", "name_key", "id"]).execute();
  await db.schema.createIndex("contacts_workspace_created").on("contacts").columns(["workspace_id", "created_at", "id"]).execute();
  await db.schema.createIndex("contacts_workspace_updated").on("contacts").columns(["workspace_id", "updated_at", "id"]).execute();

  await db.schema
    .createTable("contact_merges")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    // No foreign keys to contacts: the merged contact is gone, and the survivor may later be
    // deleted or merged itself while the history must stay.
    .addColumn("survivor_id", "text", (c) => c.notNull())
    .addColumn("merged_contact_id", "text", (c) => c.notNull())
    .addColumn("merged_external_id", "text")
    .addColumn("merged_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contact_merges_pk", ["workspace_id", "merged_contact_id"])
    .execute();
  await db.schema.createIndex("contact_merges_external").on("contact_merges").columns(["workspace_id", "merged_external_id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
