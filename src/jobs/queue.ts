// The job queue as the rest of crmsync sees it. Engine-agnostic on purpose: the embedded
// SQL queue (sql-queue.ts, on SQLite or PostgreSQL) implements it today, and a graphile-worker
// engine for many PostgreSQL worker processes implements the same contract later
// (coalesceKey -> job_key, exclusiveKey -> queue_name). App code (routes, sync triggers, the
// scheduler) depends on `JobQueue` only; the poll loop in worker.ts needs `ClaimableJobQueue`.

export const jobStatuses = ["pending", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface EnqueueInput {
  /** Which handler runs the job. */
  queue: string;
  /** JSON-serialisable; handlers validate it. */
  payload: unknown;
  workspaceId?: string;
  /** Not before this time; defaults to now. */
  runAt?: Date;
  /**
   * While a job with this key is pending (not yet running), enqueueing another one adds nothing:
   * the pending job keeps its payload and runs at the earlier of the two times. Keys are global,
   * so include the queue name in them.
   */
  coalesceKey?: string;
  /** A job is never claimed while another job with the same key is running. */
  exclusiveKey?: string;
  /** Attempts before the job ends `failed`, counting the first; defaults to 5. */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: string;
  /** True when an already pending job with the same coalesceKey absorbed this one. */
  coalesced: boolean;
}

export interface Job {
  id: string;
  queue: string;
  payload: unknown;
  workspaceId: string | null;
  coalesceKey: string | null;
  exclusiveKey: string | null;
  status: JobStatus;
  runAt: Date;
  /** Attempts started so far, the current one included while running. */
  attempts: number;
  maxAttempts: number;
  /** The worker that runs (or last ran) the job. */
  lockedBy: string | null;
  lockedAt: Date | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface JobFilter {
  queue?: string;
  status?: JobStatus | readonly JobStatus[];
  workspaceId?: string;
  coalesceKey?: string;
  /** Newest first; defaults to 100. */
  limit?: number;
}

export interface JobQueue {
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  getJob(id: string): Promise<Job | undefined>;
  listJobs(filter?: JobFilter): Promise<Job[]>;
  /** Cancels the pending (not running) jobs with this key; returns how many. */
  cancelPending(coalesceKey: string): Promise<number>;
}

/**
 * What a polling worker needs on top of `JobQueue`. A claim is identified by the job id, the
 * worker id and the attempt number, so a worker whose lease expired and whose job was
 * reclaimed elsewhere can no longer complete, fail or extend it (those calls return false).
 */
export interface ClaimableJobQueue extends JobQueue {
  /** Atomically takes one due job of these queues, or a running one whose lease expired. */
  claim(input: { workerId: string; queues: readonly string[]; leaseMs: number }): Promise<Job | undefined>;
  heartbeat(job: Job, leaseMs: number): Promise<boolean>;
  complete(job: Job): Promise<boolean>;
  /**
   * Back to pending after delayMs. countAttempt false gives the attempt back (rate limits,
   * shutdown). If another job with the same coalesceKey is pending meanwhile, that one
   * absorbs the retry and this one ends `cancelled`.
   */
  retry(job: Job, input: { delayMs: number; error: string | null; countAttempt: boolean }): Promise<boolean>;
  fail(job: Job, error: string): Promise<boolean>;
  /** Ends the leases of this machine's workers whose process is gone; returns how many. */
  releaseLeasesOfDeadProcesses?(host: string, isAlive: (pid: number) => boolean): Promise<number>;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the worker stops or the job's lease is lost; handlers should stop soon after. */
  signal: AbortSignal;
  /** Extends the lease now; throws LeaseLostError if another worker has reclaimed the job. */
  heartbeat(): Promise<void>;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

/** Reschedules the job after delayMs without counting a failed attempt (e.g. rate limited). */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message = `Retry in ${delayMs} ms`,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** Fails the job at once, whatever attempts are left (retrying cannot help, e.g. auth revoked). */
export class FatalJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FatalJobError";
  }
}

/** The job was reclaimed by another worker after this one's lease expired. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`The lease on job ${jobId} was lost to another worker.`);
    this.name = "LeaseLostError";
  }
}

/** Structurally satisfied by pino's logger. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
