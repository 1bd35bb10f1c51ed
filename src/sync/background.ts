// The background half of a crmsync process: a worker that runs sync jobs and a scheduler
// that enqueues the periodic ones. Embedded mode runs both inside `serve` on the SQL queue; a
// scale-out deployment runs them in `crmsync worker` processes on graphile-worker. The handlers
// and schedules are the same on both queues.
import type { Kysely } from "kysely";
import { workspacesWithAccountSync } from "../db/repositories/sync-settings.ts";
import type { Database } from "../db/schema.ts";
import { GraphileJobQueue, startGraphileWorker, type GraphileWorkerOptions } from "../jobs/graphile-queue.ts";
import { z } from "zod";
import type { ClaimableJobQueue, JobHandler, JobLogger } from "../jobs/queue.ts";
import { accountSyncSchedule, inboundContactsSchedule, reconcileSchedule, startScheduler, type ScheduledWorkspace, type Scheduler } from "../jobs/scheduler.ts";
import { startWorker, type Worker, type WorkerOptions } from "../jobs/worker.ts";
import { accountSyncHandler, accountSyncQueue } from "./account-sync-job.ts";
import { contactQueues, contactSyncHandler, type ContactSyncJobDeps } from "./contact-sync/jobs.ts";
import { workspacesForContactRuns } from "./contact-sync/settings.ts";
import type { CrmConnections } from "../connections/connections.ts";
import type { CrmProvider } from "./connector.ts";

export interface BackgroundOptions {
  db: Kysely<Database>;
  /** The SQL queue runs the poll loop of worker.ts; graphile-worker's queue runs its own pool. */
  queue: ClaimableJobQueue | GraphileJobQueue;
  /** Every registered CRM's connections; each job names the CRM it syncs with. */
  connections: CrmConnections;
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

const jobCrmSchema = z.object({ workspaceId: z.string(), provider: z.string().optional() });

export function startBackground(options: BackgroundOptions): Background {
  const { connections } = options;
  const onFinished = options.onRunFinished ? { onRunFinished: options.onRunFinished } : {};
  const handlersOf = memoize((provider: CrmProvider) => {
    const onAuthRevoked = (workspaceId: string, message: string) => connections.markRevoked(workspaceId, provider.id, message);
    const contactDeps: ContactSyncJobDeps = {
      db: options.db,
      provider,
      openSession: async (workspaceId) => {
        const opened = await connections.open(workspaceId, provider.id);
        return opened && { source: opened.contactSource, takeCalls: opened.takeCalls };
      },
      onAuthRevoked,
      ...onFinished,
    };
    return {
      [accountSyncQueue]: accountSyncHandler({
        db: options.db,
        provider: provider.id,
        crmName: provider.displayName,
        openSession: async (workspaceId) => {
          const opened = await connections.open(workspaceId, provider.id);
          return opened && { source: opened.accountSource, takeCalls: opened.takeCalls };
        },
        onAuthRevoked,
        ...onFinished,
      }),
      [contactQueues.contacts]: contactSyncHandler(contactDeps, "contacts"),
      [contactQueues.reconcile]: contactSyncHandler(contactDeps, "reconcile"),
      [contactQueues.push]: contactSyncHandler(contactDeps, "push"),
    } as Record<string, JobHandler>;
  });
  /** Runs a job with its CRM's handler; a job queued before jobs named their CRM gets the workspace's. */
  const dispatch = (queue: string): JobHandler => async (job, jobCtx) => {
    const { workspaceId, provider } = jobCrmSchema.parse(job.payload);
    const crm = provider === undefined ? await connections.workspaceProvider(workspaceId) : connections.provider(provider);
    await handlersOf(crm)[queue]!(job, jobCtx);
  };
  const queues = [accountSyncQueue, contactQueues.contacts, contactQueues.reconcile, contactQueues.push];
  const worker = startQueueWorker(options.graphile, {
    queue: options.queue,
    handlers: Object.fromEntries(queues.map((queue) => [queue, dispatch(queue)])),
    concurrency: options.concurrency ?? 2,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  /** The workspaces each CRM's lookup returns, tagged with that CRM. */
  const everyCrm = (lookup: (provider: CrmProvider) => Promise<string[]>) => async (): Promise<ScheduledWorkspace[]> => {
    const perCrm = await Promise.all(connections.providers.list().map(async (provider) => (await lookup(provider)).map((workspaceId) => ({ workspaceId, provider: provider.id }))));
    return perCrm.flat();
  };
  const scheduler =
    options.schedules === false
      ? null
      : startScheduler({
          db: options.db,
          queue: options.queue,
          schedules: [
            accountSyncSchedule({ workspaces: everyCrm((provider) => workspacesWithAccountSync(options.db, provider.id)) }),
            inboundContactsSchedule({ workspaces: everyCrm((provider) => workspacesForContactRuns(options.db, provider, "contacts")) }),
            reconcileSchedule({ workspaces: everyCrm((provider) => workspacesForContactRuns(options.db, provider, "reconcile")) }),
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

/** One value per key object, built on first use. */
function memoize<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = build(key);
      made.set(key, value);
    }
    return value;
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
