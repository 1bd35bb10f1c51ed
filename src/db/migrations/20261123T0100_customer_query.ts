// Customers list: a stored name key and the indexes that serve every sort order, so that
// both dialects return the same rows in the same order, each straight from an index.
// Forward-only, written against Kysely<any>, importing no app code.
import { PostgresAdapter, sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Names sort and search case-insensitively through a key lower-cased by the application:
  // SQLite's lower() folds ASCII only and PostgreSQL's follows the locale. The key compares
  // bytewise on PostgreSQL ("C"), as SQLite's BINARY collation does.
  await sql`ALTER TABLE customers ADD COLUMN name_key text ${sql.raw(postgres ? 'COLLATE "C" ' : "")}NOT NULL DEFAULT ''`.execute(db);
  await sql`UPDATE customers SET name_key = lower(name)`.execute(db);
  await db.schema.dropIndex("customers_workspace_name").execute();
  await db.schema.createIndex("customers_workspace_name_key").on("customers").columns(["workspace_id", "name_key", "id"]).execute();
  // Text field values sort in byte order too; altering the column rebuilds its index under "C".
  if (postgres) await sql`ALTER TABLE field_values ALTER COLUMN text_value TYPE text COLLATE "C"`.execute(db);
  // Sort by updatedAt, and the "no value for the sort field" tail of a field sort (by id).
  await db.schema.createIndex("customers_workspace_updated").on("customers").columns(["workspace_id", "updated_at", "id"]).execute();
  await db.schema.createIndex("customers_workspace_id").on("customers").columns(["workspace_id", "id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
