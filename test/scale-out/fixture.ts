// A scale-out deployment in a test: a fresh PostgreSQL database, the HubSpot emulator (real
// HTTP), an API whose triggers go to graphile-worker, N workspaces, and crmsync worker processes
// started with `node --import tsx test/scale-out/worker-entry.ts` that the test can kill.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PRIVATE_APP_TOKEN, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/index.ts";
import { issueApiToken, provisionWorkspace } from "../../src/accounts.ts";
import { createPostgresBudgetStore, type PostgresBudgetStore } from "../../src/connectors/hubspot/budget-postgres.ts";
import { BudgetRegistry, type PortalBudgetOptions } from "../../src/connectors/hubspot/budget.ts";
import { generateSecretKey } from "../../src/core/security.ts";
import { GraphileJobQueue } from "../../src/jobs/graphile-queue.ts";
import { buildApp, type App } from "../../src/server/app.ts";
import { buildAppContext, type AppContext } from "../../src/server/context.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import type { WorkerEntryConfig, WorkerJobEvent } from "./worker-entry.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface Workspace {
  id: string;
  name: string;
  token: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  poolId: string;
  exited: Promise<number | null>;
}

export interface ScaleOutOptions {
  emulator: Omit<EmulatorOptions, "port" | "host">;
  /** The portal budget every process uses; false turns budgeting off. */
  budget: Omit<PortalBudgetOptions, "store"> | false;
  unlockGraceMs?: number;
  sweepIntervalMs?: number;
}

export class ScaleOut {
  readonly events: WorkerJobEvent[] = [];
  readonly workers: WorkerProcess[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly url: string,
    readonly emu: RunningEmulator,
    readonly pool: pg.Pool,
    readonly queue: GraphileJobQueue,
    readonly store: PostgresBudgetStore,
    readonly ctx: AppContext,
    readonly app: App,
    readonly secretKey: string,
    readonly options: ScaleOutOptions,
  ) {}

  static async start(options: ScaleOutOptions): Promise<ScaleOut> {
    const database = await createTestDatabase("postgres");
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    const emu = await startEmulator({ ...options.emulator, port: 0, host: "127.0.0.1" });
    const pool = new pg.Pool({ connectionString: database.target.url, max: 6 });
    const queue = new GraphileJobQueue({ pool });
    await queue.migrate();
    const store = createPostgresBudgetStore(pool);
    await store.ready;
    const secretKey = generateSecretKey();
    const settings = {
      baseUrl: emu.url,
      authorizeUrl: `${emu.url}/oauth/authorize`,
      clientId: undefined,
      clientSecret: undefined,
      budget: options.budget === false ? (false as const) : { ...options.budget, store },
      privateAppLimit: 100,
      retry: { baseDelayMs: 50, maxDelayMs: 1000 },
      // A registry of its own: the process-wide one would keep budgets bound to an earlier fixture's store.
      budgets: new BudgetRegistry(),
    };
    const ctx: AppContext = buildAppContext(database, { secretKey, publicUrl: "http://127.0.0.1:3000", queue, connectors: { hubspot: settings } });
    // The API's own calls (connect, import) take from the same shared budget as the workers'.
    const app = await buildApp(ctx, process.env["SCALE_OUT_LOG"] ? { logger: { level: "error" } } : {});
    return new ScaleOut(database, database.target.url, emu, pool, queue, store, ctx, app, secretKey, options);
  }

  async workspaces(n: number, prefix = "ws"): Promise<Workspace[]> {
    const out: Workspace[] = [];
    for (let i = 0; i < n; i++) {
      const name = `${prefix}-${String(i).padStart(3, "0")}`;
      const { workspaceId, admin } = await provisionWorkspace(this.database.db, { name, adminEmail: `admin@${name}.test`, adminName: "Admin", adminPassword: "correct horse battery" });
      const token = (await issueApiToken(this.database.db, { workspaceId, name: "admin", role: "admin", createdBy: admin.id })).token;
      out.push({ id: workspaceId, name, token });
    }
    return out;
  }

  async api<T = unknown>(ws: Workspace, method: string, url: string, body?: unknown): Promise<T> {
    const res = await this.app.inject({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${ws.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return (res.body === "" ? null : res.json()) as T;
  }

  /** Connects HubSpot (private app) and imports the fields; sync stays off. */
  async setUp(ws: Workspace, token = PRIVATE_APP_TOKEN): Promise<void> {
    await this.api(ws, "POST", "/api/v1/crm/hubspot/connection/private-app", { token });
    await this.api(ws, "POST", "/api/v1/crm/hubspot/import-fields", {
      properties: [
        { object: "company", name: "annualrevenue" },
        { object: "company", name: "industry" },
        { object: "deal", name: "amount" },
      ],
    });
  }

  enable(ws: Workspace): Promise<unknown> {
    return this.api(ws, "PUT", "/api/v1/crm/hubspot/account-sync", { enabled: true });
  }

  runNow(ws: Workspace): Promise<{ queued: boolean; coalesced: boolean }> {
    return this.api(ws, "POST", "/api/v1/crm/hubspot/account-sync/run");
  }

  runs(workspaceId: string) {
    return this.database.db
      .selectFrom("sync_runs")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("kind", "=", "accounts")
      .orderBy("created_at")
      .execute();
  }

  async spawnWorker(concurrency = 2): Promise<WorkerProcess> {
    const config: WorkerEntryConfig = {
      url: this.url,
      secretKey: this.secretKey,
      hubspotBaseUrl: this.emu.url,
      budget: this.options.budget,
      concurrency,
      unlockGraceMs: this.options.unlockGraceMs ?? 2_000,
      sweepIntervalMs: this.options.sweepIntervalMs ?? 250,
    };
    const child = spawn(process.execPath, ["--import", "tsx", "test/scale-out/worker-entry.ts", JSON.stringify(config)], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const poolId = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on("line", (line) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          return;
        }
        const event = parsed as WorkerJobEvent & { ready?: boolean };
        if (event.ready) resolve(event.worker);
        else this.events.push(event);
      });
      void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    });
    const worker: WorkerProcess = { child, pid: child.pid!, poolId, exited };
    this.workers.push(worker);
    return worker;
  }

  async kill(worker: WorkerProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    worker.child.kill(signal);
    await worker.exited;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => this.kill(w, "SIGKILL")));
    await this.app.close();
    this.store.close();
    await this.pool.end();
    await this.emu.close();
    await this.database.drop();
  }
}

/** Per workspace, pairs of job intervals from the workers' events that overlap (there must be none). */
export function overlappingJobs(events: readonly WorkerJobEvent[]): { workspaceId: string; a: [number, number]; b: [number, number] }[] {
  const open = new Map<string, WorkerJobEvent>();
  const intervals = new Map<string, [number, number][]>();
  for (const e of [...events].sort((x, y) => x.at - y.at)) {
    const key = `${e.pid}:${e.jobId}`;
    if (e.kind === "start") open.set(key, e);
    else {
      const start = open.get(key);
      open.delete(key);
      if (!start || !e.workspaceId) continue;
      const list = intervals.get(e.workspaceId) ?? [];
      list.push([start.at, e.at]);
      intervals.set(e.workspaceId, list);
    }
  }
  const out: { workspaceId: string; a: [number, number]; b: [number, number] }[] = [];
  for (const [workspaceId, list] of intervals) {
    list.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < list.length; i++) if (list[i]![0] < list[i - 1]![1]) out.push({ workspaceId, a: list[i - 1]!, b: list[i]! });
  }
  return out;
}
