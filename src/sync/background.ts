// The background half of a crmsync process: a worker that runs sync jobs and a scheduler
// that enqueues the periodic ones. Embedded mode runs both inside `serve` on the SQL queue; a
// scale-out deployment runs them in `crmsync worker` processes on graphile-worker. The handlers
// and schedules are the same on both queues.
import type { Kysely } from "kysely";
import { workspacesWithAccountSync } from "../db/repositories/sync-settings.ts";
import type { Database } from "../db/schema.ts";
import { GraphileJobQueue, startGraphileWorker, type GraphileWorkerOptions } from "../jobs/graphile-queue.ts";
import type { ClaimableJobQueue, JobLogger } from "../jobs/queue.ts";
import { accountSyncSchedule, inboundContactsSchedule, reconcileSchedule, startScheduler, type Scheduler } from "../jobs/scheduler.ts";
import { startWorker, type Worker, type WorkerOptions } from "../jobs/worker.ts";
import { accountSyncHandler, accountSyncQueue } from "./account-sync-job.ts";
import { contactQueues, contactSyncHandler, type ContactSyncJobDeps } from "./contact-sync/jobs.ts";
import { workspacesForContactRuns } from "./contact-sync/settings.ts";
import type { CrmConnections } from "../connections/connections.ts";

export interface BackgroundOptions {
  db: Kysely<Database>;
  /** The SQL queue runs the poll loop of worker.ts; graphile-worker's queue runs its own pool. */
  queue: ClaimableJobQueue | GraphileJobQueue;
  connections: CrmConnections;
  /** The CRM the workspaces sync with (one per deployment until jobs carry a provider; decision 0011). */
  provider: string;
  /** Called when a run reaches a final status. */
  onRunFinished?: (runId: string) => Promise<void>;
  logger?: JobLogger;
  /** How often an idle worker looks for due jobs. */
  pollIntervalMs?: number;
  /** false leaves the periodic schedules to other processes (or to tests that trigger by hand). */
  schedules?: boolean;
  concurrency?: number;
  /** Liveness and sweep settings of a graphile worker (ignored on the SQL queue). */
  graphile?: Pick<GraphileWorkerOptions, "unlockGraceMs" | "sweepIntervalMs" | "livenessCheckMs" | "livenessTimeoutMs" | "onJob">;
}

export interface Background {
  worker: Worker;
  scheduler: Scheduler | null;
  stop(): Promise<void>;
}

export function startBackground(options: BackgroundOptions): Background {
  const { connections } = options;
  const provider = connections.provider(options.provider);
  const onAuthRevoked = (workspaceId: string, message: string) => connections.markRevoked(workspaceId, provider.id, message);
  const contactDeps: ContactSyncJobDeps = {
    db: options.db,
    provider,
    openSession: async (workspaceId) => {
      const opened = await connections.open(workspaceId, provider.id);
      return opened && { source: opened.contactSource, takeCalls: opened.takeCalls };
    },
    onAuthRevoked,
    ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}),
  };
  const worker = startQueueWorker(options.graphile, {
    queue: options.queue,
    handlers: {
      [accountSyncQueue]: accountSyncHandler({
        db: options.db,
        provider: provider.id,
        crmName: provider.displayName,
        openSession: async (workspaceId) => {
          const opened = await connections.open(workspaceId, provider.id);
          return opened && { source: opened.accountSource, takeCalls: opened.takeCalls };
        },
        onAuthRevoked,
        ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}),
      }),
      [contactQueues.contacts]: contactSyncHandler(contactDeps, "contacts"),
      [contactQueues.reconcile]: contactSyncHandler(contactDeps, "reconcile"),
      [contactQueues.push]: contactSyncHandler(contactDeps, "push"),
    },
    concurrency: options.concurrency ?? 2,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const scheduler =
    options.schedules === false
      ? null
      : startScheduler({
          db: options.db,
          queue: options.queue,
          schedules: [
            accountSyncSchedule({ workspaces: () => workspacesWithAccountSync(options.db, provider.id) }),
            inboundContactsSchedule({ workspaces: () => workspacesForContactRuns(options.db, provider, "contacts") }),
            reconcileSchedule({ workspaces: () => workspacesForContactRuns(options.db, provider, "reconcile") }),
          ],
          ...(options.logger ? { logger: options.logger } : {}),
        });
  return {
    worker,
    scheduler,
    async stop() {
      await scheduler?.stop();
      await worker.stop();
    },
  };
}

/** The poll loop of worker.ts on the SQL queue; graphile-worker's own pool on its queue. */
function startQueueWorker(
  graphile: BackgroundOptions["graphile"],
  options: Omit<WorkerOptions, "queue"> & { queue: ClaimableJobQueue | GraphileJobQueue },
): Worker {
  const { queue, ...rest } = options;
  return queue instanceof GraphileJobQueue ? startGraphileWorker({ ...rest, ...graphile, queue }) : startWorker({ ...rest, queue });
}
