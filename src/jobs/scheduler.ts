// Periodic schedules that fire once per slot however many processes run a scheduler.
//
// Time is cut into slots of intervalMs (shifted by phaseMs). On every tick each scheduler tries
// to insert (schedule name, slot start) into schedule_slots; the primary key lets exactly one
// insert win, and only the winner enqueues the slot's jobs. A restart inside a slot finds the
// row and does nothing. Missed slots are not replayed: the first tick after downtime fires the
// current slot only, which is what a periodic sync wants.
import { hostname } from "node:os";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, RunTrigger } from "../db/schema.ts";
import type { EnqueueInput, JobLogger, JobQueue } from "./queue.ts";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface Schedule {
  /** Stable: renaming a schedule makes it fire again in the current slot. */
  name: string;
  intervalMs: number;
  /** Slots start at phaseMs + k * intervalMs since the epoch (UTC), e.g. 2 h for a 02:00 UTC nightly job. */
  phaseMs?: number;
  /** The jobs of the slot starting at slotStart. Give them coalesce keys: a slot whose claimer died midway is enqueued again. */
  due(slotStart: Date): Promise<EnqueueInput[]>;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  queue: JobQueue;
  schedules: readonly Schedule[];
  /** How often to look for a new slot; default 15 s. Slots fire at most tickMs late. */
  tickMs?: number;
  now?: () => Date;
  schedulerId?: string;
  /** A slot claimed but not fired for this long (its claimer died, or due() threw) is taken over; default 60 s. */
  claimTimeoutMs?: number;
  logger?: JobLogger;
}

export interface Scheduler {
  /** Runs one tick now (ticks never overlap); resolves with the names of the schedules this call fired. */
  tick(): Promise<string[]>;
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
}

export function slotStartFor(now: Date, intervalMs: number, phaseMs = 0): Date {
  return new Date(Math.floor((now.getTime() - phaseMs) / intervalMs) * intervalMs + phaseMs);
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db, queue, schedules } = options;
  const tickMs = options.tickMs ?? 15_000;
  const now = options.now ?? (() => new Date());
  const schedulerId = options.schedulerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const claimTimeoutMs = options.claimTimeoutMs ?? 60_000;
  const logger = options.logger ?? { info: () => undefined, warn: (o, m) => console.warn(m, o), error: (o, m) => console.error(m, o) };
  for (const s of schedules) {
    if (!(s.intervalMs > 0)) throw new RangeError(`Schedule ${s.name}: intervalMs must be positive`);
  }
  if (new Set(schedules.map((s) => s.name)).size !== schedules.length) throw new Error("Schedule names must be unique");

  async function claimSlot(name: string, slotStart: string, at: Date): Promise<boolean> {
    const atIso = at.toISOString();
    const inserted = await db
      .insertInto("schedule_slots")
      .values({ name, slot_start: slotStart, claimed_by: schedulerId, claimed_at: atIso, fired_at: null, jobs_enqueued: 0 })
      .onConflict((oc) => oc.columns(["name", "slot_start"]).doNothing())
      .returning("name")
      .executeTakeFirst();
    if (inserted) return true;
    const takenOver = await db
      .updateTable("schedule_slots")
      .set({ claimed_by: schedulerId, claimed_at: atIso })
      .where("name", "=", name)
      .where("slot_start", "=", slotStart)
      .where("fired_at", "is", null)
      .where("claimed_at", "<", new Date(at.getTime() - claimTimeoutMs).toISOString())
      .returning("name")
      .executeTakeFirst();
    return takenOver !== undefined;
  }

  async function fire(schedule: Schedule, at: Date): Promise<boolean> {
    const slotStart = slotStartFor(at, schedule.intervalMs, schedule.phaseMs);
    const slotIso = slotStart.toISOString();
    if (!(await claimSlot(schedule.name, slotIso, at))) return false;
    const log = { schedule: schedule.name, slotStart: slotIso, schedulerId };
    try {
      const items = await schedule.due(slotStart);
      for (const item of items) await queue.enqueue(item);
      await db
        .updateTable("schedule_slots")
        .set({ fired_at: now().toISOString(), jobs_enqueued: items.length })
        .where("name", "=", schedule.name)
        .where("slot_start", "=", slotIso)
        .execute();
      logger.info({ ...log, jobs: items.length }, "schedule fired");
      return true;
    } catch (error) {
      logger.error({ ...log, err: error }, "schedule slot failed; it is retried after the claim timeout");
      return false;
    }
  }

  async function runTick(): Promise<string[]> {
    const at = now();
    const fired: string[] = [];
    for (const schedule of schedules) {
      try {
        if (await fire(schedule, at)) fired.push(schedule.name);
      } catch (error) {
        logger.error({ schedule: schedule.name, schedulerId, err: error }, "claiming a schedule slot failed");
      }
    }
    return fired;
  }

  let chain: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<string[]> => {
    const next = chain.then(runTick);
    chain = next.catch(() => undefined);
    return next;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    if (stopped) return;
    tick()
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, tickMs);
      });
  };
  loop();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}

