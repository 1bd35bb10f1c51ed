// Account and Opportunity fields from describe as the engine's property catalog (field import).
// Formula fields import like their result type: synced fields are read-only in crmsync anyway,
// and crmsync never writes Accounts or Opportunities.
import type { CatalogObject, CatalogProperty, PropertyCatalog } from "../../sync/connector.ts";
import type { DescribeField, SalesforceClient } from "./client.ts";
import { crmTypeOf, mapSalesforceField } from "./field-types.ts";
import { guarded } from "./source-errors.ts";

export const objectNameOf: Record<CatalogObject, string> = { company: "Account", deal: "Opportunity" };

export function toCatalogProperty(field: DescribeField): CatalogProperty {
  return {
    name: field.name,
    label: field.label,
    crmType: crmTypeOf(field),
    fieldType: field.type,
    groupName: field.compoundFieldName ?? null,
    hidden: field.deprecatedAndHidden === true,
    mapping: mapSalesforceField(field),
  };
}

export function createSalesforceCatalog(client: SalesforceClient): PropertyCatalog {
  const list = (object: CatalogObject) => guarded(async () => (await client.describe(objectNameOf[object])).fields.map(toCatalogProperty));
  return {
    list,
    async get(object, name) {
      return (await list(object)).find((p) => p.name === name) ?? null;
    },
  };
}
