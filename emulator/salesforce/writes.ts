import { SalesforceError, type RecordError } from "./errors.ts";
import type { RecordValues } from "./fields.ts";
import type { SfRecord } from "./records.ts";
import { findField, resolveObjectName, type ObjectName } from "./schema.ts";
import type { SalesforceStore } from "./store.ts";
import { coerceWrite } from "./values.ts";

/**
 * API writes checked as Salesforce checks them: unknown fields fail the whole request, the rest
 * fail per record (read-only fields, types, required fields, lookups, validation rules).
 */
export type Prepared = { ok: true; changes: RecordValues } | { ok: false; errors: RecordError[] };

const WRITABLE = new Set<ObjectName>(["Account", "Opportunity", "Contact"]);

export function writableObject(raw: unknown): ObjectName | undefined {
  const name = typeof raw === "string" ? resolveObjectName(raw) : undefined;
  return name && WRITABLE.has(name) ? name : undefined;
}

/** Throws for what fails the whole request: an unknown field name. */
export function checkFieldNames(store: SalesforceStore, object: ObjectName, input: Record<string, unknown>): void {
  const info = store.info(object);
  for (const key of Object.keys(input)) {
    if (key === "attributes" || (key.toLowerCase() === "id" && input[key] !== undefined)) continue;
    if (!findField(info, key)) throw new SalesforceError(400, "INVALID_FIELD", `No such column '${key}' on sobject of type ${object}`);
  }
}

export function prepareWrite(store: SalesforceStore, object: ObjectName, input: Record<string, unknown>, existing?: SfRecord): Prepared {
  const info = store.info(object);
  const changes: RecordValues = {};
  const errors: RecordError[] = [];
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === "attributes" || key.toLowerCase() === "id") continue;
    const f = findField(info, key)!;
    if (existing ? !f.updateable : !f.createable) {
      readOnly.push(f.name);
      continue;
    }
    const got = coerceWrite(f, raw);
    if (!got.ok) errors.push(got.error);
    else changes[f.name] = got.value;
  }
  if (readOnly.length > 0) {
    errors.unshift({
      statusCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
      message: `Unable to create/update fields: ${readOnly.join(", ")}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: readOnly,
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const after: RecordValues = { ...(existing?.values ?? {}), ...changes };
  const missing = info.fields.filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && (after[f.name] === null || after[f.name] === undefined || after[f.name] === "")).map((f) => f.name);
  if (missing.length > 0) return { ok: false, errors: [{ statusCode: "REQUIRED_FIELD_MISSING", message: `Required fields are missing: [${missing.join(", ")}]`, fields: missing }] };

  for (const f of info.fields) {
    if (f.type !== "reference" || !(f.name in changes) || changes[f.name] === null) continue;
    const target = f.referenceTo[0] ? resolveObjectName(f.referenceTo[0]) : undefined;
    if (!target) continue;
    const parent = store.get(target, String(changes[f.name]));
    if (!parent || parent.values.IsDeleted === true) {
      return { ok: false, errors: [{ statusCode: "INVALID_CROSS_REFERENCE_KEY", message: `invalid cross reference id`, fields: [] }] };
    }
    changes[f.name] = parent.id;
  }

  const probe: SfRecord = { id: existing?.id ?? "", object, values: { ...after, ...changes } };
  for (const rule of store.validationRules[object]) {
    if (rule.active && rule.test(probe)) {
      return { ok: false, errors: [{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: rule.message, fields: rule.field ? [rule.field] : [] }] };
    }
  }
  return { ok: true, changes };
}

/** The record an update names, or the per-record error Salesforce gives for it. */
export function findForUpdate(store: SalesforceStore, object: ObjectName, rawId: unknown): { rec: SfRecord } | { error: RecordError } {
  if (typeof rawId !== "string" || rawId === "") return { error: { statusCode: "MISSING_ARGUMENT", message: "Id not specified in an update call", fields: [] } };
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(rawId)) return { error: { statusCode: "MALFORMED_ID", message: `malformed id ${rawId}`, fields: [] } };
  const rec = store.get(object, rawId);
  if (!rec) return { error: { statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] } };
  if (rec.values.IsDeleted === true) return { error: { statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] } };
  return { rec };
}
