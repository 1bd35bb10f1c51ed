// The JobQueue contract on graphile-worker, on a real PostgreSQL: coalescing, exclusivity across
// worker pools, retry-later without spending attempts, fatal failures, cancelling, shutdown, and
// a dead worker's jobs moving to a live one without waiting graphile's 4 hours.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GraphileJobQueue, startGraphileWorker, type GraphileWorker, type GraphileWorkerOptions } from "../../src/jobs/graphile-queue.ts";
import { FatalJobError, RetryLaterError, type Job, type JobHandler } from "../../src/jobs/queue.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("graphile-worker queue", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let queue: GraphileJobQueue;
  const workers: GraphileWorker[] = [];
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { migrate: false });
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    pool = new pg.Pool({ connectionString: database.target.url, max: 6 });
    queue = new GraphileJobQueue({ pool });
    await queue.migrate();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await pool.query("delete from graphile_worker._private_jobs");
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  /** A worker on a pool of its own, as another process would have. */
  function worker(handlers: Record<string, JobHandler>, options: Partial<GraphileWorkerOptions> = {}): GraphileWorker {
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    const own = new pg.Pool({ connectionString: database.target.url, max: 6 });
    own.on("error", () => undefined);
    pools.push(own);
    const w = startGraphileWorker({
      queue: new GraphileJobQueue({ pool: own }),
      handlers,
      concurrency: 2,
      pollIntervalMs: 100,
      unlockGraceMs: 1_000,
      sweepIntervalMs: 200,
      livenessCheckMs: 200,
      ...options,
    });
    workers.push(w);
    return w;
  }

  it("coalesces a pending job: one job, the earlier run time, the first payload", async () => {
    const later = new Date(Date.now() + 60_000);
    const sooner = new Date(Date.now() + 30_000);
    const first = await queue.enqueue({ queue: "q", payload: { n: 1 }, workspaceId: "w1", coalesceKey: "q:w1", exclusiveKey: "x:w1", runAt: later });
    const second = await queue.enqueue({ queue: "q", payload: { n: 2 }, workspaceId: "w1", coalesceKey: "q:w1", exclusiveKey: "x:w1", runAt: sooner });
    const third = await queue.enqueue({ queue: "q", payload: { n: 3 }, workspaceId: "w1", coalesceKey: "q:w1", exclusiveKey: "x:w1", runAt: later });
    expect(first.coalesced).toBe(false);
    expect(second).toEqual({ id: first.id, coalesced: true });
    expect(third).toEqual({ id: first.id, coalesced: true });
    const jobs = await queue.listJobs({ coalesceKey: "q:w1" });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: first.id, status: "pending", payload: { n: 1 }, workspaceId: "w1", exclusiveKey: "x:w1", attempts: 0, maxAttempts: 5 });
    expect(Math.abs(jobs[0]!.runAt.getTime() - sooner.getTime())).toBeLessThan(5);
    // Concurrent triggers of one key still make one job.
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => queue.enqueue({ queue: "q", payload: { i }, coalesceKey: "q:w2" })));
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(racing.filter((r) => !r.coalesced)).toHaveLength(1);
  });

  it("never runs two jobs of one exclusive key at once across pools, and a trigger during a run makes one follow-up", async () => {
    const intervals: { key: string; start: number; end: number }[] = [];
    // w3's run lasts until the test lets it end: a run of fixed length could end, and its
    // follow-up start, before the triggers "during" it landed on a loaded machine.
    let endW3Run: () => void = () => undefined;
    const w3Run = new Promise<void>((resolve) => (endW3Run = resolve));
    const slow: JobHandler = async (job) => {
      const start = Date.now();
      await (job.exclusiveKey === "x:w3" ? w3Run : sleep(150));
      intervals.push({ key: job.exclusiveKey ?? "", start, end: Date.now() });
    };
    const a = worker({ q: slow });
    const b = worker({ q: slow });
    await Promise.all([a.ready, b.ready]);
    for (let i = 0; i < 3; i++) {
      for (const ws of ["w1", "w2"]) await queue.enqueue({ queue: "q", payload: { i }, coalesceKey: `q:${ws}:${i}`, exclusiveKey: `x:${ws}` });
    }
    await waitFor("six runs", () => (intervals.length >= 6 ? true : undefined));
    for (const ws of ["x:w1", "x:w2"]) {
      const mine = intervals.filter((r) => r.key === ws).sort((p, q) => p.start - q.start);
      expect(mine).toHaveLength(3);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThanOrEqual(mine[i - 1]!.end);
    }
    // Two keys did overlap: the pools do run different workspaces in parallel.
    const one = intervals.filter((r) => r.key === "x:w1");
    const two = intervals.filter((r) => r.key === "x:w2");
    expect(one.some((p) => two.some((q) => p.start < q.end && q.start < p.end))).toBe(true);

    // While a run goes, triggers coalesce into a single follow-up.
    intervals.length = 0;
    await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:w3", exclusiveKey: "x:w3" });
    await waitFor("the run to start", async () => ((await queue.listJobs({ coalesceKey: "q:w3", status: "running" })).length > 0 ? true : undefined));
    const during = await Promise.all([1, 2, 3].map(() => queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:w3", exclusiveKey: "x:w3" })));
    // One of the three (whichever came first) made the follow-up; the others joined it.
    expect(during.filter((r) => !r.coalesced)).toHaveLength(1);
    expect(new Set(during.map((r) => r.id)).size).toBe(1);
    endW3Run();
    await waitFor("two runs of w3", () => (intervals.filter((r) => r.key === "x:w3").length >= 2 ? true : undefined));
    await a.drain();
    await sleep(300);
    expect(intervals.filter((r) => r.key === "x:w3")).toHaveLength(2);
  });

  it("reschedules a RetryLaterError without spending an attempt, and fails a FatalJobError for good", async () => {
    const seen: { id: string; attempt: number; at: number }[] = [];
    let retried = false;
    const w = worker({
      later: async (job, ctx) => {
        seen.push({ id: job.id, attempt: ctx.attempt, at: Date.now() });
        if (!retried) {
          retried = true;
          throw new RetryLaterError(400);
        }
      },
      fatal: async () => {
        throw new FatalJobError("grant revoked");
      },
      flaky: async () => {
        throw new Error("HubSpot did not answer");
      },
    });
    await w.ready;
    await queue.enqueue({ queue: "later", payload: {}, coalesceKey: "later:1", maxAttempts: 2 });
    await waitFor("the second run", () => (seen.length >= 2 ? true : undefined));
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(380);
    // Both runs were first attempts: the pause spent none.
    expect(seen.map((s) => s.attempt)).toEqual([1, 1]);

    const fatal = await queue.enqueue({ queue: "fatal", payload: {}, maxAttempts: 5 });
    const failed = await waitFor("the fatal job to fail", async () => {
      const job = await queue.getJob(fatal.id);
      return job?.status === "failed" ? job : undefined;
    });
    expect(failed).toMatchObject({ attempts: 5, maxAttempts: 5, lastError: "grant revoked" });

    const flaky = await queue.enqueue({ queue: "flaky", payload: {}, maxAttempts: 3 });
    const retrying = await waitFor("the flaky job to be retried", async () => {
      const job = await queue.getJob(flaky.id);
      return job?.status === "pending" && job.attempts === 1 ? job : undefined;
    });
    expect(retrying.lastError).toBe("HubSpot did not answer");
    expect(retrying.runAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("cancels pending jobs only", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const w = worker({ q: () => gate });
    await w.ready;
    await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:run", exclusiveKey: "x:run" });
    await waitFor("running", async () => ((await queue.listJobs({ status: "running" })).length === 1 ? true : undefined));
    await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:run", exclusiveKey: "x:run" });
    await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:other", runAt: new Date(Date.now() + 60_000) });
    expect(await queue.cancelPending("q:run")).toBe(1);
    expect(await queue.cancelPending("q:run")).toBe(0);
    expect((await queue.listJobs({ status: "running" })).map((j) => j.coalesceKey)).toEqual(["q:run"]);
    expect((await queue.listJobs({ status: "pending" })).map((j) => j.coalesceKey)).toEqual(["q:other"]);
    release();
  });

  it("hands a stopping worker's job back without spending an attempt; another worker finishes it", async () => {
    const runs: { worker: string; attempt: number; aborted: boolean }[] = [];
    const handler =
      (name: string): JobHandler =>
      async (_job: Job, ctx) => {
        const entry = { worker: name, attempt: ctx.attempt, aborted: false };
        runs.push(entry);
        if (name === "a") {
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
          entry.aborted = true;
          throw ctx.signal.reason;
        }
      };
    const a = worker({ q: handler("a") });
    await a.ready;
    const job = await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:stop", exclusiveKey: "x:stop", maxAttempts: 1 });
    await waitFor("a runs it", () => (runs.length === 1 ? true : undefined));
    await a.stop();
    const b = worker({ q: handler("b") });
    await b.ready;
    await waitFor("b runs it", () => (runs.length === 2 ? true : undefined));
    expect(runs).toEqual([
      { worker: "a", attempt: 1, aborted: true },
      { worker: "b", attempt: 1, aborted: false },
    ]);
    await b.drain();
    expect(await queue.getJob(job.id)).toBeUndefined();
    expect(await queue.listJobs()).toEqual([]);
  });

  it("never retires a job a dead worker still holds: a trigger meanwhile waits behind it, and the job runs once unlocked", async () => {
    const job = await queue.enqueue({ queue: "q", payload: { n: 1 }, coalesceKey: "q:held", exclusiveKey: "x:held", maxAttempts: 3 });
    // A worker took the job and died: its lock stays until a sweeper finds the pool dead.
    await pool.query("update graphile_worker._private_jobs set locked_at = now(), locked_by = 'dead-pool', attempts = 1 where id = $1", [job.id]);
    // A schedule slot fires meanwhile, spread to later (what kept a run `running` for minutes).
    const later = new Date(Date.now() + 3_600_000);
    const trigger = await queue.enqueue({ queue: "q", payload: { n: 2 }, coalesceKey: "q:held", exclusiveKey: "x:held", runAt: later });
    expect(trigger.id).not.toBe(job.id);
    // One more trigger joins the pending follow-up instead of adding a third job.
    expect(await queue.enqueue({ queue: "q", payload: { n: 3 }, coalesceKey: "q:held", exclusiveKey: "x:held", runAt: later })).toEqual({ id: trigger.id, coalesced: true });
    expect(await queue.getJob(job.id)).toMatchObject({ status: "running", attempts: 1, maxAttempts: 3 });

    await pool.query("select graphile_worker.force_unlock_workers(array['dead-pool'])");
    const ran: unknown[] = [];
    const b = worker({ q: (j: Job) => Promise.resolve(void ran.push(j.payload)) });
    await b.ready;
    await waitFor("the held job to run", () => (ran.length === 1 ? true : undefined), 10_000);
    expect(ran).toEqual([{ n: 1 }]);
    expect((await queue.listJobs({ status: "pending" })).map((j) => j.id)).toEqual([trigger.id]);
    expect(await queue.cancelPending("q:held")).toBe(1);
  });

  it("moves a dead worker's job to a live worker within seconds, not graphile's 4 hours", async () => {
    const runs: string[] = [];
    let aStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (aStarted = resolve));
    const a = worker({
      q: async (_job, ctx) => {
        runs.push("a");
        aStarted();
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        throw ctx.signal.reason;
      },
    });
    await a.ready;
    const job = await queue.enqueue({ queue: "q", payload: {}, coalesceKey: "q:dead", exclusiveKey: "x:dead" });
    await started;
    // a's liveness session ends, as when its process dies; a notices and stops its runs.
    await pool.query(
      "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and classid = 1668443507 and objid = hashtext($1)::oid and objsubid = 2",
      [a.poolId],
    );
    const reason = await a.lost;
    expect(reason).toBeInstanceOf(Error);
    const b = worker({
      q: async () => {
        runs.push("b");
      },
    });
    await b.ready;
    await waitFor("b to take the job over", () => (runs.includes("b") ? true : undefined), 10_000);
    await b.drain();
    expect(runs).toEqual(["a", "b"]);
    expect(await queue.getJob(job.id)).toBeUndefined();
  });

  it("leaves a live worker's long-held locks alone", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = worker({ q: () => gate });
    await a.ready;
    await queue.enqueue({ queue: "q", payload: {}, exclusiveKey: "x:live" });
    await waitFor("running", async () => ((await queue.listJobs({ status: "running" })).length === 1 ? true : undefined));
    await sleep(800); // past the grace: only the liveness lock protects it now
    expect(await queue.unlockDeadWorkers(500)).toEqual([]);
    expect((await queue.listJobs({ status: "running" }))[0]?.lockedBy).toBe(a.poolId);
    release();
  });
});
