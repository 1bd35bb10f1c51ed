// The benchmark as a library: start the emulator, set up the workspace, run the scenarios in
// processes of their own, and gather what each cost. bench/run.ts prints and saves it;
// bench/bench.int.test.ts checks the efficiency claim on the small size.
import { cpus, loadavg, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import type { CounterSnapshot } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import type { NaiveResult } from "../naive-baseline.ts";
import type { AccountSyncResult } from "../scenarios/account-sync.ts";
import type { ManualLinkResult } from "../scenarios/manual-link.ts";
import type { ReadResult } from "../scenarios/read-companies.ts";
import { startEmulatorInProcess, startEmulatorProcess, type EmulatorHandle } from "./emulator-handle.ts";
import { splitCalls, timeAtLimits, type CallSplit, type TimeAtLimits } from "./limits.ts";
import { runScenarioInProcess, runScenarioProcess, type ScenarioAnswer, type ScenarioRequest } from "./scenarios.ts";
import { setUpBench, type CustomerCounts } from "./setup.ts";
import type { TestDatabase } from "../../test/support/databases.ts";
import { benchSeed, sizes, type SizeName } from "./sizes.ts";

export const scenarioNames = ["full", "incremental", "manual-link", "naive", "read", "contacts"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(value: string): value is ScenarioName {
  return (scenarioNames as readonly string[]).includes(value);
}

export interface Calls extends CallSplit {
  byEndpoint: Record<string, number>;
  timeAtLimits: TimeAtLimits;
}

export interface Measured<T> {
  calls: Calls;
  peakRssBytes: number;
  baselineRssBytes: number;
  details: T;
}

export interface FullReport extends Measured<AccountSyncResult> {
  lowerBound: number;
  recordsPerSecond: number;
  /** Records over the event loop's busy time: crmsync's own processing rate, the emulator's speed aside. */
  localRecordsPerSecond: number;
  /** Records over the process's CPU time: the same, unaffected by other processes on the machine. */
  cpuRecordsPerSecond: number;
}

export interface IncrementalReport extends FullReport {
  changed: { companies: number; deals: number };
  /** Calls as a share of the full run's. */
  shareOfFull: number | null;
}

export interface ManualLinkReport extends Measured<ManualLinkResult> {
  lowerBoundPerLink: number;
  callsPerLink: number;
}

export interface NaiveReport extends Measured<NaiveResult> {
  /** Sampled runs scale their calls to every customer with a domain; 1 when not sampled. */
  scale: number;
  scaledCalls: Calls;
  scaledWallMs: number;
}

export interface ReadReport {
  sdk: Measured<ReadResult>;
  crmsync: Measured<ReadResult>;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /**
   * One-minute load average sampled every 5 s during the run (mean and max). Above the number
   * of cores, other processes competed for the CPU and wall times are inflated.
   */
  load?: { mean: number; max: number } | undefined;
}

export interface BenchReport {
  size: SizeName;
  dialect: Dialect;
  seed: number;
  machine: Machine;
  startedAt: string;
  totalSeconds: number;
  portal: { companies: number; deals: number; contacts: number; emulatorStartMs: number };
  customers: CustomerCounts & { insertMs: number };
  scenarios: {
    full?: FullReport;
    incremental?: IncrementalReport;
    manualLink?: ManualLinkReport;
    naive?: NaiveReport;
    read?: ReadReport;
  };
  /** Scenarios that cannot run yet, with the reason. */
  unavailable: Record<string, string>;
}

export interface BenchOptions {
  size: SizeName;
  dialect: Dialect;
  /** Which scenarios to run; incremental brings a full run before it. */
  scenarios: readonly ScenarioName[];
  /** Customers the naive baseline searches for; null for all. */
  naiveSample?: number | null | undefined;
  manualLinks?: number | undefined;
  /**
   * Emulator and scenarios in this process (the test): faster to start, but peak RSS is then
   * the whole process's, emulator included.
   */
  inProcess?: boolean | undefined;
  /** Directory for --cpu-prof output of the scenario processes. */
  cpuProf?: string | undefined;
  log?: (line: string) => void;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

function toCalls(snapshot: CounterSnapshot, scale = 1): Calls {
  const byEndpoint: Record<string, number> = {};
  for (const [endpoint, n] of Object.entries(snapshot.endpoints)) byEndpoint[endpoint] = Math.round(n * scale);
  return { ...splitCalls(byEndpoint), byEndpoint, timeAtLimits: timeAtLimits(byEndpoint) };
}

/** The default sample for the naive baseline: the emulator's search scans every company, so a search costs milliseconds per thousand companies. */
export function defaultNaiveSample(size: SizeName): number | null {
  return size === "large" ? 2_000 : null;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const size = sizes[options.size];
  const wanted = new Set(options.scenarios);
  const began = performance.now();
  const loads: number[] = [loadavg()[0] ?? 0];
  const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 5_000);
  sampler.unref();
  const report: BenchReport = {
    size: options.size,
    dialect: options.dialect,
    seed: benchSeed,
    machine: machine(),
    startedAt: new Date().toISOString(),
    totalSeconds: 0,
    portal: { companies: 0, deals: 0, contacts: 0, emulatorStartMs: 0 },
    customers: { total: 0, unique: 0, ambiguous: 0, noDomain: 0, unmatched: 0, insertMs: 0 },
    scenarios: {},
    unavailable: {},
  };
  if (wanted.has("contacts")) {
    report.unavailable["contacts"] = "not available yet: no contact-sync scenario in the benchmark yet (the emulator already generates the contacts)";
  }

  log(`starting the emulator (${size.companies.toLocaleString("en-US")} companies, ${size.deals.toLocaleString("en-US")} deals, ${size.contacts.toLocaleString("en-US")} contacts)`);
  let database: TestDatabase | undefined;
  const portalSizes = { seed: benchSeed, companies: size.companies, deals: size.deals, contacts: size.contacts };
  const emu: EmulatorHandle = options.inProcess ? await startEmulatorInProcess(portalSizes) : await startEmulatorProcess(portalSizes);
  try {
    report.portal = { companies: emu.stats["companies"] ?? 0, deals: emu.stats["deals"] ?? 0, contacts: emu.stats["contacts"] ?? 0, emulatorStartMs: Math.round(emu.startMs) };
    const catalog = await emu.catalog();
    log(`setting up the workspace and ${size.customers.toLocaleString("en-US")} customers (${options.dialect})`);
    const setup = await setUpBench({ dialect: options.dialect, customers: size.customers, catalog, emulatorUrl: emu.url, token: emu.token });
    report.customers = { ...setup.customers, insertMs: Math.round(setup.insertMs) };
    database = setup.database;
    const env = setup.env;

    async function measured<T>(label: string, request: ScenarioRequest): Promise<{ answer: ScenarioAnswer<T>; counters: CounterSnapshot }> {
      await emu.resetCounters();
      const t0 = performance.now();
      log(`${label} ...`);
      const answer = options.inProcess ? await runScenarioInProcess<T>(request) : await runScenarioProcess<T>(request, { cpuProf: options.cpuProf });
      const counters = await emu.counters();
      log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${counters.total.toLocaleString("en-US")} calls`);
      return { answer, counters };
    }

    const fullLowerBound = Math.ceil(report.portal.companies / 100) + Math.ceil(report.portal.deals / 100);
    if (wanted.has("full") || wanted.has("incremental")) {
      const { answer, counters } = await measured<AccountSyncResult>("full account sync", { kind: "account-sync", env, full: true });
      report.scenarios.full = accountReport(answer, counters, fullLowerBound);
    }
    if (wanted.has("incremental")) {
      const changed = await emu.mutate(0.01);
      const { answer, counters } = await measured<AccountSyncResult>(`incremental account sync (${changed.companies} companies, ${changed.deals} deals changed)`, {
        kind: "account-sync",
        env,
        full: false,
      });
      // A perfect incremental: the changed records in search pages of 200, and the changed deals' companies in association batches of 1,000.
      const lowerBound = Math.ceil(changed.companies / 200) + Math.ceil(changed.deals / 200) + Math.ceil(changed.deals / 1_000);
      const base = accountReport(answer, counters, lowerBound);
      const fullCalls = report.scenarios.full?.calls.total;
      report.scenarios.incremental = { ...base, changed, shareOfFull: fullCalls ? base.calls.total / fullCalls : null };
    }
    if (wanted.has("manual-link")) {
      const links = options.manualLinks ?? 200;
      const warmup = 10;
      const { answer, counters } = await measured<ManualLinkResult>(`Save & Sync ×${links}`, {
        kind: "manual-link",
        env,
        options: { links, warmup, companyIds: catalog.companiesWithDeals },
      });
      const calls = toCalls(counters);
      report.scenarios.manualLink = {
        calls,
        peakRssBytes: answer.maxRssBytes,
        baselineRssBytes: answer.baselineRssBytes,
        details: answer.result,
        // One GET of the company with its deal associations, one batch read of its deals.
        lowerBoundPerLink: 2,
        callsPerLink: calls.total / (links + warmup),
      };
    }
    if (wanted.has("naive")) {
      const sample = options.naiveSample === undefined ? defaultNaiveSample(options.size) : options.naiveSample;
      const { answer, counters } = await measured<NaiveResult>(`naive baseline${sample === null ? "" : ` (sample of ${sample.toLocaleString("en-US")} customers)`}`, { kind: "naive", env, sample });
      const scale = answer.result.customersWithDomains / Math.max(1, answer.result.sampled);
      report.scenarios.naive = {
        calls: toCalls(counters),
        scaledCalls: toCalls(counters, scale),
        scale,
        scaledWallMs: answer.result.wallMs * scale,
        peakRssBytes: answer.maxRssBytes,
        baselineRssBytes: answer.baselineRssBytes,
        details: answer.result,
      };
    }
    if (wanted.has("read")) {
      const read = async (reader: "sdk" | "crmsync"): Promise<Measured<ReadResult>> => {
        const { answer, counters } = await measured<ReadResult>(`read all companies with ${reader === "sdk" ? "the SDK's getAll()" : "crmsync's listObjects()"}`, { kind: "read", env, reader });
        return { calls: toCalls(counters), peakRssBytes: answer.maxRssBytes, baselineRssBytes: answer.baselineRssBytes, details: answer.result };
      };
      report.scenarios.read = { sdk: await read("sdk"), crmsync: await read("crmsync") };
    }
  } finally {
    await database?.drop().catch(() => undefined);
    await emu.close();
  }
  clearInterval(sampler);
  report.machine.load = { mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) };
  report.totalSeconds = (performance.now() - began) / 1000;
  return report;
}

function accountReport(answer: ScenarioAnswer<AccountSyncResult>, counters: CounterSnapshot, lowerBound: number): FullReport {
  const r = answer.result;
  const records = r.read.companies + r.read.deals;
  return {
    calls: toCalls(counters),
    lowerBound,
    recordsPerSecond: records / (r.wallMs / 1000),
    localRecordsPerSecond: records / (Math.max(1, r.busyMs) / 1000),
    cpuRecordsPerSecond: records / (Math.max(1, r.cpuMs) / 1000),
    peakRssBytes: answer.maxRssBytes,
    baselineRssBytes: answer.baselineRssBytes,
    details: r,
  };
}
