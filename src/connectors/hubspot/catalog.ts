// HubSpot company and deal properties as the engine's property catalog (field import, product
// spec §3.3): each property with its HubSpot type and the crmsync field type it maps onto.
import type { CatalogObject, CatalogProperty, PropertyCatalog } from "../../sync/connector.ts";
import type { HubSpotClient } from "./client.ts";
import { mapHubSpotProperty, type HubSpotProperty } from "./property-types.ts";
import { guarded } from "./source-errors.ts";
import type { ObjectType } from "./types.ts";

const objectTypeOf: Record<CatalogObject, ObjectType> = { company: "companies", deal: "deals" };

export function toCatalogProperty(property: HubSpotProperty, object: CatalogObject): CatalogProperty {
  return {
    name: property.name,
    label: property.label,
    crmType: `${property.type}/${property.fieldType}`,
    fieldType: property.fieldType,
    groupName: property.groupName ?? null,
    // Properties HubSpot itself hides from people are internal bookkeeping, not fields to import.
    hidden: property.hidden === true,
    mapping: mapHubSpotProperty(property, object),
  };
}

export function createHubSpotCatalog(client: HubSpotClient): PropertyCatalog {
  return {
    list(object) {
      return guarded(async () => (await client.listProperties(objectTypeOf[object])).map((p) => toCatalogProperty(p, object)));
    },
    get(object, name) {
      return guarded(async () => {
        const property = await client.getProperty(objectTypeOf[object], name);
        return property ? toCatalogProperty(property, object) : null;
      });
    },
  };
}
