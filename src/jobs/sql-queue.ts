// The durable job queue on the `jobs` table, for SQLite (embedded) and PostgreSQL.
//
// Every state change is one SQL statement, so it is atomic on both engines without holding a
// transaction open across awaits (which, with better-sqlite3's synchronous busy wait, would
// stall a second connection in the same process). Coalescing and exclusivity are enforced
// by partial unique indexes (see migration 20261123T0300_schedules), so two processes that
// race can never both win: the loser gets a unique violation and tries again.
import { randomBytes } from "node:crypto";
import { sql, type Kysely, type Selectable, type SqlBool, type UpdateQueryBuilder, type UpdateResult } from "kysely";
import type { Dialect } from "../db/database.ts";
import type { Database, JobsTable } from "../db/schema.ts";
import type { ClaimableJobQueue, EnqueueInput, EnqueueResult, Job, JobFilter, JobStatus } from "./queue.ts";

export interface SqlJobQueueOptions {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Injectable so tests can move time; every time the queue stores or compares comes from here. */
  now?: () => Date;
  defaultMaxAttempts?: number;
}

type JobRow = Selectable<JobsTable>;

const claimContentionRetries = 5;

export class SqlJobQueue implements ClaimableJobQueue {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  readonly #now: () => Date;
  readonly #defaultMaxAttempts: number;

