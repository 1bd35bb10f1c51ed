// `crmsync sync accounts`: queues an account-sync run, works it in this process (or lets a
// running server's worker take it, whichever claims it first), shows its progress and ends
// with a summary.
import type { Config } from "../config.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { SyncRun } from "../db/schema.ts";
import { triggerAccountSync } from "../sync/account-sync-job.ts";
import type { AccountCheckpoint } from "../sync/account-sync.ts";
import { startBackground } from "../sync/background.ts";
import { provider } from "../sync/hubspot-connection.ts";
import { runWithProgress } from "./run-progress.ts";
import { contextFor, openMigratedDatabase } from "./runtime.ts";

const phases: AccountCheckpoint["phase"][] = ["companies", "deals", "sweep", "link", "deals_fill", "values", "done"];

export async function syncAccounts(config: Config, workspaceId: string, options: { full: boolean; progress: boolean }): Promise<SyncRun> {
  const database = await openMigratedDatabase(config);
  const ctx = contextFor(config, database, config.port);
  try {
    if (!(await ctx.hubspot.isConnected(workspaceId))) throw new Error(`HubSpot is not connected for workspace ${workspaceId}.`);
    if (!(await getSyncSettings(database.db, workspaceId, provider)).accountSyncEnabled) {
      throw new Error("HubSpot Sync is off for this workspace; turn it on first (PUT /api/v1/crm/hubspot/account-sync).");
    }
    return await runWithProgress({
      db: database.db,
      workspaceId,
      kind: "accounts",
      phases,
      counters: ["read", "linked", "updated"],
      progress: options.progress,
      trigger: () => triggerAccountSync(database.db, ctx.queue, provider, { workspaceId, trigger: "manual", triggeredBy: null }, { full: options.full }).then(() => undefined),
      startWorker: () => startBackground({ db: database.db, queue: ctx.queue, hubspot: ctx.hubspot, onRunFinished: ctx.notifyRunFinished, schedules: false, pollIntervalMs: 200, concurrency: 1 }),
    });
  } finally {
    await database.close();
  }
}
