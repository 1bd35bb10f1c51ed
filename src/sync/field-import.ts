// Importing HubSpot company and deal properties as synced custom fields (product spec §3.3).
// Definitions (label, type, options) are copied at import and never refreshed by runs; only
// the admin's "refresh definition" reads them again.
import type { Kysely } from "kysely";
import { AppError, notFound } from "../core/errors.ts";
import type { FieldType } from "../core/fields.ts";
import { mapHubSpotProperty, type HubSpotObject, type HubSpotProperty } from "../connectors/hubspot/property-types.ts";
import type { HubSpotClient } from "../connectors/hubspot/client.ts";
import type { ObjectType } from "../connectors/hubspot/types.ts";
import { createSyncedFields, getField, listSyncedFields, refreshSyncedFieldDefinition, type FieldRecord } from "../db/repositories/custom-fields.ts";
import type { Database } from "../db/schema.ts";

export type ImportObject = "company" | "deal";

export interface ImportableField {
  name: string;
  label: string;
  /** HubSpot's `type/fieldType`, e.g. `enumeration/checkbox`. */
  hubspotType: string;
  fieldType: string;
  groupName: string | null;
  mappedType: FieldType | null;
  supported: boolean;
  reason: string | null;
  alreadyImported: boolean;
}

const objectTypeOf: Record<ImportObject, ObjectType> = { company: "companies", deal: "deals" };

/** Properties HubSpot itself hides from people are internal bookkeeping, not fields to import. */
function visible(property: HubSpotProperty): boolean {
  return property.hidden !== true;
}

function describe(property: HubSpotProperty, object: ImportObject, imported: ReadonlySet<string>): ImportableField {
  const mapping = mapHubSpotProperty(property, object);
  return {
    name: property.name,
    label: property.label,
    hubspotType: `${property.type}/${property.fieldType}`,
    fieldType: property.fieldType,
    groupName: property.groupName ?? null,
    mappedType: mapping.supported ? mapping.type : null,
    supported: mapping.supported,
    reason: mapping.supported ? null : mapping.reason,
    alreadyImported: imported.has(`${object}:${property.name}`),
  };
}

async function importedKeys(db: Kysely<Database>, workspaceId: string): Promise<Set<string>> {
  const fields = await listSyncedFields(db, workspaceId, "hubspot");
  return new Set(fields.map((f) => `${f.syncMapping!.object}:${f.syncMapping!.property}`));
}

export async function listImportableFields(db: Kysely<Database>, workspaceId: string, client: HubSpotClient): Promise<Record<ImportObject, ImportableField[]>> {
  const [companies, deals, imported] = await Promise.all([client.listProperties("companies"), client.listProperties("deals"), importedKeys(db, workspaceId)]);
  const byLabel = (a: ImportableField, b: ImportableField) => a.label.localeCompare(b.label);
  return {
    company: companies.filter(visible).map((p) => describe(p, "company", imported)).sort(byLabel),
    deal: deals.filter(visible).map((p) => describe(p, "deal", imported)).sort(byLabel),
  };
}

export interface ImportSelection {
  object: ImportObject;
  name: string;
}

/** Creates one synced field per selected property, all or none. */
export async function importFields(db: Kysely<Database>, workspaceId: string, client: HubSpotClient, selections: readonly ImportSelection[]): Promise<FieldRecord[]> {
  if (selections.length === 0) throw new AppError("validation_failed", "Choose at least one property to import.");
  const objects = [...new Set(selections.map((s) => s.object))];
  const properties = new Map<string, HubSpotProperty>();
  for (const object of objects) for (const p of await client.listProperties(objectTypeOf[object])) properties.set(`${object}:${p.name}`, p);
  const imported = await importedKeys(db, workspaceId);
  const seen = new Set<string>();
  const defs = selections.map((selection) => {
    const key = `${selection.object}:${selection.name}`;
    const property = properties.get(key);
    if (!property) throw new AppError("field_unknown", `HubSpot has no ${selection.object} property "${selection.name}".`, { ...selection });
    if (imported.has(key) || seen.has(key)) throw new AppError("conflict", `The ${selection.object} property "${property.label}" is already imported.`, { ...selection });
    seen.add(key);
    const mapping = mapHubSpotProperty(property, selection.object);
    if (!mapping.supported) throw new AppError("validation_failed", `"${property.label}": ${mapping.reason}`, { ...selection });
    return {
      label: property.label,
      type: mapping.type,
      options: mapping.options,
      syncMapping: { provider: "hubspot" as const, object: selection.object as HubSpotObject, property: property.name },
      syncPropertyType: `${property.type}/${property.fieldType}`,
    };
  });
  return createSyncedFields(db, workspaceId, defs);
}

/** Reads a synced field's label and options from HubSpot again (the type never changes). */
export async function refreshFieldDefinition(db: Kysely<Database>, workspaceId: string, client: HubSpotClient, fieldId: string): Promise<FieldRecord> {
  const field = await getField(db, workspaceId, fieldId);
  if (!field) throw notFound("Field", fieldId);
  const mapping = field.syncMapping;
  if (!mapping || (mapping.object !== "company" && mapping.object !== "deal")) {
    throw new AppError("validation_failed", `The field "${field.label}" is not synced from a HubSpot company or deal property.`, { field: field.key });
  }
  const property = await client.getProperty(objectTypeOf[mapping.object], mapping.property);
  if (!property) throw new AppError("field_unknown", `HubSpot no longer has the ${mapping.object} property "${mapping.property}".`, { field: field.key });
  const mapped = mapHubSpotProperty(property, mapping.object);
  if (!mapped.supported || mapped.type !== field.type) {
    throw new AppError("validation_failed", `HubSpot's "${property.label}" is now of another kind; delete the field and import it again.`, { field: field.key });
  }
  return refreshSyncedFieldDefinition(db, workspaceId, fieldId, { label: property.label, options: mapped.options });
}
