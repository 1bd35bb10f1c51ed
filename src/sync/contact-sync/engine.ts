// One contact-sync run (product spec §4): inbound (`contacts`), two-way `reconcile`, or the
// on-create `push`; and the same work as a dry run for the two-way preview.
//
// Phases, each checkpointed (a paused or interrupted run resumes where it stopped; every write
// is idempotent):
//   check    the source is readable (list exists, account sync on) and mapped properties exist
//   source   the source's members (list memberships, or the contacts of linked companies); a full
//            pass reads every member, an incremental one only members never read
//   changes  incremental: contacts changed in the CRM since the last pass (windowed search)
//   linked   full reconcile: linked contacts outside the source (pushed ones), deletions
//   local    reconcile: linked contacts edited in crmsync since their last sync
//   create   reconcile and push: crmsync contacts missing from the CRM
// The CRM is asked per page, never per contact; history (the CRM's per-property change times) is
// read only for contacts whose two sides hold different non-empty values.
import {
  crmAdditionalEmails,
  crmEmail,
  crmPhone,
  handleClashes,
  matchCrmContact,
  withLifecycleTag,
  withPrimary,
  type ContactRef,
  type CrmContactFacts,
  type MatchLookups,
  type MatchOptions,
} from "../../core/contact-matching.ts";
import { isEmpty, mergeOnLink, needsTimes, resolveContact, type FieldSide, type FieldValues, type Resolution, type SyncedField } from "../../core/conflicts.ts";
import { AppError } from "../../core/errors.ts";
import { isValidEmail } from "../../core/handles.ts";
import {
  companyOfCustomers,
  markInSource,
  pushMemory,
  rememberPushes,
  saveOutcomes,
  sourceRecords,
  type SourceRecord,
} from "../../db/repositories/contact-sync-state.ts";
import {
  contactIdsByHandles,
  countContacts,
  getContactsByIds,
  insertContacts,
  linkExternalId,
  listContactsByExternalIds,
  listContactsForSync,
  markContactsSynced,
  markContactsUnsynced,
  mergeContacts,
  mergedAwayExternalIds,
  prepareContact,
  updateContact,
  type ContactInput,
  type ContactRecord,
  type PreparedContact,
} from "../../db/repositories/contacts.ts";
import { getSyncState } from "../../db/repositories/crm-mirror.ts";
import { listLinkedCustomers } from "../../db/repositories/customer-links.ts";
import { getSyncSettings } from "../../db/repositories/sync-settings.ts";
import { addRunProgress, countRunErrors, recordSyncErrors, saveCheckpoint, type RecordedError } from "../../db/repositories/sync-runs.ts";
import type { Kysely } from "kysely";
import type { ContactSyncRecordStatus, Database, SyncRun } from "../../db/schema.ts";
import { contactBaseProperties, CrmListNotFoundError, isWriteFailure, type CrmContact, type ContactWriteFailure } from "../ports.ts";
import { mappedFields, type ContactSyncSettings } from "./settings.ts";
import {
  ContactRunStopped,
  defaultContactLimit,
  fieldColumn,
  iso,
  parseMs,
  splitName,
  trimmed,
  type ContactCheckpoint,
  type ContactSyncDeps,
  type Phase,
  type PreviewPlan,
  type PreviewSample,
} from "./types.ts";

type ErrorInput = Omit<RecordedError, "runId" | "workspaceId">;

interface PendingPush {
  contact: ContactRecord;
  crmId: string;
  fields: Partial<Record<SyncedField, string>>;
}


const readBatch = 100;
const customerBatch = 1000;
const sourceBuffer = 500;
const sampleSize = 20;

