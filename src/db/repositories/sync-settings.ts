// Per-workspace sync switches: the account-sync toggle ("HubSpot Sync") and the contact-sync settings.
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export interface SyncSettings {
  accountSyncEnabled: boolean;
  accountSyncChangedAt: string | null;
  /** Raw JSON settings of contact sync; the contact-sync module owns their shape. */
  contactSync: unknown;
}

export async function getSyncSettings(db: Kysely<Database>, workspaceId: string, provider: string): Promise<SyncSettings> {
  const row = await db.selectFrom("sync_settings").selectAll().where("workspace_id", "=", workspaceId).where("provider", "=", provider).executeTakeFirst();
  return {
    accountSyncEnabled: row?.account_sync_enabled === 1,
    accountSyncChangedAt: row?.account_sync_changed_at ?? null,
    contactSync: row ? (JSON.parse(row.contact_sync) as unknown) : {},
  };
}

/** Sets the toggle; returns whether it changed (off → on starts a full run). */
export async function setAccountSyncEnabled(db: Kysely<Database>, workspaceId: string, provider: string, enabled: boolean): Promise<boolean> {
  const before = await getSyncSettings(db, workspaceId, provider);
  if (before.accountSyncEnabled === enabled) return false;
  const now = new Date().toISOString();
  await db
    .insertInto("sync_settings")
    .values({ workspace_id: workspaceId, provider, account_sync_enabled: enabled ? 1 : 0, account_sync_changed_at: now, contact_sync: "{}", updated_at: now })
    .onConflict((oc) => oc.columns(["workspace_id", "provider"]).doUpdateSet({ account_sync_enabled: enabled ? 1 : 0, account_sync_changed_at: now, updated_at: now }))
    .execute();
  return true;
}

export async function setContactSyncSettings(db: Kysely<Database>, workspaceId: string, provider: string, settings: unknown): Promise<void> {
  const now = new Date().toISOString();
  const json = JSON.stringify(settings);
  await db
    .insertInto("sync_settings")
    .values({ workspace_id: workspaceId, provider, account_sync_enabled: 0, account_sync_changed_at: null, contact_sync: json, updated_at: now })
    .onConflict((oc) => oc.columns(["workspace_id", "provider"]).doUpdateSet({ contact_sync: json, updated_at: now }))
    .execute();
}

/** Workspaces whose account sync is on and whose connection is usable: the 30-minute schedule's list. */
export async function workspacesWithAccountSync(db: Kysely<Database>, provider: string): Promise<string[]> {
  const rows = await db
    .selectFrom("sync_settings as s")
    .innerJoin("crm_connections as c", (join) => join.onRef("c.workspace_id", "=", "s.workspace_id").onRef("c.provider", "=", "s.provider"))
    .select("s.workspace_id")
    .where("s.provider", "=", provider)
    .where("s.account_sync_enabled", "=", 1)
    .where("c.status", "=", "connected")
    .execute();
  return rows.map((r) => r.workspace_id);
}
