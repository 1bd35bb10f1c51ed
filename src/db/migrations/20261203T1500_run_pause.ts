// A run paused by a CRM rate limit says which limit and when it resumes (product spec §6), as
// data the API and UI show, not only inside the message text.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sync_runs").addColumn("paused_by_limit", "text").execute();
  await db.schema.alterTable("sync_runs").addColumn("resumes_at", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
