// Contact-sync jobs: what a worker does with a trigger of each kind. Inbound (`contacts`),
// `reconcile` and `push` runs share one exclusive key per workspace, so they never write a
// workspace's contacts at the same time. CRM failures become run outcomes as in account sync:
// rate limits pause the run, an outage retries it, a revoked grant disconnects.
import type { Kysely } from "kysely";
import { z } from "zod";
import { createRun, findActiveRun, listRuns, transitionRun } from "../../db/repositories/sync-runs.ts";
import { accountSyncHasFinished } from "../account-sync.ts";
import { getSyncSettings } from "../../db/repositories/sync-settings.ts";
import type { Database, SyncRun } from "../../db/schema.ts";
import { LeaseLostError, RetryLaterError, type EnqueueInput, type JobHandler, type JobQueue } from "../../jobs/queue.ts";
import { contactSyncJob, reconcileJob, syncQueues, type SyncJobInput } from "../../jobs/scheduler.ts";
import type { ContactSourceAndWriter } from "../ports.ts";
import { settleRunError } from "../run-failure.ts";
import { contactRunBlocker } from "../run-now.ts";
import { requestFullContactSync, runContactSync } from "./run.ts";
import type { ContactRunKind, ContactSyncDeps } from "./types.ts";
import { loadContactSyncSettings, runnable, saveContactSyncSettings, type ContactSettingsProvider, type ContactSyncSettings } from "./settings.ts";

/** The on-create push queue (§4.4: a contact created in crmsync reaches the CRM within seconds). */
export const contactPushQueue = "contact-push";

export function contactPushJob(input: SyncJobInput): EnqueueInput {
  return {
    queue: contactPushQueue,
    payload: { workspaceId: input.workspaceId, provider: input.provider, trigger: input.trigger, triggeredBy: input.triggeredBy ?? null },
    workspaceId: input.workspaceId,
    // Creations during a pending push join it: one push carries them all.
    coalesceKey: `${contactPushQueue}:${input.workspaceId}`,
    exclusiveKey: `contacts:${input.workspaceId}`,
    maxAttempts: 8,
    ...(input.runAt ? { runAt: input.runAt } : {}),
  };
}

export const contactQueues: Record<ContactRunKind, string> = { contacts: syncQueues.contactSync, reconcile: syncQueues.reconcile, push: contactPushQueue };

const payloadSchema = z.object({
  workspaceId: z.string(),
  /** Absent on jobs queued before jobs carried their CRM: the worker uses the workspace's. */
  provider: z.string().optional(),
  trigger: z.enum(["schedule", "enable", "import", "manual", "link", "create"]),
  triggeredBy: z.string().nullable(),
});

export interface ContactSession {
  source: ContactSourceAndWriter;
  takeCalls(): Record<string, number>;
}

export interface ContactSyncJobDeps {
  db: Kysely<Database>;
  /** The workspace's CRM: its id and default contact mapping. */
  provider: ContactSettingsProvider;
  openSession(workspaceId: string): Promise<ContactSession | null>;
  onAuthRevoked(workspaceId: string, message: string): Promise<void>;
  onRunFinished?(runId: string): Promise<void>;
  now?: () => Date;
  contactLimit?: number;
}

/**
 * Queues a contact-sync run of this kind. Throws RunCannotStart (409) when the worker would not
 * run it: contact sync off, paused or in the other mode, two-way unconfirmed, the source list
 * deleted, the CRM not connected.
 */
export async function triggerContactRun(
  db: Kysely<Database>,
  queue: JobQueue,
  provider: ContactSettingsProvider,
  kind: ContactRunKind,
  trigger: Omit<SyncJobInput, "provider">,
  options: { full?: boolean } = {},
): Promise<{ coalesced: boolean }> {
  const blocker = await contactRunBlocker(db, trigger.workspaceId, provider, await loadContactSyncSettings(db, trigger.workspaceId, provider), kind);
  if (blocker) throw blocker;
  // A full pass reads the whole source again (a support action: "run a full pass now").
  if (options.full && kind !== "push") await requestFullContactSync(db, trigger.workspaceId, provider.id);
  const input: SyncJobInput = { ...trigger, provider: provider.id };
  const job = kind === "contacts" ? contactSyncJob(input) : kind === "reconcile" ? reconcileJob(input) : contactPushJob(input);
  const { coalesced } = await queue.enqueue(job);
  return { coalesced };
}

