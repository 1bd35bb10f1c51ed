// The job queue on graphile-worker 0.17, for many worker processes on many machines sharing
// one PostgreSQL. It keeps the `JobQueue` contract of sql-queue.ts (see docs/decisions/0009):
//   coalesceKey  -> graphile job_key: one pending job absorbs later triggers (earlier run time
//                   and the pending payload win, as in the SQL queue);
//   exclusiveKey -> graphile queue_name: a named queue runs one job at a time across all workers;
//   RetryLaterError / shutdown -> the job is re-added (same keys) after the delay and completes,
//                   so no attempt is spent; FatalJobError -> attempts = max_attempts (permanent).
// graphile-worker unlocks a crashed worker's jobs only after 4 hours. Each worker therefore holds
// a PostgreSQL advisory lock on a dedicated session for as long as it lives; a sweeper in every
// worker unlocks (force_unlock_workers) the jobs of pools whose lock is gone. A killed process's
// session ends with it, so its run moves to another worker within seconds, without heartbeats.
//
// graphile-worker's public `jobs` view has no payload, and it has no call to cancel only
// unlocked jobs or to fail a running job for good, so a few statements read or write its
// `_private_*` tables. The version is pinned exactly; test/scale-out covers every such statement.
import { hostname } from "node:os";
import { Logger, runMigrations, runTaskList, type JobHelpers, type LogLevel, type Task, type TaskList, type WorkerPool } from "graphile-worker";
import type pg from "pg";
import {
  FatalJobError,
  LeaseLostError,
  RetryLaterError,
  silentLogger,
  type EnqueueInput,
  type EnqueueResult,
  type Job,
  type JobContext,
  type JobFilter,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type JobStatus,
} from "./queue.ts";
import type { Worker } from "./worker.ts";

/** What crmsync stores as a graphile job's payload: the caller's payload and the keys it was enqueued with. */
interface Envelope {
  crmsync: 1;
  payload: unknown;
  workspaceId: string | null;
  coalesceKey: string | null;
  exclusiveKey: string | null;
}

interface JobRow {
  id: string;
  identifier: string;
  payload: unknown;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_at: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface GraphileJobQueueOptions {
  /** A pool on the crmsync database; the queue never closes it. */
  pool: pg.Pool;
  /** graphile-worker's schema; default graphile_worker. */
  schema?: string;
  defaultMaxAttempts?: number;
}

// Advisory-lock namespaces ("crms", "crmk"): worker liveness, and enqueue serialisation per key.
const livenessLockClass = 0x63726d73;
const enqueueLockClass = 0x63726d6b;

export class GraphileJobQueue implements JobQueue {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly #s: string;
  readonly #defaultMaxAttempts: number;
  #migrated: Promise<void> | undefined;

  constructor(options: GraphileJobQueueOptions) {
    this.pool = options.pool;
    guardPool(options.pool);
    this.schema = options.schema ?? "graphile_worker";
    this.#s = `"${this.schema.replace(/"/g, '""')}"`;
    this.#defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
  }

