// The sync engine's AccountSource on Salesforce (decision 0045). Full passes read Accounts and
// Opportunities in Id order, 2,000 rows a call, and resume after the last Id seen (query
// locators expire after 15 idle minutes, so a paused run could not resume on one). Incremental
// runs read rows whose SystemModstamp is at or after the watermark. Live rows only: like
// HubSpot's, deletions reach the engine through the full pass, which marks unseen rows deleted.
import { z } from "zod";
import type { AccountSource, CrmCompany, CrmDeal, SourcePage } from "../../sync/ports.ts";
import { queryBatchSize, type SalesforceClient, type SalesforceRecord } from "./client.ts";
import { accountBaseFields, opportunityBaseFields, opportunitySummaryFields, toCrmCompany, toCrmDeal, toCrmDealSummary, withBase } from "./mappers.ts";
import { modifiedSince, queryUriBytes, renderSelect, rowsById, selectAll, selectAnswers, selectByIds } from "./reads.ts";
import { guarded, guardedPages } from "./source-errors.ts";
import { isRecordId, soqlContains, soqlId, splitFields } from "./soql.ts";

/** Rows in Id order after `cursor` (an Id), each page's last Id as the cursor to resume after it. */
async function* keysetPages(client: SalesforceClient, object: string, fields: readonly string[], cursor: string | null | undefined): AsyncGenerator<SourcePage<SalesforceRecord>> {
  const after = cursor && isRecordId(cursor) ? `WHERE Id > ${soqlId(cursor)} ` : "";
  for await (const { rows, last } of selectAnswers(client, { object, fields, tail: `${after}ORDER BY Id` })) {
    // Each page is handed on at once, so a run paused at the next call has it checkpointed.
    if (rows.length > 0 || !last) yield { records: rows, cursor: last ? null : (rows[rows.length - 1]?.Id ?? cursor ?? null) };
  }
}

const opportunitiesSubquery = "(SELECT Id FROM Opportunities)";
const relatedSchema = z.object({ done: z.boolean(), records: z.array(z.looseObject({ Id: z.string() })) });

/** An Account and the ids of its Opportunities in one call, through the parent-child relationship. */
async function accountWithOpportunities(client: SalesforceClient, id: string, fields: readonly string[]): Promise<{ row: SalesforceRecord; opportunityIds: string[]; complete: boolean } | null> {
  const tail = `WHERE Id = ${soqlId(id)}`;
  const [first = ["Id"], ...rest] = splitFields(fields, (f) => renderSelect("Account", [...f, opportunitiesSubquery], tail), queryUriBytes);
  let row: SalesforceRecord | undefined;
  for await (const page of client.queryPages(renderSelect("Account", [...first, opportunitiesSubquery], tail))) {
    const [found] = page.records;
    if (found && typeof found.Id === "string") row ??= found as SalesforceRecord;
  }
  if (!row) return null;
  for (const part of rest) Object.assign(row, (await rowsById(client, "Account", part, [id]))[0] ?? {});
  // Salesforce answers an empty relationship with null.
  const related = relatedSchema.safeParse(row["Opportunities"]);
  delete row["Opportunities"];
  if (!related.success) return { row, opportunityIds: [], complete: true };
  return { row, opportunityIds: related.data.records.map((r) => r.Id), complete: related.data.done };
}

export function createSalesforceAccountSource(client: SalesforceClient): AccountSource {
  const accountFields = (asked: readonly string[]) => withBase(accountBaseFields, asked);
  const opportunityFields = (asked: readonly string[]) => withBase(opportunityBaseFields, asked);

  async function opportunityIdsOf(accountId: string): Promise<string[]> {
    if (!isRecordId(accountId)) return [];
    return (await selectAll(client, { object: "Opportunity", fields: [], tail: `WHERE AccountId = ${soqlId(accountId)}` })).map((r) => r.Id);
  }

  return {
    companies({ properties, cursor }) {
      return guardedPages(async function* (): AsyncGenerator<SourcePage<CrmCompany>> {
        for await (const page of keysetPages(client, "Account", accountFields(properties), cursor)) yield { records: page.records.map(toCrmCompany), cursor: page.cursor };
      });
    },

    deals({ properties, cursor }) {
      return guardedPages(async function* (): AsyncGenerator<SourcePage<CrmDeal>> {
        for await (const page of keysetPages(client, "Opportunity", opportunityFields(properties), cursor)) yield { records: page.records.map((r) => toCrmDeal(r, true)), cursor: page.cursor };
      });
    },

    companiesModifiedSince({ sinceMs, properties }) {
      return guardedPages(async function* () {
        for await (const rows of modifiedSince(client, "Account", accountFields(properties), sinceMs)) yield rows.map(toCrmCompany);
      });
    },

    dealsModifiedSince({ sinceMs, properties }) {
      return guardedPages(async function* () {
        for await (const rows of modifiedSince(client, "Opportunity", opportunityFields(properties), sinceMs)) yield rows.map((r) => toCrmDeal(r, true));
      });
    },

    getDeals(ids, properties) {
      return guarded(async () => (await selectByIds(client, "Opportunity", opportunityFields(properties), ids.filter(isRecordId))).map((r) => toCrmDeal(r, false)));
    },

    getCompanyWithDeals(id, properties) {
      return guarded(async () => {
        if (!isRecordId(id)) return null;
        const found = await accountWithOpportunities(client, id, accountFields(properties));
        if (!found) return null;
        // More Opportunities than one answer holds: read their ids in full.
        const dealIds = found.complete ? found.opportunityIds : await opportunityIdsOf(id);
        return { company: toCrmCompany(found.row), dealIds: [...new Set(dealIds)] };
      });
    },

    dealIdsOfCompany(companyId) {
      return guarded(() => opportunityIdsOf(companyId));
    },

    dealSummaries(companyId) {
      return guarded(async () => {
        if (!isRecordId(companyId)) return [];
        const rows = await selectAll(client, { object: "Opportunity", fields: [...opportunitySummaryFields], tail: `WHERE AccountId = ${soqlId(companyId)} ORDER BY CreatedDate DESC, Id DESC` });
        return rows.map(toCrmDealSummary);
      });
    },

    searchCompanies(query, limit) {
      return guarded(async () => {
        const trimmed = query.trim();
        const where = trimmed === "" ? "" : `WHERE Name LIKE ${soqlContains(trimmed)} OR Website LIKE ${soqlContains(trimmed)} `;
        const size = Math.max(1, Math.min(limit, queryBatchSize));
        const rows = await selectAll(client, { object: "Account", fields: [...accountBaseFields], tail: `${where}ORDER BY Name, Id LIMIT ${size}` });
        return rows.map(toCrmCompany);
      });
    },
  };
}