export class ContactRun {
  errors = 0;
  failedHard = false;
  capped = false;
  counts = { read: 0, created: 0, updated: 0, linked: 0, skipped: 0, failed: 0, crmCreated: 0, crmUpdated: 0 };
  readonly plan: PreviewPlan = { crm: { create: 0, update: 0 }, local: { create: 0, update: 0, link: 0 }, skipped: 0, errors: {}, sample: [] };
  private fields: Partial<Record<SyncedField, string>> = {};
  private properties: string[] = [];
  private contactCount = 0;
  private pending: PendingPush[] = [];
  /** Contacts this page creates: stored together (see flushCreates), in the page's transaction. */
  private creates: PreparedContact[] = [];
  /** Contacts found in step with the CRM on this page: marked synced in one statement. */
  private inStep: string[] = [];
  /**
   * When the current page's crmsync contacts were read. A contact counts as in step with the CRM
   * as of this time, never later: an edit made while the page was worked stays pending.
   */
  private pageReadAt = new Date(0).toISOString();
  /** A dry run writes no bookkeeping, so it remembers here what it already counted. */
  private readonly dryTouched = new Set<string>();
  /** The open page transaction: a page's local writes commit together (see inPage). */
  private trx: Kysely<Database> | null = null;

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
  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
  private get matchOptions(): MatchOptions {
    return { emailHandle: this.fields.email !== undefined, phoneHandle: this.fields.phone !== undefined, lifecycleStages: this.settings.lifecycleStages };
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private async save(patch: Partial<ContactCheckpoint>): Promise<void> {
    this.checkpoint = { ...this.checkpoint, ...patch };
    if (this.run) await saveCheckpoint(this.db, this.run.id, this.checkpoint);
  }

  private async progress(): Promise<void> {
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
  private async inPage<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dry || this.trx !== null) return fn();
    let stopped: { error: unknown } | null = null;
    const result = await this.deps.db.transaction().execute(async (trx) => {
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

  private async record(errors: ErrorInput[]): Promise<void> {
    if (errors.length === 0) return;
    this.errors += errors.length;
    for (const e of errors) this.plan.errors[e.code] = (this.plan.errors[e.code] ?? 0) + 1;
    if (this.run) await recordSyncErrors(this.db, errors.map((e) => ({ ...e, runId: this.run!.id, workspaceId: this.workspaceId })));
  }

  private sample(entry: PreviewSample): void {
    if (this.plan.sample.length < sampleSize) this.plan.sample.push(entry);
  }

  // ---- the run -------------------------------------------------------------------------------

  async execute(): Promise<void> {
    this.fields = mappedFields(this.settings.mapping);
    if (this.run) this.errors = await countRunErrors(this.db, this.run.id);
    this.contactCount = await countContacts(this.db, this.workspaceId);
    while (this.checkpoint.phase !== "done") {
      switch (this.checkpoint.phase) {
        case "check":
          await this.check();
          break;
        case "source":
          await this.readSource();
          break;
        case "changes":
          await this.readChanges();
          break;
        case "linked":
          await this.readLinked();
          break;
        case "local":
          await this.readLocal();
          break;
        case "create":
          await this.createMissing();
          break;
      }
    }
    await this.progress();
  }

  private nextAfter(phase: Phase): Phase {
    const { kind, mode } = this.checkpoint;
    const order: Phase[] =
      kind === "push" ? ["check", "create", "done"] : kind === "contacts" ? ["check", "source", "changes", "done"] : ["check", "source", "changes", "linked", "local", "create", "done"];
    let next = order[order.indexOf(phase) + 1] ?? "done";
    if (next === "changes" && mode === "full") next = order[order.indexOf("changes") + 1] ?? "done";
    if (next === "linked" && mode === "incremental") next = order[order.indexOf("linked") + 1] ?? "done";
    return next;
  }

  private async check(): Promise<void> {
    const names = await this.deps.source.contactPropertyNames();
    const missing: ErrorInput[] = [];
    for (const [field, property] of Object.entries(this.fields) as [SyncedField, string][]) {
      if (names.has(property)) continue;
      // That field stops syncing; the rest goes on (§4.2).
      delete this.fields[field];
      missing.push({
        code: "crm_field_not_found",
        message: `The HubSpot contact property "${property}" mapped to ${field} no longer exists; ${field} is not synced until the mapping changes.`,
        recordType: "field",
        recordId: field,
        crmId: null,
        details: { field, property },
      });
    }
    await this.record(missing);
    this.properties = [...new Set([...contactBaseProperties, ...Object.values(this.fields)])];
    if (this.checkpoint.kind !== "push") {
      const source = this.settings.source;
      if (source.kind === "list") {
        if (!(await this.deps.source.listExists(source.listId))) throw new ContactRunStopped("crm_list_not_found", `The HubSpot list ${source.listId} no longer exists; choose another list.`);
      } else {
        const account = await getSyncSettings(this.db, this.workspaceId, this.deps.provider);
        if (!account.accountSyncEnabled) throw new ContactRunStopped("account_sync_failed", "The synced-companies source needs account sync (HubSpot Sync) on.");
        const lastAccountRun = await getSyncState(this.db, this.workspaceId, this.deps.provider, "accounts.last_full_at");
        if (lastAccountRun === null) throw new ContactRunStopped("account_sync_failed", "Account sync has not finished a run yet, so there are no linked companies to read contacts from.");
      }
    }
    await this.save({ phase: this.nextAfter("check"), cursor: null });
  }

  /** Properties are resolved in check(); a resumed run past check needs them again. */
  private ensureProperties(): void {
    if (this.properties.length === 0) this.properties = [...new Set([...contactBaseProperties, ...Object.values(this.fields)])];
  }

  private async readSource(): Promise<void> {
    this.ensureProperties();
    const source = this.settings.source;
    if (source.kind === "list") {
      try {
        // Two membership pages (500 ids) make five full batch reads; the cursor is saved only
        // once the ids before it are handled, so a resumed run never skips one.
        let buffered: string[] = [];
        for await (const page of this.deps.source.listMembers(source.listId, this.checkpoint.cursor)) {
          buffered.push(...page.records);
          if (buffered.length < sourceBuffer && page.cursor !== null) continue;
          await this.sourcePage(buffered.map((crmId) => ({ crmId, customerId: null })));
          buffered = [];
          await this.save({ cursor: page.cursor });
        }
      } catch (error) {
        if (error instanceof CrmListNotFoundError) throw new ContactRunStopped("crm_list_not_found", `The HubSpot list ${source.listId} no longer exists; choose another list.`);
        throw error;
      }
    } else {
      let after = this.checkpoint.cursor;
      for (;;) {
        const customers = await listLinkedCustomers(this.db, this.workspaceId, this.deps.provider, { afterId: after, limit: customerBatch });
        if (customers.length === 0) break;
        const byCompany = await this.deps.source.contactIdsOfCompanies([...new Set(customers.map((c) => c.companyId))]);
        const members = new Map<string, string>();
        for (const customer of customers) for (const crmId of byCompany.get(customer.companyId) ?? []) if (!members.has(crmId)) members.set(crmId, customer.id);
        await this.sourcePage([...members].map(([crmId, customerId]) => ({ crmId, customerId })));
        after = customers[customers.length - 1]!.id;
        await this.save({ cursor: after });
      }
    }
    await this.save({ phase: this.nextAfter("source"), cursor: null });
  }

  private async sourcePage(members: { crmId: string; customerId: string | null }[]): Promise<void> {
    if (members.length === 0) return;
    this.pageReadAt = this.now().toISOString();
    const known = await sourceRecords(this.db, this.workspaceId, this.deps.provider, members.map((m) => m.crmId));
    if (!this.dry) await markInSource(this.db, this.workspaceId, this.deps.provider, members, this.checkpoint.passStartedAt);
    // An incremental pass reads only members it never read; changed ones come from the search.
    const toRead = this.checkpoint.mode === "full" ? members : members.filter((m) => known.get(m.crmId)?.crmModifiedAt == null);
    const customerOf = new Map(members.map((m) => [m.crmId, m.customerId]));
    // Five batch reads, then one page of local work: a transaction's commit costs about the same
    // for 100 contacts as for 500, and none is open while the CRM answers.
    for (let i = 0; i < toRead.length; i += sourceBuffer) {
      const ids = toRead.slice(i, i + sourceBuffer).map((m) => m.crmId);
      const { records, missing } = await this.deps.source.getContacts(ids, this.properties);
      await this.processRecords(records, customerOf, () => this.markDeleted(missing));
    }
  }

  private async readChanges(): Promise<void> {
    this.ensureProperties();
    const { passStartedAt } = this.checkpoint;
    for await (const records of this.deps.source.contactsModifiedSince({ sinceMs: this.checkpoint.sinceMs ?? 0, properties: this.properties })) {
      this.pageReadAt = this.now().toISOString();
      const known = await sourceRecords(this.db, this.workspaceId, this.deps.provider, records.map((r) => r.id));
      const linked = this.twoWay ? await listContactsByExternalIds(this.db, this.workspaceId, records.map((r) => r.id)) : new Map<string, ContactRecord>();
      // In the source this pass, or (two-way) linked already, e.g. a contact crmsync pushed; and
      // not already handled at this version (the overlap re-reads the last minutes' changes).
      const relevant = records.filter((r) => {
        const rec = known.get(r.id);
        if (rec && rec.crmModifiedAt !== null && rec.crmModifiedAt === r.modifiedAt) return false;
        return rec?.seenAt === passStartedAt || linked.has(r.id);
      });
      this.counts.skipped += records.length - relevant.length;
      const customerOf = new Map(relevant.map((r) => [r.id, known.get(r.id)?.customerId ?? null]));
      await this.processRecords(relevant, customerOf);
    }
    await this.save({ phase: this.nextAfter("changes"), cursor: null });
  }

  /** Full reconcile: linked contacts the source did not show (pushed ones, deleted ones). */
  private async readLinked(): Promise<void> {
    this.ensureProperties();
    let after = this.checkpoint.cursor;
    for (;;) {
      this.pageReadAt = this.now().toISOString();
      const page = await listContactsForSync(this.db, this.workspaceId, { kind: "linked", afterId: after, limit: readBatch });
      if (page.length === 0) break;
      const known = await sourceRecords(this.db, this.workspaceId, this.deps.provider, page.map((c) => c.externalId!));
      const unseen = page.filter((c) => {
        if (this.dryTouched.has(c.id)) return false;
        const rec = known.get(c.externalId!);
        return !rec || (rec.seenAt !== this.checkpoint.passStartedAt && rec.status !== "deleted");
      });
      await this.readLinkedContacts(unseen, known);
      after = page[page.length - 1]!.id;
      await this.save({ cursor: after });
    }
    await this.save({ phase: this.nextAfter("linked"), cursor: null });
  }

  /** Reconcile: linked contacts edited in crmsync since their last sync. */
  private async readLocal(): Promise<void> {
    this.ensureProperties();
    let after = this.checkpoint.cursor;
    for (;;) {
      this.pageReadAt = this.now().toISOString();
      const page = await listContactsForSync(this.db, this.workspaceId, { kind: "changed_linked", afterId: after, limit: readBatch });
      if (page.length === 0) break;
      const known = await sourceRecords(this.db, this.workspaceId, this.deps.provider, page.map((c) => c.externalId!));
      const deleted = page.filter((c) => known.get(c.externalId!)?.status === "deleted");
      // A contact deleted in the CRM stops syncing; its crmsync edits stay here.
      if (!this.dry) await markContactsSynced(this.db, this.workspaceId, deleted.map((c) => c.id), this.now().toISOString());
      await this.readLinkedContacts(
        page.filter((c) => !deleted.includes(c) && !this.dryTouched.has(c.id)),
        known,
      );
      after = page[page.length - 1]!.id;
      await this.save({ cursor: after });
    }
    await this.save({ phase: this.nextAfter("local"), cursor: null });
  }

  private async readLinkedContacts(contacts: ContactRecord[], known: Map<string, SourceRecord>): Promise<void> {
    if (contacts.length === 0) return;
    const { records, missing } = await this.deps.source.getContacts(
      contacts.map((c) => c.externalId!),
      this.properties,
    );
    await this.processRecords(records, new Map(records.map((r) => [r.id, known.get(r.id)?.customerId ?? null])), async () => {
      await this.markDeleted(missing);
      if (!this.dry) {
        const gone = new Set(missing);
        await markContactsSynced(this.db, this.workspaceId, contacts.filter((c) => gone.has(c.externalId!)).map((c) => c.id), this.now().toISOString());
      }
    });
  }

  private async markDeleted(crmIds: string[]): Promise<void> {
    if (crmIds.length === 0 || this.dry) return;
    await saveOutcomes(this.db, this.workspaceId, this.deps.provider, crmIds.map((crmId) => ({ crmId, status: "deleted" as const, crmModifiedAt: null })), this.checkpoint.passStartedAt);
  }

  // ---- one page of CRM contacts ---------------------------------------------------------------

  private facts(record: CrmContact): CrmContactFacts {
    const p = record.properties;
    const email = crmEmail(p[this.fields.email ?? "email"]);
    return {
      id: record.id,
      email,
      phone: crmPhone(p[this.fields.phone ?? "phone"]),
      lifecycleStage: trimmed(p["lifecyclestage"]),
      // HubSpot's other addresses of the person go with its email property only.
      additionalEmails: (this.fields.email ?? "email") === "email" ? crmAdditionalEmails(p["hs_additional_emails"], email) : [],
    };
  }

  /** The CRM's values of the mapped fields, normalised; an unreadable email or phone is left out. */
  private remoteSides(record: CrmContact): Partial<Record<SyncedField, FieldSide>> {
    const out: Partial<Record<SyncedField, FieldSide>> = {};
    const modified = parseMs(record.modifiedAt);
    for (const [field, property] of Object.entries(this.fields) as [SyncedField, string][]) {
      const raw = record.properties[property] ?? null;
      let value: string | null = trimmed(raw);
      if (value !== null && field === "email") value = crmEmail(value);
      if (value !== null && field === "phone") value = crmPhone(value);
      // A value crmsync cannot read is neither pulled nor overwritten.
      if (value === null && !isEmpty(raw)) continue;
      const change = record.lastChanges?.[property];
      out[field] = { value, changedAt: change === undefined ? (record.lastChanges ? null : modified) : (change?.at ?? null) };
    }
    return out;
  }

  private localSides(contact: ContactRecord): Partial<Record<SyncedField, FieldSide>> {
    const values: Record<SyncedField, string | null> = { firstName: contact.firstName, lastName: contact.lastName, email: contact.emails[0] ?? null, phone: contact.phones[0] ?? null };
    const out: Partial<Record<SyncedField, FieldSide>> = {};
    for (const field of Object.keys(this.fields) as SyncedField[]) out[field] = { value: values[field], changedAt: parseMs(contact.fieldChangedAt[fieldColumn[field]]) };
    return out;
  }

  private async processRecords(records: CrmContact[], customerOf: Map<string, string | null>, before?: () => Promise<void>): Promise<void> {
    if (records.length === 0) {
      if (before) await this.inPage(before);
      return;
    }
    const outcomes: { crmId: string; status: ContactSyncRecordStatus; crmModifiedAt: string | null }[] = [];
    const needHistory: { contact: ContactRecord; record: CrmContact }[] = [];
    let contacts = new Map<string, ContactRecord>();
    let lookups: MatchLookups | null = null;
    let remember: (contact: ContactRecord) => void = () => undefined;
    let finished = false;
    // The page's local writes commit together; CRM calls (history, pushes) wait outside.
    await this.inPage(async () => {
      if (before) await before();
      this.counts.read += records.length;
      const ws = this.workspaceId;
      const allIds = [...new Set(records.flatMap((r) => [r.id, ...r.mergedIds]))];
      const linked = await listContactsByExternalIds(this.db, ws, allIds);
      const merged = await mergedAwayExternalIds(this.db, ws, records.map((r) => r.id));
      await this.applyCrmMerges(records, linked);
      if (this.twoWay) this.pushes = await pushMemory(this.db, ws, this.deps.provider, [...linked.values()].map((c) => c.id));

      const facts = new Map(records.map((r) => [r.id, this.facts(r)]));
      const emails = [...facts.values()].flatMap((f) => [...(f.email ? [f.email] : []), ...(f.additionalEmails ?? [])]);
      const phones = [...facts.values()].flatMap((f) => (f.phone ? [f.phone] : []));
      const held = await contactIdsByHandles(this.db, ws, { emails, phones });
      contacts = await getContactsByIds(this.db, ws, [...held.emails.values(), ...held.phones.values()]);
      for (const c of linked.values()) contacts.set(c.id, c);
      const page = contacts;
      const ref = (id: string | undefined): ContactRef | undefined => {
        const c = id === undefined ? undefined : page.get(id);
        return c ? { id: c.id, externalId: c.externalId } : undefined;
      };
      lookups = {
        byExternalId: (crmId) => ref(linked.get(crmId)?.id),
        byEmail: (email) => ref(held.emails.get(email)),
        byPhone: (phone) => ref(held.phones.get(phone)),
        mergedAway: (crmId) => merged.has(crmId),
      };
      remember = (contact: ContactRecord): void => {
        contacts.set(contact.id, contact);
        if (contact.externalId) linked.set(contact.externalId, contact);
        for (const e of contact.emails) held.emails.set(e, contact.id);
        for (const p of contact.phones) held.phones.set(p, contact.id);
      };

      for (const record of records) {
        const f = facts.get(record.id)!;
        const decision = matchCrmContact(f, lookups, this.matchOptions);
        if (this.dry && (decision.kind === "update" || decision.kind === "link")) this.dryTouched.add(decision.contactId);
        let status: ContactSyncRecordStatus = "linked";
        switch (decision.kind) {
          case "skip":
            status = "skipped";
            this.counts.skipped++;
            this.plan.skipped++;
            break;
          case "error":
            status = "error";
            this.counts.skipped++;
            await this.record([
              decision.code === "contact_missing_handle"
                ? { code: decision.code, message: `HubSpot contact ${record.id} has no email and no usable phone, so it was not imported.`, recordType: "contact", recordId: null, crmId: record.id }
                : {
                    code: decision.code,
                    message: `HubSpot contact ${record.id} shares its ${decision.via} with contact ${decision.contactId}, which is already linked to HubSpot contact ${decision.linkedTo}; it was skipped.`,
                    recordType: "contact",
                    recordId: decision.contactId,
                    crmId: record.id,
                    details: { linkedTo: decision.linkedTo, via: decision.via },
                  },
            ]);
            break;
          case "update": {
            await this.flushCreates();
            const contact = contacts.get(decision.contactId)!;
            if (this.twoWay) {
              const sides = this.remoteSides(record);
              const local = this.localSides(contact);
              const unsettled = (Object.keys(sides) as SyncedField[]).some((field) => needsTimes(local[field]?.value, sides[field]?.value));
              if (unsettled && !record.lastChanges) {
                needHistory.push({ contact, record });
                break;
              }
              const updated = await this.applyTwoWay(contact, record, resolveContact(Object.keys(sides) as SyncedField[], { local, remote: sides, pushed: this.pushedFor(contact.id) }), customerOf, lookups!);
              if (updated) remember(updated);
            } else {
              const updated = await this.applyInbound(contact, record, f, customerOf, lookups!);
              if (updated) remember(updated);
            }
            break;
          }
          case "link": {
            await this.flushCreates();
            const contact = contacts.get(decision.contactId)!;
            const linkedContact = this.dry ? { ...contact, externalId: record.id } : await linkExternalId(this.db, ws, contact.id, record.id);
            this.counts.linked++;
            this.plan.local.link++;
            this.sample({ action: "link", contactId: contact.id, crmId: record.id, name: contact.name, changes: {} });
            remember(linkedContact);
            const updated = this.twoWay
              ? await this.applyTwoWay(linkedContact, record, this.mergeSides(linkedContact, record), customerOf, lookups!)
              : await this.applyInbound(linkedContact, record, f, customerOf, lookups!);
            if (updated) remember(updated);
            break;
          }
          case "create": {
            const created = await this.createLocal(record, f, customerOf, lookups!);
            if (created) remember(created);
            else status = "error";
            break;
          }
        }
        outcomes.push({ crmId: record.id, status, crmModifiedAt: record.modifiedAt });
      }
      await this.flushCreates();

      if (needHistory.length === 0 && this.pending.length === 0) {
        await this.finishPage(outcomes);
        finished = true;
      }
    });
    if (finished) return;

    if (needHistory.length > 0) {
      const historyProps = Object.values(this.fields);
      const { records: withHistory } = await this.deps.source.getContacts(
        needHistory.map((n) => n.record.id),
        this.properties,
        historyProps,
      );
      const byId = new Map(withHistory.map((r) => [r.id, r]));
      await this.inPage(async () => {
        for (const { contact, record } of needHistory) {
          const full = byId.get(record.id) ?? record;
          const sides = this.remoteSides(full);
          const local = this.localSides(contacts.get(contact.id) ?? contact);
          const updated = await this.applyTwoWay(contacts.get(contact.id) ?? contact, full, resolveContact(Object.keys(sides) as SyncedField[], { local, remote: sides, pushed: this.pushedFor(contact.id) }), customerOf, lookups!);
          if (updated) remember(updated);
        }
      });
    }
    await this.flushPushes();
    await this.inPage(() => this.finishPage(outcomes));
  }

  private async finishPage(outcomes: { crmId: string; status: ContactSyncRecordStatus; crmModifiedAt: string | null }[]): Promise<void> {
    await this.flushInStep();
    if (!this.dry) await saveOutcomes(this.db, this.workspaceId, this.deps.provider, outcomes, this.checkpoint.passStartedAt);
    await this.progress();
  }

  /**
   * A CRM merge: ids merged into a record resolve to it. The crmsync contacts linked to the merged
   * ids are merged into the one linked to the survivor (or take its link when there is none); the
   * merge is remembered, so the merged id never brings a duplicate back.
   */
  private async applyCrmMerges(records: CrmContact[], linked: Map<string, ContactRecord>): Promise<void> {
    for (const record of records) {
      for (const mergedId of record.mergedIds) {
        const duplicate = linked.get(mergedId);
        if (!duplicate) continue;
        const survivor = linked.get(record.id);
        if (survivor && survivor.id === duplicate.id) continue;
        if (this.dry) continue;
        if (survivor) {
          // The CRM already merged the two records and its survivor's values are the merge's
          // result: what the local merge fills in is only a fallback for fields both CRM records
          // lacked, so it is stamped oldest-possible and any value the CRM holds wins over it.
          const result = await mergeContacts(this.db, this.workspaceId, survivor.id, duplicate.id, { mergedAt: new Date(0).toISOString() });
          linked.set(record.id, result);
        } else {
          linked.set(record.id, await linkExternalId(this.db, this.workspaceId, duplicate.id, record.id));
        }
        linked.delete(mergedId);
        this.counts.updated++;
      }
    }
  }

  /** What crmsync last pushed, for the page's linked contacts (one query a page). */
  private pushes = new Map<string, Record<string, { value: string; at: number }>>();

  private pushedFor(contactId: string): Partial<Record<SyncedField, { value: string; at: number }>> {
    return this.pushes.get(contactId) ?? {};
  }

  private mergeSides(contact: ContactRecord, record: CrmContact): Resolution {
    const local = this.localSides(contact);
    const remote = this.remoteSides(record);
    const values = (sides: Partial<Record<SyncedField, FieldSide>>): FieldValues => Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, v.value]));
    return mergeOnLink(Object.keys(remote) as SyncedField[], { values: values(local), createdAt: parseMs(contact.createdAt) ?? 0 }, { values: values(remote), createdAt: parseMs(record.createdAt) ?? 0 });
  }

