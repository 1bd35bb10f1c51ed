// Turning account sync ("<CRM> Sync") on or off, with its side effects, for every transport:
// on needs the CRM connected and starts an immediate full run (§3.4); off cancels the run that
// was waiting to start. The API, the CLI and the demo share this rule.
import type { Kysely } from "kysely";
import { AppError } from "../core/errors.ts";
import { getConnection } from "../db/repositories/connections.ts";
import { setAccountSyncEnabled } from "../db/repositories/sync-settings.ts";
import type { Database } from "../db/schema.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { accountSyncJob } from "../jobs/scheduler.ts";
import { triggerAccountSync } from "./account-sync-job.ts";
import type { CrmProvider } from "./connector.ts";

export type AccountSyncCrm = Pick<CrmProvider, "id" | "displayName" | "capabilities">;

/** Sets the toggle; returns whether it changed. */
export async function setAccountSync(
  deps: { db: Kysely<Database>; queue: JobQueue },
  crm: AccountSyncCrm,
  change: { workspaceId: string; enabled: boolean; userId: string | null },
): Promise<boolean> {
  const { workspaceId, enabled } = change;
  if (enabled && !crm.capabilities.accountSync) throw new AppError("capability_missing", `${crm.displayName} does not offer account sync.`);
  if (enabled && (await getConnection(deps.db, workspaceId, crm.id))?.status !== "connected") {
    throw new AppError("crm_not_connected", `Connect ${crm.displayName} before turning ${crm.displayName} Sync on.`);
  }
  const changed = await setAccountSyncEnabled(deps.db, workspaceId, crm.id, enabled);
  // Turning it on (again) reads everything: an immediate full run.
  if (changed && enabled) await triggerAccountSync(deps.db, deps.queue, crm, { workspaceId, trigger: "enable", triggeredBy: change.userId }, { full: true });
  if (changed && !enabled) await deps.queue.cancelPending(accountSyncJob({ workspaceId, provider: crm.id, trigger: "manual" }).coalesceKey!);
  return changed;
}
