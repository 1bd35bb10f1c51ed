// Custom field values: one row per (field, entity) holding a non-empty value. "No value" is
// the absence of a row, so is_empty, the "(none)" bucket and the nulls-last tail of a sort
// all mean the same thing.
import type { Insertable, Kysely, Transaction } from "kysely";
import { fromStoredValue, type FieldValue, type StoredValue } from "../../core/fields.ts";
import { insertRows } from "../bulk-insert.ts";
import { chunks, rowsPerStatement } from "../statement-rows.ts";
import type { Database, FieldValuesTable } from "../schema.ts";
import type { FieldRecord } from "./custom-fields.ts";

/** Runs `fn` in a transaction, or in the caller's when `db` already is one (Kysely does not nest). */
export async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

/** A unique or primary-key violation, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

function isEmpty(value: StoredValue | null): value is null {
  return value === null || (value.text === null && value.number === null);
}

interface ValueWrite {
  entityId: string;
  fieldId: string;
  value: StoredValue | null;
}

const valueColumns = ["workspace_id", "field_id", "entity_id", "text_value", "number_value", "updated_at"] as const;

/** Upserts and deletes, one statement per chunk; the caller decides the transaction. */
async function applyWrites(db: Kysely<Database>, workspaceId: string, writes: readonly ValueWrite[]): Promise<void> {
  const now = new Date().toISOString();
  const upserts = writes.filter((w) => !isEmpty(w.value));
  const deletes = writes.filter((w) => isEmpty(w.value));
  for (const chunk of chunks(upserts, rowsPerStatement(db, valueColumns.length))) {
    await insertRows<Database, Insertable<FieldValuesTable>>(
      db,
      "field_values.upsert",
      valueColumns,
      chunk.map((w) => [workspaceId, w.fieldId, w.entityId, w.value?.text ?? null, w.value?.number ?? null, now]),
      (db, values) =>
        db
          .insertInto("field_values")
          .values(values)
          .onConflict((oc) =>
            oc.columns(["field_id", "entity_id"]).doUpdateSet((eb) => ({
              text_value: eb.ref("excluded.text_value"),
              number_value: eb.ref("excluded.number_value"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          ),
    );
  }
  const byField = new Map<string, string[]>();
  for (const w of deletes) {
    const ids = byField.get(w.fieldId) ?? [];
    ids.push(w.entityId);
    byField.set(w.fieldId, ids);
  }
  for (const [fieldId, entityIds] of byField) {
    for (const chunk of chunks(entityIds, rowsPerStatement(db))) {
      await db.deleteFrom("field_values").where("workspace_id", "=", workspaceId).where("field_id", "=", fieldId).where("entity_id", "in", chunk).execute();
    }
  }
}

/** Sets (or, for null, clears) values of one entity. Callers check the fields are writable. */
export async function writeFieldValues(
  db: Kysely<Database>,
  workspaceId: string,
  entityId: string,
  values: ReadonlyMap<string, StoredValue | null>,
): Promise<void> {
  await applyWrites(db, workspaceId, [...values].map(([fieldId, value]) => ({ entityId, fieldId, value })));
}

/**
 * The sync engine's write of CRM values into synced fields (which the API refuses to write).
 * Does not touch the customer's updatedAt: that records edits made in crmsync.
 */
export async function writeSyncedValues(
  db: Kysely<Database>,
  workspaceId: string,
  entityId: string,
  values: ReadonlyMap<string, StoredValue | null>,
): Promise<void> {
  await inTransaction(db, (trx) => writeFieldValues(trx, workspaceId, entityId, values));
}

/** writeSyncedValues for many entities at once (entity id → field id → value), all or nothing. */
export async function writeSyncedValuesBulk(
  db: Kysely<Database>,
  workspaceId: string,
  updates: ReadonlyMap<string, ReadonlyMap<string, StoredValue | null>>,
): Promise<void> {
  const writes: ValueWrite[] = [];
  for (const [entityId, values] of updates) for (const [fieldId, value] of values) writes.push({ entityId, fieldId, value });
  if (writes.length === 0) return;
  await inTransaction(db, (trx) => applyWrites(trx, workspaceId, writes));
}

export async function deleteEntityValues(db: Kysely<Database>, workspaceId: string, entityId: string): Promise<void> {
  await db.deleteFrom("field_values").where("workspace_id", "=", workspaceId).where("entity_id", "=", entityId).execute();
}

/** The API form of every value of the given entities, keyed by field key. */
export async function readFieldValues(
  db: Kysely<Database>,
  workspaceId: string,
  entityIds: readonly string[],
  fields: readonly FieldRecord[],
): Promise<Map<string, Record<string, FieldValue>>> {
  const found = new Map<string, Map<string, FieldValue>>(entityIds.map((id) => [id, new Map()]));
  if (entityIds.length > 0 && fields.length > 0) {
    const byId = new Map(fields.map((field) => [field.id, field]));
    for (const chunk of chunks(entityIds, rowsPerStatement(db))) {
      const rows = await db
        .selectFrom("field_values")
        .select(["entity_id", "field_id", "text_value", "number_value"])
        .where("workspace_id", "=", workspaceId)
        .where("entity_id", "in", chunk)
        .execute();
      for (const row of rows) {
        const field = byId.get(row.field_id);
        if (field) found.get(row.entity_id)?.set(field.id, fromStoredValue(field, { text: row.text_value, number: row.number_value }));
      }
    }
  }
  // Keys in the fields' order, so every representation lists them alike.
  const out = new Map<string, Record<string, FieldValue>>();
  for (const [entityId, values] of found) {
    const record: Record<string, FieldValue> = {};
    for (const field of fields) {
      const value = values.get(field.id);
      if (value !== undefined) record[field.key] = value;
    }
    out.set(entityId, record);
  }
  return out;
}
