// SIGKILL trials (issue 15, docs/decisions/0016): per database, an account-sync run is started
// in a worker process, the process is killed with SIGKILL at a random point of the run (seeded),
// a new worker process is started, and the trial survives when the workspace ends with exactly
// the links, values and CRM mirror of an uninterrupted run, the interrupted run itself finished
// (resumed, not replaced), and nothing was left running or queued longer than the bound after
// the restart. Prints survived/N per database and exits 1 if any trial failed.
//
//   npm run bench:crash [-- --trials 20] [--seed 4242] [--dialects sqlite,postgres] [--json]
//
// A failed trial can be replayed with its seed (printed). The emulator serves slow pages so a
// run lasts long enough to be killed anywhere in it.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { isDeepStrictEqual } from "node:util";
import { insertCustomers, snapshotWorkspace, uniquelyMatchableCompanies } from "../test/support/hubspot.ts";
import type { CrashDeployment, TrialWorkspace } from "./crash/deployment.ts";
import { postgresDeployment } from "./crash/postgres.ts";
import { sqliteDeployment } from "./crash/sqlite.ts";
import { prng } from "../test/support/prng.ts";

const { values: args } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string", default: String(Date.now() % 100_000) },
    dialects: { type: "string", default: "sqlite,postgres" },
    json: { type: "boolean", default: false },
  },
});
const trials = Number(args.trials);
const seed = Number(args.seed);
const dialects = args.dialects.split(",").filter(Boolean);
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed) || dialects.some((d) => d !== "sqlite" && d !== "postgres")) {
  console.error("usage: npm run bench:crash -- [--trials N] [--seed N] [--dialects sqlite,postgres] [--json]");
  process.exit(2);
}

/**
 * How long after the new worker is ready the workspace may still have a run `running` or
 * `queued`. A reclaimed run takes under 2 s here; SQLite's lease (60 s) and graphile's default
 * lock timeout (4 h) are far longer, so a restart that waited for either fails the trial.
 */
const settleBoundMs = 30_000;
const finalStatuses = new Set(["succeeded", "partial", "failed", "cancelled"]);
const emulator = { seed: 9, companies: 500, deals: 500, contacts: 0 };
const matchedCustomers = 150;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > end) return value;
    await sleep(25);
  }
}

interface TrialResult {
  survived: boolean;
  killedAt: string;
  settledMs: number | null;
  problems: string[];
}

interface DialectResult {
  dialect: string;
  survived: number;
  trials: number;
  runMs: number;
  maxSettledMs: number | null;
  killedAt: string[];
  failures: { trial: number; problems: string[] }[];
}

