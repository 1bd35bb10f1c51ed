// `crmsync sync contacts`: queues a contact-sync run (inbound, or the two-way reconcile), works it
// in this process (or lets a running server's worker take it, whichever claims it first), shows
// its progress and ends with a summary.
import { SingleBar } from "cli-progress";
import type { Config } from "../config.ts";
import { getRunById, listRuns } from "../db/repositories/sync-runs.ts";
import type { SyncRun } from "../db/schema.ts";
import { startBackground } from "../sync/background.ts";
import { requestFullContactSync } from "../sync/contact-sync/run.ts";
import type { ContactCheckpoint } from "../sync/contact-sync/types.ts";
import { triggerContactRun } from "../sync/contact-sync/jobs.ts";
import { loadContactSyncSettings } from "../sync/contact-sync/settings.ts";
import { provider } from "../sync/hubspot-connection.ts";
import { finalStatuses } from "../sync/run-state.ts";
import { contextFor, openMigratedDatabase } from "./runtime.ts";

const phases: ContactCheckpoint["phase"][] = ["check", "source", "changes", "linked", "local", "create", "done"];

function phaseOf(run: SyncRun): ContactCheckpoint["phase"] {
  return run.checkpoint ? (JSON.parse(run.checkpoint) as ContactCheckpoint).phase : "check";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function syncContacts(config: Config, workspaceId: string, options: { full: boolean; progress: boolean }): Promise<SyncRun> {
  const database = await openMigratedDatabase(config);
  const ctx = contextFor(config, database, config.port);
  try {
    if (!(await ctx.hubspot.isConnected(workspaceId))) throw new Error(`HubSpot is not connected for workspace ${workspaceId}.`);
    const settings = await loadContactSyncSettings(database.db, workspaceId, provider);
    if (settings.mode === "off") throw new Error("Contact sync is off for this workspace; choose a mode first (PUT /api/v1/crm/hubspot/contact-sync).");
    if (settings.paused) throw new Error("Contact sync is paused for this workspace; resume it first.");
    if (settings.mode === "two_way" && settings.confirmedAt === null) {
      throw new Error("Two-way contact sync has not been confirmed: preview it (POST .../contact-sync/preview) and confirm it (POST .../contact-sync/confirm) first.");
    }
    const kind = settings.mode === "inbound" ? "contacts" : "reconcile";
    if (options.full) await requestFullContactSync(database.db, workspaceId, provider);
    const before = new Date().toISOString();
    await triggerContactRun(ctx.queue, kind, { workspaceId, trigger: "manual", triggeredBy: null });
    const background = startBackground({ db: database.db, queue: ctx.queue, hubspot: ctx.hubspot, schedules: false, pollIntervalMs: 200, concurrency: 1 });
    const bar = new SingleBar({ format: "{phase} |{bar}| read {read} · created {created} · updated {updated} · {calls} CRM calls", hideCursor: true, noTTYOutput: options.progress });
    if (options.progress) bar.start(phases.length - 1, 0, { phase: "queued".padEnd(8), read: 0, created: 0, updated: 0, calls: 0 });
    let run: SyncRun | undefined;
    try {
      for (;;) {
        const [latest] = (await listRuns(database.db, workspaceId, { limit: 1, kind })).items;
        run = latest && latest.created_at >= before ? ((await getRunById(database.db, latest.id)) ?? latest) : undefined;
        if (run && options.progress) {
          const phase = phaseOf(run);
          bar.update(phases.indexOf(phase), { phase: phase.padEnd(8), read: run.records_read, created: run.records_created, updated: run.records_updated, calls: run.crm_calls });
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
