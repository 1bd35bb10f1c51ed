// The targets, checked against a report. Not timed tests: they are reported, met or not.
import type { BenchReport } from "./bench.ts";
import { fixed, int, mb, ms, percent } from "./format.ts";

export interface TargetCheck {
  name: string;
  goal: string;
  measured: string;
  /** null when the scenario did not run, or the target applies to another size. */
  met: boolean | null;
  note?: string;
}

export function checkTargets(report: BenchReport): TargetCheck[] {
  const { full, incremental, manualLink } = report.scenarios;
  const large = report.size === "large";
  const otherSize = large ? undefined : `measured on ${report.size}; the target applies to large`;
  const checks: TargetCheck[] = [];
  if (full) {
    const r = full.calls.total / full.lowerBound;
    checks.push({ name: "Full account sync: CRM calls", goal: "≤ 1.1 × lower bound", measured: `${int(full.calls.total)} / ${int(full.lowerBound)} = ${fixed(r, 2)}×`, met: r <= 1.1 });
  }
  if (incremental) {
    const share = incremental.shareOfFull;
    checks.push({
      name: "Incremental, 1% changed: CRM calls",
      goal: "≤ 3% of the full run's",
      measured: share === null ? "—" : `${int(incremental.calls.total)} / ${int(full?.calls.total ?? 0)} = ${percent(share)}`,
      met: share === null ? null : share <= 0.03,
    });
  }
  if (full) {
    checks.push({
      name: "Full run, local processing (limits off)",
      goal: "≥ 20,000 records/s on large",
      measured: `${int(full.localRecordsPerSecond)} records/s of busy time, ${int(full.cpuRecordsPerSecond)} of CPU time (${int(full.recordsPerSecond)} end to end)`,
      // The stricter of the two local measures decides.
      met: large ? Math.min(full.localRecordsPerSecond, full.cpuRecordsPerSecond) >= 20_000 : null,
      ...(otherSize ? { note: otherSize } : {}),
    });
    checks.push({
      name: "Full run, peak RSS",
      goal: "≤ 512 MB on large",
      measured: mb(full.peakRssBytes),
      met: large ? full.peakRssBytes <= 512 * 1024 * 1024 : null,
      ...(otherSize ? { note: otherSize } : {}),
    });
  }
  if (manualLink) {
    checks.push({ name: "Save & Sync (manual link) latency", goal: "p95 ≤ 300 ms", measured: `p95 ${ms(manualLink.details.p95Ms)}`, met: manualLink.details.p95Ms <= 300 });
  }
  return checks;
}
