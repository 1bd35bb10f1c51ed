// The poll loop: claims due jobs up to `concurrency`, runs their handlers, keeps their leases
// alive, and records the outcome. Durability lives in the queue; this loop holds nothing that
// a crash could lose (a dead worker's jobs are reclaimed when their leases expire).
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import {
  FatalJobError,
  LeaseLostError,
  RetryLaterError,
  type ClaimableJobQueue,
  type Job,
  type JobContext,
  type JobHandler,
  type JobLogger,
} from "./queue.ts";

export interface WorkerOptions {
  queue: ClaimableJobQueue;
  /** Queue name -> handler. The worker claims jobs of these queues only. */
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this worker; default 1. */
  concurrency?: number;
  /** How long to wait before polling again when nothing was due; default 1000. */
  pollIntervalMs?: number;
  workerId?: string;
  /** How long a claim lasts without a heartbeat; default 60 s. */
  leaseMs?: number;
  /** How often running jobs' leases are extended; default leaseMs / 3. */
  heartbeatMs?: number;
  /** Delay before retrying after failed attempt n (1-based); default 15 s * 2^(n-1), at most 30 min. */
  backoffMs?: (attempt: number) => number;
  logger?: JobLogger;
}

export interface Worker {
  readonly workerId: string;
  /** Stops claiming, aborts running jobs' signals and resolves once they have all settled. */
  stop(): Promise<void>;
  /** Resolves when this worker has nothing running and found nothing due to claim. */
  drain(): Promise<void>;
}

export function defaultBackoffMs(attempt: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

const consoleLogger: JobLogger = {
  info: () => undefined,
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

class StopRequested extends Error {
  constructor() {
    super("The worker is stopping.");
    this.name = "StopRequested";
  }
}

export function startWorker(options: WorkerOptions): Worker {
  const queue = options.queue;
  const concurrency = options.concurrency ?? 1;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3));
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const logger = options.logger ?? consoleLogger;
  const queues = Object.keys(options.handlers);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);

  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let stopping = false;
  let wakeUp: (() => void) | undefined;
  // Drain waiters registered before a poll cycle starts are answered by that cycle's outcome;
  // one registered mid-cycle waits for the next, or a job enqueued just before drain() could be missed.
  let drainWaiters: (() => void)[] = [];

  // A wake-up that arrives while the loop is busy claiming is remembered, not lost.
  let wokenWhileBusy = false;
  const wake = (): void => {
    if (wakeUp) wakeUp();
    else wokenWhileBusy = true;
  };

  const sleep = (ms: number): Promise<void> => {
    if (wokenWhileBusy) {
      wokenWhileBusy = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  };

  async function loop(): Promise<void> {
    // A restarted process takes over what its killed predecessor held at once, not after the lease.
    if (queue.releaseLeasesOfDeadProcesses) {
      try {
        const released = await queue.releaseLeasesOfDeadProcesses(hostname(), processAlive);
        if (released > 0) logger.warn({ workerId, released }, "took over the jobs of a crmsync process on this machine that stopped");
      } catch (error) {
        logger.error({ err: error, workerId }, "looking for the jobs of stopped processes failed");
      }
    }
    while (!stopping) {
      const waiters = drainWaiters;
      drainWaiters = [];
      wokenWhileBusy = false;
      let exhausted = false;
      try {
        while (!stopping && running.size < concurrency) {
          const job = await queue.claim({ workerId, queues, leaseMs });
          if (!job) {
            exhausted = true;
            break;
          }
          if (stopping) {
            // stop() was called while this claim was in flight: hand the job straight back.
            await queue.retry(job, { delayMs: 0, error: "Interrupted: the worker is stopping.", countAttempt: false });
            break;
          }
          runJob(job);
        }
      } catch (error) {
        logger.error({ err: error, workerId }, "claiming a job failed");
      }
      if (exhausted && running.size === 0) {
        for (const resolve of waiters) resolve();
      } else {
        drainWaiters = [...waiters, ...drainWaiters];
      }
      if (stopping) break;
      // A finishing job wakes the loop at once when there is room to claim the next one.
      if (exhausted || running.size >= concurrency) await sleep(exhausted ? pollIntervalMs : 60_000);
    }
  }

  function runJob(job: Job): void {
    const controller = new AbortController();
    const done = execute(job, controller).finally(() => {
      running.delete(job.id);
      wake();
    });
    running.set(job.id, { controller, done });
  }

  async function execute(job: Job, controller: AbortController): Promise<void> {
    const handler = options.handlers[job.queue];
    const log = { jobId: job.id, queue: job.queue, workspaceId: job.workspaceId, attempt: job.attempts, workerId };
    const extend = async (): Promise<void> => {
      if (await queue.heartbeat(job, leaseMs)) return;
      const lost = new LeaseLostError(job.id);
      controller.abort(lost);
      throw lost;
    };
    const timer = setInterval(() => {
      extend().catch((error: unknown) => {
        if (!(error instanceof LeaseLostError)) logger.warn({ ...log, err: error }, "extending a job's lease failed");
      });
    }, heartbeatMs);
    const ctx: JobContext = { jobId: job.id, attempt: job.attempts, signal: controller.signal, heartbeat: extend };
    try {
      if (!handler) throw new FatalJobError(`No handler for queue ${job.queue}`);
      await handler(job, ctx);
      clearInterval(timer);
      if (!(await queue.complete(job))) logger.warn(log, "job finished after its lease was lost; another worker owns it now");
    } catch (error) {
      clearInterval(timer);
      await settleFailure(job, controller.signal, error, log);
    }
  }

  async function settleFailure(job: Job, signal: AbortSignal, error: unknown, log: object): Promise<void> {
    try {
      const message = errorMessage(error);
      if (signal.aborted && signal.reason instanceof LeaseLostError) {
        logger.warn(log, "job stopped: its lease was lost to another worker");
      } else if (error instanceof RetryLaterError) {
        await queue.retry(job, { delayMs: error.delayMs, error: message, countAttempt: false });
        logger.info({ ...log, delayMs: error.delayMs }, "job asked to retry later");
      } else if (signal.aborted && signal.reason instanceof StopRequested) {
        // Interrupted by shutdown, not by its own fault: run it again soon, without using an attempt.
        await queue.retry(job, { delayMs: 0, error: `Interrupted: ${message}`, countAttempt: false });
        logger.info(log, "job interrupted by shutdown; requeued");
      } else if (error instanceof FatalJobError || job.attempts >= job.maxAttempts) {
        await queue.fail(job, message);
        logger.warn({ ...log, err: error }, "job failed");
      } else {
        const delayMs = backoffMs(job.attempts);
        await queue.retry(job, { delayMs, error: message, countAttempt: true });
        logger.warn({ ...log, err: error, delayMs }, "job attempt failed; retrying");
      }
    } catch (settleError) {
      // The job stays running; its lease expires and another worker (or this one) reclaims it.
      logger.error({ ...log, err: settleError }, "recording a job's outcome failed");
    }
  }

  const loopDone = loop();

  return {
    workerId,
    async stop() {
      if (!stopping) {
        stopping = true;
        for (const { controller } of running.values()) controller.abort(new StopRequested());
        wake();
      }
      await loopDone;
      await Promise.all([...running.values()].map((r) => r.done));
      // Nothing will run any more; a pending drain() must not hang the caller.
      for (const resolve of drainWaiters.splice(0)) resolve();
    },
    drain() {
      if (stopping) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
        wake();
      });
    },
  };
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
