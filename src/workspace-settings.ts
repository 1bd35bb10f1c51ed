// Changing a workspace's settings, for the API and the CLI: each value is checked and
// normalised here, so a stored setting is always one the sync can use.
import type { Kysely } from "kysely";
import { isSupportedCountry } from "libphonenumber-js";
import { normalizeDomain } from "./core/domains.ts";
import { AppError } from "./core/errors.ts";
import { getWorkspaceSettings, saveWorkspaceSettings, type WorkspaceSettings } from "./db/repositories/workspace-settings.ts";
import type { Database } from "./db/schema.ts";
import { countContacts } from "./db/repositories/contacts.ts";
import { defaultContactLimit } from "./sync/contact-sync/types.ts";

/** Fields left out (or undefined) keep their value. */
export interface WorkspaceSettingsPatch {
  defaultCountry?: string | null | undefined;
  personalDomains?: { allow?: readonly string[] | undefined; deny?: readonly string[] | undefined } | undefined;
  contactLimit?: number | null | undefined;
}

function country(value: string | null): string | null {
  if (value === null) return null;
  const code = value.trim().toUpperCase();
  if (!isSupportedCountry(code)) {
    throw new AppError("validation_failed", `"${value}" is not a country crmsync can read phone numbers for: give an ISO 3166 two-letter code such as US, GB or DE.`, { field: "defaultCountry", value });
  }
  return code;
}

/** Normalised, deduplicated and sorted; a value that is no domain is refused by name (domain_invalid). */
function domains(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => normalizeDomain(value)))].sort();
}

/** Refuses (contact_limit_reached) a write that would take the workspace past its contact limit. */
export async function assertRoomForContacts(db: Kysely<Database>, workspaceId: string, adding: number): Promise<void> {
  const limit = (await getWorkspaceSettings(db, workspaceId)).contactLimit ?? defaultContactLimit;
  const held = await countContacts(db, workspaceId);
  if (held + adding > limit) {
    throw new AppError("contact_limit_reached", `The workspace holds ${held.toLocaleString("en")} contacts and may hold ${limit.toLocaleString("en")}; delete contacts or ask an admin to raise the limit in the workspace settings.`, { held, limit });
  }
}

export async function updateWorkspaceSettings(db: Kysely<Database>, workspaceId: string, patch: WorkspaceSettingsPatch): Promise<WorkspaceSettings> {
  const current = await getWorkspaceSettings(db, workspaceId);
  const allow = patch.personalDomains?.allow === undefined ? current.personalDomains.allow : domains(patch.personalDomains.allow);
  const deny = patch.personalDomains?.deny === undefined ? current.personalDomains.deny : domains(patch.personalDomains.deny);
  const both = allow.filter((domain) => deny.includes(domain));
  if (both.length > 0) throw new AppError("validation_failed", `A domain cannot be both allowed and denied: ${both.join(", ")}.`, { field: "personalDomains", domains: both });
  return saveWorkspaceSettings(db, workspaceId, {
    defaultCountry: patch.defaultCountry === undefined ? current.defaultCountry : country(patch.defaultCountry),
    personalDomains: { allow, deny },
    contactLimit: patch.contactLimit === undefined ? current.contactLimit : patch.contactLimit,
  });
}
