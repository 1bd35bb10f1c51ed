// The account-sync job: what a worker does with a trigger. It finds the workspace's run (a
// paused or interrupted one resumes from its checkpoint), runs it, and turns CRM failures into
// run outcomes: rate limits pause the run, an outage retries it, a revoked grant disconnects.
import type { Kysely } from "kysely";
import { z } from "zod";
import { addRunProgress, createRun, findActiveRun, transitionRun } from "../db/repositories/sync-runs.ts";
import { getConnection } from "../db/repositories/connections.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { Database, SyncRun } from "../db/schema.ts";
import { LeaseLostError, type JobHandler, type JobQueue } from "../jobs/queue.ts";
import { accountSyncJob, syncQueues } from "../jobs/scheduler.ts";
import { requestFullAccountSync, runAccountSync } from "./account-sync.ts";
import type { AccountSource } from "./ports.ts";
import { settleRunError } from "./run-failure.ts";
import { accountSyncBlocker } from "./run-now.ts";
import type { CrmName } from "./connector.ts";

export const accountSyncQueue = syncQueues.accountSync;

const payloadSchema = z.object({
  workspaceId: z.string(),
  /** Absent on jobs queued before jobs carried their CRM: the worker uses the workspace's. */
  provider: z.string().optional(),
  trigger: z.enum(["schedule", "enable", "import", "manual", "link", "create"]),
  triggeredBy: z.string().nullable(),
});
export type AccountSyncPayload = Omit<z.infer<typeof payloadSchema>, "provider">;

/** A usable CRM session for one workspace; null when it is not connected. */
export interface CrmSession {
  source: AccountSource;
  /** Calls spent since the last take, by endpoint. */
  takeCalls(): Record<string, number>;
}

export interface AccountSyncJobDeps {
  db: Kysely<Database>;
  provider: string;
  /** The CRM's display name ("HubSpot"), for the run's messages. */
  crmName: string;
  openSession(workspaceId: string): Promise<CrmSession | null>;
  /** The CRM refused the grant: mark the connection disconnected (every sync stops). */
  onAuthRevoked(workspaceId: string, message: string): Promise<void>;
  /** A run reached a final status (tells people about its errors). */
  onRunFinished?(runId: string): Promise<void>;
  now?: () => Date;
  /** How often a running run checks that the workspace still wants it (sync on, the CRM connected). */
  watchIntervalMs?: number;
}

/**
 * Queues an account-sync run; `full` asks the next run to read everything again. Throws
 * RunCannotStart (409) when the run could not happen: account sync off, the CRM not connected.
 */
export async function triggerAccountSync(
  db: Kysely<Database>,
  queue: JobQueue,
  crm: CrmName,
  payload: AccountSyncPayload,
  options: { full: boolean },
): Promise<{ coalesced: boolean }> {
  const blocker = await accountSyncBlocker(db, payload.workspaceId, crm);
  if (blocker) throw blocker;
  if (options.full) await requestFullAccountSync(db, payload.workspaceId, crm.id);
  // Coalesced and exclusive per workspace: a trigger during a run becomes one follow-up run.
  const { coalesced } = await queue.enqueue(accountSyncJob({ ...payload, provider: crm.id }));
  return { coalesced };
}

async function currentRun(deps: AccountSyncJobDeps, payload: AccountSyncPayload): Promise<SyncRun> {
  const active = await findActiveRun(deps.db, payload.workspaceId, ["accounts"]);
  const run = active ?? (await createRun(deps.db, { workspaceId: payload.workspaceId, provider: deps.provider, kind: "accounts", trigger: payload.trigger, triggeredBy: payload.triggeredBy }));
  return run.status === "queued" ? transitionRun(deps.db, run.id, "running") : run;
}

const defaultWatchIntervalMs = 1_000;

/** Why a run stopped early on purpose: account sync was turned off, or the CRM disconnected. */
class RunNoLongerWanted extends Error {
  override name = "RunNoLongerWanted";
}

/** Null while the workspace still wants this run, otherwise why not. */
async function unwantedReason(deps: AccountSyncJobDeps, workspaceId: string): Promise<string | null> {
  if (!(await getSyncSettings(deps.db, workspaceId, deps.provider)).accountSyncEnabled) return `Stopped: ${deps.crmName} Sync was turned off during the run.`;
  if ((await getConnection(deps.db, workspaceId, deps.provider))?.status !== "connected") return `Stopped: ${deps.crmName} was disconnected during the run.`;
  return null;
}

export function accountSyncHandler(deps: AccountSyncJobDeps): JobHandler {
  return async (job, jobCtx) => {
    const payload = payloadSchema.parse(job.payload);
    const settings = await getSyncSettings(deps.db, payload.workspaceId, deps.provider);
    // Turned off (or disconnected) after the trigger: nothing to do, and no run to show.
    if (!settings.accountSyncEnabled) return;
    const session = await deps.openSession(payload.workspaceId);
    if (!session) return;

    const run = await currentRun(deps, payload);
    const finished = (): Promise<void> => deps.onRunFinished?.(run.id) ?? Promise.resolve();
    // The run stops at its next checkpoint when the worker stops, and also when the workspace
    // turns account sync off or disconnects the CRM meanwhile ("no more runs", §3.4, §2).
    const stop = new AbortController();
    const forward = (): void => stop.abort(jobCtx.signal.reason);
    if (jobCtx.signal.aborted) forward();
    else jobCtx.signal.addEventListener("abort", forward, { once: true });
    const watch = setInterval(() => {
      unwantedReason(deps, payload.workspaceId).then(
        (reason) => {
          if (reason !== null && !stop.signal.aborted) stop.abort(new RunNoLongerWanted(reason));
        },
        () => undefined,
      );
    }, deps.watchIntervalMs ?? defaultWatchIntervalMs);
    try {
      await runAccountSync(
        { db: deps.db, source: session.source, provider: deps.provider, crmName: deps.crmName, takeCalls: session.takeCalls, signal: stop.signal, ...(deps.now ? { now: deps.now } : {}) },
        run,
      );
      await finished();
    } catch (error) {
      // The calls of the page that failed (retries included) were spent too: put them on the run.
      await addRunProgress(deps.db, run.id, { crmCalls: session.takeCalls() }).catch(() => undefined);
      if (stop.signal.aborted) {
        const reason: unknown = stop.signal.reason;
        if (reason instanceof RunNoLongerWanted) {
          await transitionRun(deps.db, run.id, "cancelled", { message: reason.message });
          await finished();
          return;
        }
        // Stopped between two checkpoints. A lost lease means another worker owns the run now:
        // leave it alone. A stopping worker hands it back; the job is requeued and resumes it.
        if (!(reason instanceof LeaseLostError)) {
          await transitionRun(deps.db, run.id, "queued", { message: "Interrupted: the worker stopped; resumes where it stopped." }).catch(() => undefined);
        }
        throw error;
      }
      await settleRunError({ db: deps.db, run, job, jobCtx, crmName: deps.crmName, finished, onAuthRevoked: (message) => deps.onAuthRevoked(payload.workspaceId, message) }, error);
    } finally {
      clearInterval(watch);
      jobCtx.signal.removeEventListener("abort", forward);
    }
  };
}
