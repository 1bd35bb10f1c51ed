// One page of CRM contacts into crmsync (product spec §4.3, §4.4): match each, then create, link or
// update locally (inbound: the CRM's non-empty values win; two-way: per-field last writer wins),
// queueing what crmsync won for the CRM. A page's local writes commit together; CRM calls (history
// reads, pushes) wait outside the transaction.
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
} from "../../core/contact-matching.ts";
import {
  isEmpty,
  mergeOnLink,
  needsTimes,
  resolveContact,
  type FieldSide,
  type FieldValues,
  type Resolution,
  type SyncedField,
} from "../../core/conflicts.ts";
import { AppError } from "../../core/errors.ts";
import { isValidEmail } from "../../core/handles.ts";
import { pushMemory, saveOutcomes, type SourceRecord } from "../../db/repositories/contact-sync-state.ts";
import {
  contactIdsByHandles,
  getContactsByIds,
  insertContacts,
  linkExternalId,
  listContactsByExternalIds,
  mergeContacts,
  mergedAwayExternalIds,
  prepareContact,
  updateContact,
  type ContactInput,
  type ContactRecord,
} from "../../db/repositories/contacts.ts";
import type { ContactSyncRecordStatus } from "../../db/schema.ts";
import type { CrmContact } from "../ports.ts";
import { CrmWrites } from "./crm-writes.ts";
import type { ErrorInput } from "./run-book.ts";
import { ContactRunStopped, fieldColumn, iso, parseMs, trimmed } from "./types.ts";

/** Not changed in crmsync since it was last in step with the CRM (sync writes stamp both times alike). */
function localInStep(contact: ContactRecord): boolean {
  return contact.lastSyncedAt !== null && contact.updatedAt <= contact.lastSyncedAt;
}

/**
 * The change time stamped on what crmsync fills in when it follows a CRM merge: the oldest possible,
 * so it marks such a value (FieldSide.filledByCrmMerge) as well as dating it.
 */
const crmMergeFillMs = 0;

/**
 * Not changed in the CRM since crmsync last took this record in: the CRM's own modification time
 * is the one crmsync saw then (both from the CRM's clock). A record crmsync wrote to since has a
 * later time, so it is never taken as unchanged.
 */
function crmInStep(record: CrmContact, lastSeenModifiedAt: string | null | undefined): boolean {
  if (!lastSeenModifiedAt || !record.modifiedAt) return false;
  const seen = parseMs(lastSeenModifiedAt);
  return seen !== null && seen === parseMs(record.modifiedAt);
}

export class CrmPage extends CrmWrites {
  protected facts(record: CrmContact): CrmContactFacts {
    const p = record.properties;
    const email = crmEmail(this.fields.email ? p[this.fields.email] : record.email);
    const rawPhone = this.fields.phone ? p[this.fields.phone] : record.phone;
    const phone = crmPhone(rawPhone, this.phoneCountry);
    if (phone === null && rawPhone && !isEmpty(rawPhone)) this.unreadablePhones.set(record.id, rawPhone);
    return {
      id: record.id,
      email,
      phone,
      lifecycleStage: trimmed(record.lifecycleStage),
      // The CRM's other addresses of the person go with its own email only: when the mapped
      // property holds another address, they are not this one's.
      additionalEmails: this.fields.email === undefined || p[this.fields.email] === record.email ? crmAdditionalEmails(record.additionalEmails, email) : [],
    };
  }

  /** The CRM's values of the mapped fields, normalised; an unreadable email or phone is left out. */
  protected remoteSides(record: CrmContact): Partial<Record<SyncedField, FieldSide>> {
    const out: Partial<Record<SyncedField, FieldSide>> = {};
    const modified = parseMs(record.modifiedAt);
    for (const [field, property] of Object.entries(this.fields) as [SyncedField, string][]) {
      const raw = record.properties[property] ?? null;
      let value: string | null = trimmed(raw);
      if (value !== null && field === "email") value = crmEmail(value);
      if (value !== null && field === "phone") value = crmPhone(value, this.phoneCountry);
      // A value crmsync cannot read is neither pulled nor overwritten.
      if (value === null && !isEmpty(raw)) continue;
      const change = record.lastChanges?.[property];
      out[field] = { value, changedAt: change === undefined ? (record.lastChanges ? null : modified) : (change?.at ?? null) };
    }
    return out;
  }

