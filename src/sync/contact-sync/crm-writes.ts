// Writes to the CRM during a contact-sync run (two-way): updates that crmsync's side won, in
// batches within the per-run cap, with what was pushed remembered so it never echoes back as a
// CRM edit (product spec §4.4: safety before writing, no echo).
import type { SyncedField } from "../../core/conflicts.ts";
import { rememberPushes } from "../../db/repositories/contact-sync-state.ts";
import { markContactsSynced, markContactsUnsynced, type ContactRecord } from "../../db/repositories/contacts.ts";
import { isWriteFailure, type ContactWriteFailure } from "../ports.ts";
import { RunBook } from "./run-book.ts";
import { parseMs } from "./types.ts";

export class CrmWrites extends RunBook {
  /** What crmsync last pushed, for the page's linked contacts (one query a page). */
  protected pushes = new Map<string, Record<string, { value: string; at: number }>>();

  protected pushedFor(contactId: string): Partial<Record<SyncedField, { value: string; at: number }>> {
    return this.pushes.get(contactId) ?? {};
  }

  /** Takes up to `n` writes from the run's cap; the rest waits for the next run. */
  protected takeWrites(n: number): number {
    const left = Math.max(0, this.settings.maxWritesPerRun - this.checkpoint.writes);
    const granted = Math.min(n, left);
    if (granted < n) this.capped = true;
    this.checkpoint.writes += granted;
    return granted;
  }

  protected properties_(fields: Partial<Record<SyncedField, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(fields) as [SyncedField, string][]) {
      const property = this.fields[field];
      if (property) out[property] = value;
    }
    return out;
  }

  protected async flushPushes(): Promise<void> {
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

  protected async writeFailed(contact: ContactRecord, crmId: string | null, fields: Partial<Record<SyncedField, string>>, failure: ContactWriteFailure): Promise<void> {
    this.counts.failed++;
    if (failure.reason === "missing" && crmId !== null) {
      await this.markDeleted([crmId]);
      await markContactsSynced(this.db, this.workspaceId, [contact.id], this.now().toISOString());
      return;
    }
    if (failure.reason === "conflict" && fields.email !== undefined) {
      await this.record([{ code: "email_taken", message: `${this.deps.crmName} already has another contact with the email ${fields.email}: ${failure.message}`, recordType: "contact", recordId: contact.id, crmId, details: { value: fields.email } }]);
      return;
    }
    const aboutEmail = failure.property === undefined || failure.property === this.fields.email;
    if (fields.email !== undefined && aboutEmail && /email/i.test(failure.message)) {
      await this.record([{ code: "invalid_email", message: `${this.deps.crmName} refused the email ${fields.email}: ${failure.message}`, recordType: "contact", recordId: contact.id, crmId, details: { value: fields.email } }]);
      return;
    }
    if (failure.reason === "validation") await this.recordRefusal(contact, crmId, fields, failure);
  }

  /** crm_validation_failed: which record, the CRM's words, the property; the rest of the batch went on. */
  private async recordRefusal(contact: ContactRecord, crmId: string | null, fields: Partial<Record<SyncedField, string>>, failure: ContactWriteFailure): Promise<void> {
    const field = (Object.keys(fields) as SyncedField[]).find((f) => failure.property !== undefined && this.fields[f] === failure.property);
    const property = failure.property === undefined ? "" : ` (property ${failure.property})`;
    await this.record([
      {
        code: "crm_validation_failed",
        message: `${this.deps.crmName} refused ${crmId === null ? "to create" : "the update of"} contact ${contact.name || contact.id}${crmId === null ? "" : ` (${this.deps.crmName} contact ${crmId})`}${property}: ${failure.message}`,
        recordType: "contact",
        recordId: contact.id,
        crmId,
        details: {
          hubspotMessage: failure.message,
          ...(failure.property === undefined ? {} : { property: failure.property }),
          ...(field === undefined ? {} : { field, value: fields[field] }),
        },
      },
    ]);
  }
}
