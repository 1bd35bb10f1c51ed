// `crmsync sync contacts`: queues a contact-sync run (inbound, or the two-way reconcile), works it
// in this process (or lets a running server's worker take it, whichever claims it first), shows
// its progress and ends with a summary.
import type { Config } from "../config.ts";
import type { SyncRun } from "../db/schema.ts";
import { requestFullContactSync } from "../sync/contact-sync/run.ts";
import type { ContactCheckpoint } from "../sync/contact-sync/types.ts";
import { contactQueues, triggerContactRun } from "../sync/contact-sync/jobs.ts";
import { loadContactSyncSettings } from "../sync/contact-sync/settings.ts";
import { runWithProgress, startCommandWorker, withSyncableWorkspace } from "./run-progress.ts";

const phases: ContactCheckpoint["phase"][] = ["check", "source", "changes", "linked", "local", "create", "done"];

export async function syncContacts(config: Config, workspaceId: string, options: { full: boolean; progress: boolean }): Promise<SyncRun> {
  return withSyncableWorkspace(config, workspaceId, async (parts) => {
    const { database, ctx, crm: provider } = parts;
    const settings = await loadContactSyncSettings(database.db, workspaceId, provider);
    const where = `Integrations → ${provider.displayName} in the web app`;
    if (settings.mode === "off") throw new Error(`Contact sync is off for workspace ${workspaceId}: choose a mode first (${where}, or PUT /api/v1/crm/${provider.id}/contact-sync).`);
    if (settings.paused) throw new Error(`Contact sync is paused for workspace ${workspaceId}: resume it first (${where}, or PUT /api/v1/crm/${provider.id}/contact-sync with "paused": false).`);
    if (settings.mode === "two_way" && settings.confirmedAt === null) {
      throw new Error(`Two-way contact sync is not confirmed for workspace ${workspaceId}: preview and confirm it first (${where}, or POST /api/v1/crm/${provider.id}/contact-sync/preview, then …/confirm).`);
    }
    const { source, sourceError } = settings;
    if (sourceError && source.kind === "list" && source.listId === sourceError.listId) {
      throw new Error(`The ${provider.displayName} list ${source.listId} that contact sync reads was deleted: choose another list first (${where}, or PUT /api/v1/crm/${provider.id}/contact-sync).`);
    }
    const kind = settings.mode === "inbound" ? "contacts" : "reconcile";
    if (options.full) await requestFullContactSync(database.db, workspaceId, provider.id);
    return runWithProgress({
      db: database.db,
      workspaceId,
      kind,
      jobs: ctx.queue,
      queue: contactQueues[kind],
      phases,
      counters: ["read", "created", "updated"],
      progress: options.progress,
      trigger: () => triggerContactRun(database.db, ctx.queue, provider, kind, { workspaceId, trigger: "manual", triggeredBy: null }).then(() => undefined),
      startWorker: () => startCommandWorker(parts),
    });
  });
}
