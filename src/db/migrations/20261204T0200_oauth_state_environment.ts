// Where an OAuth flow signs in (Salesforce: production or sandbox login host) is chosen at
// start and needed again for the code exchange, so it is kept with the state.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("oauth_states").addColumn("environment", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
