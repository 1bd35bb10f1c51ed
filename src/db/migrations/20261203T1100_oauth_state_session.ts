// An OAuth state belongs to the browser session and the CRM provider that started the flow
// (decision 0011): a callback in another session, or for another provider, is refused. States
// issued before this migration have neither and are dropped (they live 15 minutes anyway).
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("oauth_states").execute();
  await db.schema.alterTable("oauth_states").addColumn("provider", "text").execute();
  await db.schema.alterTable("oauth_states").addColumn("session_hash", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
