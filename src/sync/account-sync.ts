// One account-sync run (product spec §3): refresh the mirror of CRM companies and deals,
// link unlinked customers, fill deals, and write synced values. A run checkpoints after every
// page, so a paused or interrupted run resumes where it stopped; every write is idempotent, so
// a page read twice changes nothing the second time. A page's (or batch's) writes, the run's
// counters and the checkpoint after it commit in one transaction: a crash before that commit
// redoes the page, a crash after it resumes after the page.
import type { Kysely } from "kysely";
import { decideCompanyLink } from "../core/linking.ts";
import { personalDomainCheck } from "../core/personal-domains.ts";
import { getWorkspaceSettings } from "../db/repositories/workspace-settings.ts";
import { listSyncedFields, type FieldRecord } from "../db/repositories/custom-fields.ts";
import {
  applyAutoLinks,
  fillDeals,
  listLinkedCustomers,
  listUnlinkedCustomers,
  recordLinkAttempts,
  type AutoLink,
  type LinkAttempt,
} from "../db/repositories/customer-links.ts";
import {
  archiveUnseen,
  getSyncState,
  latestDealsByCompany,
  loadCompanyDomainIndex,
  setSyncState,
  upsertCompanies,
  upsertDeals,
} from "../db/repositories/crm-mirror.ts";
import { redoableTransaction } from "../db/durability.ts";
import { refreshPlannerStatistics, type TableName } from "../db/planner-statistics.ts";
import { addRunProgress, countRunErrors, recordSyncErrors, transitionRun, type RecordedError } from "../db/repositories/sync-runs.ts";
import type { Database, SyncRun } from "../db/schema.ts";
import type { AccountSource } from "./ports.ts";
import { readAhead } from "./read-ahead.ts";
import { outcomeStatus } from "./run-state.ts";
import { syncValues } from "./value-sync.ts";

export type AccountSyncMode = "full" | "incremental";
type Phase = "companies" | "deals" | "sweep" | "link" | "deals_fill" | "values" | "done";

export interface AccountCheckpoint {
  mode: AccountSyncMode;
  phase: Phase;
  /** CRM page cursor inside the companies/deals phase, or the last customer id in later phases. */
  cursor: string | null;
  passStartedAt: string;
  /** Incremental runs: read changes at or after this CRM time (epoch ms). */
  sinceMs: number | null;
}

export interface AccountSyncDeps {
  db: Kysely<Database>;
  source: AccountSource;
  provider: string;
  /** The CRM's display name ("HubSpot"), for the run's messages. */
  crmName: string;
  /** CRM calls the source spent since the last read, by endpoint; resets on read. */
  takeCalls: () => Record<string, number>;
  now?: () => Date;
  /** How far back incremental runs look before the last seen change: covers search indexing delay. */
  overlapMs?: number;
  /** A periodic full pass catches deletions and anything incremental runs missed. */
  fullPassEveryMs?: number;
  /**
   * Aborted when the worker stops: the run stops at its next checkpoint (after the current
   * page or batch) by throwing the signal's reason, and resumes from there later.
   */
  signal?: AbortSignal;
}

export const stateKeys = {
  fullRequested: "accounts.full_requested",
  lastFullAt: "accounts.last_full_at",
  watermarkMs: "accounts.watermark_ms",
} as const;

/** Whether account sync has finished a full pass for the workspace (so its companies are linked). */
export async function accountSyncHasFinished(db: Kysely<Database>, workspaceId: string, provider: string): Promise<boolean> {
  return (await getSyncState(db, workspaceId, provider, stateKeys.lastFullAt)) !== null;
}

// Customers a link/values step handles in one transaction: fewer, larger commits write each
// touched page once instead of once a batch (the repositories chunk statements themselves).
// Customers in id order sit on pages all over the customers table and its indexes, so a batch
// of 2,000 rewrote most of those pages anyway; 10,000 a batch halved a large run's commit time
// (4.0 s to 2.2 s) for some 10 MB more held per batch.
const customerBatch = 10_000;
const defaultOverlapMs = 5 * 60 * 1000;
// Pages of a listing read ahead and written in one transaction when they are already at hand
// (sync/read-ahead.ts). Each transaction costs a commit and the run's bookkeeping (and on
// PostgreSQL round trips); a crash loses at most these pages' reading, done again on resume.
const pagesPerCommit = 10;
// Tables the mirror phases fill in bulk and the link and value phases then query (and the
// customers a user may just have imported): their planner statistics are refreshed in between,
// where stale (db/planner-statistics.ts). The values written are the next run's and the API's.
const linkTables: TableName[] = ["crm_companies", "crm_company_domains", "crm_deals", "crm_deal_companies", "customers", "customer_domains", "field_values"];
const writtenTables: TableName[] = ["customers", "field_values"];
const defaultFullPassEveryMs = 24 * 3600 * 1000;

