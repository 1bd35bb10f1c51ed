// `crmsync sync contacts`: queues a contact-sync run (inbound, or the two-way reconcile), works it
// in this process (or lets a running server's worker take it, whichever claims it first), shows
// its progress and ends with a summary.
import type { Config } from "../config.ts";
import type { SyncRun } from "../db/schema.ts";
import { startBackground } from "../sync/background.ts";
import { requestFullContactSync } from "../sync/contact-sync/run.ts";
import type { ContactCheckpoint } from "../sync/contact-sync/types.ts";
import { triggerContactRun } from "../sync/contact-sync/jobs.ts";
import { loadContactSyncSettings } from "../sync/contact-sync/settings.ts";
import { provider } from "../sync/hubspot-connection.ts";
import { runWithProgress } from "./run-progress.ts";
import { contextFor, openMigratedDatabase } from "./runtime.ts";

const phases: ContactCheckpoint["phase"][] = ["check", "source", "changes", "linked", "local", "create", "done"];

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
    return await runWithProgress({
      db: database.db,
      workspaceId,
      kind,
      phases,
      counters: ["read", "created", "updated"],
      progress: options.progress,
      trigger: () => triggerContactRun(ctx.queue, kind, { workspaceId, trigger: "manual", triggeredBy: null }).then(() => undefined),
      startWorker: () => startBackground({ db: database.db, queue: ctx.queue, hubspot: ctx.hubspot, onRunFinished: ctx.notifyRunFinished, schedules: false, pollIntervalMs: 200, concurrency: 1 }),
    });
  } finally {
    await database.close();
  }
}