  /** Installs or upgrades graphile-worker's schema once per process (safe when processes race). */
  migrate(): Promise<void> {
    this.#migrated ??= runMigrations({ pgPool: this.pool, schema: this.schema, logger: graphileLogger(silentLogger) }).catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    const maxAttempts = input.maxAttempts ?? this.#defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 32_767) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    await this.migrate();
    const envelope: Envelope = {
      crmsync: 1,
      payload: input.payload ?? null,
      workspaceId: input.workspaceId ?? null,
      coalesceKey: input.coalesceKey ?? null,
      exclusiveKey: input.exclusiveKey ?? null,
    };
    const args = [input.queue, JSON.stringify(envelope), input.exclusiveKey ?? null, input.runAt?.toISOString() ?? null, maxAttempts];
    if (input.coalesceKey === undefined) {
      const { rows } = await this.pool.query<{ id: string }>(`select (${this.#s}.add_job($1, $2::json, $3, $4::timestamptz, $5)).id`, args);
      return { id: rows[0]!.id, coalesced: false };
    }
    // graphile's own job_key modes either overwrite the run time or keep the pending one; the
    // contract wants the earlier of the two and the pending payload. Reading the pending job and
    // replacing it must not interleave with another enqueue of the same key, hence the lock.
    // A job a worker has locked must never carry the key add_job is called with: add_job would
    // retire it (attempts := max_attempts, key := null), and if that worker died mid-run its run
    // would never resume once the sweeper unlocks it, only when the new job's time came. The key
    // of a trigger during a run is therefore `<key>#next` (or `<key>` while `<key>#next` runs): a
    // pending job under either absorbs later triggers, and the running one keeps its attempts.
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      await client.query("select pg_advisory_xact_lock($1, hashtext($2))", [enqueueLockClass, input.coalesceKey]);
      const { rows } = await client.query<{ id: string; existing_id: string | null }>(
        `with keyed as (
           select key, locked_at is not null as locked, id, payload, run_at, max_attempts, attempts
           from ${this.#s}._private_jobs where key in ($6, $6 || '#next')
         ),
         pending as (select * from keyed where not locked and attempts < max_attempts order by run_at limit 1),
         chosen as (
           select coalesce(
             (select key from pending),
             case when exists (select 1 from keyed where key = $6 and locked) then $6 || '#next' else $6 end
           ) as key
         )
         select (${this.#s}.add_job(
            identifier => $1,
            payload => coalesce(ex.payload, $2::json),
            queue_name => $3,
            run_at => least(coalesce($4::timestamptz, now()), ex.run_at),
            max_attempts => coalesce(ex.max_attempts::int, $5),
            job_key => chosen.key,
            job_key_mode => 'replace')).id,
           ex.id as existing_id
         from chosen
         left join pending as ex on true`,
        [...args, input.coalesceKey],
      );
      await client.query("commit");
      const row = rows[0]!;
      return { id: row.id, coalesced: row.existing_id !== null && row.existing_id === row.id };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  #select(where: string): string {
    return `select j.id, t.identifier, j.payload, j.run_at, j.attempts, j.max_attempts, j.locked_by, j.locked_at, j.last_error, j.created_at, j.updated_at
      from ${this.#s}._private_jobs as j
      join ${this.#s}._private_tasks as t on t.id = j.task_id
      where ${where}`;
  }

  async getJob(id: string): Promise<Job | undefined> {
    if (!/^\d{1,19}$/.test(id)) return undefined;
    await this.migrate();
    const { rows } = await this.pool.query<JobRow>(this.#select("j.id = $1::bigint"), [id]);
    return rows[0] && toJob(rows[0]);
  }

  /** Live jobs only: graphile-worker deletes a job when it completes, so `done` never appears. */
  async listJobs(filter: JobFilter = {}): Promise<Job[]> {
    await this.migrate();
    const where: string[] = ["true"];
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filter.queue !== undefined) where.push(`t.identifier = ${param(filter.queue)}`);
    if (filter.workspaceId !== undefined) where.push(`j.payload->>'workspaceId' = ${param(filter.workspaceId)}`);
    if (filter.coalesceKey !== undefined) where.push(`j.payload->>'coalesceKey' = ${param(filter.coalesceKey)}`);
    if (filter.status !== undefined) {
      const statuses: readonly JobStatus[] = typeof filter.status === "string" ? [filter.status] : filter.status;
      const conditions = statuses.flatMap((status) => statusCondition[status] ?? []);
      if (conditions.length === 0) return [];
      where.push(`(${conditions.join(" or ")})`);
    }
    const { rows } = await this.pool.query<JobRow>(`${this.#select(where.join(" and "))} order by j.created_at desc, j.id desc limit ${param(filter.limit ?? 100)}`, values);
    return rows.map(toJob);
  }

  async cancelPending(coalesceKey: string): Promise<number> {
    await this.migrate();
    const result = await this.pool.query(`delete from ${this.#s}._private_jobs where key in ($1, $1 || '#next') and locked_at is null and attempts < max_attempts`, [coalesceKey]);
    return result.rowCount ?? 0;
  }

  /** Makes a job this pool has locked fail for good when its current attempt fails. */
  async exhaustAttempts(jobId: string, poolId: string): Promise<void> {
    await this.pool.query(`update ${this.#s}._private_jobs set attempts = max_attempts where id = $1::bigint and locked_by = $2`, [jobId, poolId]);
  }

  /** Whether a job this worker could take now is waiting (due, available, its named queue free). */
  async hasDueJobs(identifiers: readonly string[]): Promise<boolean> {
    const { rows } = await this.pool.query<{ due: boolean }>(
      `select exists (
         select 1 from ${this.#s}._private_jobs as j
         join ${this.#s}._private_tasks as t on t.id = j.task_id
         left join ${this.#s}._private_job_queues as q on q.id = j.job_queue_id
         where j.is_available and j.run_at <= now() and t.identifier = any($1::text[]) and (q.id is null or q.locked_at is null)
       ) as due`,
      [identifiers],
    );
    return rows[0]?.due === true;
  }

