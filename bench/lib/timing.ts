// What a scenario measures of its own process: wall time, the time the event loop was busy and
// the CPU time, and how long it waited for the CRM (the source's calls and pages, wrapped).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import type { Db } from "../../src/db/database.ts";

export interface WorkTimes {
  wallMs: number;
  /**
   * Time the event loop was busy: crmsync's own work (JSON, mapping, matching, and SQLite, whose
   * better-sqlite3 calls are synchronous) as opposed to waiting for the CRM. On PostgreSQL the
   * database's own time is waiting too, so this undercounts there.
   */
  busyMs: number;
  /**
   * CPU time of this process (user + system). Unlike busy time it does not grow when other
   * processes take the CPU away (a shared machine), but it leaves out waits for the disk.
   */
  cpuMs: number;
  /**
   * PostgreSQL: CPU time of the database server's backends serving this process, which crmsync's
   * own CPU time leaves out (SQLite works inside crmsync's process: null there).
   */
  serverCpuMs?: number | null;
}

/** Starts measuring; stop() gives the times since. */
export function startMeter(): { startedAt: number; stop(): WorkTimes } {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const startedAt = performance.now();
  return {
    startedAt,
    stop() {
      const wallMs = performance.now() - startedAt;
      const busyMs = performance.eventLoopUtilization(elu).active;
      const used = process.cpuUsage(cpu);
      return { wallMs, busyMs, cpuMs: (used.user + used.system) / 1000 };
    },
  };
}

/** CPU time (ms) of each PostgreSQL backend of the current database, read from /proc (same machine). */
async function backendCpu(database: Pick<Db, "db" | "dialect">): Promise<Map<number, number> | null> {
  if (database.dialect !== "postgres") return null;
  const rows = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.db);
  const ticksPerMs = 100 / 1000; // USER_HZ
  const cpu = new Map<number, number>();
  for (const { pid } of rows.rows) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    } catch {
      return null; // another machine's server, or no /proc
    }
  }
  return cpu;
}

/** Starts measuring the database server's CPU for this process's connections; stop() gives it (null on SQLite). */
export async function startServerCpuMeter(database: Pick<Db, "db" | "dialect">): Promise<{ stop(): Promise<number | null> }> {
  const before = await backendCpu(database);
  return {
    async stop() {
      const after = await backendCpu(database);
      if (!before || !after) return null;
      let ms = 0;
      for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
      return ms;
    },
  };
}

/** Sums the time spent waiting for the CRM. */
export interface CrmWait {
  crmWaitMs: number;
}

/** An async iterable whose waits for each item are added to `wait`; `count` sees each item, `done` runs at the end. */
export function timedIterable<T>(source: AsyncIterable<T>, wait: CrmWait, count: (item: T) => void, done: () => void = () => undefined): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const iterator = source[Symbol.asyncIterator]();
      for (;;) {
        const started = performance.now();
        const next = await iterator.next();
        wait.crmWaitMs += performance.now() - started;
        if (next.done) break;
        count(next.value);
        yield next.value;
      }
      done();
    },
  };
}

/** A call whose wait is added to `wait`. */
export async function timedCall<T>(wait: CrmWait, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    wait.crmWaitMs += performance.now() - started;
  }
}
