import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { openDatabase, type Db } from "../db/database.ts";
import { silentLogger, type EnqueueInput } from "./queue.ts";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  accountSyncJob,
  accountSyncSchedule,
  inboundContactsSchedule,
  reconcileSchedule,
  slotStartFor,
  spreadOffsetMs,
  startScheduler,
  syncQueues,
  type Schedule,
  type Scheduler,
} from "./scheduler.ts";
import { SqlJobQueue } from "./sql-queue.ts";

function manualClock(start: string) {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

describe("slots and spreading", () => {
  it("cuts time into slots, shifted by the phase", () => {
    expect(slotStartFor(new Date("2026-11-23T10:29:59.999Z"), 30 * MINUTE_MS)).toEqual(new Date("2026-11-23T10:00:00.000Z"));
    expect(slotStartFor(new Date("2026-11-23T10:30:00.000Z"), 30 * MINUTE_MS)).toEqual(new Date("2026-11-23T10:30:00.000Z"));
    expect(slotStartFor(new Date("2026-11-23T01:59:00.000Z"), DAY_MS, 2 * HOUR_MS)).toEqual(new Date("2026-11-22T02:00:00.000Z"));
    expect(slotStartFor(new Date("2026-11-23T02:00:00.000Z"), DAY_MS, 2 * HOUR_MS)).toEqual(new Date("2026-11-23T02:00:00.000Z"));
  });

  it("spreads keys stably across the window", () => {
    const offsets = Array.from({ length: 500 }, (_, i) => spreadOffsetMs(`w${i}`, 30 * MINUTE_MS));
    expect(offsets.every((o) => Number.isInteger(o) && o >= 0 && o < 30 * MINUTE_MS)).toBe(true);
    expect(spreadOffsetMs("w1", 30 * MINUTE_MS)).toBe(offsets[1]);
    // Roughly uniform: every 3-minute tenth of the window gets some workspaces.
    expect(new Set(offsets.map((o) => Math.floor(o / (3 * MINUTE_MS)))).size).toBe(10);
    expect(spreadOffsetMs("w1", 0)).toBe(0);
  });

  it("builds the product's schedules and jobs", async () => {
    const ws = ["w1", "w2", "w3"];
    const due = (ids: string[]) => () => Promise.resolve(ids.map((workspaceId) => ({ workspaceId, provider: "crm-a" })));
    const slot = new Date("2026-11-23T10:00:00.000Z");
    const account = await accountSyncSchedule({ workspaces: due(ws) }).due(slot);
    expect(account).toHaveLength(3);
    for (const [i, job] of account.entries()) {
      expect(job).toMatchObject({
        queue: syncQueues.accountSync,
        workspaceId: ws[i],
        coalesceKey: `account-sync:${ws[i]}`,
        exclusiveKey: `account-sync:${ws[i]}`,
        payload: { workspaceId: ws[i], provider: "crm-a", trigger: "schedule", triggeredBy: null },
      });
      const offset = job.runAt!.getTime() - slot.getTime();
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(30 * MINUTE_MS);
    }
    expect(accountSyncSchedule({ workspaces: due([]) }).intervalMs).toBe(30 * MINUTE_MS);

    const inbound = inboundContactsSchedule({ workspaces: due(["w1"]), spreadMs: 0 });
    expect(inbound.intervalMs).toBe(DAY_MS);
    expect(await inbound.due(slot)).toMatchObject([{ queue: syncQueues.contactSync, exclusiveKey: "contacts:w1", runAt: slot }]);

    const nightly = reconcileSchedule({ workspaces: due(["w1"]) });
    expect(nightly).toMatchObject({ intervalMs: DAY_MS, phaseMs: 2 * HOUR_MS });
    const [reconcile] = await nightly.due(new Date("2026-11-23T02:00:00.000Z"));
    // Shares the exclusive key with the inbound sync: both write the workspace's contacts.
    expect(reconcile).toMatchObject({ queue: syncQueues.reconcile, coalesceKey: "reconcile:w1", exclusiveKey: "contacts:w1" });
    expect(reconcile!.runAt!.getTime()).toBeLessThan(new Date("2026-11-23T04:00:00.000Z").getTime());
    expect(() => reconcileSchedule({ workspaces: () => Promise.resolve([]), atUtcHour: 24 })).toThrow(RangeError);
  });
});

describe.each(dialects)("scheduler on %s", (dialect) => {
  let t: TestDatabase;
  let second: Db;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    second = openDatabase(t.target, { poolSize: 5 });
  });
  afterAll(async () => {
    await second.close();
    await t.drop();
  });

  // Ticks are driven by hand; the timer only fires the initial tick.
  const start = (db: Db, schedules: Schedule[], now: () => Date, extra: { schedulerId?: string; claimTimeoutMs?: number } = {}): Scheduler =>
    startScheduler({ db: db.db, queue: new SqlJobQueue({ db: db.db, dialect, now }), schedules, now, tickMs: 3_600_000, logger: silentLogger, ...extra });

  const counting = (name: string, intervalMs: number, items: (slot: Date) => EnqueueInput[]) => {
    const calls: string[] = [];
    const schedule: Schedule = {
      name,
      intervalMs,
      due: (slot) => {
        calls.push(slot.toISOString());
        return Promise.resolve(items(slot));
      },
    };
    return { schedule, calls };
  };

  it("fires each slot once with two schedulers ticking concurrently", async () => {
    const clock = manualClock("2026-11-23T10:00:00.000Z");
    const name = `s-${randomUUID()}`;
    const queueName = `q-${randomUUID()}`;
    const { schedule, calls } = counting(name, 30 * MINUTE_MS, (slot) =>
      ["w1", "w2", "w3"].map((ws) => ({ queue: queueName, payload: { ws, slot: slot.toISOString() }, workspaceId: ws, runAt: slot })),
    );
    const a = start(t, [schedule], clock.now, { schedulerId: "a" });
    const b = start(second, [schedule], clock.now, { schedulerId: "b" });
    const fired: string[][] = [];
    // Three slots, many ticks each, both schedulers racing on every tick.
    for (let slot = 0; slot < 3; slot++) {
      for (let i = 0; i < 5; i++) {
        fired.push(...(await Promise.all([a.tick(), b.tick()])));
        clock.advance(5 * MINUTE_MS);
      }
      clock.advance(5 * MINUTE_MS);
    }
    await Promise.all([a.stop(), b.stop()]);

    expect(calls).toEqual(["2026-11-23T10:00:00.000Z", "2026-11-23T10:30:00.000Z", "2026-11-23T11:00:00.000Z"]);
    // The first slot fired at the schedulers' initial ticks, the other two at one manual tick each.
    expect(fired.flat()).toEqual([name, name]);
    const jobs = await new SqlJobQueue({ db: t.db, dialect }).listJobs({ queue: queueName });
    expect(jobs).toHaveLength(9);
    const slots = await t.db.selectFrom("schedule_slots").selectAll().where("name", "=", name).orderBy("slot_start").execute();
    expect(slots.map((s) => [s.slot_start, s.jobs_enqueued, s.fired_at !== null])).toEqual([
      ["2026-11-23T10:00:00.000Z", 3, true],
      ["2026-11-23T10:30:00.000Z", 3, true],
      ["2026-11-23T11:00:00.000Z", 3, true],
    ]);
  });

  it("does not fire again after a restart inside the slot", async () => {
    const clock = manualClock("2026-11-23T10:07:00.000Z");
    const { schedule, calls } = counting(`s-${randomUUID()}`, 30 * MINUTE_MS, () => []);
    const first = start(t, [schedule], clock.now);
    await first.tick();
    await first.stop();
    clock.advance(10 * MINUTE_MS);
    const restarted = start(t, [schedule], clock.now);
    expect(await restarted.tick()).toEqual([]);
    clock.advance(13 * MINUTE_MS);
    expect(await restarted.tick()).toEqual([schedule.name]);
    await restarted.stop();
    expect(calls).toEqual(["2026-11-23T10:00:00.000Z", "2026-11-23T10:30:00.000Z"]);
  });

  it("a slot whose claimer failed before enqueueing is taken over after the claim timeout", async () => {
    const clock = manualClock("2026-11-23T10:00:00.000Z");
    const queueName = `q-${randomUUID()}`;
    let failing = true;
    const schedule: Schedule = {
      name: `s-${randomUUID()}`,
      intervalMs: 30 * MINUTE_MS,
      due: (slot) => (failing ? Promise.reject(new Error("workspaces unavailable")) : Promise.resolve([{ queue: queueName, payload: slot.toISOString() }])),
    };
    const a = start(t, [schedule], clock.now, { schedulerId: "a", claimTimeoutMs: MINUTE_MS });
    const b = start(second, [schedule], clock.now, { schedulerId: "b", claimTimeoutMs: MINUTE_MS });
    await Promise.all([a.tick(), b.tick()]);
    failing = false;
    clock.advance(30_000);
    expect((await Promise.all([a.tick(), b.tick()])).flat()).toEqual([]);
    clock.advance(31_000);
    expect((await Promise.all([a.tick(), b.tick()])).flat()).toEqual([schedule.name]);
    await Promise.all([a.stop(), b.stop()]);
    expect(await new SqlJobQueue({ db: t.db, dialect }).listJobs({ queue: queueName })).toHaveLength(1);
  });

  it("scheduled account syncs coalesce with a manual trigger and keep the earlier time", async () => {
    const clock = manualClock("2026-11-23T10:00:00.000Z");
    const workspaceId = randomUUID();
    const queue = new SqlJobQueue({ db: t.db, dialect, now: clock.now });
    const schedule = accountSyncSchedule({ workspaces: () => Promise.resolve([{ workspaceId, provider: "crm-a" }]) });
    // The schedule name is global, so this test gives it a private one.
    const scheduler = start(t, [{ ...schedule, name: `account-sync-${workspaceId}` }], clock.now);
    await scheduler.tick();
    await scheduler.stop();
    const [scheduled] = await queue.listJobs({ workspaceId });
    expect(scheduled).toMatchObject({ queue: syncQueues.accountSync, status: "pending", payload: { trigger: "schedule" } });
    const manual = await queue.enqueue(accountSyncJob({ workspaceId, provider: "crm-a", trigger: "manual", triggeredBy: "u1" }));
    expect(manual).toEqual({ id: scheduled!.id, coalesced: true });
    expect((await queue.getJob(scheduled!.id))?.runAt).toEqual(clock.now());
  });

  it("rejects duplicate schedule names and non-positive intervals", () => {
    const s: Schedule = { name: "x", intervalMs: 1000, due: () => Promise.resolve([]) };
    expect(() => start(t, [s, s], () => new Date())).toThrow(/unique/);
    expect(() => start(t, [{ ...s, intervalMs: 0 }], () => new Date())).toThrow(RangeError);
  });
});
