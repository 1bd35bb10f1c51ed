// A workspace's settings row; a workspace without one has the defaults.
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export interface WorkspaceSettings {
  defaultCountry: string | null;
  personalDomains: { allow: string[]; deny: string[] };
  /** null: the product's default limit. */
  contactLimit: number | null;
}

export const defaultWorkspaceSettings: WorkspaceSettings = { defaultCountry: null, personalDomains: { allow: [], deny: [] }, contactLimit: null };

export async function getWorkspaceSettings(db: Kysely<Database>, workspaceId: string): Promise<WorkspaceSettings> {
  const row = await db.selectFrom("workspace_settings").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirst();
  if (!row) return defaultWorkspaceSettings;
  return {
    defaultCountry: row.default_country,
    personalDomains: { allow: JSON.parse(row.personal_domains_allow) as string[], deny: JSON.parse(row.personal_domains_deny) as string[] },
    contactLimit: row.contact_limit,
  };
}

export async function saveWorkspaceSettings(db: Kysely<Database>, workspaceId: string, settings: WorkspaceSettings): Promise<WorkspaceSettings> {
  const values = {
    default_country: settings.defaultCountry,
    personal_domains_allow: JSON.stringify(settings.personalDomains.allow),
    personal_domains_deny: JSON.stringify(settings.personalDomains.deny),
    contact_limit: settings.contactLimit,
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto("workspace_settings")
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet(values))
    .execute();
  return getWorkspaceSettings(db, workspaceId);
}