async function currentRun(deps: ContactSyncJobDeps, kind: ContactRunKind, payload: z.infer<typeof payloadSchema>): Promise<SyncRun> {
  const active = await findActiveRun(deps.db, payload.workspaceId, [kind]);
  const run = active ?? (await createRun(deps.db, { workspaceId: payload.workspaceId, provider: deps.provider.id, kind, trigger: payload.trigger, triggeredBy: payload.triggeredBy }));
  return run.status === "queued" ? transitionRun(deps.db, run.id, "running") : run;
}

export function contactSyncHandler(deps: ContactSyncJobDeps, kind: ContactRunKind): JobHandler {
  return async (job, jobCtx) => {
    const payload = payloadSchema.parse(job.payload);
    const settings = await loadContactSyncSettings(deps.db, payload.workspaceId, deps.provider);
    // Switched off, paused, unconfirmed or broken after the trigger: nothing to do, no run to show.
    if (!runnable(settings, kind)) return;
    if (await waitsForFirstAccountRun(deps, payload.workspaceId, kind, settings, job.createdAt)) throw new RetryLaterError(firstAccountRunPollMs, "Waiting for account sync's first run.");
    const session = await deps.openSession(payload.workspaceId);
    if (!session) return;

    const run = await currentRun(deps, kind, payload);
    const finished = (): Promise<void> => deps.onRunFinished?.(run.id) ?? Promise.resolve();
    const engineDeps: ContactSyncDeps = {
      db: deps.db,
      source: session.source,
      provider: deps.provider.id,
      crmName: deps.provider.displayName,
      takeCalls: session.takeCalls,
      signal: jobCtx.signal,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.contactLimit !== undefined ? { contactLimit: deps.contactLimit } : {}),
    };
    try {
      const done = await runContactSync(engineDeps, run, settings);
      if (done.status === "failed" && settings.source.kind === "list") await rememberBrokenList(deps, payload.workspaceId, run.id);
      await finished();
    } catch (error) {
      if (jobCtx.signal.aborted) {
        if (!(jobCtx.signal.reason instanceof LeaseLostError)) {
          await transitionRun(deps.db, run.id, "queued", { message: "Interrupted: the worker stopped; resumes where it stopped." }).catch(() => undefined);
        }
        throw error;
      }
      await settleRunError({ db: deps.db, run, job, jobCtx, crmName: deps.provider.displayName, finished, onAuthRevoked: (message) => deps.onAuthRevoked(payload.workspaceId, message) }, error);
    }
  };
}

const firstAccountRunPollMs = 5_000;
/** How long a contact run waits for account sync's first run before it runs (and reports why it cannot). */
const firstAccountRunWaitMs = 2 * 3600_000;

/**
 * Contacts of synced companies need account sync's first run. Turning both on together, that run
 * is queued or running when the contact run starts: the contact run waits for it (no run is
 * created meanwhile) instead of failing with account_sync_failed. A first account run that
 * already ended without finishing, or one that takes longer than the wait, does not hold it.
 */
async function waitsForFirstAccountRun(deps: ContactSyncJobDeps, workspaceId: string, kind: ContactRunKind, settings: ContactSyncSettings, queuedAt: Date): Promise<boolean> {
  if (kind === "push" || settings.source.kind !== "synced_companies") return false;
  if (Date.now() - queuedAt.getTime() > firstAccountRunWaitMs) return false;
  if (!(await getSyncSettings(deps.db, workspaceId, deps.provider.id)).accountSyncEnabled) return false;
  if (await accountSyncHasFinished(deps.db, workspaceId, deps.provider.id)) return false;
  const [latest] = (await listRuns(deps.db, workspaceId, { limit: 1, kind: "accounts" })).items;
  return latest === undefined || latest.status === "queued" || latest.status === "running";
}

/** A deleted source list stops contact sync until another list is chosen (§4.2). */
async function rememberBrokenList(deps: ContactSyncJobDeps, workspaceId: string, runId: string): Promise<void> {
  const errors = await deps.db.selectFrom("sync_errors").select("code").where("run_id", "=", runId).where("code", "=", "crm_list_not_found").executeTakeFirst();
  if (!errors) return;
  const settings = await loadContactSyncSettings(deps.db, workspaceId, deps.provider);
  if (settings.source.kind !== "list") return;
  await saveContactSyncSettings(deps.db, workspaceId, deps.provider.id, { ...settings, sourceError: { code: "crm_list_not_found", listId: settings.source.listId, at: new Date().toISOString() } });
}
