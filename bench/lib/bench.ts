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
import { digestLinks, type SdkProgramResult } from "../sdk-program.ts";
import { int } from "./format.ts";
import { startEmulatorInProcess, startEmulatorProcess, type EmulatorHandle } from "./emulator-handle.ts";
import { productionBudget, shareFloorSeconds, splitCalls, timeAtLimits, type CallSplit, type TimeAtLimits } from "./limits.ts";
import { runScenarioInProcess, runScenarioProcess, type ScenarioAnswer, type ScenarioRequest } from "./scenarios.ts";
import { setUpBench, type BenchSetup, type CustomerCounts } from "./setup.ts";
import type { WorkTimes } from "./timing.ts";
import { benchSeed, sizes, type SizeName } from "./sizes.ts";

export const scenarioNames = ["full", "incremental", "manual-link", "naive", "sdk-program", "at-limits", "read", "contacts", "contacts-incremental", "reconcile"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** Scenarios that need another's state first: it runs before them even when not asked for. */
export const scenarioNeeds: Partial<Record<ScenarioName, ScenarioName>> = { incremental: "full", "sdk-program": "full", "contacts-incremental": "contacts", reconcile: "contacts" };

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
 * (1). A full pass reads the whole membership in join order, 250 ids a page; an incremental one
 * reads from the last page the previous pass read (1 page, plus the members who joined since,
 * none in the benchmark).
 */
export const contactBounds = {
  check: 2,
  membership: (members: number) => Math.ceil(members / 250),
  /** Every member read by id, 100 a batch. */
  full: (members: number) => contactBounds.check + contactBounds.membership(members) + Math.ceil(members / 100),
  /** The membership's last page, then the changed contacts found by search, 200 a page. */
  incremental: (changed: number) => contactBounds.check + 1 + Math.ceil(changed / 200),
  /**
   * A reconcile after a day: HubSpot's changes by search; crmsync's changes sent in batch updates
   * of 100 (the search already says which of them HubSpot changed too); crmsync's new contacts
   * looked up by email (to link rather than duplicate) and created, 100 a batch each.
   */
  nightly: (changed: { crm: number; local: number; created: number }) =>
    contactBounds.incremental(changed.crm) + Math.ceil(changed.local / 100) + 2 * Math.ceil(changed.created / 100),
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
  /** Set when the run measured several databases side by side, interleaved scenario by scenario. */
  sideBySide?: { dialects: Dialect[]; startedAt: string };
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
    sdkProgram?: SdkProgramReport;
    atLimits?: AtLimitsReport;
    contacts?: ContactsReport;
  };
}

/** A full account sync against the emulator with HubSpot's limits on, crmsync's budget as in production. */
export interface AtLimitsReport extends Measured<AccountSyncResult> {
  /** The calls at the share of the limit crmsync may use (limits.ts shareFloorSeconds). */
  floorSeconds: number;
  tooManyRequests: number;
  budget: typeof productionBudget;
}

/** The plain SDK program beside crmsync's full run of the same portal and customers. */
export interface SdkProgramReport extends Measured<SdkProgramResult> {
  /** Its links are crmsync's (same customers, companies and deals). */
  linksEqual: boolean;
  crmsyncLinks: number;
}

export interface BenchOptions {
  size: SizeName;
  /** One report per database, the scenarios run on each in turn (side by side). */
  dialects: readonly Dialect[];
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
  return size === "large" || size === "1m" ? 2_000 : null;
}

/**
 * One database's side of a run: its own emulator (the same seed, so the same portal: the
 * contact scenarios write to HubSpot, so two databases cannot share one), its workspace and its
 * report. Scenarios run lane after lane, so the databases are measured side by side under the
 * same load rather than minutes apart.
 */
interface Lane {
  dialect: Dialect;
  emu: EmulatorHandle;
  setup: BenchSetup;
  report: BenchReport;
}

