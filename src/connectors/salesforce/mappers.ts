// Pure translations between Salesforce rows and the sync engine's CRM records. Accounts are the
// companies (their one domain is the host of Website), Opportunities the deals (their company
// is AccountId), Contacts the contacts; SystemModstamp is the modification time everywhere,
// because incremental reads filter on it (it also moves when automation changes a record).
import { tryNormalizeDomain } from "../../core/domains.ts";
import type { CrmCompany, CrmContact, CrmDeal, CrmDealSummary } from "../../sync/ports.ts";
import type { SalesforceRecord } from "./client.ts";

export const accountBaseFields = ["Name", "Website", "CreatedDate", "SystemModstamp"] as const;
export const opportunityBaseFields = ["Name", "AccountId", "CreatedDate", "SystemModstamp"] as const;
export const contactBaseFields = ["Email", "Phone", "FirstName", "LastName", "AccountId", "CreatedDate", "SystemModstamp"] as const;
export const opportunitySummaryFields = ["Name", "Amount", "StageName", "CreatedDate"] as const;

/** The base fields first, then the asked ones not among them (Salesforce reads names case-blind). */
export function withBase(base: readonly string[], asked: readonly string[]): string[] {
  const out = [...base];
  const seen = new Set(["id", ...base.map((f) => f.toLowerCase())]);
  for (const field of asked) {
    const key = field.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(field);
  }
  return out;
}

/** Salesforce writes datetimes as 2026-01-02T10:00:00.000+0000; crmsync reads ±hh:mm offsets. */
const compactOffset = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(\d{2})$/;

/** A field value as the engine's raw CRM string: numbers and booleans as written, objects left out. */
export function rawValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    const match = compactOffset.exec(value);
    return match ? `${match[1]}${match[2]}:${match[3]}` : value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

/** Every field of a row as raw strings (the attributes block and relationship objects left out). */
export function rawFields(row: SalesforceRecord): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === "attributes" || (typeof value === "object" && value !== null)) continue;
    out[name] = rawValue(value);
  }
  return out;
}

/** An Account's domains: the normalised host of its Website, or none when empty or unreadable. */
export function websiteDomains(website: unknown): string[] {
  if (typeof website !== "string" || website.trim() === "") return [];
  const domain = tryNormalizeDomain(website);
  return domain ? [domain] : [];
}

export function toCrmCompany(row: SalesforceRecord): CrmCompany {
  const p = rawFields(row);
  return { id: row.Id, name: p["Name"] ?? null, domains: websiteDomains(row["Website"]), createdAt: p["CreatedDate"] ?? null, modifiedAt: p["SystemModstamp"] ?? null, properties: p };
}

/** `companyIds` undefined when the source did not read AccountId (deals by id). */
export function toCrmDeal(row: SalesforceRecord, withCompany: boolean): CrmDeal {
  const p = rawFields(row);
  const accountId = p["AccountId"] ?? null;
  return {
    id: row.Id,
    name: p["Name"] ?? null,
    companyIds: withCompany ? (accountId === null ? [] : [accountId]) : undefined,
    createdAt: p["CreatedDate"] ?? null,
    modifiedAt: p["SystemModstamp"] ?? null,
    properties: p,
  };
}

export function toCrmDealSummary(row: SalesforceRecord): CrmDealSummary {
  const p = rawFields(row);
  return { id: row.Id, name: p["Name"] ?? null, amount: p["Amount"] ?? null, stage: p["StageName"] ?? null, createdAt: p["CreatedDate"] ?? null };
}

/** Salesforce merges delete the losing contacts, so no survivor lists merged ids; Contacts have no lifecycle stage. */
export function toCrmContact(row: SalesforceRecord): CrmContact {
  const p = rawFields(row);
  return {
    id: row.Id,
    createdAt: p["CreatedDate"] ?? null,
    modifiedAt: p["SystemModstamp"] ?? null,
    email: p["Email"] ?? null,
    phone: p["Phone"] ?? null,
    additionalEmails: [],
    lifecycleStage: null,
    properties: p,
    mergedIds: [],
  };
}
