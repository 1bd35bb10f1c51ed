// `crmsync worker`: a process that only runs sync jobs and fires the periodic schedules. Start
// any number of them, on any machines, against one PostgreSQL: graphile-worker hands each job to
// one of them, a workspace's runs never overlap, and the CRM budgets are shared through the
// database. On SQLite it runs the embedded queue's poll loop (same file, same machine).
import type { Config } from "../config.ts";
import type { GraphileWorker } from "../jobs/graphile-queue.ts";
import { startBackground, type Background } from "../sync/background.ts";
import type { Logger } from "./logging.ts";
import { contextFor, openMigratedDatabase } from "./runtime.ts";

export interface WorkerCommandOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** false: this process does not fire the periodic schedules (another one does; running them everywhere is safe too). */
  schedules: boolean;
  hubspotBaseUrl?: string;
  logger: Logger;
}

export interface RunningWorker {
  background: Background;
  /** Settles when the worker stopped by itself because its database session was lost. */
  lost: Promise<Error>;
  close(): Promise<void>;
}

export async function startWorkerProcess(config: Config, options: WorkerCommandOptions): Promise<RunningWorker> {
  const database = await openMigratedDatabase(config, options.logger);
  // Each running job holds a pool connection at times, and the budget and the sweeper take more.
  const ctx = contextFor(config, database, config.port, options.logger, {
    poolSize: options.concurrency + 4,
    ...(options.hubspotBaseUrl ? { hubspotBaseUrl: options.hubspotBaseUrl } : {}),
  });
  const background = startBackground({
    db: database.db,
    queue: ctx.queue,
    connections: ctx.crm,
    onRunFinished: ctx.notifyRunFinished,
    concurrency: options.concurrency,
    schedules: options.schedules,
    logger: options.logger,
  });
  const graphile = ctx.scaleOut ? (background.worker as GraphileWorker) : null;
  try {
    await graphile?.ready;
  } catch (error) {
    await background.stop().catch(() => undefined);
    await ctx.scaleOut?.close();
    await database.close();
    throw error;
  }
  return {
    background,
    lost: graphile?.lost ?? new Promise<Error>(() => undefined),
    async close() {
      await background.stop();
      await ctx.scaleOut?.close();
      await database.close();
    },
  };
}