/** Runs the benchmark on each of `options.dialects`, interleaved; the reports in that order. */
export async function runBench(options: BenchOptions): Promise<BenchReport[]> {
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
  const startedAt = new Date().toISOString();
  const lanes: Lane[] = [];
  const sideBySide = options.dialects.length > 1 ? { dialects: [...options.dialects], startedAt } : undefined;

  try {
    for (const dialect of options.dialects) {
      log(`starting an emulator (${int(size.companies)} companies, ${int(size.deals)} deals, ${int(size.contacts)} contacts)`);
      const portalSizes = { seed: benchSeed, companies: size.companies, deals: size.deals, contacts: size.contacts };
      const emu: EmulatorHandle = options.inProcess ? await startEmulatorInProcess(portalSizes) : await startEmulatorProcess(portalSizes);
      try {
        const catalog = await emu.catalog();
        log(`setting up the workspace and ${int(size.customers)} customers (${dialect})`);
        const setup = await setUpBench({ dialect, customers: size.customers, catalog, emulatorUrl: emu.url, token: emu.token });
        const report: BenchReport = {
          size: options.size,
          dialect,
          seed: benchSeed,
          machine: machine(),
          startedAt,
          totalSeconds: 0,
          portal: { companies: emu.stats["companies"] ?? 0, deals: emu.stats["deals"] ?? 0, contacts: emu.stats["contacts"] ?? 0, emulatorStartMs: Math.round(emu.startMs) },
          customers: { ...setup.customers, insertMs: Math.round(setup.insertMs) },
          ...(sideBySide ? { sideBySide } : {}),
          scenarios: {},
        };
        lanes.push({ dialect, emu, setup, report });
      } catch (error) {
        await emu.close();
        throw error;
      }
    }
    // Scenarios that do not depend on crmsync's database run once, in the first lane.
    const first = lanes[0]!;
    for (const step of scenarioSteps) {
      if (!step.when(wanted)) continue;
      for (const lane of step.once ? [first] : lanes) await step.run(lane, { options, wanted, log });
    }
  } finally {
    for (const lane of lanes) {
      await lane.setup.database.drop().catch(() => undefined);
      await lane.emu.close();
    }
  }
  clearInterval(sampler);
  const load = { mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) };
  const totalSeconds = (performance.now() - began) / 1000;
  for (const lane of lanes) {
    lane.report.machine.load = load;
    lane.report.totalSeconds = totalSeconds;
  }
  return lanes.map((lane) => lane.report);
}

interface StepContext {
  options: BenchOptions;
  wanted: Set<ScenarioName>;
  log: (line: string) => void;
}

/** A scenario (or a group that shares set-up), run in each lane in turn, or `once`. */
interface Step {
  when: (wanted: Set<ScenarioName>) => boolean;
  once?: boolean;
  run: (lane: Lane, context: StepContext) => Promise<void>;
}