/** Chooses full or incremental when a run starts (not on resume). */
export async function planAccountRun(deps: AccountSyncDeps, workspaceId: string): Promise<AccountCheckpoint> {
  const now = (deps.now ?? (() => new Date()))();
  const requested = await getSyncState(deps.db, workspaceId, deps.provider, stateKeys.fullRequested);
  const lastFull = await getSyncState(deps.db, workspaceId, deps.provider, stateKeys.lastFullAt);
  const watermark = await getSyncState(deps.db, workspaceId, deps.provider, stateKeys.watermarkMs);
  const stale = !lastFull || now.getTime() - Date.parse(lastFull) >= (deps.fullPassEveryMs ?? defaultFullPassEveryMs);
  const full = requested === "1" || stale || watermark === null;
  if (requested === "1") await setSyncState(deps.db, workspaceId, deps.provider, stateKeys.fullRequested, "0");
  return {
    mode: full ? "full" : "incremental",
    phase: "companies",
    cursor: null,
    passStartedAt: now.toISOString(),
    sinceMs: full ? null : Number(watermark) - (deps.overlapMs ?? defaultOverlapMs),
  };
}

/** The CRM properties of the fields imported from `object`; the source adds what it needs itself. */
export function importedProperties(fields: readonly FieldRecord[], object: "company" | "deal"): string[] {
  return [...new Set(fields.filter((f) => f.syncMapping?.object === object).map((f) => f.syncMapping!.property))];
}

export async function requestFullAccountSync(db: Kysely<Database>, workspaceId: string, provider: string): Promise<void> {
  await setSyncState(db, workspaceId, provider, stateKeys.fullRequested, "1");
}

class RunContext {
  errors = 0;
  #latestDeals: Map<string, string> | null = null;
  constructor(
    readonly deps: AccountSyncDeps,
    readonly run: SyncRun,
    public checkpoint: AccountCheckpoint,
  ) {}

  get db() {
    return this.deps.db;
  }
  get ws() {
    return this.run.workspace_id;
  }

  /**
   * Each company's deal to link (pickDeal), read from the mirror once for the link and fill
   * phases, and only when one of them has a customer to give a deal: an incremental run
   * usually has none.
   */
  async latestDeals(): Promise<Map<string, string>> {
    this.#latestDeals ??= await latestDealsByCompany(this.db, this.ws, this.deps.provider);
    return this.#latestDeals;
  }

  /** After the fill phase: the values phase does not need the map, nor its memory. */
  forgetLatestDeals(): void {
    this.#latestDeals = null;
  }

  async progress(counts: Counts): Promise<void> {
    await addRunProgress(this.db, this.run.id, { ...counts, crmCalls: this.deps.takeCalls() });
  }

  async save(patch: Partial<AccountCheckpoint>): Promise<void> {
    await this.commit({ checkpoint: patch });
  }

  /**
   * One transaction: `write` (given the transaction), the errors it found, the run's counters
   * (`progress` plus what `write` counted) and, when given, the checkpoint after it. Only once
   * it commits does the in-memory checkpoint move on and may a stopping worker leave.
   */
  async commit(step: {
    write?: (trx: Kysely<Database>) => Promise<StepResult | void>;
    progress?: Counts;
    checkpoint?: Partial<AccountCheckpoint>;
  }): Promise<void> {
    const next = step.checkpoint ? { ...this.checkpoint, ...step.checkpoint } : null;
    let errors: readonly StepError[] = [];
    // What a step writes comes from the CRM and is redone from the checkpoint before it.
    await redoableTransaction(this.db, async (trx) => {
      const result = (await step.write?.(trx)) ?? {};
      errors = result.errors ?? [];
      if (errors.length > 0) {
        await recordSyncErrors(
          trx,
          errors.map((e) => ({ ...e, runId: this.run.id, workspaceId: this.ws })),
        );
      }
      if (step.progress || result.counts || next) {
        await addRunProgress(trx, this.run.id, { ...step.progress, ...result.counts, crmCalls: this.deps.takeCalls() }, next ?? undefined);
      }
    });
    this.errors += errors.length;
    if (next) {
      this.checkpoint = next;
      // Everything up to here is saved: a stopping worker can leave now without losing work.
      this.deps.signal?.throwIfAborted();
    }
  }
}

type Counts = { read?: number; linked?: number; updated?: number; skipped?: number };
type StepError = Omit<RecordedError, "runId" | "workspaceId">;
/** What a step's writes found: counters and errors committed with them. */
interface StepResult {
  counts?: Counts;
  errors?: readonly StepError[];
}