  /** Handles the CRM gives that another crmsync contact holds: logged, and left out of the write. */
  private async clashes(f: CrmContactFacts, targetId: string | null, lookups: MatchLookups, crmId: string): Promise<{ email: boolean; phone: boolean }> {
    const found = handleClashes(f, targetId, lookups, this.matchOptions);
    await this.record(
      found.map((c) => ({
        code: c.code,
        message: `HubSpot contact ${crmId} has the ${c.code === "email_taken" ? "email" : "phone"} ${c.value}, which contact ${c.holderId} already uses; it was not written.`,
        recordType: "contact" as const,
        recordId: targetId ?? c.holderId,
        crmId,
        details: { value: c.value, holderId: c.holderId },
      })),
    );
    return { email: found.some((c) => c.code === "email_taken"), phone: found.some((c) => c.code === "phone_taken") };
  }

  private attach(contact: ContactRecord, record: CrmContact, customerOf: Map<string, string | null>): Partial<ContactInput> {
    const patch: Partial<ContactInput> = {};
    const tags = withLifecycleTag(contact.tags, trimmed(record.properties["lifecyclestage"]));
    if (tags.join("\n") !== contact.tags.join("\n")) patch.tags = tags;
    const customerId = customerOf.get(record.id) ?? null;
    if (contact.customerId === null && customerId !== null) patch.customerId = customerId;
    return patch;
  }

