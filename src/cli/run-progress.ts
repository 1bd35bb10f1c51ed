// Shared by the `crmsync sync …` commands: check that the workspace can sync, trigger a run, work
// it in this process (a running server's or worker's process may claim it first, whichever is
// quicker), draw its progress from the run row, and return the finished run.
import { SingleBar } from "cli-progress";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { AppError } from "../core/errors.ts";
import type { Db } from "../db/database.ts";
import { findActiveRun, getRunById, listRuns } from "../db/repositories/sync-runs.ts";
import { getWorkspace } from "../db/repositories/workspaces.ts";
import type { Database, RunKind, SyncRun } from "../db/schema.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { startBackground, type Background } from "../sync/background.ts";
import type { CrmProvider } from "../sync/connector.ts";
import { finalStatuses } from "../sync/run-state.ts";
import { createLogger, type Logger } from "./logging.ts";
import { contextFor, openMigratedDatabase, type ProcessContext } from "./runtime.ts";

export interface SyncCommandParts {
  database: Db;
  ctx: ProcessContext;
  /** The workspace's CRM. */
  crm: CrmProvider;
  logger: Logger;
}

/**
 * Opens the database and the app context for a sync command, once the workspace is known to exist
 * and to have its CRM connected (each failure is one line that says what to do), and closes the
 * database when `body` is done.
 */
export async function withSyncableWorkspace<T>(config: Config, workspaceId: string, body: (parts: SyncCommandParts) => Promise<T>): Promise<T> {
  const logger = createLogger(config);
  const database = await openMigratedDatabase(config, logger);
  try {
    if (!(await getWorkspace(database.db, workspaceId))) {
      throw new Error(`No workspace with id ${workspaceId}: pass the id of an existing workspace (\`crmsync user create --workspace-name …\` prints it when it creates one).`);
    }
    const ctx = contextFor(config, database, config.port, logger);
    const crm = await ctx.crm.workspaceProvider(workspaceId);
    const { id, displayName, tokenKinds } = crm;
    const connection = await ctx.crm.view(workspaceId, id);
    if (connection.status === "not_connected") {
      // The routes of today: OAuth from the web app, or a key of the CRM's usual kind (HubSpot: a service key).
      const how = tokenKinds[0] === undefined ? "with OAuth" : `with OAuth or a key; or POST /api/v1/crm/${id}/connection/${tokenKinds[0].replaceAll("_", "-")} with {"token": "…"}`;
      throw new Error(`${displayName} is not connected for workspace ${workspaceId}: connect it first (Integrations → ${displayName} in the web app, ${how}).`);
    }
    if (connection.status === "disconnected") {
      const reason = connection.statusReason ? ` (${connection.statusReason})` : "";
      throw new Error(`${displayName} was disconnected for workspace ${workspaceId}${reason}: connect it again first (Integrations → ${displayName} in the web app).`);
    }
    // The worker opens the credentials too; a key that cannot open them would only retry there.
    await ctx.crm.open(workspaceId, id).catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw new Error(
        `The stored ${displayName} credentials of workspace ${workspaceId} do not open with this secret key: run the command with the server's CRMSYNC_SECRET (or its DATA_DIR, which holds secret.key on an embedded install).`,
      );
    });
    return await body({ database, ctx, crm, logger });
  } finally {
    await database.close();
  }
}

/** A worker for the command's own run; no schedules (a server or `crmsync worker` fires those). */
export function startCommandWorker({ database, ctx, logger }: SyncCommandParts): Background {
  return startBackground({ db: database.db, queue: ctx.queue, connections: ctx.crm, onRunFinished: ctx.notifyRunFinished, schedules: false, pollIntervalMs: 200, concurrency: 1, logger });
}

export interface RunProgressOptions {
  db: Kysely<Database>;
  workspaceId: string;
  kind: RunKind;
  /** The job queue the trigger enqueues on, and the name of the run's queue in it. */
  jobs: JobQueue;
  queue: string;
  /** The run's checkpoint phases in order; the bar advances one step per phase. */
  phases: readonly string[];
  /** Counters shown beside the bar. */
  counters: readonly ("read" | "linked" | "created" | "updated")[];
  progress: boolean;
  trigger(): Promise<void>;
  startWorker(): Background;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function phaseOf(run: SyncRun, first: string): string {
  return run.checkpoint ? ((JSON.parse(run.checkpoint) as { phase?: string }).phase ?? first) : first;
}

function counterValues(run: SyncRun | undefined): Record<string, number> {
  return {
    read: run?.records_read ?? 0,
    linked: run?.records_linked ?? 0,
    created: run?.records_created ?? 0,
    updated: run?.records_updated ?? 0,
    calls: run?.crm_calls ?? 0,
  };
}

export async function runWithProgress(options: RunProgressOptions): Promise<SyncRun> {
  const first = options.phases[0] ?? "";
  const width = Math.max("queued".length, ...options.phases.map((p) => p.length));
  const before = new Date().toISOString();
  // A run that is already queued or running (paused on a rate limit, handed back by a stopping
  // worker) is resumed under its own id and creation time instead of a new run being created.
  const earlier = await findActiveRun(options.db, options.workspaceId, [options.kind]);
  await options.trigger();
  const background = options.startWorker();
  const format = `{phase} |{bar}| ${options.counters.map((c) => `${c} {${c}}`).join(" · ")} · {calls} CRM calls`;
  const bar = new SingleBar({ format, hideCursor: true, noTTYOutput: options.progress });
  if (options.progress) bar.start(options.phases.length - 1, 0, { phase: "queued".padEnd(width), ...counterValues(undefined) });
  try {
    for (;;) {
      // Jobs first: a job that ends between the two reads has already written its run.
      const jobsLeft = await options.jobs.listJobs({ queue: options.queue, workspaceId: options.workspaceId, status: ["pending", "running"], limit: 1 });
      const [latest] = (await listRuns(options.db, options.workspaceId, { limit: 1, kind: options.kind })).items;
      const fresh = latest !== undefined && latest.created_at >= before;
      const id = fresh ? latest.id : earlier?.id;
      const run = id === undefined ? undefined : await getRunById(options.db, id);
      if (run && options.progress) {
        const phase = phaseOf(run, first);
        bar.update(Math.max(0, options.phases.indexOf(phase)), { phase: phase.padEnd(width), ...counterValues(run) });
      }
      // The earlier run is the answer only once no job is left that could start a newer one.
      if (run && finalStatuses.includes(run.status) && (fresh || jobsLeft.length === 0)) return run;
      if (!run && jobsLeft.length === 0) {
        throw new Error("The run did not start: the workspace's sync settings or HubSpot connection changed meanwhile. Check them and try again.");
      }
      await sleep(250);
    }
  } finally {
    if (options.progress) bar.stop();
    await background.stop();
  }
}
