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
import { crmEmail, type MatchLookups } from "../../core/contact-matching.ts";
import type { SyncedField } from "../../core/conflicts.ts";
import { isValidEmail } from "../../core/handles.ts";
import {
  companyOfCustomers,
  markInSource,
  rememberPushes,
  saveOutcomes,
  sourceRecords,
  type SourceRecord,
} from "../../db/repositories/contact-sync-state.ts";
import {
  countContacts,
  linkExternalId,
  listContactsByExternalIds,
  listContactsForSync,
  markContactsSynced,
  type ContactRecord,
} from "../../db/repositories/contacts.ts";
import { accountSyncHasFinished } from "../account-sync.ts";
import { listLinkedCustomers } from "../../db/repositories/customer-links.ts";
import { getSyncSettings } from "../../db/repositories/sync-settings.ts";
import { countRunErrors } from "../../db/repositories/sync-runs.ts";
import { getWorkspaceSettings } from "../../db/repositories/workspace-settings.ts";
import type { CountryCode } from "libphonenumber-js";
import type { ContactSyncRecordStatus } from "../../db/schema.ts";
import { ConnectorError } from "../../core/errors.ts";
import { isWriteFailure, type CrmContact } from "../ports.ts";
import { CrmPage } from "./crm-page.ts";
import type { ErrorInput } from "./run-book.ts";
import { mappedFields } from "./settings.ts";
import { ContactRunStopped, defaultContactLimit, parseMs, splitName, type Phase } from "./types.ts";

const readBatch = 100;
const customerBatch = 1000;
const sourceBuffer = 500;