  private async writeLocal(
    contact: ContactRecord,
    patch: ContactInput,
    changedAt: Partial<Record<"firstName" | "lastName" | "emails" | "phones" | "tags" | "customerId", string>>,
    crmId: string,
    options: { pushPending?: boolean } = {},
  ): Promise<ContactRecord | null> {
    if (Object.keys(patch).length === 0) {
      // In step with the CRM, unless a push is still to go (it marks the contact when it lands).
      if (!this.dry && !options.pushPending) this.inStep.push(contact.id);
      return null;
    }
    this.plan.local.update++;
    this.sample({ action: "update_here", contactId: contact.id, crmId, name: contact.name, changes: Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? null)])) });
    if (this.dry) return { ...contact };
    if (this.twoWay) {
      // Edited in crmsync since this page was read: leave it, it is still pending and the next
      // pass settles it with the edit; writing now would mark the edit as synced unsent.
      const fresh = (await getContactsByIds(this.db, this.workspaceId, [contact.id])).get(contact.id);
      if (!fresh || fresh.updatedAt !== contact.updatedAt) return null;
    }
    try {
      const updated = await updateContact(this.db, this.workspaceId, contact.id, patch, { source: "sync", changedAt });
      if (updated.updatedAt !== contact.updatedAt) this.counts.updated++;
      return updated;
    } catch (error) {
      if (error instanceof AppError && (error.code === "email_taken" || error.code === "phone_taken")) {
        await this.record([{ code: error.code, message: error.message, recordType: "contact", recordId: contact.id, crmId, details: error.details }]);
        this.counts.failed++;
        return null;
      }
      throw error;
    }
  }

  /** Inbound: the CRM's non-empty values replace crmsync's (an empty one never wipes). */
  private async applyInbound(contact: ContactRecord, record: CrmContact, f: CrmContactFacts, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
    const clash = await this.clashes(f, contact.id, lookups, record.id);
    const patch: ContactInput = { ...this.attach(contact, record, customerOf) };
    const first = this.fields.firstName ? trimmed(record.properties[this.fields.firstName]) : null;
    const last = this.fields.lastName ? trimmed(record.properties[this.fields.lastName]) : null;
    if (first !== null && first !== contact.firstName) patch.firstName = first;
    if (last !== null && last !== contact.lastName) patch.lastName = last;
    if (this.fields.email && f.email && !clash.email && contact.emails[0] !== f.email) patch.emails = withPrimary(contact.emails, f.email, f.additionalEmails);
    if (this.fields.phone && f.phone && !clash.phone && contact.phones[0] !== f.phone) patch.phones = withPrimary(contact.phones, f.phone);
    const at = record.modifiedAt ?? this.now().toISOString();
    return this.writeLocal(contact, patch, { firstName: at, lastName: at, emails: at, phones: at }, record.id);
  }

  /** Two-way: pull what the CRM won now, queue what crmsync won for the CRM. */
  private async applyTwoWay(contact: ContactRecord, record: CrmContact, resolution: Resolution, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
    const now = this.now().toISOString();
    const patch: ContactInput = { ...this.attach(contact, record, customerOf) };
    const changedAt: Record<string, string> = {};
    const pulled = resolution.pull;
    const pulledFacts: CrmContactFacts = { id: record.id, email: pulled.email?.value ?? null, phone: pulled.phone?.value ?? null, lifecycleStage: null };
    const clash = await this.clashes(pulledFacts, contact.id, lookups, record.id);
    if (pulled.firstName) {
      patch.firstName = pulled.firstName.value;
      changedAt["firstName"] = iso(pulled.firstName.changedAt, now);
    }
    if (pulled.lastName) {
      patch.lastName = pulled.lastName.value;
      changedAt["lastName"] = iso(pulled.lastName.changedAt, now);
    }
    if (pulled.email && !clash.email) {
      patch.emails = withPrimary(contact.emails, pulled.email.value, this.facts(record).additionalEmails);
      changedAt["emails"] = iso(pulled.email.changedAt, now);
    }
    if (pulled.phone && !clash.phone) {
      patch.phones = withPrimary(contact.phones, pulled.phone.value);
      changedAt["phones"] = iso(pulled.phone.changedAt, now);
    }
    const push = { ...resolution.push };
    if (push.email !== undefined && !isValidEmail(push.email)) {
      await this.record([{ code: "invalid_email", message: `Contact ${contact.id}'s email "${push.email}" is not valid, so it was not sent to HubSpot.`, recordType: "contact", recordId: contact.id, crmId: record.id, details: { value: push.email } }]);
      delete push.email;
    }
    const updated = await this.writeLocal(contact, patch, changedAt, record.id, { pushPending: Object.keys(push).length > 0 });
    if (Object.keys(push).length > 0) this.pending.push({ contact: updated ?? contact, crmId: record.id, fields: push });
    return updated;
  }

  private async createLocal(record: CrmContact, f: CrmContactFacts, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
    const limit = this.deps.contactLimit ?? defaultContactLimit;
    if (this.contactCount >= limit) {
      // What the page created before the limit stays (the run stops, the page is not redone).
      await this.flushCreates();
      throw new ContactRunStopped("contact_limit_reached", `The workspace holds ${this.contactCount} contacts, the most allowed (${limit.toLocaleString("en")}); the run stopped.`);
    }
    const clash = await this.clashes(f, null, lookups, record.id);
    const first = this.fields.firstName ? trimmed(record.properties[this.fields.firstName]) : null;
    const last = this.fields.lastName ? trimmed(record.properties[this.fields.lastName]) : null;
    const input: ContactInput = {
      firstName: first,
      lastName: last,
      // The additional emails no other contact holds come along as secondary ones.
      emails: this.fields.email && f.email && !clash.email ? [f.email, ...(f.additionalEmails ?? []).filter((e) => lookups.byEmail(e) === undefined)] : [],
      phones: this.fields.phone && f.phone && !clash.phone ? [f.phone] : [],
      tags: withLifecycleTag([], f.lifecycleStage),
      customerId: customerOf.get(record.id) ?? null,
    };
    if ((input.emails ?? []).length === 0 && (input.phones ?? []).length === 0 && first === null && last === null) {
      await this.record([{ code: "contact_missing_handle", message: `HubSpot contact ${record.id} has nothing crmsync can store (no mapped email, phone or name).`, recordType: "contact", recordId: null, crmId: record.id }]);
      return null;
    }
    this.plan.local.create++;
    this.sample({ action: "create_here", contactId: null, crmId: record.id, name: [first, last].filter(Boolean).join(" "), changes: { email: input.emails?.[0] ?? null, phone: input.phones?.[0] ?? null } });
    this.contactCount++;
    if (this.dry) return null;
    const prepared = prepareContact(input, { source: "sync", externalId: record.id, ...(record.modifiedAt ? { changedAt: record.modifiedAt } : {}) });
    this.creates.push(prepared);
    this.counts.created++;
    return prepared.record;
  }

  /**
   * Stores the contacts created since the last flush in one batch. Creation is deferred so a page
   * of new contacts costs a few multi-row statements; the page's later matching already sees them
   * (remember()), and any write that reads a contact back runs after a flush.
   */
  private async flushCreates(): Promise<void> {
    if (this.creates.length === 0) return;
    const batch = this.creates;
    this.creates = [];
    await insertContacts(this.db, this.workspaceId, batch);
  }

  // ---- writes to the CRM ------------------------------------------------------------------------

  /** Takes up to `n` writes from the run's cap; the rest waits for the next run. */
  private takeWrites(n: number): number {
    const left = Math.max(0, this.settings.maxWritesPerRun - this.checkpoint.writes);
    const granted = Math.min(n, left);
    if (granted < n) this.capped = true;
    this.checkpoint.writes += granted;
    return granted;
  }

  private properties_(fields: Partial<Record<SyncedField, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(fields) as [SyncedField, string][]) {
      const property = this.fields[field];
      if (property) out[property] = value;
    }
    return out;
  }

  private async flushInStep(): Promise<void> {
    if (this.inStep.length === 0) return;
    const ids = this.inStep;
    this.inStep = [];
    await markContactsSynced(this.db, this.workspaceId, ids, this.pageReadAt);
  }

  private async flushPushes(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    const granted = this.takeWrites(pending.length);
    const go = pending.slice(0, granted);
    this.counts.skipped += pending.length - granted;
    // Past the cap: still "changed in crmsync", so the next run pushes them.
    if (!this.dry) await markContactsUnsynced(this.db, this.workspaceId, pending.slice(granted).map((p) => p.contact.id));
    this.plan.crm.update += go.length;
    for (const p of go) this.sample({ action: "update_in_crm", contactId: p.contact.id, crmId: p.crmId, name: p.contact.name, changes: p.fields });
    if (this.dry || go.length === 0) return;
    const readAt = this.pageReadAt;
    const results = await this.deps.source.updateContacts(go.map((p) => ({ id: p.crmId, properties: this.properties_(p.fields) })));
    await this.inPage(async () => {
      const remembered: { contactId: string; field: string; value: string; at: number }[] = [];
      const synced: string[] = [];
      for (const [i, result] of results.entries()) {
        const p = go[i]!;
        if (isWriteFailure(result)) {
          await this.writeFailed(p.contact, p.crmId, p.fields, result);
          continue;
        }
        const at = parseMs(result.modifiedAt) ?? Date.now();
        for (const [field, value] of Object.entries(p.fields)) remembered.push({ contactId: p.contact.id, field, value, at });
        synced.push(p.contact.id);
        this.counts.updated++;
        this.counts.crmUpdated++;
      }
      await rememberPushes(this.db, this.workspaceId, this.deps.provider, remembered);
      await markContactsSynced(this.db, this.workspaceId, synced, readAt);
    });
  }

  private async writeFailed(contact: ContactRecord, crmId: string | null, fields: Partial<Record<SyncedField, string>>, failure: ContactWriteFailure): Promise<void> {
    this.counts.failed++;
    if (failure.reason === "missing" && crmId !== null) {
      await this.markDeleted([crmId]);
      await markContactsSynced(this.db, this.workspaceId, [contact.id], this.now().toISOString());
      return;
    }
    if (failure.reason === "conflict" && fields.email !== undefined) {
      await this.record([{ code: "email_taken", message: `HubSpot already has another contact with the email ${fields.email}: ${failure.message}`, recordType: "contact", recordId: contact.id, crmId, details: { value: fields.email } }]);
      return;
    }
    if (fields.email !== undefined && /email/i.test(failure.message)) {
      await this.record([{ code: "invalid_email", message: `HubSpot refused the email ${fields.email}: ${failure.message}`, recordType: "contact", recordId: contact.id, crmId, details: { value: fields.email } }]);
    }
  }

  /** crmsync contacts not in the CRM yet: linked to a CRM contact with the same email, or created there. */
  private async createMissing(): Promise<void> {
    this.ensureProperties();
    let after = this.checkpoint.cursor;
    for (;;) {
      this.pageReadAt = this.now().toISOString();
      const page = await listContactsForSync(this.db, this.workspaceId, { kind: "unlinked", afterId: after, limit: readBatch, createdSince: this.checkpoint.createdSince ?? undefined });
      if (page.length === 0) break;
      await this.pushPage(page.filter((c) => !this.dryTouched.has(c.id)));
      after = page[page.length - 1]!.id;
      await this.save({ cursor: after });
    }
    await this.save({ phase: this.nextAfter("create"), cursor: null });
  }

  private async pushPage(page: ContactRecord[]): Promise<void> {
    const ws = this.workspaceId;
    const candidates: { contact: ContactRecord; email: string | null; phone: string | null }[] = [];
    for (const contact of page) {
      let email = this.fields.email ? (contact.emails[0] ?? null) : null;
      const phone = this.fields.phone ? (contact.phones[0] ?? null) : null;
      if (email !== null && !isValidEmail(email)) {
        await this.record([{ code: "invalid_email", message: `Contact ${contact.id}'s email "${email}" is not valid, so it was not sent to HubSpot.`, recordType: "contact", recordId: contact.id, crmId: null, details: { value: email } }]);
        email = null;
      }
      // Matching needs a handle on both sides (§4.3): a contact with neither stays here.
      if (email === null && phone === null) {
        this.counts.skipped++;
        this.plan.skipped++;
        continue;
      }
      candidates.push({ contact, email, phone });
    }
    if (candidates.length === 0) return;

    // Same person created on both sides (same email): link, older canonical, instead of a duplicate.
    const existing = await this.deps.source.findByEmails(candidates.flatMap((c) => (c.email ? [c.email] : [])), this.properties);
    const byEmail = new Map<string, CrmContact>();
    for (const record of existing) {
      const email = crmEmail(record.properties["email"]);
      if (email) byEmail.set(email, record);
    }
    const owners = await listContactsByExternalIds(this.db, ws, existing.map((r) => r.id));
    const creates: typeof candidates = [];
    for (const candidate of candidates) {
      const record = candidate.email ? byEmail.get(candidate.email) : undefined;
      if (!record) {
        creates.push(candidate);
        continue;
      }
      const owner = owners.get(record.id);
      if (owner && owner.id !== candidate.contact.id) {
        await this.record([
          {
            code: "email_taken",
            message: `HubSpot contact ${record.id} has the email ${candidate.email}, and it is linked to contact ${owner.id}; contact ${candidate.contact.id} was not pushed.`,
            recordType: "contact",
            recordId: candidate.contact.id,
            crmId: record.id,
            details: { value: candidate.email, holderId: owner.id },
          },
        ]);
        continue;
      }
      const linkedContact = this.dry ? { ...candidate.contact, externalId: record.id } : await linkExternalId(this.db, ws, candidate.contact.id, record.id);
      this.counts.linked++;
      this.plan.local.link++;
      this.sample({ action: "link", contactId: candidate.contact.id, crmId: record.id, name: candidate.contact.name, changes: {} });
      const lookups: MatchLookups = { byExternalId: () => undefined, byEmail: () => undefined, byPhone: () => undefined, mergedAway: () => false };
      await this.applyTwoWay(linkedContact, record, this.mergeSides(linkedContact, record), new Map(), lookups);
      if (!this.dry) await saveOutcomes(this.db, ws, this.deps.provider, [{ crmId: record.id, status: "linked", crmModifiedAt: record.modifiedAt }], this.checkpoint.passStartedAt);
    }
    await this.flushPushes();
    await this.flushInStep();

    const granted = this.takeWrites(creates.length);
    const go = creates.slice(0, granted);
    this.counts.skipped += creates.length - granted;
    this.plan.crm.create += go.length;
    const companies = await companyOfCustomers(this.db, ws, go.flatMap((c) => (c.contact.customerId ? [c.contact.customerId] : [])));
    const inputs = go.map((c) => {
      const { first, last } = splitName(c.contact);
      const fields: Partial<Record<SyncedField, string>> = {};
      if (first !== null) fields.firstName = first;
      if (last !== null) fields.lastName = last;
      if (c.email !== null) fields.email = c.email;
      if (c.phone !== null) fields.phone = c.phone;
      this.sample({ action: "create_in_crm", contactId: c.contact.id, crmId: null, name: c.contact.name, changes: fields });
      return { contact: c.contact, fields, companyId: c.contact.customerId ? (companies.get(c.contact.customerId) ?? null) : null };
    });
    if (this.dry || inputs.length === 0) {
      await this.progress();
      return;
    }
    const readAt = this.pageReadAt;
    const results = await this.deps.source.createContacts(inputs.map((i) => ({ properties: this.properties_(i.fields), companyId: i.companyId })));
    const remembered: { contactId: string; field: string; value: string; at: number }[] = [];
    const outcomes: { crmId: string; status: ContactSyncRecordStatus; crmModifiedAt: string | null }[] = [];
    for (const [i, result] of results.entries()) {
      const input = inputs[i]!;
      if (isWriteFailure(result)) {
        await this.writeFailed(input.contact, null, input.fields, result);
        continue;
      }
      await linkExternalId(this.db, ws, input.contact.id, result.id, { syncedAt: readAt });
      const at = parseMs(result.modifiedAt) ?? parseMs(result.createdAt) ?? Date.now();
      for (const [field, value] of Object.entries(input.fields)) remembered.push({ contactId: input.contact.id, field, value, at });
      outcomes.push({ crmId: result.id, status: "linked", crmModifiedAt: result.modifiedAt });
      this.counts.created++;
      this.counts.crmCreated++;
    }
    await rememberPushes(this.db, ws, this.deps.provider, remembered);
    await saveOutcomes(this.db, ws, this.deps.provider, outcomes, this.checkpoint.passStartedAt);
    await this.progress();
  }

  summary(): string {
    const c = this.counts;
    const kind = this.checkpoint.kind === "contacts" ? "Inbound contact sync" : this.checkpoint.kind === "reconcile" ? "Reconcile" : "Push";
    const parts = [`${kind} (${this.checkpoint.mode})`];
    if (this.checkpoint.kind !== "contacts") parts.push(`${c.crmCreated} created and ${c.crmUpdated} updated in HubSpot`);
    if (this.capped) parts.push(`stopped at the cap of ${this.settings.maxWritesPerRun} HubSpot writes; the rest goes out at the next run`);
    return parts.join("; ");
  }
}