  /**
   * Unlocks the jobs and named queues of worker pools that hold locks older than graceMs but whose
   * liveness session is gone (the process died or lost its connection). Returns their pool ids.
   */
  async unlockDeadWorkers(graceMs: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ locked_by: string }>(
      `with holders as (
         select locked_by, locked_at from ${this.#s}._private_jobs where locked_by is not null
         union all
         select locked_by, locked_at from ${this.#s}._private_job_queues where locked_by is not null
       )
       select h.locked_by from holders as h
       group by h.locked_by
       having min(h.locked_at) < now() - $1 * interval '1 millisecond'
       and not exists (
         select 1 from pg_locks as l
         where l.locktype = 'advisory' and l.granted
           and l.database = (select oid from pg_database where datname = current_database())
           and l.classid = $2::int8::oid and l.objid = hashtext(h.locked_by)::oid and l.objsubid = 2
       )`,
      [graceMs, livenessLockClass],
    );
    const dead = rows.map((r) => r.locked_by);
    if (dead.length > 0) await this.pool.query(`select ${this.#s}.force_unlock_workers($1::text[])`, [dead]);
    return dead;
  }
}

/**
 * A pooled client whose server goes away emits 'error'; unheard, Node ends the process. The queue
 * sees such failures on its next query instead (graphile-worker warns about pools without these).
 */
function guardPool(pool: pg.Pool): void {
  if (pool.listenerCount("error") === 0) pool.on("error", () => undefined);
  if (pool.listenerCount("connect") === 0) pool.on("connect", (client) => client.on("error", () => undefined));
}

const statusCondition: Partial<Record<JobStatus, string>> = {
  running: "j.locked_at is not null",
  pending: "(j.locked_at is null and j.attempts < j.max_attempts)",
  failed: "(j.locked_at is null and j.attempts >= j.max_attempts and j.last_error is not null)",
  cancelled: "(j.locked_at is null and j.attempts >= j.max_attempts and j.last_error is null)",
};

function unwrap(raw: unknown): Envelope {
  if (typeof raw === "object" && raw !== null && (raw as { crmsync?: unknown }).crmsync === 1) return raw as Envelope;
  // A job added by hand (graphile's CLI or SQL): its payload is the payload.
  return { crmsync: 1, payload: raw, workspaceId: null, coalesceKey: null, exclusiveKey: null };
}

function statusOf(row: Pick<JobRow, "locked_at" | "attempts" | "max_attempts" | "last_error">): JobStatus {
  if (row.locked_at !== null) return "running";
  if (row.attempts < row.max_attempts) return "pending";
  // add_job sets attempts = max_attempts on a job a newer one with its key superseded.
  return row.last_error === null ? "cancelled" : "failed";
}

function toJob(row: JobRow): Job {
  const envelope = unwrap(row.payload);
  const status = statusOf(row);
  return {
    id: String(row.id),
    queue: row.identifier,
    payload: envelope.payload,
    workspaceId: envelope.workspaceId,
    coalesceKey: envelope.coalesceKey,
    exclusiveKey: envelope.exclusiveKey,
    status,
    runAt: new Date(row.run_at),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedAt: row.locked_at && new Date(row.locked_at),
    leaseExpiresAt: null,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: status === "failed" || status === "cancelled" ? new Date(row.updated_at) : null,
  };
}

// ---- the worker ---------------------------------------------------------------------------

export interface JobEvent {
  kind: "start" | "end";
  job: Job;
  workerId: string;
  at: number;
  /** On end: done, retry_later, requeued (shutdown), failed, lost. */
  outcome?: "done" | "retry_later" | "requeued" | "failed" | "lost";
}

export interface GraphileWorkerOptions {
  queue: GraphileJobQueue;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this process; default 1. */
  concurrency?: number;
  /** How often graphile looks for jobs that became due (new jobs arrive by LISTEN/NOTIFY); default 1000. */
  pollIntervalMs?: number;
  /** A pool's locks must be at least this old before a sweeper may take them from it; default 30 s. */
  unlockGraceMs?: number;
  /** How often this process looks for dead workers' locks; default 10 s. */
  sweepIntervalMs?: number;
  /** How often the liveness session is checked; default 5 s. A failed check stops this worker's runs. */
  livenessCheckMs?: number;
  /**
   * A check that has not answered after this long counts as lost; default 10 s. A closed session
   * fails at once; a busy database must not make a live worker give up its runs.
   */
  livenessTimeoutMs?: number;
  logger?: JobLogger;
  onJob?: (event: JobEvent) => void;
}

