// Sessions get an id (admins list and revoke them without seeing their secret) and the time
// they were last used, for the inactivity timeout; API tokens already record their last use.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("id", "text").execute();
  await db.schema.alterTable("sessions").addColumn("last_seen_at", "text").execute();
  await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
  // Existing sessions: an id derived from the stored hash (not the secret), seen when created.
  await sql`update sessions set id = substr(token_hash, 1, 32), last_seen_at = created_at`.execute(db);
  await db.schema.createIndex("sessions_id").unique().on("sessions").column("id").execute();
  await db.schema.createIndex("sessions_workspace").on("sessions").column("workspace_id").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
