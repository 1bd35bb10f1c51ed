// Automatic linking of customers to HubSpot companies and deals (product spec §3.1). Matching
// runs locally against an index of the mirrored companies, never one CRM call per customer.
import { parseCrmTimestamp } from "./crm-values.ts";
import { domainMatchKeys } from "./domains.ts";

export interface CompanyDomains {
  id: string;
  /** Normalised primary and additional domains (normalizeDomain). */
  domains: string[];
}

export type CompanyLinkDecision =
  | { kind: "no_domains" }
  | { kind: "personal_domain" }
  | { kind: "no_match" }
  | { kind: "ambiguous"; companyIds: string[] }
  | { kind: "linked"; companyId: string };

/** Numeric ids (HubSpot's) in numeric order, anything else after them in code-unit order. */
function compareIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  const aNumeric = numeric.test(a);
  const bNumeric = numeric.test(b);
  if (aNumeric && bNumeric) {
    const diff = BigInt(a) - BigInt(b);
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  }
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Match key → company ids, kept up to date company by company as the mirror changes, so a
 * lookup costs one map access however many companies the portal has.
 */
export class CompanyDomainIndex {
  readonly #byKey = new Map<string, Set<string>>();
  readonly #keysByCompany = new Map<string, string[]>();

  /** Adds a company, or replaces what the index knew of it (its domains changed). */
  add(company: CompanyDomains): void {
    this.remove(company.id);
    const keys = [...new Set(company.domains.flatMap(domainMatchKeys))];
    if (keys.length === 0) return;
    for (const key of keys) {
      let ids = this.#byKey.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.#byKey.set(key, ids);
      }
      ids.add(company.id);
    }
    this.#keysByCompany.set(company.id, keys);
  }

  /** Forgets a company (deleted or archived in HubSpot); unknown ids are ignored. */
  remove(companyId: string): void {
    const keys = this.#keysByCompany.get(companyId);
    if (keys === undefined) return;
    for (const key of keys) {
      const ids = this.#byKey.get(key);
      ids?.delete(companyId);
      if (ids?.size === 0) this.#byKey.delete(key);
    }
    this.#keysByCompany.delete(companyId);
  }

  /** Ids of the companies matching a normalised domain, in id order. */
  companiesFor(domain: string): string[] {
    const ids = new Set<string>();
    for (const key of domainMatchKeys(domain)) for (const id of this.#byKey.get(key) ?? []) ids.add(id);
    return [...ids].sort(compareIds);
  }

  /** Number of companies with at least one domain. */
  get size(): number {
    return this.#keysByCompany.size;
  }
}

/**
 * Links only when exactly one distinct company matches across all the customer's (normalised)
 * domains. Several matches are ambiguous even when one company matches more domains than the
 * others: the spec asks for no link, and the user sees why. Personal domains (gmail.com) take
 * no part: a customer with only those is never linked automatically.
 */
export function decideCompanyLink(customerDomains: readonly string[], index: CompanyDomainIndex, isPersonal: (domain: string) => boolean = () => false): CompanyLinkDecision {
  if (customerDomains.length === 0) return { kind: "no_domains" };
  const companyDomains = customerDomains.filter((domain) => !isPersonal(domain));
  if (companyDomains.length === 0) return { kind: "personal_domain" };
  const ids = new Set<string>();
  for (const domain of companyDomains) for (const id of index.companiesFor(domain)) ids.add(id);
  const [first, ...rest] = [...ids].sort(compareIds);
  if (first === undefined) return { kind: "no_match" };
  return rest.length === 0 ? { kind: "linked", companyId: first } : { kind: "ambiguous", companyIds: [first, ...rest] };
}

/** Unreadable creation times sort as oldest, so they never win over a known one. */
function createdMs(createdAt: string | null): number {
  return (createdAt === null ? null : parseCrmTimestamp(createdAt)) ?? Number.NEGATIVE_INFINITY;
}

/**
 * Deals newest first by the rule pickDeal applies, so a list of deals (the link dialog's) starts
 * with the one a run would link.
 */
export function newestDealsFirst<T extends { id: string; createdAt: string | null }>(deals: readonly T[]): T[] {
  return [...deals].sort((a, b) => createdMs(b.createdAt) - createdMs(a.createdAt) || compareIds(b.id, a.id));
}

/**
 * The deal to link: the most recently created one (archived deals are left out by the caller).
 * Equal creation times go to the highest id, HubSpot's ids growing with creation, so every run
 * picks the same deal.
 */
export function pickDeal(deals: readonly { id: string; createdAt: string }[]): string | null {
  let best: { id: string; ms: number } | null = null;
  for (const deal of deals) {
    const ms = createdMs(deal.createdAt);
    if (best === null || ms > best.ms || (ms === best.ms && compareIds(deal.id, best.id) > 0)) {
      best = { id: deal.id, ms };
    }
  }
  return best?.id ?? null;
}
