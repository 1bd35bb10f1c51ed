// The report as markdown: what `npm run bench` prints and saves as bench/results/<size>.md.
import type { BenchReport, Calls, ContactRunReport, ContactsReport } from "./bench.ts";
import { contactRuns, type ContactRunKey } from "./contact-runs.ts";
import { duration, fixed, int, mb, ms, percent, ratio } from "./format.ts";
import { hubspotLimits } from "./limits.ts";
import { checkTargets } from "./targets.ts";

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Calls by endpoint, a column per run. */
function endpointTable(columns: Array<[string, Calls]>): string {
  const endpoints = [...new Set(columns.flatMap(([, c]) => Object.keys(c.byEndpoint)))].sort();
  return table(["endpoint", ...columns.map(([n]) => n)], endpoints.map((e) => [`\`${e}\``, ...columns.map(([, c]) => (c.byEndpoint[e] ? int(c.byEndpoint[e]) : "·"))]));
}

function limitsCells(calls: Calls): [string, string] {
  return [duration(calls.timeAtLimits.seconds), duration(calls.timeAtLimits.budgetSeconds)];
}

/** The name of a saved report in bench/results/: the size, and the database unless SQLite (the default). */
export function resultName(size: string, dialect: string): string {
  return dialect === "sqlite" ? size : `${size}-${dialect}`;
}

export function machineLine(report: BenchReport): string {
  const m = report.machine;
  const load = m.load ? `; load average ${fixed(m.load.mean, 1)} (max ${fixed(m.load.max, 1)}) during the run` : "";
  return `${m.cpus} × ${m.cpuModel}, ${fixed(m.memoryGiB, 1)} GiB, Node ${m.node}, ${m.platform}${load}`;
}

function contactRowLabel(contacts: ContactsReport, key: ContactRunKey, run: ContactRunReport): string {
  const ran = `ran as ${run.details.mode}`;
  switch (key) {
    case "full":
      return `full inbound contact sync (list of ${int(contacts.list.members)}; ${ran})`;
    case "incremental":
      return `incremental inbound, 1% changed (${int(contacts.incremental?.changed ?? 0)} contacts; ${ran})`;
    case "firstReconcile":
      return `first two-way reconcile (${ran})`;
    case "nightlyReconcile": {
      const c = contacts.nightlyReconcile?.changed;
      return `nightly reconcile (${int(c?.crm ?? 0)} changed in HubSpot, ${int(c?.local ?? 0)} changed and ${int(c?.created ?? 0)} new in crmsync; ${ran})`;
    }
  }
}

function rateCell(r: { recordsPerSecond: number; localRecordsPerSecond: number; cpuRecordsPerSecond: number }): string {
  return `${int(r.recordsPerSecond)} (busy ${int(r.localRecordsPerSecond)}, CPU ${int(r.cpuRecordsPerSecond)})`;
}

function renderContacts(contacts: ContactsReport): string[] {
  const runs = contactRuns(contacts);
  const out: string[] = [];
  out.push("### Contact sync: CRM calls by endpoint (emulator counters)");
  out.push("");
  out.push(endpointTable(runs.map((r) => [r.column, r.report.calls])));
  out.push("");
  out.push("### Contact sync: where the time goes");
  out.push("");
  out.push(
    table(
      ["run", "wall (limits off)", "CRM answer time (summed)", "event loop busy", "CPU time", "contacts read", "written to HubSpot"],
      runs.map(({ column, report: { details: d } }) => [
        column,
        duration(d.wallMs / 1000),
        duration(d.crmWaitMs / 1000),
        duration(d.busyMs / 1000),
        duration(d.cpuMs / 1000),
        `${int(d.runCounts.read)}${d.read.history > 0 ? ` (+${int(d.read.history)} again with history)` : ""}`,
        d.crmWrites.created + d.crmWrites.updated + d.crmWrites.failed > 0 ? `${int(d.crmWrites.created)} created, ${int(d.crmWrites.updated)} updated${d.crmWrites.failed > 0 ? `, ${int(d.crmWrites.failed)} refused` : ""}` : "—",
      ]),
    ),
  );
  out.push("");
  const sentences = runs.map(({ column, report: { details: d } }) => {
    const errors = Object.entries(d.errorsByCode).sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${int(n)} \`${code}\``);
    return (
      `${column[0]!.toUpperCase()}${column.slice(1)}: ended \`${d.status}\`; the run's counts (either side) ${int(d.runCounts.created)} created, ${int(d.runCounts.updated)} updated, ` +
      `${int(d.runCounts.linked)} linked, ${int(d.runCounts.skipped)} skipped${errors.length > 0 ? `; errors ${errors.join(", ")}` : ""}; it counted ${int(d.runCounts.crmCalls)} CRM calls itself; ` +
      `${int(d.contacts.total)} contacts after it, ${int(d.contacts.linked)} linked.`
    );
  });
  out.push(sentences.join(" "));
  out.push("");
  return out;
}