async function measured<T>(lane: Lane, context: StepContext, label: string, request: ScenarioRequest): Promise<{ answer: ScenarioAnswer<T>; counters: CounterSnapshot }> {
  const { options, log } = context;
  await lane.emu.resetCounters();
  const t0 = performance.now();
  const name = options.dialects.length > 1 ? `${label} [${lane.dialect}]` : label;
  log(`${name} ...`);
  const answer = options.inProcess ? await runScenarioInProcess<T>(request) : await runScenarioProcess<T>(request, { cpuProf: options.cpuProf });
  const counters = await lane.emu.counters();
  log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${int(counters.total)} calls`);
  return { answer, counters };
}

const scenarioSteps: Step[] = [
  {
    when: (w) => w.has("full"),
    async run(lane, context) {
      const { answer, counters } = await measured<AccountSyncResult>(lane, context, "full account sync", { kind: "account-sync", env: lane.setup.env, full: true });
      lane.report.scenarios.full = accountReport(answer, counters, Math.ceil(lane.report.portal.companies / 100) + Math.ceil(lane.report.portal.deals / 100));
    },
  },
  {
    // After the full run and before any edit, in the first lane: its links are compared with crmsync's there.
    when: (w) => w.has("sdk-program"),
    once: true,
    async run(lane, context) {
      const { answer, counters } = await measured<SdkProgramResult>(lane, context, "plain SDK program (getAll, in-memory match, one SQLite transaction)", { kind: "sdk-program", env: lane.setup.env });
      const rows = await lane.setup.database.db
        .selectFrom("customers")
        .select(["id", "crm_company_id", "crm_deal_id"])
        .where("workspace_id", "=", lane.setup.env.workspaceId)
        .where("crm_link_source", "=", "auto")
        .execute();
      const crmsync = rows.map((r) => ({ customerId: r.id, companyId: r.crm_company_id!, dealId: r.crm_deal_id }));
      lane.report.scenarios.sdkProgram = {
        calls: toCalls(counters),
        peakRssBytes: answer.maxRssBytes,
        baselineRssBytes: answer.baselineRssBytes,
        details: answer.result,
        linksEqual: digestLinks(crmsync) === answer.result.linksDigest,
        crmsyncLinks: crmsync.length,
      };
    },
  },
  {
    when: (w) => w.has("incremental"),
    async run(lane, context) {
      const changed = await lane.emu.mutate(0.01);
      const { answer, counters } = await measured<AccountSyncResult>(lane, context, `incremental account sync (${changed.companies} companies, ${changed.deals} deals changed)`, {
        kind: "account-sync",
        env: lane.setup.env,
        full: false,
      });
      // A perfect incremental: the changed records in search pages of 200, and the changed deals' companies in association batches of 1,000.
      const lowerBound = Math.ceil(changed.companies / 200) + Math.ceil(changed.deals / 200) + Math.ceil(changed.deals / 1_000);
      const base = accountReport(answer, counters, lowerBound);
      const fullCalls = lane.report.scenarios.full?.calls.total;
      lane.report.scenarios.incremental = { ...base, changed, shareOfFull: fullCalls ? base.calls.total / fullCalls : null };
    },
  },
  {
    when: (w) => w.has("manual-link"),
    async run(lane, context) {
      const links = context.options.manualLinks ?? 200;
      const warmup = 10;
      const companyIds = (await lane.emu.catalog()).companiesWithDeals;
      const { answer, counters } = await measured<ManualLinkResult>(lane, context, `Save & Sync ×${links}`, { kind: "manual-link", env: lane.setup.env, options: { links, warmup, companyIds } });
      const calls = toCalls(counters);
      lane.report.scenarios.manualLink = {
        calls,
        peakRssBytes: answer.maxRssBytes,
        baselineRssBytes: answer.baselineRssBytes,
        details: answer.result,
        // One GET of the company with its deal associations, one batch read of its deals.
        lowerBoundPerLink: 2,
        callsPerLink: calls.total / (links + warmup),
      };
    },
  },
  {
    when: (w) => w.has("naive"),
    once: true,
    async run(lane, context) {
      const configured = context.options.naiveSample;
      const sample = configured === undefined ? defaultNaiveSample(context.options.size) : configured;
      const label = `naive baseline${sample === null ? "" : ` (sample of ${int(sample)} customers)`}`;
      const { answer, counters } = await measured<NaiveResult>(lane, context, label, { kind: "naive", env: lane.setup.env, sample });
      const scale = answer.result.customersWithDomains / Math.max(1, answer.result.sampled);
      lane.report.scenarios.naive = {
        calls: toCalls(counters),
        scaledCalls: toCalls(counters, scale),
        scale,
        scaledWallMs: answer.result.wallMs * scale,
        peakRssBytes: answer.maxRssBytes,
        baselineRssBytes: answer.baselineRssBytes,
        details: answer.result,
      };
    },
  },
  {
    // Measured, not computed: the emulator enforces HubSpot's limits (a private app's 100 calls
    // per 10 s, search 5 per s) and crmsync keeps to its production budget.
    when: (w) => w.has("at-limits"),
    once: true,
    async run(lane, context) {
      await lane.emu.rateLimits(true);
      try {
        const { answer, counters } = await measured<AccountSyncResult>(lane, context, "full account sync at HubSpot's limits", { kind: "account-sync", env: lane.setup.env, full: true, atLimits: true });
        lane.report.scenarios.atLimits = {
          calls: toCalls(counters),
          peakRssBytes: answer.maxRssBytes,
          baselineRssBytes: answer.baselineRssBytes,
          details: answer.result,
          floorSeconds: shareFloorSeconds(counters.endpoints, productionBudget),
          tooManyRequests: counters.statuses["429"] ?? 0,
          budget: productionBudget,
        };
      } finally {
        await lane.emu.rateLimits(false);
      }
    },
  },
  {
    when: (w) => w.has("read"),
    once: true,
    async run(lane, context) {
      const read = async (reader: "sdk" | "crmsync"): Promise<Measured<ReadResult>> => {
        const label = `read all companies with ${reader === "sdk" ? "the SDK's getAll()" : "crmsync's listObjects()"}`;
        const { answer, counters } = await measured<ReadResult>(lane, context, label, { kind: "read", env: lane.setup.env, reader });
        return { calls: toCalls(counters), peakRssBytes: answer.maxRssBytes, baselineRssBytes: answer.baselineRssBytes, details: answer.result };
      };
      lane.report.scenarios.read = { sdk: await read("sdk"), crmsync: await read("crmsync") };
    },
  },
  {
    when: (w) => w.has("contacts"),
    async run(lane, context) {
      const list = await lane.emu.contactList();
      await configureInbound(lane.setup.database.db, lane.setup.env.workspaceId, list.listId);
      const contacts: ContactsReport = { list };
      lane.report.scenarios.contacts = contacts;
      contacts.full = await contactRun(lane, context, `full inbound contact sync (list of ${int(list.members)})`, "contacts", true, contactBounds.full(list.members));
    },
  },
  {
    when: (w) => w.has("contacts-incremental"),
    async run(lane, context) {
      const contacts = lane.report.scenarios.contacts!;
      const changed = await changeContactsInHubSpot(lane, 0.5);
      const label = `incremental inbound contact sync (${int(changed)} changed in HubSpot)`;
      const base = await contactRun(lane, context, label, "contacts", false, contactBounds.incremental(changed));
      contacts.incremental = { ...base, changed, shareOfFull: base.calls.total / Math.max(1, contacts.full!.calls.total) };
    },
  },
  {
    when: (w) => w.has("reconcile"),
    async run(lane, context) {
      const contacts = lane.report.scenarios.contacts!;
      const { db } = lane.setup.database;
      const ws = lane.setup.env.workspaceId;
      const members = contacts.list.members;
      await confirmTwoWay(db, ws);
      contacts.firstReconcile = await contactRun(lane, context, "first two-way reconcile (full pass)", "reconcile", true, contactBounds.full(members));
      const crm = await changeContactsInHubSpot(lane, 0.25);
      const local = await editLocalContacts(db, ws, { share: contactChangeShare, offset: 0.75, created: Math.round(members * contactChangeShare) });
      const changed = { crm, local: local.changed, created: local.created };
      const label = `nightly reconcile (${int(crm)} changed in HubSpot, ${int(local.changed)} changed and ${int(local.created)} new in crmsync)`;
      contacts.nightlyReconcile = { ...(await contactRun(lane, context, label, "reconcile", false, contactBounds.nightly(changed))), changed };
    },
  },
];

async function contactRun(lane: Lane, context: StepContext, label: string, run: "contacts" | "reconcile", full: boolean, lowerBound: number): Promise<ContactRunReport> {
  const { answer, counters } = await measured<ContactSyncResult>(lane, context, label, { kind: "contact-sync", env: lane.setup.env, run, full });
  return contactReport(answer, counters, lowerBound);
}

/** HubSpot's changes, then a wait until crmsync's clock has passed them (the emulator's clock runs a little ahead: each change moves it by 1 ms). */
async function changeContactsInHubSpot(lane: Lane, offset: number): Promise<number> {
  const changed = await lane.emu.mutateContacts(contactChangeShare, offset);
  await waitUntil(changed.lastChangeMs + 1);
  return changed.contacts;
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