export interface GraphileWorker extends Worker {
  /** Resolves once the pool runs and holds its liveness lock. */
  readonly ready: Promise<void>;
  /** Settles with the reason if the worker stopped by itself (its database session was lost). */
  readonly lost: Promise<Error>;
  /** The graphile pool id, the `locked_by` of this worker's jobs; empty until ready. */
  readonly poolId: string;
}

class StopRequested extends Error {
  constructor() {
    super("The worker is stopping.");
    this.name = "StopRequested";
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startGraphileWorker(options: GraphileWorkerOptions): GraphileWorker {
  const queue = options.queue;
  const concurrency = options.concurrency ?? 1;
  const graceMs = options.unlockGraceMs ?? 30_000;
  const sweepMs = options.sweepIntervalMs ?? 10_000;
  const livenessCheckMs = options.livenessCheckMs ?? 5_000;
  const livenessTimeoutMs = options.livenessTimeoutMs ?? 10_000;
  const logger = options.logger ?? silentLogger;
  const identifiers = Object.keys(options.handlers);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);

  const running = new Map<string, AbortController>();
  let stopping = false;
  let workerPool: WorkerPool | undefined;
  let liveness: pg.PoolClient | undefined;
  let livenessHeld = false;
  const timers: NodeJS.Timeout[] = [];
  let resolveLost: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => (resolveLost = resolve));
  let lostReason: Error | undefined;

  const api = { poolId: "" };

  const loseLiveness = (error: unknown): void => {
    if (lostReason || stopping) return;
    lostReason = error instanceof Error ? error : new Error(String(error));
    logger.error({ poolId: api.poolId, err: lostReason }, "worker lost its database session; stopping its runs so another worker can take them");
    for (const [jobId, controller] of running) controller.abort(new LeaseLostError(jobId));
    resolveLost(lostReason);
  };

  const task =
    (identifier: string): Task =>
    async (rawPayload: unknown, helpers: JobHelpers) => {
      await ready;
      if (lostReason) throw lostReason;
      const handler = options.handlers[identifier];
      const dbJob = helpers.job;
      const envelope = unwrap(rawPayload);
      const job: Job = {
        ...toJob({ ...dbJob, id: String(dbJob.id), identifier, payload: rawPayload, locked_by: api.poolId, locked_at: dbJob.locked_at ?? new Date() } as JobRow),
        payload: envelope.payload,
      };
      const controller = new AbortController();
      const onGraphileAbort = (): void => controller.abort(new StopRequested());
      helpers.abortSignal?.addEventListener("abort", onGraphileAbort, { once: true });
      running.set(job.id, controller);
      const log = { jobId: job.id, queue: identifier, workspaceId: job.workspaceId, attempt: job.attempts, poolId: api.poolId };
      const ctx: JobContext = {
        jobId: job.id,
        attempt: job.attempts,
        signal: controller.signal,
        heartbeat: () => (lostReason ? Promise.reject(new LeaseLostError(job.id)) : Promise.resolve()),
      };
      const end = (outcome: NonNullable<JobEvent["outcome"]>): void => options.onJob?.({ kind: "end", job, workerId: api.poolId, at: Date.now(), outcome });
      options.onJob?.({ kind: "start", job, workerId: api.poolId, at: Date.now() });
      try {
        if (!handler) throw new FatalJobError(`No handler for queue ${identifier}`);
        await handler(job, ctx);
        end("done");
      } catch (error) {
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
        if (reason instanceof LeaseLostError) {
          // Another worker may own the job already; whatever we record here could undo its work.
          end("lost");
          throw error;
        }
        if (error instanceof RetryLaterError || reason instanceof StopRequested) {
          const delayMs = error instanceof RetryLaterError ? error.delayMs : 0;
          // Re-added with the same keys, so it waits behind this job's named queue and absorbs
          // (or is absorbed by) a pending trigger; this attempt then completes and is not counted.
          await queue.enqueue({
            queue: identifier,
            payload: job.payload,
            ...(job.workspaceId !== null ? { workspaceId: job.workspaceId } : {}),
            ...(job.coalesceKey !== null ? { coalesceKey: job.coalesceKey } : {}),
            ...(job.exclusiveKey !== null ? { exclusiveKey: job.exclusiveKey } : {}),
            runAt: new Date(Date.now() + Math.max(0, delayMs)),
            maxAttempts: Math.max(1, job.maxAttempts - (job.attempts - 1)),
          });
          logger.info({ ...log, delayMs }, error instanceof RetryLaterError ? "job asked to retry later" : "job interrupted by shutdown; requeued");
          end(error instanceof RetryLaterError ? "retry_later" : "requeued");
          return;
        }
        if (error instanceof FatalJobError && job.attempts < job.maxAttempts) await queue.exhaustAttempts(job.id, api.poolId);
        logger.warn({ ...log, err: error }, job.attempts >= job.maxAttempts || error instanceof FatalJobError ? "job failed" : "job attempt failed; retrying");
        end("failed");
        throw error;
      } finally {
        running.delete(job.id);
        helpers.abortSignal?.removeEventListener("abort", onGraphileAbort);
      }
    };

