import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { openDatabase, type Db } from "../db/database.ts";
import { FatalJobError, LeaseLostError, RetryLaterError, silentLogger, type Job, type JobContext, type JobHandler } from "./queue.ts";
import { accountSyncJob } from "./scheduler.ts";
import { SqlJobQueue } from "./sql-queue.ts";
import { startWorker, type Worker, type WorkerOptions } from "./worker.ts";

function manualClock(start = "2026-11-23T10:00:00.000Z") {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(5);
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe.each(dialects)("worker on %s", (dialect) => {
  let t: TestDatabase;
  let second: Db;
  const workers: Worker[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    second = openDatabase(t.target, { poolSize: 5 });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    await second.close();
    await t.drop();
  });

  const start = (options: Omit<WorkerOptions, "logger" | "pollIntervalMs"> & Partial<Pick<WorkerOptions, "pollIntervalMs">>): Worker => {
    const worker = startWorker({ pollIntervalMs: 5, logger: silentLogger, ...options });
    workers.push(worker);
    return worker;
  };

  it("runs a job to done and passes payload and context", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const name = `q-${randomUUID()}`;
    const seen: { job: Job; ctx: JobContext }[] = [];
    const { id } = await queue.enqueue({ queue: name, payload: { hello: "world" } });
    const worker = start({ queue, workerId: "w1", handlers: { [name]: async (job, ctx) => void seen.push({ job, ctx }) } });
    await worker.drain();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.job.payload).toEqual({ hello: "world" });
    expect(seen[0]!.ctx).toMatchObject({ jobId: id, attempt: 1 });
    expect(await queue.getJob(id)).toMatchObject({ status: "done", lockedBy: "w1", attempts: 1 });
  });

  it("account sync: 5 triggers during a run give exactly one follow-up, never overlapping (§3.4)", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const workspaceId = randomUUID();
    const job = accountSyncJob({ workspaceId, provider: "crm-a", trigger: "manual" });
    const runs: { id: string; trigger: unknown; start: number; end: number }[] = [];
    const firstRunGate = gate();
    let firstStarted = false;
    const handler: JobHandler = async (j) => {
      const run = { id: j.id, trigger: (j.payload as { trigger: string }).trigger, start: performance.now(), end: 0 };
      if (!firstStarted) {
        firstStarted = true;
        await firstRunGate.opened;
      }
      await delay(2);
      run.end = performance.now();
      runs.push(run);
    };
    const first = await queue.enqueue(job);
    let followUpId = "";
    const triggerDuringRun = async (): Promise<void> => {
      const triggers = [];
      for (let i = 0; i < 5; i++) triggers.push(await queue.enqueue(accountSyncJob({ workspaceId, provider: "crm-a", trigger: i % 2 ? "import" : "enable" })));
      expect(triggers.map((r) => r.coalesced)).toEqual([false, true, true, true, true]);
      followUpId = triggers[0]!.id;
      expect(new Set(triggers.map((r) => r.id))).toEqual(new Set([followUpId]));
      expect(followUpId).not.toBe(first.id);
      // The follow-up is due, but many polls later it still has not started.
      await delay(100);
      expect(runs).toHaveLength(0);
      expect((await queue.getJob(followUpId))?.status).toBe("pending");
    };
    // Two workers with room for several jobs each: only the exclusive key can keep the runs apart.
    start({ queue, workerId: "a", concurrency: 4, handlers: { [job.queue]: handler } });
    start({ queue: new SqlJobQueue({ db: second.db, dialect }), workerId: "b", concurrency: 4, handlers: { [job.queue]: handler } });
    await waitFor(() => firstStarted);
    try {
      await triggerDuringRun();
    } finally {
      firstRunGate.open();
    }

    await waitFor(async () => (await queue.getJob(followUpId))?.status === "done");
    expect(runs.map((r) => r.id)).toEqual([first.id, followUpId]);
    expect(runs[1]!.trigger).toBe("enable");
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end);
    expect(await queue.listJobs({ workspaceId })).toHaveLength(2);
  });

  it("retries with exponential backoff, then ends failed with the last error", async () => {
    const clock = manualClock();
    const queue = new SqlJobQueue({ db: t.db, dialect, now: clock.now });
    const name = `q-${randomUUID()}`;
    let calls = 0;
    const { id } = await queue.enqueue({ queue: name, payload: null, maxAttempts: 3 });
    const worker = start({
      queue,
      handlers: { [name]: () => Promise.reject(new Error(`boom ${++calls}`)) },
      backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
    });
    await worker.drain();
    expect(await queue.getJob(id)).toMatchObject({ status: "pending", attempts: 1, lastError: "boom 1", runAt: new Date(clock.now().getTime() + 1000) });

    clock.advance(999);
    await worker.drain();
    expect(calls).toBe(1);
    clock.advance(1);
    await worker.drain();
    expect(await queue.getJob(id)).toMatchObject({ status: "pending", attempts: 2, lastError: "boom 2", runAt: new Date(clock.now().getTime() + 2000) });

    clock.advance(2000);
    await worker.drain();
    expect(await queue.getJob(id)).toMatchObject({ status: "failed", attempts: 3, lastError: "boom 3", finishedAt: clock.now() });
    clock.advance(3_600_000);
    await worker.drain();
    expect(calls).toBe(3);
  });

  it("RetryLaterError reschedules without using an attempt; FatalJobError fails at once", async () => {
    const clock = manualClock();
    const queue = new SqlJobQueue({ db: t.db, dialect, now: clock.now });
    const later = `q-${randomUUID()}`;
    const fatal = `q-${randomUUID()}`;
    let laterCalls = 0;
    // maxAttempts 1: a counted failure would end the job, so the two rate limits must not count.
    const limited = await queue.enqueue({ queue: later, payload: null, maxAttempts: 1 });
    const doomed = await queue.enqueue({ queue: fatal, payload: null, maxAttempts: 5 });
    const worker = start({
      queue,
      handlers: {
        [later]: async () => {
          if (++laterCalls <= 2) throw new RetryLaterError(5_000, "rate limited");
        },
        [fatal]: () => Promise.reject(new FatalJobError("credentials revoked")),
      },
    });
    await worker.drain();
    expect(await queue.getJob(limited.id)).toMatchObject({ status: "pending", attempts: 0, lastError: "rate limited", runAt: new Date(clock.now().getTime() + 5_000) });
    expect(await queue.getJob(doomed.id)).toMatchObject({ status: "failed", attempts: 1, lastError: "credentials revoked" });
    for (let i = 0; i < 2; i++) {
      clock.advance(5_000);
      await worker.drain();
    }
    expect(laterCalls).toBe(3);
    expect(await queue.getJob(limited.id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("after a crash, a new worker reclaims the running job once its lease expires", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const name = `q-${randomUUID()}`;
    const { id: crashed } = await queue.enqueue({ queue: name, payload: "crashed", maxAttempts: 3 });
    const { id: alive } = await queue.enqueue({ queue: name, payload: "alive" });
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    // As a process that died mid-job leaves them: running, locked, lease gone (or not yet gone).
    await t.db.updateTable("jobs").set({ status: "running", attempts: 1, locked_by: "dead", locked_at: past, lease_expires_at: past }).where("id", "=", crashed).execute();
    await t.db.updateTable("jobs").set({ status: "running", attempts: 1, locked_by: "slow", locked_at: past, lease_expires_at: future }).where("id", "=", alive).execute();

    const attempts: Record<string, number> = {};
    const worker = start({ queue, workerId: "new", handlers: { [name]: async (job, ctx) => void (attempts[job.id] = ctx.attempt) } });
    await worker.drain();
    expect(attempts).toEqual({ [crashed]: 2 });
    expect(await queue.getJob(crashed)).toMatchObject({ status: "done", lockedBy: "new", attempts: 2 });
    expect(await queue.getJob(alive)).toMatchObject({ status: "running", lockedBy: "slow" });
  });

  it("a dead worker's job is reclaimed before a pending job of the same exclusive key", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const name = `q-${randomUUID()}`;
    const key = `x-${randomUUID()}`;
    const { id: dead } = await queue.enqueue({ queue: name, payload: null, exclusiveKey: key });
    const { id: next } = await queue.enqueue({ queue: name, payload: null, exclusiveKey: key });
    const past = new Date(Date.now() - 1000).toISOString();
    await t.db.updateTable("jobs").set({ status: "running", attempts: 1, locked_by: "dead", lease_expires_at: past }).where("id", "=", dead).execute();
    const order: string[] = [];
    const worker = start({ queue, concurrency: 2, handlers: { [name]: async (job) => void order.push(job.id) } });
    await worker.drain();
    expect(order).toEqual([dead, next]);
  });

  it("heartbeats keep a long job's lease; a lost lease aborts the handler's signal", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const name = `q-${randomUUID()}`;
    const { id } = await queue.enqueue({ queue: name, payload: null });
    let runs = 0;
    const long: JobHandler = async () => {
      runs++;
      await delay(800);
    };
    // The lease (250 ms) is far shorter than the job; only heartbeats keep the other worker off it.
    const a = start({ queue, leaseMs: 250, heartbeatMs: 25, handlers: { [name]: long } });
    start({ queue: new SqlJobQueue({ db: second.db, dialect }), leaseMs: 250, handlers: { [name]: long } });
    await waitFor(async () => (await queue.getJob(id))?.status === "done");
    expect(runs).toBe(1);
    await a.drain();

    // A queue of its own, so the workers above cannot take this job.
    const other = `q-${randomUUID()}`;
    const stolen = await queue.enqueue({ queue: other, payload: null });
    let heartbeatError: unknown;
    let abortedWith: unknown;
    start({
      queue,
      leaseMs: 60_000,
      handlers: {
        [other]: async (job, ctx) => {
          await t.db.updateTable("jobs").set({ locked_by: "thief" }).where("id", "=", job.id).execute();
          heartbeatError = await ctx.heartbeat().catch((e: unknown) => e);
          abortedWith = ctx.signal.reason;
        },
      },
    });
    await waitFor(() => heartbeatError !== undefined);
    await delay(20);
    expect(heartbeatError).toBeInstanceOf(LeaseLostError);
    expect(abortedWith).toBe(heartbeatError);
    // The worker that lost the lease leaves the job to its new owner.
    expect(await queue.getJob(stolen.id)).toMatchObject({ status: "running", lockedBy: "thief" });
  });

  it("two workers on two connections: no job runs twice, no exclusive key runs twice at once", async () => {
    const queues = [new SqlJobQueue({ db: t.db, dialect }), new SqlJobQueue({ db: second.db, dialect })] as const;
    const name = `q-${randomUUID()}`;
    const keys = Array.from({ length: 10 }, (_, i) => `x-${i}-${randomUUID()}`);
    // Shuffled, so jobs next to each other in claim order often share a key.
    const order = Array.from({ length: 200 }, (_, i) => keys[i % keys.length]!).sort(() => Math.random() - 0.5);
    const ids = new Set<string>();
    for (const [i, key] of order.entries()) {
      ids.add((await queues[i % 2]!.enqueue({ queue: name, payload: i, exclusiveKey: key })).id);
    }
    const runs: { id: string; key: string; worker: string; start: number; end: number }[] = [];
    const runningPerKey = new Map<string, number>();
    let overlapSeen = false;
    const handler = (worker: string): JobHandler => async (job) => {
      const key = job.exclusiveKey!;
      const now = (runningPerKey.get(key) ?? 0) + 1;
      runningPerKey.set(key, now);
      if (now > 1) overlapSeen = true;
      const startedAt = performance.now();
      await delay(Math.floor(Math.random() * 4));
      runningPerKey.set(key, (runningPerKey.get(key) ?? 1) - 1);
      runs.push({ id: job.id, key, worker, start: startedAt, end: performance.now() });
    };
    start({ queue: queues[0], workerId: "p1", concurrency: 4, pollIntervalMs: 2, handlers: { [name]: handler("p1") } });
    start({ queue: queues[1], workerId: "p2", concurrency: 4, pollIntervalMs: 2, handlers: { [name]: handler("p2") } });
    await waitFor(async () => (await queues[0].listJobs({ queue: name, status: "done", limit: 1000 })).length === 200, 25_000);

    expect(runs).toHaveLength(200);
    expect(new Set(runs.map((r) => r.id))).toEqual(ids);
    expect(overlapSeen).toBe(false);
    for (const key of keys) {
      const ofKey = runs.filter((r) => r.key === key).sort((x, y) => x.start - y.start);
      expect(ofKey).toHaveLength(20);
      for (let i = 1; i < ofKey.length; i++) expect(ofKey[i]!.start).toBeGreaterThanOrEqual(ofKey[i - 1]!.end);
    }
    // Both "processes" took part, so the claims really raced.
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(["p1", "p2"]));
    // Jobs of different keys did run side by side.
    const sorted = [...runs].sort((x, y) => x.start - y.start);
    expect(sorted.some((r, i) => i > 0 && r.start < sorted[i - 1]!.end)).toBe(true);
  }, 30_000);

  it("stop() waits for running jobs; a job that honours the signal is requeued without using an attempt", async () => {
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const patient = `q-${randomUUID()}`;
    const obedient = `q-${randomUUID()}`;
    const a = await queue.enqueue({ queue: patient, payload: null });
    const b = await queue.enqueue({ queue: obedient, payload: null });
    let patientFinished = false;
    let started = 0;
    const worker = startWorker({
      queue,
      concurrency: 2,
      pollIntervalMs: 5,
      logger: silentLogger,
      handlers: {
        [patient]: async () => {
          started++;
          await delay(300);
          patientFinished = true;
        },
        [obedient]: async (_job, ctx) => {
          started++;
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
          throw new Error("aborted");
        },
      },
    });
    await waitFor(() => started === 2);
    await worker.stop();
    expect(patientFinished).toBe(true);
    expect(await queue.getJob(a.id)).toMatchObject({ status: "done" });
    expect(await queue.getJob(b.id)).toMatchObject({ status: "pending", attempts: 0, lastError: expect.stringContaining("Interrupted") });
    await worker.drain();
  });
});
