// Which HubSpot properties can become crmsync custom fields, and as what (product spec §3.3).
import { booleanSelectMapping } from "../../core/crm-values.ts";
import type { FieldOption, FieldType } from "../../core/fields.ts";

export interface HubSpotPropertyOption {
  label: string;
  value: string;
  description?: string | undefined;
  displayOrder?: number | undefined;
  hidden?: boolean | undefined;
}

export interface HubSpotModificationMetadata {
  archivable?: boolean | undefined;
  readOnlyDefinition?: boolean | undefined;
  readOnlyValue?: boolean | undefined;
  readOnlyOptions?: boolean | undefined;
}

/** A property as HubSpot's properties API returns it. */
export interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description?: string | undefined;
  groupName?: string | undefined;
  options?: HubSpotPropertyOption[] | undefined;
  displayOrder?: number | undefined;
  calculated?: boolean | undefined;
  calculationFormula?: string | null | undefined;
  externalOptions?: boolean | undefined;
  hasUniqueValue?: boolean | undefined;
  hidden?: boolean | undefined;
  hubspotDefined?: boolean | undefined;
  referencedObjectType?: string | null | undefined;
  modificationMetadata?: HubSpotModificationMetadata | undefined;
  createdAt?: string | undefined;
  updatedAt?: string | undefined;
  archived?: boolean | undefined;
}

export type HubSpotObject = "company" | "deal" | "contact";

export type PropertyMapping =
  | { supported: true; type: FieldType; options: FieldOption[] }
  | { supported: false; reason: string };

export const unsupportedReason = "This field isn't supported and won't be imported.";

const unsupported: PropertyMapping = { supported: false, reason: unsupportedReason };

// HubSpot-user references that HubSpot defines without a referencedObjectType (creator,
// updater, all owners): their values are user ids, meaningless outside the portal.
const userReferenceName = /(?:^|_)(?:owner|user)_ids?$|^hs_user_ids_of_all_owners$/;

function isCalculated(prop: HubSpotProperty): boolean {
  const formula = prop.calculationFormula;
  return prop.fieldType.startsWith("calculation_") || prop.calculated === true || (typeof formula === "string" && formula !== "");
}

function isUserReference(prop: HubSpotProperty): boolean {
  const referenced = prop.referencedObjectType?.toUpperCase();
  if (referenced === "OWNER" || referenced === "USER") return true;
  if (prop.name === "hubspot_owner_id") return true;
  return prop.hubspotDefined === true && userReferenceName.test(prop.name);
}

/**
 * HubSpot's own scores (hubspotscore, hs_predictivecontactscore_v2, ...) are computed by
 * HubSpot even where their fieldType is a plain number; a portal's own "NPS score" property
 * is ordinary data and stays importable.
 */
function isScore(prop: HubSpotProperty): boolean {
  return prop.fieldType === "calculation_score" || (prop.hubspotDefined === true && prop.name.includes("score"));
}

function isExcluded(prop: HubSpotProperty, object: HubSpotObject): boolean {
  return (
    isCalculated(prop) ||
    isScore(prop) ||
    prop.type === "file" ||
    prop.fieldType === "file" ||
    isUserReference(prop) ||
    // Stage ids belong to pipelines and their options mix every pipeline's stages. `pipeline`
    // itself is a plain dropdown of pipelines and stays importable as a select.
    (object === "deal" && prop.name === "dealstage")
  );
}

/** Options as HubSpot orders them, hidden ones included (records may still hold them), each value once. */
function copyOptions(prop: HubSpotProperty): FieldOption[] {
  const seen = new Set<string>();
  const options: FieldOption[] = [];
  for (const option of prop.options ?? []) {
    if (seen.has(option.value)) continue;
    seen.add(option.value);
    options.push({ value: option.value, label: option.label === "" ? option.value : option.label });
  }
  return options;
}

/**
 * The crmsync field type of a HubSpot property, or why it cannot be imported.
 *
 * Decisions beyond the spec's table: `type: string` with `fieldType: phonenumber` (HubSpot's
 * own `phone` properties) is single-line text holding a free-form string, so it imports as
 * text; the newer `type: phone_number`, and `currency_number`, `json` and
 * `object_coordinates`, are types outside the table and are not importable.
 */
export function mapHubSpotProperty(prop: HubSpotProperty, object: HubSpotObject): PropertyMapping {
  if (isExcluded(prop, object)) return unsupported;
  switch (prop.type) {
    case "string":
      return ["text", "textarea", "phonenumber"].includes(prop.fieldType)
        ? { supported: true, type: "text", options: [] }
        : unsupported;
    case "number":
      return prop.fieldType === "number" || prop.fieldType === "text"
        ? { supported: true, type: "number", options: [] }
        : unsupported;
    case "date":
    case "datetime":
      return prop.fieldType === "date" || prop.fieldType === "text"
        ? { supported: true, type: "date", options: [] }
        : unsupported;
    case "enumeration":
      switch (prop.fieldType) {
        case "select":
        case "radio":
          return { supported: true, type: "select", options: copyOptions(prop) };
        case "checkbox":
          return { supported: true, type: "multi_select", options: copyOptions(prop) };
        case "booleancheckbox":
          return booleanSelectMapping();
        default:
          return unsupported;
      }
    case "bool":
      return prop.fieldType === "booleancheckbox" || prop.fieldType === "select" || prop.fieldType === "radio"
        ? booleanSelectMapping()
        : unsupported;
    default:
      return unsupported;
  }
}