async function trialsOn(d: CrashDeployment, random: () => number): Promise<DialectResult> {
  const runs = (workspaceId: string) =>
    d.db.selectFrom("sync_runs").select(["id", "status", "checkpoint", "started_at", "finished_at"]).where("workspace_id", "=", workspaceId).where("kind", "=", "accounts").orderBy("created_at").execute();
  const mirror = async (workspaceId: string) => {
    const count = async (table: "crm_companies" | "crm_deals") =>
      Number((await d.db.selectFrom(table).select(d.db.fn.countAll<number>().as("n")).where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow()).n);
    return { companies: await count("crm_companies"), deals: await count("crm_deals") };
  };
  const settled = async (workspaceId: string) => {
    const all = await runs(workspaceId);
    return all.length > 0 && all.every((r) => finalStatuses.has(r.status)) && (await d.dueJobs(workspaceId)) === 0 ? true : undefined;
  };

  const [reference, ...victims] = await d.workspaces(trials + 1);
  const matches = uniquelyMatchableCompanies(d.emu.store).slice(0, matchedCustomers);
  for (const ws of [reference!, ...victims]) {
    await insertCustomers(d.db, ws.id, [
      ...matches.map((m, i) => ({ name: `M${i}`, domains: [m.domain] })),
      ...Array.from({ length: 5 }, (_, i) => ({ name: `U${i}`, domains: [`nowhere-${i}.example.org`] })),
    ]);
  }
  d.emu.store.faults.add({ endpoint: "companies.list", kind: "slow", delayMs: 80 });
  d.emu.store.faults.add({ endpoint: "deals.list", kind: "slow", delayMs: 80 });
  await d.startWorker();

  await d.enable(reference!);
  if (!(await until(120_000, () => settled(reference!.id)))) throw new Error(`${d.name}: the uninterrupted reference run did not finish`);
  const [refRun] = await runs(reference!.id);
  if (refRun?.status !== "succeeded") throw new Error(`${d.name}: the reference run ended ${refRun?.status}`);
  const runMs = Date.parse(refRun.finished_at!) - Date.parse(refRun.started_at!);
  const expected = await snapshotWorkspace(d.db, reference!.id);
  const expectedMirror = await mirror(reference!.id);

  const trial = async (ws: TrialWorkspace): Promise<TrialResult> => {
    const problems: string[] = [];
    await d.enable(ws);
    const run = await until(30_000, async () => (await runs(ws.id)).find((r) => r.status === "running"));
    if (!run) return { survived: false, killedAt: "never started", settledMs: null, problems: ["the run never started"] };
    // A point of the run as long as the reference took, counted from the run's own start (seeing
    // it running may take a while on a loaded machine).
    await sleep(Math.max(0, Date.parse(run.started_at!) + Math.floor(random() * runMs) - Date.now()));
    const atKill = (await runs(ws.id)).find((r) => r.id === run.id)!;
    await d.killWorker();
    await d.afterKill(ws);
    const phase = atKill.checkpoint ? (JSON.parse(atKill.checkpoint) as { phase: string }).phase : "start";
    const killedAt = `${atKill.status}/${phase}`;

    await d.startWorker();
    const ready = Date.now();
    const done = await until(settleBoundMs, () => settled(ws.id));
    const settledMs = done ? Date.now() - ready : null;
    const after = await runs(ws.id);
    if (!done) problems.push(`still ${after.map((r) => r.status).join(", ")} ${settleBoundMs / 1000} s after the restart`);
    if (after[0]?.id !== run.id) problems.push("the interrupted run was replaced, not resumed");
    if (after.some((r) => r.status !== "succeeded")) problems.push(`runs ended ${after.map((r) => r.status).join(", ")}`);
    // A kill after the run's last write may leave its job to start one more (incremental) run.
    if (after.length > 2) problems.push(`${after.length} runs`);
    if (!isDeepStrictEqual(await snapshotWorkspace(d.db, ws.id), expected)) problems.push("links or values differ from the uninterrupted run");
    const got = await mirror(ws.id);
    if (!isDeepStrictEqual(got, expectedMirror)) problems.push(`CRM mirror ${JSON.stringify(got)}, expected ${JSON.stringify(expectedMirror)}`);
    await d.cleanUp(ws);
    return { survived: problems.length === 0, killedAt, settledMs, problems };
  };

  const results: TrialResult[] = [];
  for (const [i, ws] of victims.entries()) {
    const result = await trial(ws);
    results.push(result);
    if (!args.json) console.log(`  ${d.name} trial ${i + 1}/${trials}: ${result.survived ? "survived" : "FAILED"} (killed at ${result.killedAt}${result.settledMs === null ? "" : `, settled ${(result.settledMs / 1000).toFixed(1)} s after the restart`})${result.problems.length ? ` — ${result.problems.join("; ")}` : ""}`);
  }
  const settledTimes = results.map((r) => r.settledMs).filter((ms): ms is number => ms !== null);
  return {
    dialect: d.name,
    survived: results.filter((r) => r.survived).length,
    trials,
    runMs,
    maxSettledMs: settledTimes.length ? Math.max(...settledTimes) : null,
    killedAt: results.map((r) => r.killedAt),
    failures: results.flatMap((r, i) => (r.survived ? [] : [{ trial: i + 1, problems: r.problems }])),
  };
}

const load = loadavg().map((n) => n.toFixed(1)).join(" ");
const report: DialectResult[] = [];
for (const dialect of dialects) {
  const deployment = dialect === "sqlite" ? await sqliteDeployment(emulator) : await postgresDeployment(emulator);
  try {
    // Each database its own sequence from the seed, so adding one does not move the other's kill points.
    report.push(await trialsOn(deployment, prng(seed + (dialect === "sqlite" ? 0 : 1))));
  } finally {
    await deployment.close();
  }
}

if (args.json) console.log(JSON.stringify({ seed, loadBefore: load, loadAfter: loadavg().map((n) => n.toFixed(1)).join(" "), settleBoundMs, report }, null, 2));
else {
  console.log(`\nSIGKILL trials (seed ${seed}; load average ${load} before, ${loadavg().map((n) => n.toFixed(1)).join(" ")} after)`);
  for (const r of report) {
    const kinds = new Map<string, number>();
    for (const k of r.killedAt) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    console.log(
      `  ${r.dialect.padEnd(8)} ${r.survived}/${r.trials} survived; a run takes ${r.runMs} ms; slowest settle after restart ${r.maxSettledMs === null ? "—" : `${(r.maxSettledMs / 1000).toFixed(1)} s`}; killed at ${[...kinds].map(([k, n]) => `${k} ×${n}`).join(", ")}`,
    );
  }
}
process.exit(report.every((r) => r.survived === r.trials) ? 0 : 1);
