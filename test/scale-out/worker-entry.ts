// A crmsync worker in its own process, as `crmsync worker` runs it, for the scale-out and crash
// tests: graphile-worker's queue, the PostgreSQL budget store, and job start/end events printed
// as JSON lines so the test can check that a workspace never has two runs at once. Usage:
//   node --import tsx test/scale-out/worker-entry.ts '<json config>'
import pg from "pg";
import { createPostgresBudgetStore } from "../../src/connectors/hubspot/budget-postgres.ts";
import { BudgetRegistry, type PortalBudgetOptions } from "../../src/connectors/hubspot/budget.ts";
import { openDatabase } from "../../src/db/database.ts";
import { GraphileJobQueue, type GraphileWorker } from "../../src/jobs/graphile-queue.ts";
import { startBackground } from "../../src/sync/background.ts";
import { CrmConnections } from "../../src/connections/connections.ts";
import { connectorRegistry } from "../../src/connectors/registry.ts";

export interface WorkerEntryConfig {
  url: string;
  secretKey: string;
  hubspotBaseUrl: string;
  /** false: no budget (an emulator without limits). */
  budget: Omit<PortalBudgetOptions, "store"> | false;
  concurrency: number;
  unlockGraceMs: number;
  sweepIntervalMs: number;
}

export interface WorkerJobEvent {
  kind: "start" | "end";
  pid: number;
  worker: string;
  jobId: string;
  queue: string;
  workspaceId: string | null;
  at: number;
  outcome?: string;
}

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerEntryConfig;
// Small pools: the tests run several of these processes beside other suites on one server.
const { db } = openDatabase({ dialect: "postgres", url: config.url }, { poolSize: config.concurrency + 1 });
const pool = new pg.Pool({ connectionString: config.url, max: config.concurrency + 3 });
const queue = new GraphileJobQueue({ pool });
const store = createPostgresBudgetStore(pool);
const connections = new CrmConnections(
  db,
  config.secretKey,
  connectorRegistry({
    hubspot: {
      baseUrl: config.hubspotBaseUrl,
      authorizeUrl: `${config.hubspotBaseUrl}/oauth/authorize`,
      clientId: undefined,
      clientSecret: undefined,
      budget: config.budget === false ? false : { ...config.budget, store },
      budgets: new BudgetRegistry(),
      privateAppLimit: 100,
      retry: { baseDelayMs: 50, maxDelayMs: 1000 },
    },
  }),
  "http://127.0.0.1:3000",
);
const write = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const background = startBackground({
  db,
  queue,
  connections,
  schedules: false,
  concurrency: config.concurrency,
  pollIntervalMs: 100,
  logger: { info: () => undefined, warn: (o, m) => console.error(m, JSON.stringify(o)), error: (o, m) => console.error(m, JSON.stringify(o)) },
  graphile: {
    unlockGraceMs: config.unlockGraceMs,
    sweepIntervalMs: config.sweepIntervalMs,
    livenessCheckMs: 500,
    onJob: (e) =>
      write({ kind: e.kind, pid: process.pid, worker: e.workerId, jobId: e.job.id, queue: e.job.queue, workspaceId: e.job.workspaceId, at: e.at, ...(e.outcome ? { outcome: e.outcome } : {}) } satisfies WorkerJobEvent),
  },
});
const worker = background.worker as GraphileWorker;
await worker.ready;
write({ ready: true, pid: process.pid, worker: worker.poolId });
process.once("SIGTERM", () => {
  void background.stop().then(async () => {
    store.close();
    await pool.end();
    await db.destroy();
    process.exit(0);
  });
});
