// A full or incremental account-sync run through the real engine (runAccountSync), with the
// workspace's real HubSpot session (crmsync's client, budget off against an unlimited
// emulator). The engine plans full or incremental itself from sync_state; the benchmark only
// asks for a full pass when it wants one. The source is wrapped to time the waits for the CRM,
// and the event loop's busy time is measured, so local processing can be told apart from the
// emulator's own speed.
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";
import { countRunErrors, createRun, transitionRun } from "../../src/db/repositories/sync-runs.ts";
import { requestFullAccountSync, runAccountSync, type AccountCheckpoint } from "../../src/sync/account-sync.ts";
import { hubspotConnector } from "../../src/connectors/hubspot/connector.ts";
import type { AccountSource } from "../../src/sync/ports.ts";
import { openBenchContext, type BenchEnv } from "../lib/env.ts";
import { startMeter, startServerCpuMeter, timedIterable, type WorkTimes } from "../lib/timing.ts";

const provider = hubspotConnector.id;

export interface AccountSyncResult extends WorkTimes {
  mode: AccountCheckpoint["mode"];
  status: string;
  /** Time from asking the CRM for a page to having it; the engine reads ahead, so part of it overlaps local work. */
  crmWaitMs: number;
  /** Wall time of each phase as the source saw it: reading companies, reading deals, the rest. */
  phases: { companiesMs: number; dealsMs: number; localMs: number };
  read: { companies: number; deals: number };
  customers: { linked: number; ambiguous: number; noMatch: number; noDomains: number; withDeal: number };
  runCounts: { read: number; linked: number; updated: number; skipped: number; errors: number; crmCalls: number };
}

interface Timing {
  crmWaitMs: number;
  companiesDoneAt: number | null;
  dealsDoneAt: number | null;
  companies: number;
  deals: number;
}

function timedSource(source: AccountSource, timing: Timing): AccountSource {
  const companiesDone = () => (timing.companiesDoneAt = performance.now());
  const dealsDone = () => (timing.dealsDoneAt = performance.now());
  return {
    ...source,
    companies: (o) => timedIterable(source.companies(o), timing, (p) => (timing.companies += p.records.length), companiesDone),
    deals: (o) => timedIterable(source.deals(o), timing, (p) => (timing.deals += p.records.length), dealsDone),
    companiesModifiedSince: (o) => timedIterable(source.companiesModifiedSince(o), timing, (p) => (timing.companies += p.length), companiesDone),
    dealsModifiedSince: (o) => timedIterable(source.dealsModifiedSince(o), timing, (p) => (timing.deals += p.length), dealsDone),
  };
}

export async function runAccountSyncScenario(env: BenchEnv, options: { full: boolean; atLimits?: boolean | undefined }): Promise<AccountSyncResult> {
  const database = openDatabase(env.target, { poolSize: 5 });
  try {
    const ctx = openBenchContext(database, env, options.atLimits);
    const opened = await ctx.crm.open(env.workspaceId, provider);
    if (!opened) throw new Error("the bench workspace is not connected");
    const session = { source: opened.accountSource, takeCalls: opened.takeCalls };
    if (options.full) await requestFullAccountSync(database.db, env.workspaceId, provider);
    const timing: Timing = { crmWaitMs: 0, companiesDoneAt: null, dealsDoneAt: null, companies: 0, deals: 0 };
    const serverCpu = await startServerCpuMeter(database);
    const meter = startMeter();
    const started = meter.startedAt;
    const created = await createRun(database.db, { workspaceId: env.workspaceId, provider, kind: "accounts", trigger: "manual", triggeredBy: null });
    const run = await transitionRun(database.db, created.id, "running");
    const finished = await runAccountSync({ db: database.db, source: timedSource(session.source, timing), provider, crmName: hubspotConnector.displayName, takeCalls: session.takeCalls }, run);
    const times = { ...meter.stop(), serverCpuMs: await serverCpu.stop() };
    const ended = started + times.wallMs;
    const companiesAt = timing.companiesDoneAt ?? started;
    const dealsAt = timing.dealsDoneAt ?? companiesAt;

    const rows = await sql<{ kind: string; n: number | string }>`
      SELECT CASE WHEN crm_company_id IS NOT NULL THEN 'linked' ELSE COALESCE(unlinked_reason, 'unchecked') END AS kind, COUNT(*) AS n
      FROM customers WHERE workspace_id = ${env.workspaceId} GROUP BY 1`.execute(database.db);
    const byKind = new Map(rows.rows.map((r) => [r.kind, Number(r.n)]));
    const withDeal = await sql<{ n: number | string }>`
      SELECT COUNT(*) AS n FROM customers WHERE workspace_id = ${env.workspaceId} AND crm_deal_id IS NOT NULL`.execute(database.db);
    return {
      // The engine names the mode it planned in the run's message.
      mode: finished.message?.startsWith("Incremental") ? "incremental" : "full",
      status: finished.status,
      ...times,
      crmWaitMs: timing.crmWaitMs,
      phases: { companiesMs: companiesAt - started, dealsMs: dealsAt - companiesAt, localMs: ended - dealsAt },
      read: { companies: timing.companies, deals: timing.deals },
      customers: {
        linked: byKind.get("linked") ?? 0,
        ambiguous: byKind.get("ambiguous") ?? 0,
        noMatch: byKind.get("no_match") ?? 0,
        noDomains: byKind.get("no_domains") ?? 0,
        withDeal: Number(withDeal.rows[0]?.n ?? 0),
      },
      runCounts: {
        read: finished.records_read,
        linked: finished.records_linked,
        updated: finished.records_updated,
        skipped: finished.records_skipped,
        errors: await countRunErrors(database.db, finished.id),
        crmCalls: finished.crm_calls,
      },
    };
  } finally {
    await database.close();
  }
}
