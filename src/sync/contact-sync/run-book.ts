// A contact-sync run's state and bookkeeping: counters, the dry run's plan, the checkpoint,
// recorded errors and the page transaction. The run's other layers build on it: crm-writes.ts
// (writes to the CRM), crm-page.ts (one page of CRM contacts into crmsync) and engine.ts (the phases).
import type { MatchOptions } from "../../core/contact-matching.ts";
import type { SyncedField } from "../../core/conflicts.ts";
import { saveOutcomes } from "../../db/repositories/contact-sync-state.ts";
import { markContactsSynced, type ContactRecord, type PreparedContact } from "../../db/repositories/contacts.ts";
import { addRunProgress, recordSyncErrors, saveCheckpoint, type RecordedError } from "../../db/repositories/sync-runs.ts";
import type { Kysely } from "kysely";
import { redoableTransaction } from "../../db/durability.ts";
import type { Database, SyncRun } from "../../db/schema.ts";
import type { ContactSyncSettings } from "./settings.ts";
import type { CountryCode } from "libphonenumber-js";
import {
  ContactRunStopped,
  defaultContactLimit,
  type ContactCheckpoint,
  type ContactSyncDeps,
  type PreviewPlan,
  type PreviewSample,
} from "./types.ts";

export type ErrorInput = Omit<RecordedError, "runId" | "workspaceId">;

export interface PendingPush {
  contact: ContactRecord;
  crmId: string;
  fields: Partial<Record<SyncedField, string>>;
}

const sampleSize = 20;

export class RunBook {
  errors = 0;
  failedHard = false;
  capped = false;
  counts = { read: 0, created: 0, updated: 0, linked: 0, skipped: 0, failed: 0, crmCreated: 0, crmUpdated: 0 };
  readonly plan: PreviewPlan = { crm: { create: 0, update: 0 }, local: { create: 0, update: 0, link: 0 }, skipped: 0, errors: {}, sample: [] };
  protected fields: Partial<Record<SyncedField, string>> = {};
  /** The workspace's country of national phone numbers (its settings), read at the start of the run. */
  protected phoneCountry: CountryCode | undefined = undefined;
  /** Most contacts the workspace may hold (its settings, else the deployment's default). */
  protected contactLimit = defaultContactLimit;
  /** CRM contacts of the current page whose phone could not be read, with the raw value. */
  protected unreadablePhones = new Map<string, string>();
  protected properties: string[] = [];
  protected contactCount = 0;
  protected pending: PendingPush[] = [];
  /** Contacts this page creates: stored together (see flushCreates), in the page's transaction. */
  protected creates: PreparedContact[] = [];
  /** Contacts found in step with the CRM on this page: marked synced in one statement. */
  protected inStep: string[] = [];
  /**
   * When the current page's crmsync contacts were read. A contact counts as in step with the CRM
   * as of this time, never later: an edit made while the page was worked stays pending.
   */
  protected pageReadAt = new Date(0).toISOString();
  /** A dry run writes no bookkeeping, so it remembers here what it already counted. */
  protected readonly dryTouched = new Set<string>();
  /** The open page transaction: a page's local writes commit together (see inPage). */
  protected trx: Kysely<Database> | null = null;

  constructor(
    readonly deps: ContactSyncDeps,
    readonly workspaceId: string,
    readonly settings: ContactSyncSettings,
    public checkpoint: ContactCheckpoint,
    /** null for a dry run (the preview): nothing is written anywhere. */
    readonly run: SyncRun | null,
  ) {}

  /** The page's transaction while one is open, else the database. */
  get db(): Kysely<Database> {
    return this.trx ?? this.deps.db;
  }
  get dry() {
    return this.run === null;
  }
  get twoWay() {
    return this.checkpoint.kind !== "contacts";
  }
  protected now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
  protected get matchOptions(): MatchOptions {
    return { emailHandle: this.fields.email !== undefined, phoneHandle: this.fields.phone !== undefined, lifecycleStages: this.settings.lifecycleStages };
  }


  protected async save(patch: Partial<ContactCheckpoint>): Promise<void> {
    this.checkpoint = { ...this.checkpoint, ...patch };
    if (this.run) await saveCheckpoint(this.db, this.run.id, this.checkpoint);
  }

  protected async progress(): Promise<void> {
    await this.flushProgress();
    this.deps.signal?.throwIfAborted();
  }

  /**
   * Runs a page's local writes (creates, updates, links, tags, change times, outcomes, progress)
   * in one transaction; inside one already, `fn` joins it. A dry run writes nothing, so it needs
   * none. No CRM call may run in here: the transaction would hold the database while it waits.
   * A run stopped on purpose (contact limit, abort) keeps what the page wrote before it stopped,
   * as it did when every contact had its own transaction; any other error rolls the page back,
   * and the resumed run reads it again (every write is idempotent).
   */
  protected async inPage<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dry || this.trx !== null) return fn();
    let stopped: { error: unknown } | null = null;
    // An inbound page only holds what was read from the CRM, redone from the checkpoint before
    // it; a two-way page records writes made in the CRM, so its commit waits for the disk.
    const transaction = <R>(work: (trx: Kysely<Database>) => Promise<R>): Promise<R> =>
      this.twoWay ? this.deps.db.transaction().execute(work) : redoableTransaction(this.deps.db, work);
    const result = await transaction(async (trx) => {
      this.trx = trx;
      try {
        return await fn();
      } catch (error) {
        const aborted = this.deps.signal?.aborted === true && error === this.deps.signal.reason;
        if (!(error instanceof ContactRunStopped) && !aborted) throw error;
        stopped = { error };
        return undefined;
      } finally {
        this.trx = null;
      }
    });
    if (stopped !== null) throw (stopped as { error: unknown }).error;
    return result as T;
  }

  /** Adds the counts and calls since the last flush to the run. */
  async flushProgress(): Promise<void> {
    const { read, created, updated, linked, skipped, failed } = this.counts;
    const calls = this.deps.takeCalls();
    if (this.run) await addRunProgress(this.db, this.run.id, { read, created, updated, linked, skipped, failed, crmCalls: calls });
    this.counts = { ...this.counts, read: 0, created: 0, updated: 0, linked: 0, skipped: 0, failed: 0 };
  }

  protected async record(errors: ErrorInput[]): Promise<void> {
    if (errors.length === 0) return;
    this.errors += errors.length;
    for (const e of errors) this.plan.errors[e.code] = (this.plan.errors[e.code] ?? 0) + 1;
    if (this.run) await recordSyncErrors(this.db, errors.map((e) => ({ ...e, runId: this.run!.id, workspaceId: this.workspaceId })));
  }

  protected sample(entry: PreviewSample): void {
    if (this.plan.sample.length < sampleSize) this.plan.sample.push(entry);
  }


  /** Properties are resolved in check(); a resumed run past check needs them again. */
  protected ensureProperties(): void {
    if (this.properties.length === 0) this.properties = [...new Set(Object.values(this.fields))];
  }

  protected async markDeleted(crmIds: string[]): Promise<void> {
    if (crmIds.length === 0 || this.dry) return;
    await saveOutcomes(this.db, this.workspaceId, this.deps.provider, crmIds.map((crmId) => ({ crmId, status: "deleted" as const, crmModifiedAt: null })), this.checkpoint.passStartedAt);
  }


  protected async flushInStep(): Promise<void> {
    if (this.inStep.length === 0) return;
    const ids = this.inStep;
    this.inStep = [];
    await markContactsSynced(this.db, this.workspaceId, ids, this.pageReadAt);
  }
}
