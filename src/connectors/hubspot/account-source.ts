// The sync engine's AccountSource on HubSpot: lists for full passes (100 a page, deals with
// their companies inline, so a full pass costs ⌈companies/100⌉ + ⌈deals/100⌉ calls), windowed
// search for incremental runs, batch reads for Save & Sync. HubSpot errors leave as the
// engine's ConnectorError. The engine asks only for imported properties; what a CrmCompany or
// CrmDeal is made of (domains, name, times) is added here.
import type { AccountSource, CrmCompany, CrmDeal, SourcePage } from "../../sync/ports.ts";
import type { HubSpotClient } from "./client.ts";
import { limits } from "./client.ts";
import { HubSpotError } from "./errors.ts";
import { associatedCompanyIds, companyBaseProperties, dealBaseProperties, dealSummaryProperties, toCrmCompany, toCrmDeal, toCrmDealSummary, withBase } from "./mappers.ts";
import { guarded, guardedIterable } from "./source-errors.ts";
import type { HubSpotRecord } from "./types.ts";

export function createHubSpotAccountSource(client: HubSpotClient): AccountSource {
  const companyProps = (asked: readonly string[]) => withBase(companyBaseProperties, asked);
  const dealProps = (asked: readonly string[]) => withBase(dealBaseProperties, asked);

  /** Deals' companies: inline when listed; a deal with more than a page of them is read in full. */
  async function dealsWithCompanies(records: readonly HubSpotRecord[]): Promise<CrmDeal[]> {
    return Promise.all(
      records.map(async (record) => {
        const inline = record.associations?.["companies"];
        if (inline?.paging?.next) {
          const all = await client.listAssociations("deals", record.id, "companies");
          return toCrmDeal(record, [...new Set(all.map((a) => a.toObjectId))]);
        }
        // Asked for, but absent: HubSpot leaves the key out when a deal has no company.
        return toCrmDeal(record, associatedCompanyIds(record) ?? []);
      }),
    );
  }

  async function companiesOfDeals(records: readonly HubSpotRecord[]): Promise<CrmDeal[]> {
    if (records.length === 0) return [];
    const associations = await client.batchReadAssociations("deals", "companies", records.map((r) => r.id));
    return records.map((record) => toCrmDeal(record, [...new Set((associations.byId.get(record.id) ?? []).map((a) => a.toObjectId))]));
  }

  async function dealIdsOf(companyId: string): Promise<string[]> {
    try {
      return (await client.listAssociations("companies", companyId, "deals")).map((a) => a.toObjectId);
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === "not_found") return [];
      throw error;
    }
  }

  return {
    companies({ properties, cursor }) {
      return guardedIterable(
        (async function* (): AsyncGenerator<SourcePage<CrmCompany>> {
          for await (const page of client.listObjects("companies", { properties: companyProps(properties), pageSize: limits.listPage, after: cursor ?? undefined })) {
            yield { records: page.results.map(toCrmCompany), cursor: page.nextAfter ?? null };
          }
        })(),
      );
    },

    deals({ properties, cursor }) {
      return guardedIterable(
        (async function* (): AsyncGenerator<SourcePage<CrmDeal>> {
          for await (const page of client.listObjects("deals", { properties: dealProps(properties), associations: ["companies"], pageSize: limits.listPage, after: cursor ?? undefined })) {
            yield { records: await dealsWithCompanies(page.results), cursor: page.nextAfter ?? null };
          }
        })(),
      );
    },

    companiesModifiedSince({ sinceMs, properties }) {
      return guardedIterable(
        (async function* (): AsyncGenerator<CrmCompany[]> {
          for await (const page of client.searchModifiedSince("companies", { since: sinceMs, properties: companyProps(properties) })) {
            if (page.results.length > 0) yield page.results.map(toCrmCompany);
          }
        })(),
      );
    },

    dealsModifiedSince({ sinceMs, properties }) {
      return guardedIterable(
        (async function* (): AsyncGenerator<CrmDeal[]> {
          // Search pages hold 200 deals; their companies are read 1,000 deals a call.
          let pending: HubSpotRecord[] = [];
          for await (const page of client.searchModifiedSince("deals", { since: sinceMs, properties: dealProps(properties) })) {
            pending.push(...page.results);
            if (pending.length >= limits.associationsBatch) {
              yield await companiesOfDeals(pending);
              pending = [];
            }
          }
          if (pending.length > 0) yield await companiesOfDeals(pending);
        })(),
      );
    },

    getDeals(ids, properties) {
      return guarded(async () => {
        if (ids.length === 0) return [];
        const result = await client.batchRead("deals", ids, { properties: dealProps(properties) });
        return result.results.filter((r) => !r.archived).map((r) => toCrmDeal(r, undefined));
      });
    },

    getCompanyWithDeals(id, properties) {
      return guarded(async () => {
        const record = await client.getObject("companies", id, { properties: companyProps(properties), associations: ["deals"] });
        if (!record || record.archived) return null;
        const inline = record.associations?.["deals"];
        // A company with more deals than HubSpot returns inline has them read in full.
        const dealIds = inline?.paging?.next
          ? (await client.listAssociations("companies", id, "deals")).map((a) => a.toObjectId)
          : (inline?.results ?? []).map((a) => a.id);
        return { company: toCrmCompany(record), dealIds: [...new Set(dealIds)] };
      });
    },

    dealIdsOfCompany(companyId) {
      return guarded(() => dealIdsOf(companyId));
    },

    dealSummaries(companyId) {
      return guarded(async () => {
        const ids = await dealIdsOf(companyId);
        if (ids.length === 0) return [];
        const result = await client.batchRead("deals", ids, { properties: [...dealSummaryProperties] });
        return result.results.filter((r) => !r.archived).map(toCrmDealSummary);
      });
    },

    searchCompanies(query, limit) {
      return guarded(async () => {
        const trimmed = query.trim();
        const response = await client.searchObjects("companies", {
          ...(trimmed ? { query: trimmed } : {}),
          sorts: [{ propertyName: "name", direction: "ASCENDING" }],
          properties: [...companyBaseProperties],
          limit,
        });
        return response.results.map(toCrmCompany);
      });
    },
  };
}
