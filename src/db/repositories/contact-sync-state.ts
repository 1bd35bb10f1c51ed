// Contact sync's bookkeeping (see the contact_sync migration): the CRM contacts met in the
// source, and what crmsync last pushed per contact and field. Writes are idempotent upserts, so
// a page handled twice (a resumed run) changes nothing the second time.
import type { Insertable, Kysely } from "kysely";
import { insertRows } from "../bulk-insert.ts";
import type { ContactSyncRecordsTable, ContactSyncRecordStatus, Database } from "../schema.ts";

type Db = Kysely<Database>;

// 8 columns × 500 rows stays far below SQLite's bound-parameter limit.
const chunkSize = 500;

function chunks<T>(items: readonly T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface SourceRecord {
  crmId: string;
  status: ContactSyncRecordStatus;
  customerId: string | null;
  crmModifiedAt: string | null;
  seenAt: string;
}

// Every page of a run writes these (upserts of up to 500 rows), so they go through bulk-insert's
// compiled statements rather than a Kysely query built per call.
const recordColumns = ["workspace_id", "provider", "crm_id", "status", "customer_id", "crm_modified_at", "seen_at", "updated_at"] as const;
type RecordRow = Insertable<ContactSyncRecordsTable>;

/** The records among these CRM ids, keyed by id. */
export async function sourceRecords(db: Db, workspaceId: string, provider: string, crmIds: readonly string[]): Promise<Map<string, SourceRecord>> {
  const out = new Map<string, SourceRecord>();
  for (const part of chunks([...new Set(crmIds)])) {
    const rows = await db
      .selectFrom("contact_sync_records")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("provider", "=", provider)
      .where("crm_id", "in", part)
      .execute();
    for (const r of rows) out.set(r.crm_id, { crmId: r.crm_id, status: r.status, customerId: r.customer_id, crmModifiedAt: r.crm_modified_at, seenAt: r.seen_at });
  }
  return out;
}

/**
 * Marks CRM ids as found in the source by the pass that started at `seenAt`. New ids start as
 * `skipped` with no modification time, so an incremental run knows it has not read them yet.
 */
export async function markInSource(db: Db, workspaceId: string, provider: string, members: readonly { crmId: string; customerId: string | null }[], seenAt: string): Promise<void> {
  const now = new Date().toISOString();
  for (const part of chunks(members)) {
    if (part.length === 0) continue;
    await insertRows<Database, RecordRow>(
      db,
      "contact_sync_records.in_source",
      recordColumns,
      part.map((m) => [workspaceId, provider, m.crmId, "skipped", m.customerId, null, seenAt, now]),
      (db, values) =>
        db
          .insertInto("contact_sync_records")
          .values(values)
          .onConflict((oc) =>
            oc.columns(["workspace_id", "provider", "crm_id"]).doUpdateSet((eb) => ({ customer_id: eb.ref("excluded.customer_id"), seen_at: eb.ref("excluded.seen_at"), updated_at: eb.ref("excluded.updated_at") })),
          ),
    );
  }
}

/** Records the outcome of reading CRM contacts; the seen time is left as the source set it. */
export async function saveOutcomes(
  db: Db,
  workspaceId: string,
  provider: string,
  outcomes: readonly { crmId: string; status: ContactSyncRecordStatus; crmModifiedAt: string | null }[],
  seenAt: string,
): Promise<void> {
  const now = new Date().toISOString();
  for (const part of chunks(outcomes)) {
    if (part.length === 0) continue;
    await insertRows<Database, RecordRow>(
      db,
      "contact_sync_records.outcome",
      recordColumns,
      part.map((o) => [workspaceId, provider, o.crmId, o.status, null, o.crmModifiedAt, seenAt, now]),
      (db, values) =>
        db
          .insertInto("contact_sync_records")
          .values(values)
          .onConflict((oc) =>
            oc.columns(["workspace_id", "provider", "crm_id"]).doUpdateSet((eb) => ({
              status: eb.ref("excluded.status"),
              crm_modified_at: eb.ref("excluded.crm_modified_at"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          ),
    );
  }
}

export async function countSourceRecords(db: Db, workspaceId: string, provider: string): Promise<number> {
  const row = await db
    .selectFrom("contact_sync_records")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("provider", "=", provider)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets the source bookkeeping, so the next run reads every member as new (the source changed). */
export async function clearSourceRecords(db: Db, workspaceId: string, provider: string): Promise<void> {
  await db.deleteFrom("contact_sync_records").where("workspace_id", "=", workspaceId).where("provider", "=", provider).where("status", "!=", "deleted").execute();
}

export interface PushedValue {
  value: string;
  /** The CRM's time of the write, epoch ms. */
  at: number;
}

export async function pushMemory(db: Db, workspaceId: string, provider: string, contactIds: readonly string[]): Promise<Map<string, Record<string, PushedValue>>> {
  const out = new Map<string, Record<string, PushedValue>>();
  for (const part of chunks([...new Set(contactIds)])) {
    const rows = await db
      .selectFrom("contact_sync_pushes")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("provider", "=", provider)
      .where("contact_id", "in", part)
      .execute();
    for (const r of rows) {
      const entry = out.get(r.contact_id) ?? {};
      entry[r.field] = { value: r.value, at: Number(r.pushed_at) };
      out.set(r.contact_id, entry);
    }
  }
  return out;
}

export async function rememberPushes(db: Db, workspaceId: string, provider: string, pushes: readonly { contactId: string; field: string; value: string; at: number }[]): Promise<void> {
  for (const part of chunks(pushes)) {
    if (part.length === 0) continue;
    await db
      .insertInto("contact_sync_pushes")
      .values(part.map((p) => ({ workspace_id: workspaceId, provider, contact_id: p.contactId, field: p.field, value: p.value, pushed_at: String(p.at) })))
      .onConflict((oc) => oc.columns(["workspace_id", "provider", "contact_id", "field"]).doUpdateSet((eb) => ({ value: eb.ref("excluded.value"), pushed_at: eb.ref("excluded.pushed_at") })))
      .execute();
  }
}

/** The CRM company each of these customers is linked to (customers without a link left out). */
export async function companyOfCustomers(db: Db, workspaceId: string, customerIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(customerIds)])) {
    const rows = await db
      .selectFrom("customers")
      .select(["id", "crm_company_id"])
      .where("workspace_id", "=", workspaceId)
      .where("id", "in", part)
      .where("crm_company_id", "is not", null)
      .execute();
    for (const r of rows) if (r.crm_company_id !== null) out.set(r.id, r.crm_company_id);
  }
  return out;
}
