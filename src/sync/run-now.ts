// Whether a sync run can start now, and if not why, in words an admin can act on. The trigger
// functions ask this before queueing, so "run now" never answers "queued" for a run that the
// worker would then skip (the CRM disconnected, sync off, the source list deleted).
import type { Kysely } from "kysely";
import { AppError } from "../core/errors.ts";
import { getConnection } from "../db/repositories/connections.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { Database } from "../db/schema.ts";
import type { CrmName } from "./connector.ts";
import type { ContactSyncSettings } from "./contact-sync/settings.ts";
import type { ContactRunKind } from "./contact-sync/types.ts";

/** Why a run cannot start: a stable code (409) and what to do about it. */
export class RunCannotStart extends AppError {
  constructor(code: "sync_disabled" | "crm_not_connected" | "crm_list_not_found" | "conflict", message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = "RunCannotStart";
  }
}

async function connectionBlocker(db: Kysely<Database>, workspaceId: string, crm: CrmName): Promise<RunCannotStart | null> {
  const connection = await getConnection(db, workspaceId, crm.id);
  if (!connection) return new RunCannotStart("crm_not_connected", `${crm.displayName} is not connected; connect it from Integrations first.`);
  if (connection.status !== "connected") {
    const why = connection.status_reason ? ` (${connection.status_reason.replace(/\.$/, "")})` : "";
    return new RunCannotStart("crm_not_connected", `${crm.displayName} is disconnected${why}; reconnect it from Integrations first.`);
  }
  return null;
}

/** Null when an account-sync run can start now, else the reason. */
export async function accountSyncBlocker(db: Kysely<Database>, workspaceId: string, crm: CrmName): Promise<RunCannotStart | null> {
  if (!(await getSyncSettings(db, workspaceId, crm.id)).accountSyncEnabled) return new RunCannotStart("sync_disabled", `${crm.displayName} Sync is off; turn it on first.`);
  return connectionBlocker(db, workspaceId, crm);
}

/** Null when a contact-sync run of this kind can start now with these settings, else the reason. */
export async function contactRunBlocker(db: Kysely<Database>, workspaceId: string, crm: CrmName, settings: ContactSyncSettings, kind: ContactRunKind): Promise<RunCannotStart | null> {
  if (settings.mode === "off") return new RunCannotStart("sync_disabled", "Contact sync is off; choose a mode first.");
  if (settings.paused) return new RunCannotStart("sync_disabled", "Contact sync is paused; resume it first.");
  if (kind === "contacts" && settings.mode !== "inbound") return new RunCannotStart("conflict", "Contact sync is two-way: its runs are reconciles.");
  if (kind !== "contacts" && settings.mode !== "two_way") return new RunCannotStart("conflict", "Contact sync is inbound: choose two-way to reconcile.");
  if (kind !== "contacts" && settings.confirmedAt === null) return new RunCannotStart("conflict", "Preview the first two-way reconcile and confirm it before running it.");
  const { source, sourceError } = settings;
  if (sourceError && source.kind === "list" && source.listId === sourceError.listId) {
    return new RunCannotStart("crm_list_not_found", `The ${crm.displayName} list ${source.listId} that contact sync reads no longer exists; choose another list.`, { listId: source.listId });
  }
  return connectionBlocker(db, workspaceId, crm);
}
