// Which Salesforce fields can become crmsync custom fields, and as what (product spec §8):
// the describe `type` decides, formula fields import read-only with their result type, and
// the rest is refused with the reason shown beside the field.
import { booleanSelectMapping } from "../../core/crm-values.ts";
import type { FieldOption } from "../../core/fields.ts";
import type { CatalogProperty } from "../../sync/connector.ts";
import type { DescribeField } from "./client.ts";

export type FieldMapping = CatalogProperty["mapping"];

const text: FieldMapping = { supported: true, type: "text", options: [] };
const number: FieldMapping = { supported: true, type: "number", options: [] };
const date: FieldMapping = { supported: true, type: "date", options: [] };

const refusals: Record<string, string> = {
  base64: "Files (base64) aren't imported.",
  address: "An address is a compound field: import its parts (street, city, postal code, country) instead.",
  location: "A location is a compound field: import its latitude and longitude instead.",
  anyType: "A field of any type (anyType) holds values of changing types and isn't imported.",
  encryptedstring: "Encrypted text isn't imported.",
  reference: "A lookup holds a Salesforce record id, which means nothing outside Salesforce.",
  id: "A Salesforce record id means nothing outside Salesforce.",
};
const otherwise = "This field isn't supported and won't be imported.";

/** Active picklist values in Salesforce's order, each value once; inactive ones are no longer offered. */
function picklistOptions(field: DescribeField): FieldOption[] {
  const seen = new Set<string>();
  const options: FieldOption[] = [];
  for (const entry of field.picklistValues ?? []) {
    if (entry.active === false || seen.has(entry.value)) continue;
    seen.add(entry.value);
    options.push({ value: entry.value, label: entry.label ? entry.label : entry.value });
  }
  return options;
}

/** The crmsync field type of a describe field, or why it is refused. */
export function mapSalesforceField(field: DescribeField): FieldMapping {
  const refusal = refusals[field.type];
  if (refusal !== undefined) return { supported: false, reason: refusal };
  switch (field.type) {
    case "string":
    case "textarea":
    case "email":
    case "phone":
    case "url":
      return text;
    case "currency":
    case "percent":
    case "double":
    case "int":
    case "long":
      return number;
    case "date":
    case "datetime":
      return date;
    case "picklist":
      return { supported: true, type: "select", options: picklistOptions(field) };
    case "multipicklist":
      return { supported: true, type: "multi_select", options: picklistOptions(field) };
    case "boolean":
      return booleanSelectMapping();
    default:
      return { supported: false, reason: otherwise };
  }
}

/** What the import list shows of a field's Salesforce type: formulas say they are one. */
export function crmTypeOf(field: DescribeField): string {
  return field.calculated === true ? `formula (${field.type})` : field.type;
}