export function renderMarkdown(report: BenchReport): string {
  const { full, incremental, manualLink, naive, read, sdkProgram, atLimits, contacts } = report.scenarios;
  const out: string[] = [];
  out.push(`## ${report.size}: ${int(report.customers.total)} customers, ${int(report.portal.companies)} companies, ${int(report.portal.deals)} deals, ${int(report.portal.contacts)} contacts (${report.dialect})`);
  out.push("");
  out.push(
    `Measured ${report.startedAt.slice(0, 16).replace("T", " ")} UTC on ${machineLine(report)}; seed ${report.seed}; ` +
      `the whole bench took ${duration(report.totalSeconds)}. Customers: ${int(report.customers.unique)} with a domain one company holds, ` +
      `${int(report.customers.ambiguous)} with a domain several hold, ${int(report.customers.unmatched)} with a domain no company holds, ` +
      `${int(report.customers.noDomain)} with none (inserted in ${duration(report.customers.insertMs / 1000)}).`,
  );
  out.push("");
  out.push(
    `Time at limits = the calls at HubSpot's limits (${hubspotLimits.perWindow} per ${hubspotLimits.windowSeconds} s, search ${hubspotLimits.searchPerSecond} per s, side by side), ` +
      "the floor a real portal imposes; at crmsync's budget = the same calls at the 90% share crmsync keeps to in production. Wall time and records/s are measured against the emulator with every limit off: " +
      "companies and deals (contacts, in the contact rows) read over wall time, over the time crmsync's event loop was busy, and over its CPU time.",
  );
  out.push("");

  const rows: string[][] = [];
  if (full) {
    const d = full.details;
    rows.push([
      "full account sync",
      int(full.calls.total),
      int(full.lowerBound),
      ratio(full.calls.total / full.lowerBound),
      ...limitsCells(full.calls),
      duration(d.wallMs / 1000),
      rateCell(full),
      mb(full.peakRssBytes),
    ]);
  }
  if (incremental) {
    const d = incremental.details;
    rows.push([
      `incremental, 1% changed (${int(incremental.changed.companies)} companies, ${int(incremental.changed.deals)} deals; ran as ${d.mode})`,
      `${int(incremental.calls.total)} (${incremental.shareOfFull === null ? "—" : percent(incremental.shareOfFull)} of full)`,
      int(incremental.lowerBound),
      ratio(incremental.calls.total / Math.max(1, incremental.lowerBound)),
      ...limitsCells(incremental.calls),
      duration(d.wallMs / 1000),
      rateCell(incremental),
      mb(incremental.peakRssBytes),
    ]);
  }
  if (manualLink) {
    const d = manualLink.details;
    rows.push([
      `Save & Sync ×${d.links} (PUT crm-link${d.failures > 0 ? `, ${d.failures} failed` : ""})`,
      `${fixed(manualLink.callsPerLink, 1)} a link`,
      `${manualLink.lowerBoundPerLink} a link`,
      ratio(manualLink.callsPerLink / manualLink.lowerBoundPerLink),
      ...limitsCells(manualLink.calls),
      `p50 ${ms(d.p50Ms)}, p95 ${ms(d.p95Ms)}`,
      "—",
      mb(manualLink.peakRssBytes),
    ]);
  }
  // A first sync's row, its calls held to the full run's bound.
  const firstSync = (label: string, calls: Calls, wall: string, rate: string, peakRssBytes: number): string[] => [
    label,
    int(calls.total),
    full ? int(full.lowerBound) : "—",
    full ? ratio(calls.total / full.lowerBound) : "—",
    ...limitsCells(calls),
    wall,
    rate,
    mb(peakRssBytes),
  ];
  if (naive) {
    const d = naive.details;
    const sampled = naive.scale !== 1 ? ` (${int(d.sampled)} of ${int(d.customersWithDomains)} searched, scaled ×${fixed(naive.scale, 1)})` : "";
    rows.push(firstSync(`**naive baseline**, first sync${sampled}`, naive.scaledCalls, duration(naive.scaledWallMs / 1000), "—", naive.peakRssBytes));
  }
  if (sdkProgram) {
    const d = sdkProgram.details;
    const records = d.companies + d.deals;
    const label = `**plain SDK program**, first sync (getAll, in-memory match, one SQLite transaction; no mirror, cannot run incrementally; links ${sdkProgram.linksEqual ? "equal to" : "**differ from**"} crmsync's)`;
    rows.push(firstSync(label, sdkProgram.calls, duration(d.wallMs / 1000), `${int(records / (d.wallMs / 1000))} (CPU ${int(records / (d.cpuMs / 1000))})`, sdkProgram.peakRssBytes));
  }
  if (atLimits) {
    const d = atLimits.details;
    const share = 1 - atLimits.budget.reservedShare;
    const label =
      `full account sync **at HubSpot's limits** (emulator limits on, crmsync's budget at production settings: ${percent(share)} of ${atLimits.budget.privateAppLimit} per 10 s; ` +
      `${int(atLimits.tooManyRequests)} × 429; wall ${fixed(d.wallMs / 1000 / atLimits.floorSeconds, 2)} × the floor of that share, ${duration(atLimits.floorSeconds)})`;
    rows.push(firstSync(label, atLimits.calls, duration(d.wallMs / 1000), "—", atLimits.peakRssBytes));
  }
  if (read) {
    for (const [label, r] of [
      ["read all companies: official SDK getAll()", read.sdk],
      ["read all companies: crmsync listObjects()", read.crmsync],
    ] as const) {
      rows.push([
        label,
        int(r.calls.total),
        int(Math.ceil(report.portal.companies / 100)),
        ratio(r.calls.total / Math.ceil(report.portal.companies / 100)),
        ...limitsCells(r.calls),
        duration(r.details.wallMs / 1000),
        int(r.details.records / (r.details.wallMs / 1000)),
        mb(r.peakRssBytes),
      ]);
    }
  }
  for (const { key, report: run } of contactRuns(contacts)) {
    const share = key === "incremental" && contacts?.incremental?.shareOfFull != null ? ` (${percent(contacts.incremental.shareOfFull)} of full)` : "";
    rows.push([
      contactRowLabel(contacts!, key, run),
      `${int(run.calls.total)}${share}`,
      int(run.lowerBound),
      ratio(run.calls.total / Math.max(1, run.lowerBound)),
      ...limitsCells(run.calls),
      duration(run.details.wallMs / 1000),
      rateCell(run),
      mb(run.peakRssBytes),
    ]);
  }
  out.push(
    table(["scenario", "CRM calls", "lower bound", "× bound", "time at limits", "at crmsync's budget", "wall (limits off)", "records/s", "peak RSS"], rows),
  );
  out.push("");

  const byEndpoint: Array<[string, Calls | undefined]> = [
    ["full", full?.calls],
    ["incremental", incremental?.calls],
    ["Save & Sync", manualLink?.calls],
    [naive && naive.scale !== 1 ? "naive (scaled)" : "naive", naive?.scaledCalls],
  ];
  const present = byEndpoint.filter((c): c is [string, Calls] => c[1] !== undefined);
  if (present.length > 0) {
    out.push("### CRM calls by endpoint (emulator counters)");
    out.push("");
    out.push(endpointTable(present));
    out.push("");
  }

  if (full) {
    const d = full.details;
    out.push("### Full run, where the time goes");
    out.push("");
    out.push(
      table(
        ["phase", "wall"],
        [
          [`read ${int(d.read.companies)} companies and mirror them`, duration(d.phases.companiesMs / 1000)],
          [`read ${int(d.read.deals)} deals with their companies and mirror them`, duration(d.phases.dealsMs / 1000)],
          ["sweep, link customers, fill deals, write values (no CRM calls)", duration(d.phases.localMs / 1000)],
          ["CRM answer time, summed over pages (read ahead: overlaps local work)", duration(d.crmWaitMs / 1000)],
          ["crmsync's own work (event loop busy: JS and synchronous SQLite)", duration(d.busyMs / 1000)],
          ["crmsync's CPU time (user + system)", duration(d.cpuMs / 1000)],
        ],
      ),
    );
    out.push("");
    out.push(
      `Linked ${int(d.customers.linked)} customers (${int(d.customers.withDeal)} with a deal); ${int(d.customers.ambiguous)} ambiguous, ` +
        `${int(d.customers.noMatch)} without a match, ${int(d.customers.noDomains)} without a domain; ${int(d.runCounts.updated)} customers' values written; ` +
        `the run counted ${int(d.runCounts.crmCalls)} calls itself and ended \`${d.status}\` (${int(d.runCounts.errors)} errors: the ambiguities it reports).`,
    );
    out.push("");
  }

  if (full && naive) {
    out.push("### crmsync against the naive baseline (a first sync of the same customers)");
    out.push("");
    out.push(
      table(
        ["", "crmsync full", "naive baseline", "naive ÷ crmsync"],
        [
          ["CRM calls", int(full.calls.total), int(naive.scaledCalls.total), ratio(naive.scaledCalls.total / full.calls.total)],
          ["time at HubSpot's limits", duration(full.calls.timeAtLimits.seconds), duration(naive.scaledCalls.timeAtLimits.seconds), ratio(naive.scaledCalls.timeAtLimits.seconds / full.calls.timeAtLimits.seconds)],
          ["of which search calls", int(full.calls.search), int(naive.scaledCalls.search), "—"],
        ],
      ),
    );
    out.push("");
    out.push(
      `The naive run matched ${int(naive.details.matched)} of ${int(naive.details.sampled)} customers it searched for (${int(naive.details.ambiguous)} ambiguous, ${int(naive.details.unmatched)} none); ` +
        "it looks at the primary `domain` only, where crmsync's index also holds `hs_additional_domains`.",
    );
    out.push("");
  }

  if (read) {
    const sdk = read.sdk;
    const ours = read.crmsync;
    const growth = (r: typeof sdk) => r.peakRssBytes - r.baselineRssBytes;
    out.push("### Reading every company: official SDK against crmsync's paging");
    out.push("");
    out.push(
      table(
        ["", "SDK `crm.companies.getAll()`", "crmsync `listObjects()`", "SDK ÷ crmsync"],
        [
          ["calls", int(sdk.calls.total), int(ours.calls.total), ratio(sdk.calls.total / ours.calls.total)],
          ["wall (limits off)", duration(sdk.details.wallMs / 1000), duration(ours.details.wallMs / 1000), ratio(sdk.details.wallMs / ours.details.wallMs)],
          ["peak RSS of the process", mb(sdk.peakRssBytes), mb(ours.peakRssBytes), ratio(sdk.peakRssBytes / ours.peakRssBytes)],
          ["RSS growth over the loaded process", mb(growth(sdk)), mb(growth(ours)), ratio(growth(sdk) / Math.max(1, growth(ours)))],
          ["heap in use after the read", mb(sdk.details.heapAfterBytes), mb(ours.details.heapAfterBytes), ratio(sdk.details.heapAfterBytes / ours.details.heapAfterBytes)],
        ],
      ),
    );
    out.push("");
  }

  if (contacts && contactRuns(contacts).length > 0) out.push(...renderContacts(contacts));

  const checks = checkTargets(report);
  if (checks.length > 0) {
    out.push("### Targets");
    out.push("");
    out.push(
      table(
        ["target", "goal", "measured", "met"],
        checks.map((c) => [c.name, c.goal, c.measured, c.met === null ? `n/a${c.note ? ` (${c.note})` : ""}` : c.met ? "yes" : "**no**"]),
      ),
    );
    out.push("");
  }
  return out.join("\n");
}