  protected localSides(contact: ContactRecord): Partial<Record<SyncedField, FieldSide>> {
    const values: Record<SyncedField, string | null> = { firstName: contact.firstName, lastName: contact.lastName, email: contact.emails[0] ?? null, phone: contact.phones[0] ?? null };
    const out: Partial<Record<SyncedField, FieldSide>> = {};
    for (const field of Object.keys(this.fields) as SyncedField[]) {
      const changedAt = parseMs(contact.fieldChangedAt[fieldColumn[field]]);
      out[field] = changedAt === crmMergeFillMs ? { value: values[field], changedAt, filledByCrmMerge: true } : { value: values[field], changedAt };
    }
    return out;
  }

  /**
   * A CRM contact whose handle belongs to a contact already linked to another CRM contact. When
   * that contact was taken in by this same pass, two CRM contacts claim one email or phone right
   * now (`email_taken` / `phone_taken`, §4.3); a link from an earlier pass is
   * `contact_already_linked`, whatever the other CRM contact holds today.
   */
  private handleTakenError(crmId: string, taken: { contactId: string; linkedTo: string; via: "email" | "phone" }, holder: ContactRecord | undefined): ErrorInput {
    const syncedMs = parseMs(holder?.lastSyncedAt);
    const thisPass = syncedMs !== null && syncedMs >= parseMs(this.checkpoint.passStartedAt)!;
    const crm = this.deps.crmName;
    if (thisPass) {
      return {
        code: taken.via === "email" ? "email_taken" : "phone_taken",
        message: `${crm} contacts ${taken.linkedTo} and ${crmId} have the same ${taken.via}; the first was taken into contact ${taken.contactId} and ${crmId} was skipped.`,
        recordType: "contact",
        recordId: taken.contactId,
        crmId,
        details: { linkedTo: taken.linkedTo, via: taken.via },
      };
    }
    return {
      code: "contact_already_linked",
      message: `${crm} contact ${crmId} shares its ${taken.via} with contact ${taken.contactId}, which is already linked to ${crm} contact ${taken.linkedTo}; it was skipped.`,
      recordType: "contact",
      recordId: taken.contactId,
      crmId,
      details: { linkedTo: taken.linkedTo, via: taken.via },
    };
  }

