// Pure translations between HubSpot records and the sync engine's CRM records.
import { tryNormalizeDomain } from "../../core/domains.ts";
import type { CrmCompany, CrmDeal } from "../../sync/ports.ts";
import type { HubSpotRecord } from "./types.ts";

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
    companyIds,
    createdAt: record.properties["createdate"] ?? record.createdAt ?? null,
    modifiedAt: record.properties["hs_lastmodifieddate"] ?? record.updatedAt ?? null,
    properties: record.properties,
  };
}
