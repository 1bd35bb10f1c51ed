/** The CRM object types the emulator serves, with every alias HubSpot accepts in paths. */
export const OBJECT_TYPES = ["companies", "deals", "contacts"] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface ObjectTypeInfo {
  name: ObjectType;
  singular: string;
  typeId: string;
  /** Upper-case name HubSpot uses in some error messages. */
  upper: string;
  lastModifiedProperty: string;
  defaultProperties: readonly string[];
  /** Properties HubSpot always adds to a record's `properties`, even when others are requested. */
  alwaysProperties: readonly string[];
  /** Properties scanned by a search `query`. */
  queryProperties: readonly string[];
}

export const OBJECT_INFO: Record<ObjectType, ObjectTypeInfo> = {
  companies: {
    name: "companies",
    singular: "company",
    typeId: "0-2",
    upper: "COMPANY",
    lastModifiedProperty: "hs_lastmodifieddate",
    defaultProperties: ["name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"],
    alwaysProperties: ["createdate", "hs_lastmodifieddate", "hs_object_id"],
    queryProperties: ["name", "domain", "website", "phone"],
  },
  deals: {
    name: "deals",
    singular: "deal",
    typeId: "0-3",
    upper: "DEAL",
    lastModifiedProperty: "hs_lastmodifieddate",
    defaultProperties: ["dealname", "amount", "closedate", "pipeline", "dealstage", "createdate", "hs_lastmodifieddate", "hs_object_id"],
    alwaysProperties: ["createdate", "hs_lastmodifieddate", "hs_object_id"],
    queryProperties: ["dealname"],
  },
  contacts: {
    name: "contacts",
    singular: "contact",
    typeId: "0-1",
    upper: "CONTACT",
    lastModifiedProperty: "lastmodifieddate",
    defaultProperties: ["firstname", "lastname", "email", "createdate", "lastmodifieddate", "hs_object_id"],
    alwaysProperties: ["createdate", "lastmodifieddate", "hs_object_id"],
    queryProperties: ["firstname", "lastname", "email", "phone", "company"],
  },
};

const ALIASES = new Map<string, ObjectType>();
for (const t of OBJECT_TYPES) {
  const info = OBJECT_INFO[t];
  ALIASES.set(t, t);
  ALIASES.set(info.singular, t);
  ALIASES.set(info.typeId, t);
}

/** Resolves "companies", "company", "COMPANY" or "0-2" to the canonical name. */
export function resolveObjectType(raw: string): ObjectType | undefined {
  return ALIASES.get(raw.toLowerCase());
}
