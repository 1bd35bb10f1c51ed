// Databases measured side by side in one run (`--dialect sqlite,postgres`): each scenario's
// wall time on one database against the other's, the scenarios interleaved so both saw the same
// load. The goals are the issue's: PostgreSQL within 1.5 × SQLite's time for a full account
// sync and 2 × for an incremental one.
import type { BenchReport } from "./bench.ts";
import { contactRuns } from "./contact-runs.ts";
import { duration, fixed, ms, ratio } from "./format.ts";
import type { WorkTimes } from "./timing.ts";

interface Side {
  wallMs: number;
  /** crmsync's CPU time, and the database server's (PostgreSQL) for its connections. */
  cpuMs: number | null;
  serverCpuMs: number | null;
}

export interface DialectComparison {
  scenario: string;
  /** Wall time (Save & Sync: p95 latency) on the first and second database, in ms. */
  first: Side;
  second: Side;
  /** Goal for second ÷ first, where the issue sets one. */
  goal: number | null;
  sameCalls: boolean;
}

function callsOf(c: { calls: { byEndpoint: Record<string, number> } } | undefined): string {
  return JSON.stringify(Object.entries(c?.calls.byEndpoint ?? {}).sort());
}

/** The scenarios both reports ran, first report's database against the second's. */
export function compareDialects(first: BenchReport, second: BenchReport): DialectComparison[] {
  const rows: DialectComparison[] = [];
  type Run = { details: WorkTimes; calls: { byEndpoint: Record<string, number> } };
  const side = (r: Run): Side => ({ wallMs: r.details.wallMs, cpuMs: r.details.cpuMs, serverCpuMs: r.details.serverCpuMs ?? null });
  const timed = (scenario: string, goal: number | null, a: Run | undefined, b: Run | undefined) => {
    if (a && b) rows.push({ scenario, first: side(a), second: side(b), goal, sameCalls: callsOf(a) === callsOf(b) });
  };
  timed("full account sync", 1.5, first.scenarios.full, second.scenarios.full);
  timed("incremental account sync, 1% changed", 2, first.scenarios.incremental, second.scenarios.incremental);
  const a = first.scenarios.manualLink;
  const b = second.scenarios.manualLink;
  if (a && b) {
    const latency = (ms: number): Side => ({ wallMs: ms, cpuMs: null, serverCpuMs: null });
    rows.push({ scenario: "Save & Sync, p95 latency", first: latency(a.details.p95Ms), second: latency(b.details.p95Ms), goal: null, sameCalls: callsOf(a) === callsOf(b) });
  }
  const secondRuns = new Map(contactRuns(second.scenarios.contacts).map((r) => [r.key, r.report]));
  for (const run of contactRuns(first.scenarios.contacts)) timed(`contact sync: ${run.column}`, null, run.report, secondRuns.get(run.key));
  return rows;
}

const names = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;

export function renderSideBySide(first: BenchReport, second: BenchReport, level = "##"): string {
  const rows = compareDialects(first, second);
  const [x, y] = [names[first.dialect], names[second.dialect]];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const time = (row: DialectComparison, side: "first" | "second") => (row.scenario.startsWith("Save") ? ms(row[side].wallMs) : duration(row[side].wallMs / 1000));
  const cpu = (row: DialectComparison, side: "first" | "second") => {
    const { cpuMs, serverCpuMs } = row[side];
    if (cpuMs === null) return "—";
    return serverCpuMs === null ? duration(cpuMs / 1000) : `${duration(cpuMs / 1000)} + server ${duration(serverCpuMs / 1000)}`;
  };
  const out = [
    `${level} ${y} beside ${x} (${first.size}, measured side by side)`,
    "",
    `Both databases ran every scenario in one run (${first.startedAt.slice(0, 16).replace("T", " ")} UTC), one after the other scenario by scenario, each against its own emulator ` +
      `of the same portal, so both saw the same load (load average ${first.machine.load ? fixed(first.machine.load.mean, 1) : "?"} on ${first.machine.cpus} cores). Wall times with every limit ` +
      "off; CPU is crmsync's process's, plus on PostgreSQL its server backends' (read from /proc): unlike wall time, it does not grow when other processes take the cores. " +
      `Each database is fresh (PostgreSQL's server runs with autovacuum off).`,
    "",
    line(["scenario", `${x} wall`, `${y} wall`, `${y} ÷ ${x}`, "goal", "met", `CPU on ${x}`, `CPU on ${y}`, "same CRM calls"]),
    line(Array.from({ length: 9 }, () => "---")),
    ...rows.map((r) => {
      const q = r.second.wallMs / Math.max(0.001, r.first.wallMs);
      return line([
        r.scenario,
        time(r, "first"),
        time(r, "second"),
        ratio(q),
        r.goal === null ? "—" : `≤ ${fixed(r.goal, 1)}×`,
        r.goal === null ? "—" : q <= r.goal ? "yes" : "**no**",
        cpu(r, "first"),
        cpu(r, "second"),
        r.sameCalls ? "yes" : "**no**",
      ]);
    }),
    "",
  ];
  return out.join("\n");
}
