/** Field definitions as describe reports them, and small builders for the standard set. */
export type FieldType =
  | "id"
  | "string"
  | "textarea"
  | "email"
  | "phone"
  | "url"
  | "picklist"
  | "multipicklist"
  | "boolean"
  | "currency"
  | "percent"
  | "double"
  | "int"
  | "long"
  | "date"
  | "datetime"
  | "address"
  | "location"
  | "base64"
  | "anyType"
  | "encryptedstring"
  | "reference";

export const FIELD_TYPES: readonly FieldType[] = [
  "id", "string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "boolean", "currency", "percent",
  "double", "int", "long", "date", "datetime", "address", "location", "base64", "anyType", "encryptedstring", "reference",
];

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** A record as the store keeps it: datetimes as epoch milliseconds, dates as YYYY-MM-DD. */
export type FieldValue = string | number | boolean | null;
export type RecordValues = Record<string, FieldValue>;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  calculated: boolean;
  calculatedFormula: string | null;
  /** How the emulator computes a formula field from the stored values. */
  compute?: (values: RecordValues) => FieldValue;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  compoundFieldName: string | null;
  defaultedOnCreate: boolean;
  nameField: boolean;
  /** Compound fields: the parts that make up the value (address, location). */
  parts?: Record<string, string>;
}

type Extra = Partial<Omit<FieldDef, "name" | "label" | "type">>;

export function field(name: string, label: string, type: FieldType, extra: Extra = {}): FieldDef {
  const custom = name.endsWith("__c");
  const base: FieldDef = {
    name,
    label,
    type,
    length: type === "string" || type === "email" || type === "phone" || type === "url" || type === "encryptedstring" ? 255 : type === "textarea" ? 32000 : type === "id" || type === "reference" ? 18 : type === "picklist" || type === "multipicklist" ? 255 : 0,
    precision: type === "currency" ? 18 : type === "percent" || type === "double" ? 18 : 0,
    scale: type === "currency" || type === "percent" ? 2 : type === "double" ? 2 : 0,
    digits: type === "int" ? 9 : type === "long" ? 18 : 0,
    nillable: true,
    createable: true,
    updateable: true,
    custom,
    calculated: false,
    calculatedFormula: null,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    compoundFieldName: null,
    defaultedOnCreate: false,
    nameField: false,
  };
  return { ...base, ...extra };
}

export function picklist(values: readonly string[], defaultValue?: string): PicklistValue[] {
  return values.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

/** System fields every queryable object has; none of them can be written. */
export function systemFields(prefix: string): FieldDef[] {
  const ro = { createable: false, updateable: false, nillable: false } as const;
  return [
    field("Id", `${prefix} ID`, "id", { ...ro, defaultedOnCreate: true }),
    field("IsDeleted", "Deleted", "boolean", { ...ro, defaultedOnCreate: true }),
    field("CreatedDate", "Created Date", "datetime", { ...ro, defaultedOnCreate: true }),
    field("CreatedById", "Created By ID", "reference", { ...ro, defaultedOnCreate: true, referenceTo: ["User"], relationshipName: "CreatedBy" }),
    field("LastModifiedDate", "Last Modified Date", "datetime", { ...ro, defaultedOnCreate: true }),
    field("LastModifiedById", "Last Modified By ID", "reference", { ...ro, defaultedOnCreate: true, referenceTo: ["User"], relationshipName: "LastModifiedBy" }),
    field("SystemModstamp", "System Modstamp", "datetime", { ...ro, defaultedOnCreate: true }),
  ];
}

/** An address compound field and its parts, as Salesforce names them (BillingCity, …). */
export function addressFields(prefix: string, label: string): FieldDef[] {
  const compound = `${prefix}Address`;
  const part = (suffix: string, partLabel: string, type: FieldType, extra: Extra = {}): FieldDef =>
    field(`${prefix}${suffix}`, `${label} ${partLabel}`, type, { compoundFieldName: compound, ...extra });
  return [
    part("Street", "Street", "textarea", { length: 255 }),
    part("City", "City", "string", { length: 40 }),
    part("State", "State/Province", "string", { length: 80 }),
    part("PostalCode", "Zip/Postal Code", "string", { length: 20 }),
    part("Country", "Country", "string", { length: 80 }),
    part("Latitude", "Latitude", "double", { precision: 18, scale: 15 }),
    part("Longitude", "Longitude", "double", { precision: 18, scale: 15 }),
    part("GeocodeAccuracy", "Geocode Accuracy", "picklist", { picklistValues: picklist(["Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "Neighborhood", "City", "County", "State", "Unknown"]), restrictedPicklist: true }),
    field(compound, `${label} Address`, "address", {
      createable: false,
      updateable: false,
      parts: {
        street: `${prefix}Street`,
        city: `${prefix}City`,
        state: `${prefix}State`,
        postalCode: `${prefix}PostalCode`,
        country: `${prefix}Country`,
        latitude: `${prefix}Latitude`,
        longitude: `${prefix}Longitude`,
        geocodeAccuracy: `${prefix}GeocodeAccuracy`,
      },
    }),
  ];
}

/** A custom geolocation field: `Name__c` (location) with `Name__Latitude__s` and `Name__Longitude__s`. */
export function locationFields(base: string, label: string): FieldDef[] {
  const compound = `${base}__c`;
  return [
    field(`${base}__Latitude__s`, `${label} (Latitude)`, "double", { compoundFieldName: compound, precision: 10, scale: 6, custom: true }),
    field(`${base}__Longitude__s`, `${label} (Longitude)`, "double", { compoundFieldName: compound, precision: 10, scale: 6, custom: true }),
    field(compound, label, "location", { createable: false, updateable: false, parts: { latitude: `${base}__Latitude__s`, longitude: `${base}__Longitude__s` } }),
  ];
}