  /**
   * `seen`: the source bookkeeping of these records as the caller read it before the page (two-way
   * compares each record's CRM modification time with the one crmsync saw when it last took it in).
   */
  protected async processRecords(
    records: CrmContact[],
    customerOf: Map<string, string | null>,
    seen: ReadonlyMap<string, SourceRecord>,
    before?: () => Promise<void>,
  ): Promise<void> {
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
      await this.recordUnreadablePhones();
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
                ? { code: decision.code, message: `${this.deps.crmName} contact ${record.id} has no email and no usable phone, so it was not imported.`, recordType: "contact", recordId: null, crmId: record.id }
                : this.handleTakenError(record.id, decision, contacts.get(decision.contactId)),
            ]);
            break;
          case "update": {
            await this.flushCreates();
            const contact = contacts.get(decision.contactId)!;
            if (this.twoWay) {
              const sides = this.remoteSides(record);
              const local = this.localSides(contact);
              // Only a contact changed on both sides needs the CRM's change times (history).
              const inStep = localInStep(contact);
              const remoteInStep = !inStep && crmInStep(record, seen.get(record.id)?.crmModifiedAt);
              const unsettled = !inStep && !remoteInStep && (Object.keys(sides) as SyncedField[]).some((field) => needsTimes(local[field]?.value, sides[field]?.value));
              if (unsettled && !record.lastChanges) {
                needHistory.push({ contact, record });
                break;
              }
              const updated = await this.applyTwoWay(
                contact,
                record,
                resolveContact(Object.keys(sides) as SyncedField[], { local, remote: sides, pushed: this.pushedFor(contact.id), localInStep: inStep, remoteInStep }),
                customerOf,
                lookups!,
              );
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

  protected async finishPage(outcomes: { crmId: string; status: ContactSyncRecordStatus; crmModifiedAt: string | null }[]): Promise<void> {
    await this.flushInStep();
    if (!this.dry) await saveOutcomes(this.db, this.workspaceId, this.deps.provider, outcomes, this.checkpoint.passStartedAt);
    await this.progress();
  }

  /**
   * A CRM merge: ids merged into a record resolve to it. The crmsync contacts linked to the merged
   * ids are merged into the one linked to the survivor (or take its link when there is none); the
   * merge is remembered, so the merged id never brings a duplicate back.
   */
  protected async applyCrmMerges(records: CrmContact[], linked: Map<string, ContactRecord>): Promise<void> {
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
          const result = await mergeContacts(this.db, this.workspaceId, survivor.id, duplicate.id, { mergedAt: new Date(crmMergeFillMs).toISOString() });
          linked.set(record.id, result);
        } else {
          linked.set(record.id, await linkExternalId(this.db, this.workspaceId, duplicate.id, record.id));
        }
        linked.delete(mergedId);
        this.counts.updated++;
      }
    }
  }

  protected mergeSides(contact: ContactRecord, record: CrmContact): Resolution {
    const local = this.localSides(contact);
    const remote = this.remoteSides(record);
    const values = (sides: Partial<Record<SyncedField, FieldSide>>): FieldValues => Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, v.value]));
    return mergeOnLink(Object.keys(remote) as SyncedField[], { values: values(local), createdAt: parseMs(contact.createdAt) ?? 0 }, { values: values(remote), createdAt: parseMs(record.createdAt) ?? 0 });
  }

  /** Handles the CRM gives that another crmsync contact holds: logged, and left out of the write. */
  protected async clashes(f: CrmContactFacts, targetId: string | null, lookups: MatchLookups, crmId: string): Promise<{ email: boolean; phone: boolean }> {
    const found = handleClashes(f, targetId, lookups, this.matchOptions);
    await this.record(
      found.map((c) => ({
        code: c.code,
        message: `${this.deps.crmName} contact ${crmId} has the ${c.code === "email_taken" ? "email" : "phone"} ${c.value}, which contact ${c.holderId} already uses; it was not written.`,
        recordType: "contact" as const,
        recordId: targetId ?? c.holderId,
        crmId,
        details: { value: c.value, holderId: c.holderId },
      })),
    );
    return { email: found.some((c) => c.code === "email_taken"), phone: found.some((c) => c.code === "phone_taken") };
  }

  protected attach(contact: ContactRecord, record: CrmContact, customerOf: Map<string, string | null>): Partial<ContactInput> {
    const patch: Partial<ContactInput> = {};
    const tags = withLifecycleTag(contact.tags, trimmed(record.lifecycleStage));
    if (tags.join("\n") !== contact.tags.join("\n")) patch.tags = tags;
    const customerId = customerOf.get(record.id) ?? null;
    if (contact.customerId === null && customerId !== null) patch.customerId = customerId;
    return patch;
  }

  protected async writeLocal(
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
  protected async applyInbound(contact: ContactRecord, record: CrmContact, f: CrmContactFacts, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
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
  protected async applyTwoWay(contact: ContactRecord, record: CrmContact, resolution: Resolution, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
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
      await this.record([{ code: "invalid_email", message: `Contact ${contact.id}'s email "${push.email}" is not valid, so it was not sent to ${this.deps.crmName}.`, recordType: "contact", recordId: contact.id, crmId: record.id, details: { value: push.email } }]);
      delete push.email;
    }
    const updated = await this.writeLocal(contact, patch, changedAt, record.id, { pushPending: Object.keys(push).length > 0 });
    if (Object.keys(push).length > 0) this.pending.push({ contact: updated ?? contact, crmId: record.id, fields: push });
    return updated;
  }

  /** A phone that could not be read is reported (phone_invalid), never dropped silently; the rest of the contact goes on. */
  private async recordUnreadablePhones(): Promise<void> {
    const unreadable = [...this.unreadablePhones];
    this.unreadablePhones.clear();
    const country = this.phoneCountry ? ` as a number of ${this.phoneCountry}` : " (no default country is set, so only numbers starting with + are read)";
    await this.record(
      unreadable.map(([crmId, raw]) => ({
        code: "phone_invalid" as const,
        message: `The phone "${raw}" of ${this.deps.crmName} contact ${crmId} could not be read${country}; it was not imported.`,
        recordType: "contact",
        recordId: null,
        crmId,
        details: { phone: raw, ...(this.phoneCountry ? { country: this.phoneCountry } : {}) },
      })),
    );
  }

  protected async createLocal(record: CrmContact, f: CrmContactFacts, customerOf: Map<string, string | null>, lookups: MatchLookups): Promise<ContactRecord | null> {
    const limit = this.contactLimit;
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
      await this.record([{ code: "contact_missing_handle", message: `${this.deps.crmName} contact ${record.id} has nothing crmsync can store (no mapped email, phone or name).`, recordType: "contact", recordId: null, crmId: record.id }]);
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
  protected async flushCreates(): Promise<void> {
    if (this.creates.length === 0) return;
    const batch = this.creates;
    this.creates = [];
    await insertContacts(this.db, this.workspaceId, batch);
  }
}