  const taskList: TaskList = Object.fromEntries(identifiers.map((id) => [id, task(id)]));

  async function start(): Promise<void> {
    await queue.migrate();
    liveness = await queue.pool.connect();
    liveness.on("error", loseLiveness);
    const pool = runTaskList(
      { concurrency, noHandleSignals: true, pollInterval: options.pollIntervalMs ?? 1000, schema: queue.schema, logger: graphileLogger(logger) },
      taskList,
      queue.pool,
    );
    workerPool = pool;
    api.poolId = pool.id;
    const started = Date.now();
    // Held for this process's life on its own session: the sweepers' proof that the pool lives.
    await liveness.query("select pg_advisory_lock($1, hashtext($2))", [livenessLockClass, pool.id]);
    // The pool may have locked a job before the lock was taken; sweepers leave such a young lock
    // alone for graceMs. Past half of that, refuse to run anything rather than risk a double run.
    if (Date.now() - started > graceMs / 2) throw new Error("Taking the worker's liveness lock took too long; refusing to run jobs.");
    livenessHeld = true;
    timers.push(
      setInterval(() => {
        void checkLiveness();
      }, livenessCheckMs),
      setInterval(() => {
        void sweep();
      }, sweepMs),
    );
    void sweep();
    logger.info({ poolId: pool.id, host: hostname(), pid: process.pid, concurrency }, "graphile worker started");
  }

  let checking = false;
  async function checkLiveness(): Promise<void> {
    if (checking || !liveness || stopping) return;
    checking = true;
    try {
      await Promise.race([
        liveness.query("select 1"),
        sleep(livenessTimeoutMs).then(() => {
          throw new Error("The liveness session did not answer in time.");
        }),
      ]);
    } catch (error) {
      loseLiveness(error);
    } finally {
      checking = false;
    }
  }

  let sweeping = false;
  async function sweep(): Promise<void> {
    if (sweeping || stopping || lostReason) return;
    sweeping = true;
    try {
      const dead = await queue.unlockDeadWorkers(graceMs);
      if (dead.length > 0) logger.warn({ poolId: api.poolId, dead }, "unlocked the jobs of workers that died");
    } catch (error) {
      logger.warn({ poolId: api.poolId, err: error }, "looking for dead workers failed");
    } finally {
      sweeping = false;
    }
  }

  const ready = start();
  ready.catch((error: unknown) => loseLiveness(error));

  async function shutdown(): Promise<void> {
    for (const timer of timers) clearInterval(timer);
    for (const controller of running.values()) controller.abort(new StopRequested());
    await ready.catch(() => undefined);
    const pool = workerPool;
    if (pool) {
      await Promise.resolve()
        .then(() => pool.gracefulShutdown("crmsync worker stopping"))
        .catch((error: unknown) => logger.warn({ err: error }, "graphile pool shutdown reported errors"));
    }
    if (liveness) {
      // Ending the session releases the liveness lock; nothing of ours is locked any more.
      liveness.release(true);
      liveness = undefined;
    }
  }
  let stopped: Promise<void> | undefined;

  void lost.then(() => {
    if (!stopping) void (stopped ??= shutdown());
  });

  return {
    get workerId() {
      return api.poolId;
    },
    get poolId() {
      return api.poolId;
    },
    ready,
    lost,
    stop() {
      stopping = true;
      stopped ??= shutdown();
      return stopped;
    },
    async drain() {
      await ready;
      for (;;) {
        if (stopping || lostReason) return;
        if (running.size === 0 && livenessHeld && !(await queue.hasDueJobs(identifiers))) {
          // Confirm after a moment: a job may be between its lock and its task's start.
          await sleep(50);
          if (running.size === 0 && !(await queue.hasDueJobs(identifiers))) return;
        }
        await sleep(25);
      }
    },
  };
}

/** graphile-worker's logger, writing warnings and errors to a JobLogger (its chatter is debug-level). */
export function graphileLogger(logger: JobLogger): Logger {
  return new Logger(() => (level: LogLevel, message: string, meta?: unknown) => {
    const obj = { component: "graphile-worker", ...(typeof meta === "object" && meta !== null ? meta : {}) };
    if (level === "error") logger.error(obj, message);
    else if (level === "warning") logger.warn(obj, message);
  });
}
