// Pure translations between HubSpot records and the sync engine's CRM records.
import { tryNormalizeDomain } from "../../core/domains.ts";
import type { CrmCompany, CrmDeal, CrmDealSummary } from "../../sync/ports.ts";
import type { HubSpotRecord } from "./types.ts";

/** What the engine's CrmCompany, CrmDeal and CrmContact are read from, besides the properties it asks for. */
export const companyBaseProperties = ["domain", "hs_additional_domains", "createdate", "hs_lastmodifieddate", "name"] as const;
export const dealBaseProperties = ["createdate", "hs_lastmodifieddate", "dealname"] as const;
export const contactBaseProperties = ["email", "hs_additional_emails", "phone", "firstname", "lastname", "lifecyclestage", "createdate", "lastmodifieddate", "hs_merged_object_ids"] as const;
/** What the link dialog shows of a deal. */
export const dealSummaryProperties = ["dealname", "amount", "dealstage", "createdate"] as const;

/** The base properties first, then the asked ones not among them (the order HubSpot is asked in). */
export function withBase(base: readonly string[], properties: readonly string[]): string[] {
  return [...new Set([...base, ...properties])];
}

/**
 * A company's domains: the primary `domain` and every `;`-separated additional domain,
 * normalised like customers' domains, unreadable ones dropped, duplicates removed.
 */
export function companyDomains(properties: Record<string, string | null | undefined>): string[] {
  const raw = [properties["domain"] ?? "", ...(properties["hs_additional_domains"] ?? "").split(";")];
  const domains = new Set<string>();
  for (const value of raw) {
    if (value.trim() === "") continue;
    const domain = tryNormalizeDomain(value);
    if (domain) domains.add(domain);
  }
  return [...domains];
}

export function toCrmCompany(record: HubSpotRecord): CrmCompany {
  return {
    id: record.id,
    name: record.properties["name"] ?? null,
    domains: companyDomains(record.properties),
    createdAt: record.properties["createdate"] ?? record.createdAt ?? null,
    modifiedAt: record.properties["hs_lastmodifieddate"] ?? record.updatedAt ?? null,
    properties: record.properties,
  };
}

/** Company ids from a record's inline associations; undefined when they were not requested. */
export function associatedCompanyIds(record: HubSpotRecord): string[] | undefined {
  const associations = record.associations?.["companies"];
  if (!associations) return record.associations ? [] : undefined;
  return [...new Set(associations.results.map((a) => a.id))];
}

export function toCrmDeal(record: HubSpotRecord, companyIds: string[] | undefined): CrmDeal {
  return {
    id: record.id,
    name: record.properties["dealname"] ?? null,
    companyIds,
    createdAt: record.properties["createdate"] ?? record.createdAt ?? null,
    modifiedAt: record.properties["hs_lastmodifieddate"] ?? record.updatedAt ?? null,
    properties: record.properties,
  };
}

export function toCrmDealSummary(record: HubSpotRecord): CrmDealSummary {
  const p = record.properties;
  return { id: record.id, name: p["dealname"] ?? null, amount: p["amount"] ?? null, stage: p["dealstage"] ?? null, createdAt: p["createdate"] ?? record.createdAt ?? null };
}
