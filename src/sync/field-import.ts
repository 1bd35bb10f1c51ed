// Importing CRM company and deal properties as synced custom fields (product spec §3.3), from
// the connector's property catalog. Definitions (label, type, options) are copied at import and
// never refreshed by runs; only the admin's "refresh definition" reads them again.
import type { Kysely } from "kysely";
import { AppError, notFound } from "../core/errors.ts";
import type { FieldType } from "../core/fields.ts";
import { createSyncedFields, getField, listSyncedFields, refreshSyncedFieldDefinition, type FieldRecord } from "../db/repositories/custom-fields.ts";
import type { Database } from "../db/schema.ts";
import type { CatalogObject, CatalogProperty, PropertyCatalog } from "./connector.ts";

export type ImportObject = CatalogObject;

/** The CRM a field comes from: its provider id and the name people know it by. */
export interface ImportingCrm {
  id: string;
  displayName: string;
  catalog: PropertyCatalog;
}

export interface ImportableField {
  name: string;
  label: string;
  /** The CRM's own type (HubSpot's `type/fieldType`, e.g. `enumeration/checkbox`). */
  crmType: string;
  fieldType: string;
  groupName: string | null;
  mappedType: FieldType | null;
  supported: boolean;
  reason: string | null;
  alreadyImported: boolean;
}

function describe(property: CatalogProperty, object: ImportObject, imported: ReadonlySet<string>): ImportableField {
  const mapping = property.mapping;
  return {
    name: property.name,
    label: property.label,
    crmType: property.crmType,
    fieldType: property.fieldType,
    groupName: property.groupName,
    mappedType: mapping.supported ? mapping.type : null,
    supported: mapping.supported,
    reason: mapping.supported ? null : mapping.reason,
    alreadyImported: imported.has(`${object}:${property.name}`),
  };
}

async function importedKeys(db: Kysely<Database>, workspaceId: string, provider: string): Promise<Set<string>> {
  const fields = await listSyncedFields(db, workspaceId, provider);
  return new Set(fields.map((f) => `${f.syncMapping!.object}:${f.syncMapping!.property}`));
}

export async function listImportableFields(db: Kysely<Database>, workspaceId: string, crm: ImportingCrm): Promise<Record<ImportObject, ImportableField[]>> {
  const [companies, deals, imported] = await Promise.all([crm.catalog.list("company"), crm.catalog.list("deal"), importedKeys(db, workspaceId, crm.id)]);
  const byLabel = (a: ImportableField, b: ImportableField) => a.label.localeCompare(b.label);
  return {
    company: companies.filter((p) => !p.hidden).map((p) => describe(p, "company", imported)).sort(byLabel),
    deal: deals.filter((p) => !p.hidden).map((p) => describe(p, "deal", imported)).sort(byLabel),
  };
}

export interface ImportSelection {
  object: ImportObject;
  name: string;
}

/** Creates one synced field per selected property, all or none. */
export async function importFields(db: Kysely<Database>, workspaceId: string, crm: ImportingCrm, selections: readonly ImportSelection[]): Promise<FieldRecord[]> {
  if (selections.length === 0) throw new AppError("validation_failed", "Choose at least one property to import.");
  const objects = [...new Set(selections.map((s) => s.object))];
  const properties = new Map<string, CatalogProperty>();
  for (const object of objects) for (const p of await crm.catalog.list(object)) properties.set(`${object}:${p.name}`, p);
  const imported = await importedKeys(db, workspaceId, crm.id);
  const seen = new Set<string>();
  const defs = selections.map((selection) => {
    const key = `${selection.object}:${selection.name}`;
    const property = properties.get(key);
    if (!property) throw new AppError("field_unknown", `${crm.displayName} has no ${selection.object} property "${selection.name}".`, { ...selection });
    if (imported.has(key) || seen.has(key)) throw new AppError("conflict", `The ${selection.object} property "${property.label}" is already imported.`, { ...selection });
    seen.add(key);
    const mapping = property.mapping;
    if (!mapping.supported) throw new AppError("validation_failed", `"${property.label}": ${mapping.reason}`, { ...selection });
    return {
      label: property.label,
      type: mapping.type,
      options: mapping.options,
      syncMapping: { provider: crm.id, object: selection.object, property: property.name },
      syncPropertyType: property.crmType,
    };
  });
  return createSyncedFields(db, workspaceId, defs);
}

/** Reads a synced field's label and options from the CRM again (the type never changes). */
export async function refreshFieldDefinition(db: Kysely<Database>, workspaceId: string, crm: ImportingCrm, fieldId: string): Promise<FieldRecord> {
  const field = await getField(db, workspaceId, fieldId);
  if (!field) throw notFound("Field", fieldId);
  const mapping = field.syncMapping;
  if (!mapping || (mapping.object !== "company" && mapping.object !== "deal")) {
    throw new AppError("validation_failed", `The field "${field.label}" is not synced from a ${crm.displayName} company or deal property.`, { field: field.key });
  }
  const property = await crm.catalog.get(mapping.object, mapping.property);
  if (!property) throw new AppError("field_unknown", `${crm.displayName} no longer has the ${mapping.object} property "${mapping.property}".`, { field: field.key });
  const mapped = property.mapping;
  if (!mapped.supported || mapped.type !== field.type) {
    throw new AppError("validation_failed", `${crm.displayName}'s "${property.label}" is now of another kind; delete the field and import it again.`, { field: field.key });
  }
  return refreshSyncedFieldDefinition(db, workspaceId, fieldId, { label: property.label, options: mapped.options });
}