/** A stable offset in [0, windowMs) for key, so per-workspace jobs spread over a slot instead of starting together. */
export function spreadOffsetMs(key: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  const hash = createHash("sha256").update(key).digest().readUIntBE(0, 6);
  return hash % Math.floor(windowMs);
}

// ---- The product's jobs and schedules (spec §3.4, §4.5). Every enqueue site uses these
// builders, so triggers from the API and from the schedule coalesce with each other.

export const syncQueues = {
  accountSync: "account-sync",
  contactSync: "contact-sync",
  reconcile: "reconcile",
} as const;

export interface SyncJobPayload {
  workspaceId: string;
  /** The CRM the run syncs with (a connector id). */
  provider: string;
  trigger: RunTrigger;
  triggeredBy: string | null;
}

export interface SyncJobInput {
  workspaceId: string;
  provider: string;
  trigger: RunTrigger;
  triggeredBy?: string | null;
  runAt?: Date;
}

function syncJob(queue: string, coalesceKey: string, exclusiveKey: string, input: SyncJobInput): EnqueueInput {
  const payload: SyncJobPayload = { workspaceId: input.workspaceId, provider: input.provider, trigger: input.trigger, triggeredBy: input.triggeredBy ?? null };
  return {
    queue,
    payload,
    workspaceId: input.workspaceId,
    coalesceKey,
    exclusiveKey,
    ...(input.runAt ? { runAt: input.runAt } : {}),
  };
}

/** At most one account sync per workspace runs at a time; triggers during a run coalesce into one follow-up (§3.4). */
export function accountSyncJob(input: SyncJobInput): EnqueueInput {
  const key = `${syncQueues.accountSync}:${input.workspaceId}`;
  return syncJob(syncQueues.accountSync, key, key, input);
}

/** Inbound contact sync and reconcile both write a workspace's contacts, so they share an exclusive key. */
export function contactSyncJob(input: SyncJobInput): EnqueueInput {
  return syncJob(syncQueues.contactSync, `${syncQueues.contactSync}:${input.workspaceId}`, `contacts:${input.workspaceId}`, input);
}

export function reconcileJob(input: SyncJobInput): EnqueueInput {
  return syncJob(syncQueues.reconcile, `${syncQueues.reconcile}:${input.workspaceId}`, `contacts:${input.workspaceId}`, input);
}

/** A workspace a schedule applies to, with the CRM it syncs with. */
export interface ScheduledWorkspace {
  workspaceId: string;
  provider: string;
}

export interface WorkspaceScheduleOptions {
  /** The workspaces the schedule applies to now (e.g. account sync enabled, contact sync not paused). */
  workspaces: (slotStart: Date) => Promise<readonly ScheduledWorkspace[]>;
  /** Each workspace runs at slotStart + a stable offset below this; 0 starts them all at slotStart. */
  spreadMs?: number;
}

function workspaceSchedule(
  name: string,
  intervalMs: number,
  phaseMs: number,
  build: (input: SyncJobInput) => EnqueueInput,
  options: WorkspaceScheduleOptions,
  defaultSpreadMs: number,
): Schedule {
  const spreadMs = Math.min(options.spreadMs ?? defaultSpreadMs, intervalMs);
  return {
    name,
    intervalMs,
    phaseMs,
    async due(slotStart) {
      const due = await options.workspaces(slotStart);
      return due.map(({ workspaceId, provider }) =>
        build({
          workspaceId,
          provider,
          trigger: "schedule",
          runAt: new Date(slotStart.getTime() + spreadOffsetMs(`${name}:${workspaceId}`, spreadMs)),
        }),
      );
    },
  };
}

/** Account sync every 30 minutes, workspaces spread across the half hour (§3.4). */
export function accountSyncSchedule(options: WorkspaceScheduleOptions): Schedule {
  return workspaceSchedule("account-sync", 30 * MINUTE_MS, 0, accountSyncJob, options, 30 * MINUTE_MS);
}

/** Inbound contact sync every 24 hours, workspaces spread across the day (§4.5). */
export function inboundContactsSchedule(options: WorkspaceScheduleOptions): Schedule {
  return workspaceSchedule("inbound-contacts", DAY_MS, 0, contactSyncJob, options, DAY_MS);
}

/** Two-way reconcile nightly from atUtcHour (default 02:00 UTC), spread over spreadMs (default 2 hours) (§4.5). */
export function reconcileSchedule(options: WorkspaceScheduleOptions & { atUtcHour?: number }): Schedule {
  const hour = options.atUtcHour ?? 2;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`atUtcHour must be 0-23, got ${hour}`);
  return workspaceSchedule("reconcile", DAY_MS, hour * HOUR_MS, reconcileJob, options, 2 * HOUR_MS);
}
