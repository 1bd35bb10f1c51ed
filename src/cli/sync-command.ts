// `crmsync sync accounts`: queues an account-sync run, works it in this process (or lets a
// running server's worker take it, whichever claims it first), shows its progress and ends
// with a summary.
import type { Config } from "../config.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { SyncRun } from "../db/schema.ts";
import { accountSyncQueue, triggerAccountSync } from "../sync/account-sync-job.ts";
import type { AccountCheckpoint } from "../sync/account-sync.ts";
import { runWithProgress, startCommandWorker, withSyncableWorkspace } from "./run-progress.ts";

const phases: AccountCheckpoint["phase"][] = ["companies", "deals", "sweep", "link", "deals_fill", "values", "done"];

export async function syncAccounts(config: Config, workspaceId: string, options: { full: boolean; progress: boolean }): Promise<SyncRun> {
  return withSyncableWorkspace(config, workspaceId, async (parts) => {
    const { database, ctx, crm } = parts;
    if (!(await getSyncSettings(database.db, workspaceId, crm.id)).accountSyncEnabled) {
      throw new Error(
        `${crm.displayName} Sync is off for workspace ${workspaceId}: turn it on first (the ${crm.displayName} Sync switch on the Customers page, or PUT /api/v1/crm/${crm.id}/account-sync).`,
      );
    }
    return runWithProgress({
      db: database.db,
      workspaceId,
      kind: "accounts",
      jobs: ctx.queue,
      queue: accountSyncQueue,
      phases,
      counters: ["read", "linked", "updated"],
      progress: options.progress,
      trigger: () => triggerAccountSync(database.db, ctx.queue, crm, { workspaceId, trigger: "manual", triggeredBy: null }, { full: options.full }).then(() => undefined),
      startWorker: () => startCommandWorker(parts),
    });
  });
}
