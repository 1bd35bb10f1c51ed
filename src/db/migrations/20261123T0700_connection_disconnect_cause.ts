// Why a connection is disconnected matters to what users see: after a revoked grant links and
// synced values are hidden until reconnected; after a manual disconnect they stay visible as
// ordinary data (product spec §2).
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("crm_connections").addColumn("disconnect_cause", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
