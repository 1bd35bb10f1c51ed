// PostgreSQL as a scale-out deployment runs it: the API enqueues on graphile-worker and a
// `crmsync worker` process (test/scale-out/worker-entry.ts) takes the jobs.
import type { EmulatorOptions } from "../../emulator/index.ts";
import { accountSyncJob } from "../../src/jobs/scheduler.ts";
import { ScaleOut, type WorkerProcess } from "../../test/scale-out/fixture.ts";
import type { CrashDeployment, TrialWorkspace } from "./deployment.ts";

export async function postgresDeployment(emulator: Omit<EmulatorOptions, "port" | "host">): Promise<CrashDeployment> {
  // A dead worker's locks are swept after the grace; production uses 30 s + a 10 s sweep.
  const s = await ScaleOut.start({ emulator: { ...emulator, rateLimits: false }, budget: false, unlockGraceMs: 2_000, sweepIntervalMs: 200 });
  let worker: WorkerProcess | null = null;
  return {
    name: "postgres",
    db: s.database.db,
    emu: s.emu,
    async workspaces(n) {
      const all = await s.workspaces(n, "crash");
      for (const ws of all) await s.setUp(ws);
      return all;
    },
    async enable(ws) {
      await s.enable(ws as TrialWorkspace & { name: string });
    },
    async dueJobs(workspaceId) {
      return (await s.queue.listJobs({ workspaceId })).filter((j) => j.runAt.getTime() < Date.now() + 60_000).length;
    },
    async startWorker() {
      worker = await s.spawnWorker(1);
    },
    async killWorker() {
      if (worker) await s.kill(worker);
      worker = null;
    },
    async afterKill(ws) {
      // The periodic schedule fires while the dead worker still holds its lock (issue 15's one failed trial).
      await s.queue.enqueue(accountSyncJob({ workspaceId: ws.id, provider: "hubspot", trigger: "schedule", runAt: new Date(Date.now() + 10 * 60_000) }));
    },
    async cleanUp(ws) {
      await s.queue.cancelPending(accountSyncJob({ workspaceId: ws.id, provider: "hubspot", trigger: "schedule" }).coalesceKey!);
    },
    close: () => s.close(),
  };
}
