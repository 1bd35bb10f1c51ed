// `crmsync sync accounts`: queues an account-sync run, works it in this process (or lets a
// running server's worker take it, whichever claims it first), shows its progress and ends
// with a summary.
import { SingleBar } from "cli-progress";
import type { Config } from "../config.ts";
import { getRunById, listRuns } from "../db/repositories/sync-runs.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { SyncRun } from "../db/schema.ts";
import { triggerAccountSync } from "../sync/account-sync-job.ts";
import type { AccountCheckpoint } from "../sync/account-sync.ts";
import { startBackground } from "../sync/background.ts";
import { provider } from "../sync/hubspot-connection.ts";
import { finalStatuses } from "../sync/run-state.ts";
import { contextFor, openMigratedDatabase } from "./runtime.ts";

const phases: AccountCheckpoint["phase"][] = ["companies", "deals", "sweep", "link", "deals_fill", "values", "done"];

function phaseOf(run: SyncRun): AccountCheckpoint["phase"] {
  return run.checkpoint ? (JSON.parse(run.checkpoint) as AccountCheckpoint).phase : "companies";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function syncAccounts(config: Config, workspaceId: string, options: { full: boolean; progress: boolean }): Promise<SyncRun> {
  const database = await openMigratedDatabase(config);
  const ctx = contextFor(config, database, config.port);
  try {
    if (!(await ctx.hubspot.isConnected(workspaceId))) throw new Error(`HubSpot is not connected for workspace ${workspaceId}.`);
    if (!(await getSyncSettings(database.db, workspaceId, provider)).accountSyncEnabled) {
      throw new Error("HubSpot Sync is off for this workspace; turn it on first (PUT /api/v1/crm/hubspot/account-sync).");
    }
    const before = new Date().toISOString();
    await triggerAccountSync(database.db, ctx.queue, provider, { workspaceId, trigger: "manual", triggeredBy: null }, { full: options.full });
    const background = startBackground({ db: database.db, queue: ctx.queue, hubspot: ctx.hubspot, onRunFinished: ctx.notifyRunFinished, schedules: false, pollIntervalMs: 200, concurrency: 1 });
    const bar = new SingleBar({ format: "{phase} |{bar}| read {read} · linked {linked} · updated {updated} · {calls} CRM calls", hideCursor: true, noTTYOutput: options.progress });
    if (options.progress) bar.start(phases.length - 1, 0, { phase: "queued".padEnd(10), read: 0, linked: 0, updated: 0, calls: 0 });
    let run: SyncRun | undefined;
    try {
      for (;;) {
        const [latest] = (await listRuns(database.db, workspaceId, { limit: 1, kind: "accounts" })).items;
        run = latest && latest.created_at >= before ? ((await getRunById(database.db, latest.id)) ?? latest) : undefined;
        if (run && options.progress) {
          const phase = phaseOf(run);
          bar.update(phases.indexOf(phase), { phase: phase.padEnd(10), read: run.records_read, linked: run.records_linked, updated: run.records_updated, calls: run.crm_calls });
        }
        if (run && finalStatuses.includes(run.status)) break;
        await sleep(250);
      }
    } finally {
      if (options.progress) bar.stop();
      await background.stop();
    }
    return run;
  } finally {
    await database.close();
  }
}
