// Shared by the `crmsync sync …` commands: trigger a run, work it in this process (a running
// server's or worker's process may claim it first, whichever is quicker), draw its progress
// from the run row, and return the finished run.
import { SingleBar } from "cli-progress";
import type { Kysely } from "kysely";
import { getRunById, listRuns } from "../db/repositories/sync-runs.ts";
import type { Database, RunKind, SyncRun } from "../db/schema.ts";
import type { Background } from "../sync/background.ts";
import { finalStatuses } from "../sync/run-state.ts";

export interface RunProgressOptions {
  db: Kysely<Database>;
  workspaceId: string;
  kind: RunKind;
  /** The run's checkpoint phases in order; the bar advances one step per phase. */
  phases: readonly string[];
  /** Counters shown beside the bar. */
  counters: readonly ("read" | "linked" | "created" | "updated")[];
  progress: boolean;
  trigger(): Promise<void>;
  startWorker(): Background;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function phaseOf(run: SyncRun, first: string): string {
  return run.checkpoint ? ((JSON.parse(run.checkpoint) as { phase?: string }).phase ?? first) : first;
}

function counterValues(run: SyncRun | undefined): Record<string, number> {
  return {
    read: run?.records_read ?? 0,
    linked: run?.records_linked ?? 0,
    created: run?.records_created ?? 0,
    updated: run?.records_updated ?? 0,
    calls: run?.crm_calls ?? 0,
  };
}

export async function runWithProgress(options: RunProgressOptions): Promise<SyncRun> {
  const first = options.phases[0] ?? "";
  const width = Math.max("queued".length, ...options.phases.map((p) => p.length));
  const before = new Date().toISOString();
  await options.trigger();
  const background = options.startWorker();
  const format = `{phase} |{bar}| ${options.counters.map((c) => `${c} {${c}}`).join(" · ")} · {calls} CRM calls`;
  const bar = new SingleBar({ format, hideCursor: true, noTTYOutput: options.progress });
  if (options.progress) bar.start(options.phases.length - 1, 0, { phase: "queued".padEnd(width), ...counterValues(undefined) });
  try {
    for (;;) {
      const [latest] = (await listRuns(options.db, options.workspaceId, { limit: 1, kind: options.kind })).items;
      const run = latest && latest.created_at >= before ? ((await getRunById(options.db, latest.id)) ?? latest) : undefined;
      if (run && options.progress) {
        const phase = phaseOf(run, first);
        bar.update(Math.max(0, options.phases.indexOf(phase)), { phase: phase.padEnd(width), ...counterValues(run) });
      }
      if (run && finalStatuses.includes(run.status)) return run;
      await sleep(250);
    }
  } finally {
    if (options.progress) bar.stop();
    await background.stop();
  }
}
