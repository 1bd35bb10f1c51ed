// node --import tsx bench/scale-out.ts [--workspaces 100] [--customers 1000] [--workers 1,2,4] [--concurrency 2]
//
// Scale-out throughput: W workspaces x C customers synced (first full account sync each) by 1, 2
// and 4 `crmsync worker` processes sharing the work through graphile-worker on PostgreSQL, against
// the HubSpot emulator with its rate limits on. Each workspace connects its own private app (its
// own portal budget, as separate customers' HubSpot accounts are), so the figures show crmsync's
// and PostgreSQL's throughput rather than one portal's limit. Every configuration starts from a
// fresh database with the same data. Prints a Markdown table (docs/benchmarks.md, "Scale-out").
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { insertCustomers, uniquelyMatchableCompanies } from "../test/support/hubspot.ts";
import { ScaleOut, sleep, waitFor, type Workspace } from "../test/scale-out/fixture.ts";

const { values: args } = parseArgs({
  options: {
    workspaces: { type: "string", default: "100" },
    customers: { type: "string", default: "1000" },
    workers: { type: "string", default: "1,2,4" },
    concurrency: { type: "string", default: "2" },
    companies: { type: "string", default: "1000" },
  },
});
const workspaceCount = Number(args.workspaces);
const customerCount = Number(args.customers);
const workerCounts = args.workers.split(",").map(Number);
const concurrency = Number(args.concurrency);
const companies = Number(args.companies);

interface Result {
  workers: number;
  wallMs: number;
  runs: number;
  failedRuns: number;
  customers: number;
  linked: number;
  crmCalls: number;
  rateLimited: number;
  meanRunMs: number;
  p95RunMs: number;
  perProcess: number[];
}

const finalStatuses = ["succeeded", "partial", "failed", "cancelled"] as const;

async function measure(workers: number): Promise<Result> {
  const s = await ScaleOut.start({
    emulator: { seed: 17, companies, deals: companies, contacts: 0, rateLimits: true },
    budget: { reservedShare: 0.1 },
  });
  try {
    const setupStarted = performance.now();
    const workspaces = await s.workspaces(workspaceCount, "bench");
    const matches = uniquelyMatchableCompanies(s.emu.store);
    const matched = Math.min(matches.length, Math.round(customerCount * 0.7));
    const customers = [
      ...matches.slice(0, matched).map((m, i) => ({ name: `M${i}`, domains: [m.domain] })),
      ...Array.from({ length: customerCount - matched }, (_, i) => ({ name: `U${i}`, domains: [`nowhere-${i}.example.org`] })),
    ];
    // Setting up is not measured; the connect probe bypasses the budget and would meet the
    // portal-wide search limit, so the limits come on for the measured part only.
    s.emu.store.rateLimiter.config.enabled = false;
    for (let i = 0; i < workspaces.length; i += 4) {
      await Promise.all(
        workspaces.slice(i, i + 4).map(async (ws: Workspace) => {
          const token = `pat-bench-${ws.name}`;
          s.emu.store.auth.addPrivateAppToken(token);
          await s.setUp(ws, token);
          await insertCustomers(s.database.db, ws.id, customers);
        }),
      );
    }
    console.error(`  ${workers} worker(s): set up ${workspaceCount} workspaces x ${customerCount} customers in ${Math.round((performance.now() - setupStarted) / 1000)} s`);
    await Promise.all(Array.from({ length: workers }, () => s.spawnWorker(concurrency)));
    await sleep(500);
    s.emu.store.rateLimiter.config.enabled = true;
    s.emu.store.rateLimiter.resetWindows();
    s.emu.store.counters.reset();

    const started = performance.now();
    for (const ws of workspaces) await s.enable(ws);
    await waitFor(
      "every run to finish",
      async () => {
        if ((await s.queue.listJobs({ limit: 1 })).length > 0) return undefined;
        const open = await s.database.db.selectFrom("sync_runs").select("id").where("kind", "=", "accounts").where("status", "not in", finalStatuses).limit(1).execute();
        const count = await s.database.db.selectFrom("sync_runs").select(s.database.db.fn.countAll<number>().as("n")).where("kind", "=", "accounts").executeTakeFirstOrThrow();
        return open.length === 0 && count.n >= workspaceCount ? true : undefined;
      },
      30 * 60_000,
      200,
    );
    const wallMs = performance.now() - started;
    const runs = await s.database.db.selectFrom("sync_runs").select(["status", "started_at", "finished_at", "records_linked"]).where("kind", "=", "accounts").execute();
    const durations = runs.map((r) => Date.parse(r.finished_at!) - Date.parse(r.started_at!)).sort((a, b) => a - b);
    const counters = s.emu.store.counters.snapshot();
    const perPid = new Map<number, number>();
    for (const e of s.events) if (e.kind === "end" && e.outcome === "done") perPid.set(e.pid, (perPid.get(e.pid) ?? 0) + 1);
    return {
      workers,
      wallMs,
      runs: runs.length,
      failedRuns: runs.filter((r) => r.status !== "succeeded").length,
      customers: workspaceCount * customerCount,
      linked: runs.reduce((a, r) => a + r.records_linked, 0),
      crmCalls: counters.total,
      rateLimited: counters.statuses["429"] ?? 0,
      meanRunMs: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length),
      p95RunMs: durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.95))] ?? 0,
      perProcess: [...perPid.values()].sort((a, b) => b - a),
    };
  } finally {
    await s.close();
  }
}

const results: Result[] = [];
console.error(`scale-out bench: ${workspaceCount} workspaces x ${customerCount} customers, ${companies} companies and deals, workers ${workerCounts.join("/")} (concurrency ${concurrency} each), ${cpus().length} cores`);
for (const n of workerCounts) {
  const r = await measure(n);
  results.push(r);
  console.error(`  ${n} worker(s): ${(r.wallMs / 1000).toFixed(1)} s, ${r.runs} runs, ${r.crmCalls} CRM calls, ${r.rateLimited} 429s`);
}

const base = results[0]!;
const rows = results.map(
  (r) =>
    `| ${r.workers} | ${(r.wallMs / 1000).toFixed(1)} s | ${((r.runs / r.wallMs) * 60_000).toFixed(0)} | ${Math.round((r.customers / r.wallMs) * 1000).toLocaleString("en-US")} | ${(base.wallMs / r.wallMs).toFixed(2)}x | ${r.crmCalls.toLocaleString("en-US")} (${(r.crmCalls / r.runs).toFixed(1)}/run) | ${r.rateLimited} | ${(r.meanRunMs / 1000).toFixed(2)} s / ${(r.p95RunMs / 1000).toFixed(2)} s | ${r.perProcess.join(" / ")} | ${r.failedRuns} |`,
);
console.log(
  [
    `${workspaceCount} workspaces x ${customerCount.toLocaleString("en-US")} customers (${companies.toLocaleString("en-US")} companies and deals each), first full account sync of every workspace; worker concurrency ${concurrency}; ${cpus().length} cores, PostgreSQL, emulator and workers on one machine.`,
    "",
    "| workers | wall time | runs/min | customers/s | speed-up | CRM calls | 429s | run mean / p95 | runs per process | failed runs |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n"),
);
