// Custom field definitions. A field with a sync mapping is owned by the CRM: nothing but the
// sync engine writes its values and nobody edits its definition (product spec §3.3).
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { AppError, fieldReadOnly, notFound } from "../../core/errors.ts";
import { fieldKeyFromLabel, isFieldType, maxFieldKeyLength, type FieldDefinition, type FieldOption, type FieldType, type SyncMapping } from "../../core/fields.ts";
import type { CustomField, Database, FieldEntity } from "../schema.ts";
import { inTransaction, isUniqueViolation } from "./field-values.ts";

export interface FieldRecord extends FieldDefinition {
  entity: FieldEntity;
  /** The CRM's own type of the mapped property (e.g. HubSpot `enumeration/checkbox`). */
  syncPropertyType: string | null;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewField {
  label: string;
  type: FieldType;
  options?: readonly FieldOption[];
  /** Derived from the label when absent. */
  key?: string;
  entity?: FieldEntity;
}

export interface NewSyncedField extends NewField {
  syncMapping: SyncMapping;
  syncPropertyType?: string | null;
}

export interface FieldChanges {
  label?: string;
  options?: readonly FieldOption[];
}

const selectKinds: readonly FieldType[] = ["select", "multi_select"];
const keyPattern = /^[a-z][a-z0-9_]*$/;

function parseOptions(json: string): FieldOption[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error(`Stored field options are corrupt: ${json.slice(0, 80)}`);
  return parsed as FieldOption[];
}

export function toFieldRecord(row: CustomField): FieldRecord {
  if (!isFieldType(row.type)) throw new Error(`Stored field ${row.id} has unknown type ${row.type}.`);
  const syncMapping: SyncMapping | null =
    row.sync_provider !== null && row.sync_object !== null && row.sync_property !== null
      ? { provider: row.sync_provider as SyncMapping["provider"], object: row.sync_object as SyncMapping["object"], property: row.sync_property }
      : null;
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    type: row.type,
    options: parseOptions(row.options),
    syncMapping,
    entity: row.entity,
    syncPropertyType: row.sync_property_type,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Options as stored: trimmed, values unique; only the select kinds have any. */
function checkedOptions(type: FieldType, options: readonly FieldOption[] | undefined): FieldOption[] {
  const list = options ?? [];
  if (!selectKinds.includes(type)) {
    if (list.length > 0) throw new AppError("validation_failed", `A ${type} field has no options; only select and multi_select fields do.`, { type });
    return [];
  }
  if (list.length === 0) throw new AppError("validation_failed", `A ${type} field needs at least one option.`, { type });
  const seen = new Set<string>();
  return list.map((option) => {
    const value = option.value.trim();
    const label = option.label.trim();
    if (value === "" || label === "") throw new AppError("validation_failed", "Option values and labels cannot be blank.", { option });
    if (seen.has(value)) throw new AppError("validation_failed", `The option value "${value}" appears twice.`, { value });
    seen.add(value);
    return { value, label };
  });
}

function checkedLabel(label: string): string {
  const trimmed = label.trim();
  if (trimmed === "") throw new AppError("validation_failed", "A field needs a label.");
  return trimmed;
}

export async function listFields(db: Kysely<Database>, workspaceId: string, entity: FieldEntity = "customer"): Promise<FieldRecord[]> {
  const rows = await db
    .selectFrom("custom_fields")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("entity", "=", entity)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toFieldRecord);
}

export async function listSyncedFields(db: Kysely<Database>, workspaceId: string, provider: string, entity: FieldEntity = "customer"): Promise<FieldRecord[]> {
  const rows = await db
    .selectFrom("custom_fields")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("entity", "=", entity)
    .where("sync_provider", "=", provider)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toFieldRecord);
}

export async function getField(db: Kysely<Database>, workspaceId: string, id: string): Promise<FieldRecord | undefined> {
  const row = await db.selectFrom("custom_fields").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return row && toFieldRecord(row);
}

async function insertFields(db: Kysely<Database>, workspaceId: string, inputs: readonly NewSyncedField[] | readonly NewField[]): Promise<FieldRecord[]> {
  if (inputs.length === 0) return [];
  const entities = new Set(inputs.map((input) => input.entity ?? "customer"));
  const existing = await db
    .selectFrom("custom_fields")
    .select(["entity", "key", "position"])
    .where("workspace_id", "=", workspaceId)
    .where("entity", "in", [...entities])
    .execute();
  const taken = new Map<FieldEntity, Set<string>>([...entities].map((entity) => [entity, new Set<string>()]));
  let position = 0;
  for (const row of existing) {
    taken.get(row.entity)?.add(row.key);
    position = Math.max(position, row.position + 1);
  }
  const now = new Date().toISOString();
  const rows: CustomField[] = inputs.map((input) => {
    const entity = input.entity ?? "customer";
    const keys = taken.get(entity) ?? new Set<string>();
    const label = checkedLabel(input.label);
    let key: string;
    if (input.key !== undefined) {
      key = input.key;
      if (!keyPattern.test(key) || key.length > maxFieldKeyLength) {
        throw new AppError("validation_failed", `The key "${key}" must be snake_case (a-z, 0-9, _), start with a letter and have at most ${maxFieldKeyLength} characters.`, { key });
      }
      if (keys.has(key)) throw new AppError("field_key_taken", `Another field already uses the key "${key}".`, { key });
    } else {
      key = fieldKeyFromLabel(label, keys);
    }
    keys.add(key);
    const mapping = "syncMapping" in input ? input.syncMapping : null;
    return {
      id: randomUUID(),
      workspace_id: workspaceId,
      entity,
      key,
      label,
      type: input.type,
      options: JSON.stringify(checkedOptions(input.type, input.options)),
      sync_provider: mapping?.provider ?? null,
      sync_object: mapping?.object ?? null,
      sync_property: mapping?.property ?? null,
      sync_property_type: "syncPropertyType" in input ? (input.syncPropertyType ?? null) : null,
      position: position++,
      created_at: now,
      updated_at: now,
    };
  });
  try {
    await db.insertInto("custom_fields").values(rows).execute();
  } catch (error) {
    // Two admins creating the same key at once: the unique index decides, the loser hears why.
    if (isUniqueViolation(error)) throw new AppError("field_key_taken", "Another field already uses this key.", { keys: rows.map((row) => row.key) });
    throw error;
  }
  return rows.map(toFieldRecord);
}

