// Writes CRM values into synced fields for a set of linked customers: read the mirrored
// company and deal, convert each mapped property to its field's type, and write only what
// differs from what is stored. A value that cannot be converted keeps the previous one.
import type { Kysely } from "kysely";
import { convertCrmValue } from "../core/crm-values.ts";
import { toStoredValue, type StoredValue } from "../core/fields.ts";
import type { FieldRecord } from "../db/repositories/custom-fields.ts";
import { readStoredValues, type LinkedCustomer } from "../db/repositories/customer-links.ts";
import { mirroredProperties } from "../db/repositories/crm-mirror.ts";
import { inTransaction, writeSyncedValuesBulk } from "../db/repositories/field-values.ts";
import type { RecordedError } from "../db/repositories/sync-runs.ts";
import type { Database } from "../db/schema.ts";

export interface ValueSyncResult {
  /** Customers with at least one value changed. */
  updated: number;
  errors: Omit<RecordedError, "runId" | "workspaceId">[];
}

function sameStored(a: StoredValue | null | undefined, b: StoredValue | null): boolean {
  const left = a ?? null;
  if (left === null || b === null) return left === b;
  return left.text === b.text && left.number === b.number;
}

// Customers whose records and stored values are read and compared at a time. A caller's batch
// (one transaction) may be larger; held a few thousand at a time, these objects die young
// instead of growing the heap (a large run's peak RSS).
const compareBatch = 2_000;

export async function syncValues(
  db: Kysely<Database>,
  workspaceId: string,
  provider: string,
  /** The CRM's display name ("HubSpot"), for error messages. */
  crmName: string,
  fields: readonly FieldRecord[],
  customers: readonly LinkedCustomer[],
): Promise<ValueSyncResult> {
  if (customers.length <= compareBatch) return syncBatch(db, workspaceId, provider, crmName, fields, customers);
  // All or nothing, as one batch would be.
  return inTransaction(db, async (trx) => {
    const result: ValueSyncResult = { updated: 0, errors: [] };
    for (let i = 0; i < customers.length; i += compareBatch) {
      const part = await syncBatch(trx, workspaceId, provider, crmName, fields, customers.slice(i, i + compareBatch));
      result.updated += part.updated;
      for (const error of part.errors) result.errors.push(error);
    }
    return result;
  });
}

async function syncBatch(
  db: Kysely<Database>,
  workspaceId: string,
  provider: string,
  crmName: string,
  fields: readonly FieldRecord[],
  customers: readonly LinkedCustomer[],
): Promise<ValueSyncResult> {
  const result: ValueSyncResult = { updated: 0, errors: [] };
  if (fields.length === 0 || customers.length === 0) return result;
  const companies = await mirroredProperties(db, "crm_companies", workspaceId, provider, customers.map((c) => c.companyId));
  const dealIds = customers.flatMap((c) => (c.dealId ? [c.dealId] : []));
  const deals = await mirroredProperties(db, "crm_deals", workspaceId, provider, dealIds);
  const current = await readStoredValues(db, workspaceId, customers.map((c) => c.id), fields.map((f) => f.id));

  const updates = new Map<string, Map<string, StoredValue | null>>();
  for (const customer of customers) {
    const company = companies.get(customer.companyId);
    const deal = customer.dealId ? deals.get(customer.dealId) : undefined;
    const stored = current.get(customer.id);
    const changes = new Map<string, StoredValue | null>();
    for (const field of fields) {
      const mapping = field.syncMapping;
      if (!mapping) continue;
      const record = mapping.object === "company" ? company : mapping.object === "deal" ? deal : undefined;
      // A deleted company or deal keeps its last values (product spec §3.2). A customer with
      // no deal has nothing to say about deal fields: they are empty.
      if (record?.archived) continue;
      if (mapping.object === "company" && !record) continue;
      if (mapping.object === "deal" && customer.dealId && !record) continue;
      const raw = record ? (record.properties[mapping.property] ?? null) : null;
      const converted = convertCrmValue(field, raw);
      if (!converted.ok) {
        result.errors.push({
          code: "value_not_convertible",
          message: `${crmName} value "${raw ?? ""}" of ${mapping.property} does not fit the ${field.type} field "${field.label}": ${converted.reason}. The previous value was kept.`,
          recordType: "customer",
          recordId: customer.id,
          crmId: mapping.object === "company" ? customer.companyId : customer.dealId,
          details: { field: field.key, object: mapping.object, property: mapping.property, value: raw },
        });
        continue;
      }
      const next = converted.value === null ? null : toStoredValue(field, converted.value);
      if (!sameStored(stored?.get(field.id), next)) changes.set(field.id, next);
    }
    if (changes.size > 0) updates.set(customer.id, changes);
  }
  await writeSyncedValuesBulk(db, workspaceId, updates);
  result.updated = updates.size;
  return result;
}