  constructor(options: SqlJobQueueOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#now = options.now ?? (() => new Date());
    this.#defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
  }

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    const maxAttempts = input.maxAttempts ?? this.#defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    const now = this.#now().toISOString();
    const id = timeOrderedId(this.#now().getTime());
    const row = await this.#db
      .insertInto("jobs")
      .values({
        id,
        queue: input.queue,
        workspace_id: input.workspaceId ?? null,
        coalesce_key: input.coalesceKey ?? null,
        exclusive_key: input.exclusiveKey ?? null,
        payload: JSON.stringify(input.payload ?? null),
        status: "pending",
        run_at: (input.runAt ?? this.#now()).toISOString(),
        attempts: 0,
        max_attempts: maxAttempts,
        created_at: now,
        updated_at: now,
      })
      // The conflict target names the partial index's predicate, literally, or neither engine
      // infers the index. Keys are null for jobs that do not coalesce, and nulls never conflict.
      .onConflict((oc) =>
        oc
          .column("coalesce_key")
          .where(sql<SqlBool>`status = 'pending'`)
          .doUpdateSet({
            run_at: sql<string>`case when excluded.run_at < jobs.run_at then excluded.run_at else jobs.run_at end`,
            updated_at: sql<string>`excluded.updated_at`,
          }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, coalesced: row.id !== id };
  }

  async getJob(id: string): Promise<Job | undefined> {
    const row = await this.#db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toJob(row);
  }

  async listJobs(filter: JobFilter = {}): Promise<Job[]> {
    let query = this.#db.selectFrom("jobs").selectAll();
    if (filter.queue !== undefined) query = query.where("queue", "=", filter.queue);
    if (filter.workspaceId !== undefined) query = query.where("workspace_id", "=", filter.workspaceId);
    if (filter.coalesceKey !== undefined) query = query.where("coalesce_key", "=", filter.coalesceKey);
    if (filter.status !== undefined) {
      const statuses: readonly JobStatus[] = typeof filter.status === "string" ? [filter.status] : filter.status;
      if (statuses.length === 0) return [];
      query = query.where("status", "in", statuses);
    }
    const rows = await query
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toJob);
  }

  async cancelPending(coalesceKey: string): Promise<number> {
    const now = this.#now().toISOString();
    const result = await this.#db
      .updateTable("jobs")
      .set({ status: "cancelled", last_error: "cancelled while pending", finished_at: now, updated_at: now })
      .where("coalesce_key", "=", coalesceKey)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Deletes finished (done, failed, cancelled) jobs that finished before `before`; returns how many. */
  async deleteFinished(before: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom("jobs")
      .where("status", "in", ["done", "failed", "cancelled"])
      .where("finished_at", "<", before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async claim(input: { workerId: string; queues: readonly string[]; leaseMs: number }): Promise<Job | undefined> {
    if (input.queues.length === 0) return undefined;
    const now = this.#now();
    const nowIso = now.toISOString();
    await this.#failExpiredLastAttempts(nowIso, input.queues);
    for (let attempt = 0; attempt < claimContentionRetries; attempt++) {
      try {
        const row = await this.#claimOnce(input, nowIso, new Date(now.getTime() + input.leaseMs).toISOString());
        return row && toJob(row);
      } catch (error) {
        // PostgreSQL only: another worker claimed a job of the same exclusive key between our
        // NOT EXISTS check and our update. The next try sees its commit and skips that key.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return undefined;
  }

  async #claimOnce(input: { workerId: string; queues: readonly string[] }, nowIso: string, leaseIso: string): Promise<JobRow | undefined> {
    const candidate = this.#db
      .selectFrom("jobs as j")
      .select("j.id")
      .where("j.queue", "in", input.queues)
      .where((eb) =>
        eb.or([
          eb.and([eb("j.status", "=", "pending"), eb("j.run_at", "<=", nowIso)]),
          // A dead worker's job; its last attempt is failed by #failExpiredLastAttempts instead.
          eb.and([eb("j.status", "=", "running"), eb("j.lease_expires_at", "<", nowIso), eb("j.attempts", "<", eb.ref("j.max_attempts"))]),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb("j.exclusive_key", "is", null),
          // A running sibling blocks even when its lease has expired: that sibling is reclaimed
          // first, so the key still never has two jobs running.
          eb.not(
            eb.exists(
              eb
                .selectFrom("jobs as r")
                .select(sql.lit(1).as("one"))
                .whereRef("r.exclusive_key", "=", "j.exclusive_key")
                .where("r.status", "=", "running")
                .whereRef("r.id", "<>", "j.id"),
            ),
          ),
        ]),
      )
      .orderBy("j.run_at")
      .orderBy("j.id")
      .limit(1)
      .$if(this.#dialect === "postgres", (q) => q.forUpdate().skipLocked());

    return this.#db
      .updateTable("jobs")
      .set((eb) => ({
        status: "running",
        attempts: eb("attempts", "+", 1),
        locked_by: input.workerId,
        locked_at: nowIso,
        lease_expires_at: leaseIso,
        updated_at: nowIso,
      }))
      .where("id", "=", candidate)
      // Re-checked on the row itself, so the update is a no-op if the row changed since the pick.
      .where((eb) =>
        eb.or([
          eb("status", "=", "pending"),
          eb.and([eb("status", "=", "running"), eb("lease_expires_at", "<", nowIso)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
  }

  async #failExpiredLastAttempts(nowIso: string, queues: readonly string[]): Promise<void> {
    await this.#db
      .updateTable("jobs")
      .set({
        status: "failed",
        last_error: "The worker running the last attempt stopped answering (lease expired).",
        lease_expires_at: null,
        finished_at: nowIso,
        updated_at: nowIso,
      })
      .where("queue", "in", queues)
      .where("status", "=", "running")
      .where("lease_expires_at", "<", nowIso)
      .where((eb) => eb("attempts", ">=", eb.ref("max_attempts")))
      .execute();
  }

  /**
   * Ends at once the leases that workers of this machine hold but whose process is gone (a
   * crashed or killed `crmsync serve` that was restarted), so their jobs are claimed now instead
   * of when the leases run out. Worker ids are `host:pid:random`; a pid that is alive again
   * (reused) keeps its lease until it expires, as before. Returns the jobs released.
   */
  async releaseLeasesOfDeadProcesses(host: string, isAlive: (pid: number) => boolean): Promise<number> {
    const rows = await this.#db.selectFrom("jobs").select(["id", "locked_by"]).where("status", "=", "running").where("locked_by", "like", `${host}:%`).execute();
    const dead = rows.filter((r) => {
      const pid = Number(r.locked_by?.slice(host.length + 1).split(":")[0]);
      return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
    });
    if (dead.length === 0) return 0;
    const nowIso = new Date(this.#now().getTime() - 1).toISOString();
    const result = await this.#db
      .updateTable("jobs")
      .set({ lease_expires_at: nowIso, updated_at: this.#now().toISOString() })
      .where("status", "=", "running")
      .where("id", "in", dead.map((r) => r.id))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async heartbeat(job: Job, leaseMs: number): Promise<boolean> {
    const now = this.#now();
    const result = await this.#whereClaimed(
      this.#db.updateTable("jobs").set({
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        updated_at: now.toISOString(),
      }),
      job,
    ).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async complete(job: Job): Promise<boolean> {
    const now = this.#now().toISOString();
    const result = await this.#whereClaimed(
      this.#db.updateTable("jobs").set({ status: "done", lease_expires_at: null, finished_at: now, updated_at: now }),
      job,
    ).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async fail(job: Job, error: string): Promise<boolean> {
    const now = this.#now().toISOString();
    const result = await this.#whereClaimed(
      this.#db.updateTable("jobs").set({ status: "failed", last_error: error, lease_expires_at: null, finished_at: now, updated_at: now }),
      job,
    ).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async retry(job: Job, input: { delayMs: number; error: string; countAttempt: boolean }): Promise<boolean> {
    const now = this.#now();
    const nowIso = now.toISOString();
    const runAt = new Date(now.getTime() + Math.max(0, input.delayMs)).toISOString();
    try {
      const result = await this.#whereClaimed(
        this.#db.updateTable("jobs").set((eb) => ({
          status: "pending",
          run_at: runAt,
          attempts: input.countAttempt ? eb.ref("attempts") : eb("attempts", "-", 1),
          last_error: input.error,
          lease_expires_at: null,
          updated_at: nowIso,
        })),
        job,
      ).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    } catch (error) {
      if (!isUniqueViolation(error) || job.coalesceKey === null) throw error;
    }
    // A follow-up with the same coalesce key was enqueued while this job ran. It does the same
    // work, so it absorbs the retry; the pending job is moved first so a crash in between loses nothing.
    await this.#db
      .updateTable("jobs")
      .set({
        run_at: sql<string>`case when run_at > ${runAt} then ${runAt} else run_at end`,
        updated_at: nowIso,
      })
      .where("coalesce_key", "=", job.coalesceKey)
      .where("status", "=", "pending")
      .execute();
    const result = await this.#whereClaimed(
      this.#db.updateTable("jobs").set({
        status: "cancelled",
        last_error: `${input.error} (retry absorbed by the pending job with the same coalesce key)`,
        lease_expires_at: null,
        finished_at: nowIso,
        updated_at: nowIso,
      }),
      job,
    ).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  #whereClaimed(query: UpdateQueryBuilder<Database, "jobs", "jobs", UpdateResult>, job: Job): UpdateQueryBuilder<Database, "jobs", "jobs", UpdateResult> {
    // The attempt number tells this claim from a later reclaim of the same job by the same worker id.
    return query
      .where("id", "=", job.id)
      .where("status", "=", "running")
      .where("locked_by", job.lockedBy === null ? "is" : "=", job.lockedBy)
      .where("attempts", "=", job.attempts);
  }

}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    workspaceId: row.workspace_id,
    coalesceKey: row.coalesce_key,
    exclusiveKey: row.exclusive_key,
    status: row.status,
    runAt: new Date(row.run_at),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedAt: toDate(row.locked_at),
    leaseExpiresAt: toDate(row.lease_expires_at),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: toDate(row.finished_at),
  };
}

let lastIdMs = 0;
let idSequence = 0;

/**
 * A UUIDv7: time-ordered, so jobs due at the same moment are claimed in the order they were
 * enqueued (within a process; across processes, to the millisecond).
 */
function timeOrderedId(nowMs: number): string {
  if (nowMs > lastIdMs) {
    lastIdMs = nowMs;
    idSequence = 0;
  } else if (++idSequence > 0xfff) {
    lastIdMs += 1;
    idSequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastIdMs, 0, 6);
  bytes[6] = 0x70 | (idSequence >> 8);
  bytes[7] = idSequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
