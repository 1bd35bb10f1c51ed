// What the sync engine needs from a CRM, in the engine's own terms. The HubSpot connector
// implements these; Salesforce and Attio will too. Nothing here knows about HTTP.

/** A CRM company as account sync sees it: domains already normalised. */
export interface CrmCompany {
  id: string;
  domains: string[];
  createdAt: string | null;
  modifiedAt: string | null;
  /** Raw CRM values of the properties asked for; null when empty. */
  properties: Record<string, string | null>;
}

export interface CrmDeal {
  id: string;
  /** Companies the deal is associated with; undefined when the source did not read them. */
  companyIds: string[] | undefined;
  createdAt: string | null;
  modifiedAt: string | null;
  properties: Record<string, string | null>;
}

/** One page of records and the cursor that resumes after it (null on the last page). */
export interface SourcePage<T> {
  records: T[];
  cursor: string | null;
}

export interface AccountSource {
  /** Every live company, page by page, resuming after `cursor` when given. */
  companies(options: { properties: string[]; cursor?: string | null }): AsyncIterable<SourcePage<CrmCompany>>;
  /** Every live deal with its company associations, page by page. */
  deals(options: { properties: string[]; cursor?: string | null }): AsyncIterable<SourcePage<CrmDeal>>;
  /** Companies changed at or after `sinceMs` (CRM time), oldest change first. */
  companiesModifiedSince(options: { sinceMs: number; properties: string[] }): AsyncIterable<CrmCompany[]>;
  /** Deals changed at or after `sinceMs`, with their company associations. */
  dealsModifiedSince(options: { sinceMs: number; properties: string[] }): AsyncIterable<CrmDeal[]>;
  /** Reads records by id; ids that no longer exist are left out. */
  getCompanies(ids: string[], properties: string[]): Promise<CrmCompany[]>;
  getDeals(ids: string[], properties: string[]): Promise<CrmDeal[]>;
  /** Ids of the deals associated with a company. */
  dealIdsOfCompany(companyId: string): Promise<string[]>;
  /** Companies whose name or domain matches `query` (the link dialog); the first few when empty. */
  searchCompanies(query: string, limit: number): Promise<CrmCompany[]>;
}

/** Property names account sync always needs besides the imported ones. */
export const companyBaseProperties = ["domain", "hs_additional_domains", "createdate", "hs_lastmodifieddate", "name"] as const;
export const dealBaseProperties = ["createdate", "hs_lastmodifieddate", "dealname"] as const;

/** A CRM failure in the engine's terms: which catalog code, and when to try again. */
export class CrmSourceError extends Error {
  constructor(
    readonly code: "crm_rate_limited" | "crm_auth_revoked" | "crm_unavailable",
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "CrmSourceError";
  }
}
