// What a scenario measures of its own process: wall time, the time the event loop was busy and
// the CPU time, and how long it waited for the CRM (the source's calls and pages, wrapped).
import { performance } from "node:perf_hooks";

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
