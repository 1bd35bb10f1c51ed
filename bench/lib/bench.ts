// The benchmark as a library: start the emulator, set up the workspace, run the scenarios in
// processes of their own, and gather what each cost. bench/run.ts prints and saves it;
// bench/bench.int.test.ts checks the efficiency claim on the small size.
import { cpus, loadavg, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import type { CounterSnapshot } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import type { NaiveResult } from "../naive-baseline.ts";
import type { AccountSyncResult } from "../scenarios/account-sync.ts";
import { confirmTwoWay, configureInbound, contactChangeShare, editLocalContacts, type ContactSyncResult } from "../scenarios/contact-sync.ts";
import type { ManualLinkResult } from "../scenarios/manual-link.ts";
import type { ReadResult } from "../scenarios/read-companies.ts";
import { int } from "./format.ts";
import { startEmulatorInProcess, startEmulatorProcess, type EmulatorHandle } from "./emulator-handle.ts";
import { splitCalls, timeAtLimits, type CallSplit, type TimeAtLimits } from "./limits.ts";
import { runScenarioInProcess, runScenarioProcess, type ScenarioAnswer, type ScenarioRequest } from "./scenarios.ts";
import { setUpBench, type CustomerCounts } from "./setup.ts";
import type { WorkTimes } from "./timing.ts";
import type { TestDatabase } from "../../test/support/databases.ts";
import { benchSeed, sizes, type SizeName } from "./sizes.ts";

export const scenarioNames = ["full", "incremental", "manual-link", "naive", "read", "contacts", "contacts-incremental", "reconcile"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** Scenarios that need another's state first: it runs before them even when not asked for. */
export const scenarioNeeds: Partial<Record<ScenarioName, ScenarioName>> = { incremental: "full", "contacts-incremental": "contacts", reconcile: "contacts" };

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

export interface RunRates {
  recordsPerSecond: number;
  /** Records over the event loop's busy time: crmsync's own processing rate, the emulator's speed aside. */
  localRecordsPerSecond: number;
  /** Records over the process's CPU time: the same, unaffected by other processes on the machine. */
  cpuRecordsPerSecond: number;
}

export interface FullReport extends Measured<AccountSyncResult>, RunRates {
  lowerBound: number;
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

/** Records per second count the contacts the run read (the engine's own count). */
export interface ContactRunReport extends Measured<ContactSyncResult>, RunRates {
  lowerBound: number;
}

export interface ContactsReport {
  /** The HubSpot list the runs read: every live contact of the portal. */
  list: { listId: string; members: number };
  full?: ContactRunReport;
  incremental?: ContactRunReport & {
    /** Contacts changed in HubSpot before the run. */
    changed: number;
    /** Calls as a share of the full inbound run's. */
    shareOfFull: number | null;
  };
  /** The first reconcile after two-way was confirmed: a full pass. */
  firstReconcile?: ContactRunReport;
  /** A nightly reconcile after a day's edits on both sides. */
  nightlyReconcile?: ContactRunReport & { changed: { crm: number; local: number; created: number } };
}

/**
 * Lower bounds of contact sync's CRM calls, for a list source (docs/benchmarks.md gives the
 * reasoning). Every run first checks the mapped properties exist (1 call) and the list exists
 * (1); HubSpot has no "members changed since", so every run reads the whole membership, 250 ids
 * a page.
 */
export const contactBounds = {
  check: 2,
  membership: (members: number) => Math.ceil(members / 250),
  /** Every member read by id, 100 a batch. */
  full: (members: number) => contactBounds.check + contactBounds.membership(members) + Math.ceil(members / 100),
  /** The changed contacts found by search, 200 a page. */
  incremental: (members: number, changed: number) => contactBounds.check + contactBounds.membership(members) + Math.ceil(changed / 200),
  /**
   * A reconcile after a day: HubSpot's changes by search; crmsync's changes sent in batch updates
   * of 100 (the search already says which of them HubSpot changed too); crmsync's new contacts
   * looked up by email (to link rather than duplicate) and created, 100 a batch each.
   */
  nightly: (members: number, changed: { crm: number; local: number; created: number }) =>
    contactBounds.incremental(members, changed.crm) + Math.ceil(changed.local / 100) + 2 * Math.ceil(changed.created / 100),
};

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
    contacts?: ContactsReport;
  };
}

export interface BenchOptions {
  size: SizeName;
  dialect: Dialect;
  /** Which scenarios to run; one that needs another (scenarioNeeds) brings it along. */
  scenarios: readonly ScenarioName[];
  /** Customers the naive baseline searches for; null for all. */
  naiveSample?: number | null | undefined;
  manualLinks?: number | undefined;
  /** Contacts the emulator generates instead of the size's (the contact scenarios at another scale). */
  contacts?: number | undefined;
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
  const size = { ...sizes[options.size], ...(options.contacts === undefined ? {} : { contacts: options.contacts }) };
  const wanted = new Set(options.scenarios);
  for (const name of options.scenarios) {
    const needed = scenarioNeeds[name];
    if (needed) wanted.add(needed);
  }
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
  };

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
    if (wanted.has("full")) {
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
    if (wanted.has("contacts")) {
      const db = setup.database.db;
      const ws = env.workspaceId;
      const list = await emu.contactList();
      await configureInbound(db, ws, list.listId);
      const contacts: ContactsReport = { list };
      report.scenarios.contacts = contacts;
      const contactRun = async (label: string, run: "contacts" | "reconcile", full: boolean, lowerBound: number): Promise<ContactRunReport> => {
        const { answer, counters } = await measured<ContactSyncResult>(label, { kind: "contact-sync", env, run, full });
        return contactReport(answer, counters, lowerBound);
      };
      /** HubSpot's changes, then a wait until crmsync's clock has passed them (the emulator's clock runs a little ahead: each change moves it by 1 ms). */
      const changeInHubSpot = async (offset: number): Promise<number> => {
        const changed = await emu.mutateContacts(contactChangeShare, offset);
        await waitUntil(changed.lastChangeMs + 1);
        return changed.contacts;
      };
      const members = list.members;
      contacts.full = await contactRun(`full inbound contact sync (list of ${int(members)})`, "contacts", true, contactBounds.full(members));
      if (wanted.has("contacts-incremental")) {
        const changed = await changeInHubSpot(0.5);
        const base = await contactRun(`incremental inbound contact sync (${int(changed)} changed in HubSpot)`, "contacts", false, contactBounds.incremental(members, changed));
        contacts.incremental = { ...base, changed, shareOfFull: base.calls.total / Math.max(1, contacts.full.calls.total) };
      }
      if (wanted.has("reconcile")) {
        await confirmTwoWay(db, ws);
        contacts.firstReconcile = await contactRun("first two-way reconcile (full pass)", "reconcile", true, contactBounds.full(members));
        const crm = await changeInHubSpot(0.25);
        const local = await editLocalContacts(db, ws, { share: contactChangeShare, offset: 0.75, created: Math.round(members * contactChangeShare) });
        const changed = { crm, local: local.changed, created: local.created };
        const base = await contactRun(
          `nightly reconcile (${int(crm)} changed in HubSpot, ${int(local.changed)} changed and ${int(local.created)} new in crmsync)`,
          "reconcile",
          false,
          contactBounds.nightly(members, changed),
        );
        contacts.nightlyReconcile = { ...base, changed };
      }
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

async function waitUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function rates(records: number, times: WorkTimes): RunRates {
  return {
    recordsPerSecond: records / (Math.max(1, times.wallMs) / 1000),
    localRecordsPerSecond: records / (Math.max(1, times.busyMs) / 1000),
    cpuRecordsPerSecond: records / (Math.max(1, times.cpuMs) / 1000),
  };
}

/** A run's calls against its bound, with its records per second of wall, busy and CPU time. */
function runReport<T extends WorkTimes>(answer: ScenarioAnswer<T>, counters: CounterSnapshot, lowerBound: number, records: number): Measured<T> & RunRates & { lowerBound: number } {
  return {
    calls: toCalls(counters),
    lowerBound,
    ...rates(records, answer.result),
    peakRssBytes: answer.maxRssBytes,
    baselineRssBytes: answer.baselineRssBytes,
    details: answer.result,
  };
}

function accountReport(answer: ScenarioAnswer<AccountSyncResult>, counters: CounterSnapshot, lowerBound: number): FullReport {
  return runReport(answer, counters, lowerBound, answer.result.read.companies + answer.result.read.deals);
}

function contactReport(answer: ScenarioAnswer<ContactSyncResult>, counters: CounterSnapshot, lowerBound: number): ContactRunReport {
  return runReport(answer, counters, lowerBound, answer.result.runCounts.read);
}