export async function createField(db: Kysely<Database>, workspaceId: string, input: NewField): Promise<FieldRecord> {
  const [field] = await inTransaction(db, (trx) => insertFields(trx, workspaceId, [input]));
  if (!field) throw new Error("createField inserted nothing");
  return field;
}

/**
 * Fields linked to CRM properties (the import of §3.3), all or none. Keys are derived from the
 * labels unless given, and made unique against every existing field.
 */
export async function createSyncedFields(db: Kysely<Database>, workspaceId: string, defs: readonly NewSyncedField[]): Promise<FieldRecord[]> {
  return inTransaction(db, (trx) => insertFields(trx, workspaceId, defs));
}

/**
 * Label and options of an editable field. Removing an option clears it from every customer
 * that has it, so no stored value falls outside the field's options.
 */
export async function updateField(db: Kysely<Database>, workspaceId: string, id: string, changes: FieldChanges, crmName: string): Promise<FieldRecord> {
  return changeDefinition(db, workspaceId, id, changes, { allowSynced: false, crmName });
}

/** The admin's "refresh definition" of a synced field: label and options as the CRM has them now. */
export async function refreshSyncedFieldDefinition(db: Kysely<Database>, workspaceId: string, id: string, changes: FieldChanges): Promise<FieldRecord> {
  return changeDefinition(db, workspaceId, id, changes, { allowSynced: true, crmName: "the CRM" });
}

async function changeDefinition(db: Kysely<Database>, workspaceId: string, id: string, changes: FieldChanges, options: { allowSynced: boolean; crmName: string }): Promise<FieldRecord> {
  return inTransaction(db, async (trx) => {
    const field = await getField(trx, workspaceId, id);
    if (!field) throw notFound("Field", id);
    if (field.syncMapping && !options.allowSynced) throw fieldReadOnly(field.key, options.crmName);
    const label = changes.label === undefined ? field.label : checkedLabel(changes.label);
    const nextOptions = changes.options === undefined ? field.options : checkedOptions(field.type, changes.options);
    const kept = new Set(nextOptions.map((option) => option.value));
    const removed = field.options.filter((option) => !kept.has(option.value)).map((option) => option.value);
    if (removed.length > 0) await dropOptionValues(trx, workspaceId, field, removed, kept);
    const now = new Date().toISOString();
    await trx
      .updateTable("custom_fields")
      .set({ label, options: JSON.stringify(nextOptions), updated_at: now })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .execute();
    return { ...field, label, options: nextOptions, updatedAt: now };
  });
}

async function dropOptionValues(db: Kysely<Database>, workspaceId: string, field: FieldRecord, removed: string[], kept: ReadonlySet<string>): Promise<void> {
  if (field.type === "select") {
    await db.deleteFrom("field_values").where("workspace_id", "=", workspaceId).where("field_id", "=", field.id).where("text_value", "in", removed).execute();
    return;
  }
  // A multi_select value is a JSON list; rewrite the lists that mention a removed option.
  const rows = await db
    .selectFrom("field_values")
    .select(["entity_id", "text_value"])
    .where("workspace_id", "=", workspaceId)
    .where("field_id", "=", field.id)
    .execute();
  const now = new Date().toISOString();
  for (const row of rows) {
    const values = JSON.parse(row.text_value ?? "[]") as string[];
    const remaining = values.filter((value) => kept.has(value));
    if (remaining.length === values.length) continue;
    if (remaining.length === 0) {
      await db.deleteFrom("field_values").where("field_id", "=", field.id).where("entity_id", "=", row.entity_id).execute();
    } else {
      await db
        .updateTable("field_values")
        .set({ text_value: JSON.stringify(remaining), updated_at: now })
        .where("field_id", "=", field.id)
        .where("entity_id", "=", row.entity_id)
        .execute();
    }
  }
}

/** Removes the field and every value of it, synced or not (§3.3). */
export async function deleteField(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const field = await getField(trx, workspaceId, id);
    if (!field) throw notFound("Field", id);
    await trx.deleteFrom("field_values").where("workspace_id", "=", workspaceId).where("field_id", "=", id).execute();
    await trx.deleteFrom("custom_fields").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
  });
}

/** Makes a synced field an ordinary editable one; its last synced values stay. */
export async function removeSyncMapping(db: Kysely<Database>, workspaceId: string, fieldId: string): Promise<FieldRecord> {
  return inTransaction(db, async (trx) => {
    const field = await getField(trx, workspaceId, fieldId);
    if (!field) throw notFound("Field", fieldId);
    const now = new Date().toISOString();
    await trx
      .updateTable("custom_fields")
      .set({ sync_provider: null, sync_object: null, sync_property: null, sync_property_type: null, updated_at: now })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", fieldId)
      .execute();
    return { ...field, syncMapping: null, syncPropertyType: null, updatedAt: now };
  });
}