async function readCompanies(ctx: RunContext, fields: readonly FieldRecord[]): Promise<void> {
  const properties = importedProperties(fields, "company");
  const { deps, checkpoint } = ctx;
  if (checkpoint.mode === "full") {
    for await (const pages of readAhead(deps.source.companies({ properties, cursor: checkpoint.cursor }), pagesPerCommit)) {
      const records = pages.flatMap((page) => page.records);
      await ctx.commit({
        write: (trx) => upsertCompanies(trx, ctx.ws, deps.provider, records, checkpoint.passStartedAt),
        progress: { read: records.length },
        checkpoint: { cursor: pages[pages.length - 1]!.cursor },
      });
    }
  } else {
    for await (const batches of readAhead(deps.source.companiesModifiedSince({ sinceMs: checkpoint.sinceMs ?? 0, properties }), pagesPerCommit)) {
      const records = batches.flat();
      await ctx.commit({
        write: (trx) => upsertCompanies(trx, ctx.ws, deps.provider, records, checkpoint.passStartedAt),
        progress: { read: records.length },
      });
    }
  }
  await ctx.save({ phase: "deals", cursor: null });
}

async function readDeals(ctx: RunContext, fields: readonly FieldRecord[]): Promise<void> {
  const properties = importedProperties(fields, "deal");
  const { deps, checkpoint } = ctx;
  if (checkpoint.mode === "full") {
    for await (const pages of readAhead(deps.source.deals({ properties, cursor: checkpoint.cursor }), pagesPerCommit)) {
      const records = pages.flatMap((page) => page.records);
      await ctx.commit({
        write: (trx) => upsertDeals(trx, ctx.ws, deps.provider, records, checkpoint.passStartedAt),
        progress: { read: records.length },
        checkpoint: { cursor: pages[pages.length - 1]!.cursor },
      });
    }
  } else {
    for await (const batches of readAhead(deps.source.dealsModifiedSince({ sinceMs: checkpoint.sinceMs ?? 0, properties }), pagesPerCommit)) {
      const records = batches.flat();
      await ctx.commit({
        write: (trx) => upsertDeals(trx, ctx.ws, deps.provider, records, checkpoint.passStartedAt),
        progress: { read: records.length },
      });
    }
  }
  await ctx.save({ phase: checkpoint.mode === "full" ? "sweep" : "link", cursor: null });
}

/** Records a full pass did not see were deleted in the CRM: they stop updating and linking. */
async function sweep(ctx: RunContext): Promise<void> {
  const { passStartedAt } = ctx.checkpoint;
  await ctx.commit({
    write: async (trx) => {
      await archiveUnseen(trx, "crm_companies", ctx.ws, ctx.deps.provider, passStartedAt);
      await archiveUnseen(trx, "crm_deals", ctx.ws, ctx.deps.provider, passStartedAt);
    },
    checkpoint: { phase: "link", cursor: null },
  });
}