export class ContactRun extends CrmPage {
  async execute(): Promise<void> {
    this.fields = mappedFields(this.settings.mapping);
    if (this.run) this.errors = await countRunErrors(this.db, this.run.id);
    this.contactCount = await countContacts(this.db, this.workspaceId);
    const workspace = await getWorkspaceSettings(this.db, this.workspaceId);
    this.phoneCountry = (workspace.defaultCountry ?? undefined) as CountryCode | undefined;
    this.contactLimit = this.deps.contactLimit ?? workspace.contactLimit ?? defaultContactLimit;
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

  protected nextAfter(phase: Phase): Phase {
    const { kind, mode } = this.checkpoint;
    const order: Phase[] =
      kind === "push" ? ["check", "create", "done"] : kind === "contacts" ? ["check", "source", "changes", "done"] : ["check", "source", "changes", "linked", "local", "create", "done"];
    let next = order[order.indexOf(phase) + 1] ?? "done";
    if (next === "changes" && mode === "full") next = order[order.indexOf("changes") + 1] ?? "done";
    if (next === "linked" && mode === "incremental") next = order[order.indexOf("linked") + 1] ?? "done";
    return next;
  }

  protected async check(): Promise<void> {
    const names = await this.deps.source.contactPropertyNames();
    const missing: ErrorInput[] = [];
    for (const [field, property] of Object.entries(this.fields) as [SyncedField, string][]) {
      if (names.has(property)) continue;
      // That field stops syncing; the rest goes on (§4.2).
      delete this.fields[field];
      missing.push({
        code: "crm_field_not_found",
        message: `The ${this.deps.crmName} contact property "${property}" mapped to ${field} no longer exists; ${field} is not synced until the mapping changes.`,
        recordType: "field",
        recordId: field,
        crmId: null,
        details: { field, property },
      });
    }
    await this.record(missing);
    this.properties = [...new Set(Object.values(this.fields))];
    if (this.checkpoint.kind !== "push") {
      const source = this.settings.source;
      if (source.kind === "list") {
        if (!(await this.deps.source.listExists(source.listId))) throw new ContactRunStopped("crm_list_not_found", `The ${this.deps.crmName} list ${source.listId} no longer exists; choose another list.`);
      } else {
        const account = await getSyncSettings(this.db, this.workspaceId, this.deps.provider);
        if (!account.accountSyncEnabled) throw new ContactRunStopped("account_sync_failed", `The synced-companies source needs account sync (${this.deps.crmName} Sync) on.`);
        if (!(await accountSyncHasFinished(this.db, this.workspaceId, this.deps.provider))) throw new ContactRunStopped("account_sync_failed", "Account sync has not finished a run yet, so there are no linked companies to read contacts from.");
      }
    }
    await this.save({ phase: this.nextAfter("check"), cursor: null });
  }

  protected async readSource(): Promise<void> {
    this.ensureProperties();
    const source = this.settings.source;
    if (source.kind === "list") {
      try {
        if (this.deps.source.listMembersByJoinTime) {
          while (!(await this.readJoinOrder(source.listId)));
        } else {
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
        }
      } catch (error) {
        if (error instanceof ConnectorError && error.code === "list_not_found") throw new ContactRunStopped("crm_list_not_found", `The ${this.deps.crmName} list ${source.listId} no longer exists; choose another list.`);
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

  /**
   * The list's members in join order, buffered and saved as readSource's loop does, remembering
   * the last page read. An incremental pass starts at the previous pass's last page, so it reads
   * the members who joined since (a member who left and came back joins again). A cursor is
   * opaque: if the first page neither holds that page's newest member nor starts before it, the
   * cursor may have moved past members who joined since, and the pass starts over from the
   * first member (false is returned; members already read are not read again).
   */
  protected async readJoinOrder(listId: string): Promise<boolean> {
    const { memberTail, tailUnchecked } = this.checkpoint;
    let check = tailUnchecked === true && memberTail ? memberTail : null;
    let tail = memberTail ?? null;
    let buffered: string[] = [];
    const from = this.checkpoint.cursor ?? check?.cursor ?? null;
    for await (const page of this.deps.source.listMembersByJoinTime!(listId, from)) {
      if (check !== null) {
        const first = page.members[0];
        const held = check.cursor === null || page.members.some((m) => m.id === check!.id) || (first !== undefined && first.joinedAt < check.joinedAt);
        if (!held) {
          await this.save({ cursor: null, tailUnchecked: false });
          return false;
        }
        check = null;
      }
      const newest = page.members[page.members.length - 1];
      if (newest) tail = { listId, cursor: page.readWith, joinedAt: newest.joinedAt, id: newest.id };
      buffered.push(...page.members.map((m) => m.id));
      if (buffered.length < sourceBuffer && page.cursor !== null) continue;
      await this.sourcePage(buffered.map((crmId) => ({ crmId, customerId: null })));
      buffered = [];
      await this.save({ cursor: page.cursor, memberTail: tail, tailUnchecked: false });
    }
    return true;
  }

  protected async sourcePage(members: { crmId: string; customerId: string | null }[]): Promise<void> {
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
      await this.processRecords(records, customerOf, known, () => this.markDeleted(missing));
    }
  }

  protected async readChanges(): Promise<void> {
    this.ensureProperties();
    const { passStartedAt, memberSince } = this.checkpoint;
    for await (const records of this.deps.source.contactsModifiedSince({ sinceMs: this.checkpoint.sinceMs ?? 0, properties: this.properties })) {
      this.pageReadAt = this.now().toISOString();
      const known = await sourceRecords(this.db, this.workspaceId, this.deps.provider, records.map((r) => r.id));
      const linked = this.twoWay ? await listContactsByExternalIds(this.db, this.workspaceId, records.map((r) => r.id)) : new Map<string, ContactRecord>();
      // In the source (this pass, or since the last full one when only new members are read), or
      // (two-way) linked already, e.g. a contact crmsync pushed; and
      // not already handled at this version (the overlap re-reads the last minutes' changes).
      const relevant = records.filter((r) => {
        const rec = known.get(r.id);
        if (rec && rec.crmModifiedAt !== null && rec.crmModifiedAt === r.modifiedAt) return false;
        return (rec !== undefined && rec.seenAt >= (memberSince ?? passStartedAt)) || linked.has(r.id);
      });
      // Changes outside the source are none of this run's business: not read, not skipped.
      const customerOf = new Map(relevant.map((r) => [r.id, known.get(r.id)?.customerId ?? null]));
      await this.processRecords(relevant, customerOf, known);
    }
    await this.save({ phase: this.nextAfter("changes"), cursor: null });
  }

  /** Full reconcile: linked contacts the source did not show (pushed ones, deleted ones). */
  protected async readLinked(): Promise<void> {
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
  protected async readLocal(): Promise<void> {
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

  protected async readLinkedContacts(contacts: ContactRecord[], known: Map<string, SourceRecord>): Promise<void> {
    if (contacts.length === 0) return;
    const { records, missing } = await this.deps.source.getContacts(
      contacts.map((c) => c.externalId!),
      this.properties,
    );
    await this.processRecords(records, new Map(records.map((r) => [r.id, known.get(r.id)?.customerId ?? null])), known, async () => {
      await this.markDeleted(missing);
      if (!this.dry) {
        const gone = new Set(missing);
        await markContactsSynced(this.db, this.workspaceId, contacts.filter((c) => gone.has(c.externalId!)).map((c) => c.id), this.now().toISOString());
      }
    });
  }

  /** crmsync contacts not in the CRM yet: linked to a CRM contact with the same email, or created there. */
  protected async createMissing(): Promise<void> {
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

  protected async pushPage(page: ContactRecord[]): Promise<void> {
    const ws = this.workspaceId;
    const candidates: { contact: ContactRecord; email: string | null; phone: string | null }[] = [];
    for (const contact of page) {
      let email = this.fields.email ? (contact.emails[0] ?? null) : null;
      const phone = this.fields.phone ? (contact.phones[0] ?? null) : null;
      if (email !== null && !isValidEmail(email)) {
        await this.record([{ code: "invalid_email", message: `Contact ${contact.id}'s email "${email}" is not valid, so it was not sent to ${this.deps.crmName}.`, recordType: "contact", recordId: contact.id, crmId: null, details: { value: email } }]);
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
      const email = crmEmail(record.email);
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
            message: `${this.deps.crmName} contact ${record.id} has the email ${candidate.email}, and it is linked to contact ${owner.id}; contact ${candidate.contact.id} was not pushed.`,
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
    if (this.checkpoint.kind !== "contacts") parts.push(`${c.crmCreated} created and ${c.crmUpdated} updated in ${this.deps.crmName}`);
    if (this.capped) parts.push(`stopped at the cap of ${this.settings.maxWritesPerRun} ${this.deps.crmName} writes; the rest goes out at the next run`);
    return parts.join("; ");
  }
}
