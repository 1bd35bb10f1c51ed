// Forward-only. Written against Kysely<any> and importing no app code.
// In-app notifications: one row per (event, user). A run that ended with errors notifies each
// recipient once, whoever calls the notifier and however often.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    // Pruning old runs takes their notifications along: the link would lead nowhere.
    .addColumn("run_id", "text", (c) => c.references("sync_runs.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("link", "text")
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    .addColumn("emailed_at", "text")
    .execute();
  // The idempotency key: a second notifier for the same run inserts nothing (ON CONFLICT DO
  // NOTHING) and so sends no second email. NULL run ids (future kinds) never collide.
  await db.schema.createIndex("notifications_run_user").on("notifications").columns(["run_id", "user_id"]).unique().execute();
  await db.schema.createIndex("notifications_user_created").on("notifications").columns(["workspace_id", "user_id", "created_at", "id"]).execute();
  // The unread badge is read on every page load; a partial index keeps it cheap however many
  // read notifications pile up. Literal predicate: partial index conditions take no parameters.
  await sql`create index notifications_unread on notifications (workspace_id, user_id) where read_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