function sameCandidates(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

async function link(ctx: RunContext): Promise<void> {
  const { deps } = ctx;
  await refreshPlannerStatistics(ctx.db, linkTables);
  const index = await loadCompanyDomainIndex(ctx.db, ctx.ws, deps.provider);
  const isPersonal = personalDomainCheck((await getWorkspaceSettings(ctx.db, ctx.ws)).personalDomains);
  let after = ctx.checkpoint.cursor;
  for (;;) {
    const batch = await listUnlinkedCustomers(ctx.db, ctx.ws, after, customerBatch);
    if (batch.length === 0) break;
    const matches: { customerId: string; companyId: string }[] = [];
    const attempts: LinkAttempt[] = [];
    const errors: Omit<RecordedError, "runId" | "workspaceId">[] = [];
    for (const customer of batch) {
      const decision = decideCompanyLink(customer.domains, index, isPersonal);
      if (decision.kind === "linked") {
        matches.push({ customerId: customer.id, companyId: decision.companyId });
        continue;
      }
      const candidates = decision.kind === "ambiguous" ? decision.companyIds : [];
      const changed = customer.unlinkedReason !== decision.kind || !sameCandidates(customer.candidates, candidates);
      if (!changed) continue;
      attempts.push({ customerId: customer.id, reason: decision.kind, candidates });
      // An ambiguity is reported when it appears or changes, not again at every run.
      if (decision.kind === "ambiguous") {
        errors.push({
          code: "company_match_ambiguous",
          message: `${candidates.length} ${deps.crmName} companies share this customer's domains (${customer.domains.join(", ")}), so none was linked.`,
          recordType: "customer",
          recordId: customer.id,
          crmId: null,
          details: { companyIds: candidates, domains: customer.domains },
        });
      }
    }
    const deals = matches.length > 0 ? await ctx.latestDeals() : null;
    const links: AutoLink[] = matches.map((m) => ({ ...m, dealId: deals?.get(m.companyId) ?? null }));
    const now = (deps.now ?? (() => new Date()))().toISOString();
    after = batch[batch.length - 1]!.id;
    const skipped = batch.length - matches.length;
    await ctx.commit({
      write: async (trx) => {
        const linked = await applyAutoLinks(trx, ctx.ws, links, now);
        await recordLinkAttempts(trx, ctx.ws, attempts, now);
        return { counts: { linked }, errors };
      },
      progress: { skipped },
      checkpoint: { cursor: after },
    });
  }
  await ctx.save({ phase: "deals_fill", cursor: null });
}

/**
 * An auto-linked customer whose company had no deal gets one when the company gains a deal.
 * Filling an empty deal is not relinking: a deal once set is never replaced by a run.
 */
async function fillMissingDeals(ctx: RunContext): Promise<void> {
  const { deps } = ctx;
  let after: string | null = null;
  for (;;) {
    const batch = await listLinkedCustomers(ctx.db, ctx.ws, deps.provider, { afterId: after, limit: customerBatch, withoutDeal: true });
    if (batch.length === 0) break;
    const auto = batch.filter((c) => c.source === "auto");
    const deals = auto.length > 0 ? await ctx.latestDeals() : null;
    const fills = auto.flatMap((c) => {
      const dealId = deals?.get(c.companyId);
      return dealId ? [{ customerId: c.id, companyId: c.companyId, dealId }] : [];
    });
    await fillDeals(ctx.db, ctx.ws, fills);
    after = batch[batch.length - 1]!.id;
  }
  ctx.forgetLatestDeals();
  await ctx.save({ phase: "values", cursor: null });
}

async function writeValues(ctx: RunContext, fields: readonly FieldRecord[]): Promise<void> {
  const { deps, checkpoint } = ctx;
  let after = checkpoint.cursor;
  if (fields.length > 0) {
    for (;;) {
      const batch = await listLinkedCustomers(ctx.db, ctx.ws, deps.provider, {
        afterId: after,
        limit: customerBatch,
        ...(checkpoint.mode === "incremental" ? { touchedSince: checkpoint.passStartedAt } : {}),
      });
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      // Reads and writes in the batch's transaction: the values, their errors, the counters
      // and the checkpoint commit together.
      await ctx.commit({
        write: async (trx) => {
          const result = await syncValues(trx, ctx.ws, deps.provider, deps.crmName, fields, batch);
          return { counts: { updated: result.updated }, errors: result.errors };
        },
        checkpoint: { cursor: after },
      });
    }
  }
  await ctx.save({ phase: "done", cursor: null });
}

/**
 * Runs (or resumes) an account-sync run that is already `running`. Returns the finished run.
 * CRM failures propagate as ConnectorError with the checkpoint saved; the caller decides
 * whether to pause the run or fail it.
 */
export async function runAccountSync(deps: AccountSyncDeps, run: SyncRun): Promise<SyncRun> {
  const checkpoint = run.checkpoint ? (JSON.parse(run.checkpoint) as AccountCheckpoint) : await planAccountRun(deps, run.workspace_id);
  const ctx = new RunContext(deps, run, checkpoint);
  ctx.errors = await countRunErrors(deps.db, run.id);
  if (!run.checkpoint) await ctx.save({});
  const fields = await listSyncedFields(deps.db, run.workspace_id, deps.provider);

  while (ctx.checkpoint.phase !== "done") {
    switch (ctx.checkpoint.phase) {
      case "companies":
        await readCompanies(ctx, fields);
        break;
      case "deals":
        await readDeals(ctx, fields);
        break;
      case "sweep":
        await sweep(ctx);
        break;
      case "link":
        await link(ctx);
        break;
      case "deals_fill":
        await fillMissingDeals(ctx);
        break;
      case "values":
        await writeValues(ctx, fields);
        break;
    }
  }

  // Everything changed before this run started has been read (search indexing delay and clock
  // skew are covered by the overlap), so the next incremental run starts here.
  await setSyncState(deps.db, run.workspace_id, deps.provider, stateKeys.watermarkMs, String(Date.parse(ctx.checkpoint.passStartedAt)));
  if (ctx.checkpoint.mode === "full") await setSyncState(deps.db, run.workspace_id, deps.provider, stateKeys.lastFullAt, ctx.checkpoint.passStartedAt);
  await ctx.progress({});
  await refreshPlannerStatistics(deps.db, writtenTables);
  return transitionRun(deps.db, run.id, outcomeStatus(ctx.errors, false), {
    message: `${ctx.checkpoint.mode === "full" ? "Full" : "Incremental"} account sync`,
  });
}
