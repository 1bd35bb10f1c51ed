import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { openDatabase, type Db } from "../db/database.ts";
import { SqlJobQueue } from "./sql-queue.ts";

function manualClock(start = "2026-11-23T10:00:00.000Z") {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

describe.each(dialects)("SqlJobQueue on %s", (dialect) => {
  let t: TestDatabase;
  let other: Db;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    other = openDatabase(t.target, { poolSize: 5 });
  });
  afterAll(async () => {
    await other.close();
    await t.drop();
  });

  // Each test uses its own queue name, so tests sharing the database never claim each other's jobs.
  const fresh = () => {
    const clock = manualClock();
    return { clock, name: `q-${randomUUID()}`, queue: new SqlJobQueue({ db: t.db, dialect, now: clock.now }) };
  };

  it("enqueues, claims with a lease, completes", async () => {
    const { clock, name, queue } = fresh();
    const { id, coalesced } = await queue.enqueue({ queue: name, payload: { a: 1 }, workspaceId: "w1" });
    expect(coalesced).toBe(false);
    const pending = await queue.getJob(id);
    expect(pending).toMatchObject({ status: "pending", attempts: 0, maxAttempts: 5, payload: { a: 1 }, workspaceId: "w1" });

    const job = await queue.claim({ workerId: "w-a", queues: [name], leaseMs: 30_000 });
    expect(job).toMatchObject({ id, status: "running", attempts: 1, lockedBy: "w-a" });
    expect(job?.leaseExpiresAt?.getTime()).toBe(clock.now().getTime() + 30_000);
    expect(await queue.claim({ workerId: "w-b", queues: [name], leaseMs: 30_000 })).toBeUndefined();

    expect(await queue.complete(job!)).toBe(true);
    expect(await queue.getJob(id)).toMatchObject({ status: "done", leaseExpiresAt: null, finishedAt: clock.now() });
    // A second completion (e.g. by a worker whose lease was lost) changes nothing.
    expect(await queue.complete(job!)).toBe(false);
  });

  it("claims only due jobs of the asked queues, earliest first", async () => {
    const { clock, name, queue } = fresh();
    const later = await queue.enqueue({ queue: name, payload: 1, runAt: new Date(clock.now().getTime() + 60_000) });
    const soon = await queue.enqueue({ queue: name, payload: 2, runAt: new Date(clock.now().getTime() - 1_000) });
    await queue.enqueue({ queue: `${name}-other`, payload: 3, runAt: new Date(clock.now().getTime() - 5_000) });

    const lease = 3_600_000;
    expect((await queue.claim({ workerId: "w", queues: [name], leaseMs: lease }))?.id).toBe(soon.id);
    expect(await queue.claim({ workerId: "w", queues: [name], leaseMs: lease })).toBeUndefined();
    clock.advance(60_000);
    expect((await queue.claim({ workerId: "w", queues: [name], leaseMs: lease }))?.id).toBe(later.id);
    expect(await queue.claim({ workerId: "w", queues: [], leaseMs: 1000 })).toBeUndefined();
  });

  it("coalesces into the pending job, keeping its payload and the earlier run time", async () => {
    const { clock, name, queue } = fresh();
    const key = `k-${randomUUID()}`;
    const inAMinute = new Date(clock.now().getTime() + 60_000);
    const first = await queue.enqueue({ queue: name, payload: "first", coalesceKey: key, runAt: inAMinute });
    const second = await queue.enqueue({ queue: name, payload: "second", coalesceKey: key });
    expect(second).toEqual({ id: first.id, coalesced: true });
    const third = await queue.enqueue({ queue: name, payload: "third", coalesceKey: key, runAt: inAMinute });
    expect(third).toEqual({ id: first.id, coalesced: true });
    expect(await queue.getJob(first.id)).toMatchObject({ payload: "first", runAt: clock.now() });
    expect(await queue.listJobs({ coalesceKey: key })).toHaveLength(1);

    // Once running it no longer absorbs triggers: the next one becomes a follow-up, which absorbs the rest.
    const running = await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 });
    expect(running?.id).toBe(first.id);
    const followUp = await queue.enqueue({ queue: name, payload: "follow-up", coalesceKey: key });
    expect(followUp.coalesced).toBe(false);
    expect(await queue.enqueue({ queue: name, payload: "again", coalesceKey: key })).toEqual({ id: followUp.id, coalesced: true });
  });

  it("coalesces racing enqueues from two connections into one job", async () => {
    const { name } = fresh();
    const key = `k-${randomUUID()}`;
    const otherQueue = new SqlJobQueue({ db: other.db, dialect });
    const queue = new SqlJobQueue({ db: t.db, dialect });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? queue : otherQueue).enqueue({ queue: name, payload: i, coalesceKey: key })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.coalesced)).toHaveLength(1);
    expect(await queue.listJobs({ queue: name })).toHaveLength(1);
  });

  it("never claims a job while another job with its exclusive key runs", async () => {
    const { name, queue } = fresh();
    const key = `x-${randomUUID()}`;
    const a = await queue.enqueue({ queue: name, payload: "a", exclusiveKey: key });
    const b = await queue.enqueue({ queue: name, payload: "b", exclusiveKey: key });
    const free = await queue.enqueue({ queue: name, payload: "free", exclusiveKey: `${key}-other` });

    const first = await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 });
    expect(first?.id).toBe(a.id);
    // b is due but blocked; the job with another key is not.
    expect((await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))?.id).toBe(free.id);
    expect(await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 })).toBeUndefined();
    await queue.complete(first!);
    expect((await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))?.id).toBe(b.id);
  });

  it("the database refuses a second running job with the same exclusive key", async () => {
    const { name, queue } = fresh();
    const key = `x-${randomUUID()}`;
    const a = await queue.enqueue({ queue: name, payload: "a", exclusiveKey: key });
    const b = await queue.enqueue({ queue: name, payload: "b", exclusiveKey: key });
    await t.db.updateTable("jobs").set({ status: "running" }).where("id", "=", a.id).execute();
    await expect(t.db.updateTable("jobs").set({ status: "running" }).where("id", "=", b.id).execute()).rejects.toThrow();
  });

  it("reclaims a running job whose lease expired, and fails it if that was the last attempt", async () => {
    const { clock, name, queue } = fresh();
    const a = await queue.enqueue({ queue: name, payload: "a", maxAttempts: 2 });
    const claimed = await queue.claim({ workerId: "dead", queues: [name], leaseMs: 10_000 });
    expect(claimed?.attempts).toBe(1);
    clock.advance(9_999);
    expect(await queue.claim({ workerId: "alive", queues: [name], leaseMs: 10_000 })).toBeUndefined();
    clock.advance(2);
    const reclaimed = await queue.claim({ workerId: "alive", queues: [name], leaseMs: 10_000 });
    expect(reclaimed).toMatchObject({ id: a.id, attempts: 2, lockedBy: "alive" });
    // The dead worker's claim is void: it can no longer extend or settle the job.
    expect(await queue.heartbeat(claimed!, 10_000)).toBe(false);
    expect(await queue.complete(claimed!)).toBe(false);

    clock.advance(10_001);
    expect(await queue.claim({ workerId: "third", queues: [name], leaseMs: 10_000 })).toBeUndefined();
    expect(await queue.getJob(a.id)).toMatchObject({ status: "failed", attempts: 2, lastError: expect.stringContaining("lease expired") });
  });

  it("heartbeat extends the lease so the job is not reclaimed", async () => {
    const { clock, name, queue } = fresh();
    await queue.enqueue({ queue: name, payload: null });
    const job = (await queue.claim({ workerId: "w", queues: [name], leaseMs: 10_000 }))!;
    clock.advance(8_000);
    expect(await queue.heartbeat(job, 10_000)).toBe(true);
    clock.advance(8_000);
    expect(await queue.claim({ workerId: "w2", queues: [name], leaseMs: 10_000 })).toBeUndefined();
  });

  it("retry reschedules, counting the attempt or not", async () => {
    const { clock, name, queue } = fresh();
    const { id } = await queue.enqueue({ queue: name, payload: null });
    let job = (await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))!;
    expect(await queue.retry(job, { delayMs: 5_000, error: "boom", countAttempt: true })).toBe(true);
    expect(await queue.getJob(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "boom",
      runAt: new Date(clock.now().getTime() + 5_000),
      leaseExpiresAt: null,
    });
    clock.advance(5_000);
    job = (await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))!;
    expect(job.attempts).toBe(2);
    await queue.retry(job, { delayMs: 0, error: "rate limited", countAttempt: false });
    expect(await queue.getJob(id)).toMatchObject({ status: "pending", attempts: 1 });
    job = (await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))!;
    expect(await queue.fail(job, "gave up")).toBe(true);
    expect(await queue.getJob(id)).toMatchObject({ status: "failed", lastError: "gave up", attempts: 2 });
  });

  it("a retry is absorbed by a follow-up pending with the same coalesce key", async () => {
    const { clock, name, queue } = fresh();
    const key = `k-${randomUUID()}`;
    const first = await queue.enqueue({ queue: name, payload: 1, coalesceKey: key });
    const job = (await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 }))!;
    const followUp = await queue.enqueue({ queue: name, payload: 2, coalesceKey: key, runAt: new Date(clock.now().getTime() + 60_000) });
    expect(await queue.retry(job, { delayMs: 10_000, error: "boom", countAttempt: true })).toBe(true);
    expect(await queue.getJob(first.id)).toMatchObject({ status: "cancelled", lastError: expect.stringContaining("boom") });
    expect(await queue.getJob(followUp.id)).toMatchObject({ status: "pending", runAt: new Date(clock.now().getTime() + 10_000) });
  });

  it("cancelPending cancels pending jobs of a key but not the running one", async () => {
    const { name, queue } = fresh();
    const key = `k-${randomUUID()}`;
    const running = await queue.enqueue({ queue: name, payload: 1, coalesceKey: key });
    await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 });
    const pending = await queue.enqueue({ queue: name, payload: 2, coalesceKey: key });
    expect(await queue.cancelPending(key)).toBe(1);
    expect(await queue.cancelPending(key)).toBe(0);
    expect((await queue.getJob(pending.id))?.status).toBe("cancelled");
    expect((await queue.getJob(running.id))?.status).toBe("running");
    // The key is free again for a new pending job.
    expect((await queue.enqueue({ queue: name, payload: 3, coalesceKey: key })).coalesced).toBe(false);
  });

  it("lists jobs newest first with filters, and finds none for an unknown id", async () => {
    const { clock, name, queue } = fresh();
    const a = await queue.enqueue({ queue: name, payload: 1, workspaceId: "wa" });
    clock.advance(1);
    const b = await queue.enqueue({ queue: name, payload: 2, workspaceId: "wb" });
    clock.advance(1);
    const c = await queue.enqueue({ queue: name, payload: 3, workspaceId: "wa" });
    await queue.claim({ workerId: "w", queues: [name], leaseMs: 1000 });
    expect((await queue.listJobs({ queue: name })).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect((await queue.listJobs({ queue: name, workspaceId: "wa" })).map((j) => j.id)).toEqual([c.id, a.id]);
    expect((await queue.listJobs({ queue: name, status: "running" })).map((j) => j.id)).toEqual([a.id]);
    expect((await queue.listJobs({ queue: name, status: ["pending", "done"], limit: 1 })).map((j) => j.id)).toEqual([c.id]);
    expect(await queue.getJob(randomUUID())).toBeUndefined();
  });

  it("deletes finished jobs older than a cutoff, never pending or running ones", async () => {
    const { clock, name, queue } = fresh();
    const done = await queue.enqueue({ queue: name, payload: 1 });
    await queue.complete((await queue.claim({ workerId: "w", queues: [name], leaseMs: 3_600_000 }))!);
    const running = await queue.enqueue({ queue: name, payload: 2 });
    await queue.claim({ workerId: "w", queues: [name], leaseMs: 3_600_000 });
    clock.advance(1000);
    const pending = await queue.enqueue({ queue: name, payload: 3, runAt: new Date(clock.now().getTime() + 3_600_000) });
    const recent = await queue.enqueue({ queue: name, payload: 4 });
    await queue.fail((await queue.claim({ workerId: "w", queues: [name], leaseMs: 3_600_000 }))!, "x");

    expect(await queue.deleteFinished(new Date(clock.now().getTime() - 500))).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(done.id)).toBeUndefined();
    expect((await queue.listJobs({ queue: name })).map((j) => j.id).sort()).toEqual([running.id, pending.id, recent.id].sort());
  });

  it("rejects a non-positive maxAttempts", async () => {
    const { name, queue } = fresh();
    await expect(queue.enqueue({ queue: name, payload: null, maxAttempts: 0 })).rejects.toThrow(RangeError);
  });
});
