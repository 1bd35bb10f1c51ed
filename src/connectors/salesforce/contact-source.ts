// The sync engine's ContactSource on Salesforce Contacts. Contact list views stand in for
// HubSpot lists (decision 0046): a view's members are the rows of the SOQL its describe gives,
// read 2,000 a call. Contacts of synced companies are those whose AccountId is the Account.
import { ConnectorError } from "../../core/errors.ts";
import type { ContactSource, CrmContactList, SourcePage } from "../../sync/ports.ts";
import type { SalesforceClient } from "./client.ts";
import { isSalesforceError } from "./errors.ts";
import { contactBaseFields, toCrmContact, withBase } from "./mappers.ts";
import { modifiedSince, rowsWhereIn, selectByIds } from "./reads.ts";
import { guarded, guardedPages } from "./source-errors.ts";
import { isRecordId, soqlString } from "./soql.ts";

const contactFields = (asked: readonly string[]) => withBase(contactBaseFields, asked);

/** A list view's query reduced to the ids of its rows (its columns are for display). */
export function idsOnly(listViewQuery: string): string {
  return listViewQuery.replace(/^\s*SELECT\s+[\s\S]+?\s+FROM\s+Contact\b/i, "SELECT Id FROM Contact");
}

export function createSalesforceContactSource(client: SalesforceClient): ContactSource {
  async function viewQuery(listId: string): Promise<string> {
    const query = isRecordId(listId) ? await client.listViewQuery("Contact", listId) : null;
    if (query === null) throw new ConnectorError("list_not_found", `The Salesforce list view ${listId} no longer exists.`, null, { listId });
    return idsOnly(query);
  }

  return {
    contactPropertyNames() {
      return guarded(async () => new Set((await client.describe("Contact")).fields.map((f) => f.name)));
    },

    contactProperties() {
      return guarded(async () =>
        (await client.describe("Contact")).fields
          .filter((f) => f.deprecatedAndHidden !== true)
          .map((f) => ({ name: f.name, label: f.label || f.name, type: f.type, fieldType: f.type }))
          .sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name)),
      );
    },

    searchContactLists(query, limit) {
      return guarded(async () => {
        const needle = query.trim().toLowerCase();
        const lists: CrmContactList[] = (await client.listViews("Contact"))
          .filter((v) => needle === "" || v.label.toLowerCase().includes(needle))
          // A list view is a saved filter: its members change with the records.
          .map((v) => ({ id: v.id, name: v.label, size: null, processingType: "DYNAMIC" }));
        return lists.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)).slice(0, limit);
      });
    },

    listExists(listId) {
      return guarded(async () => isRecordId(listId) && (await client.listViewQuery("Contact", listId)) !== null);
    },

    listMembers(listId, cursor) {
      return guardedPages(async function* (): AsyncGenerator<SourcePage<string>> {
        const soql = await viewQuery(listId);
        let resumeUrl = cursor ?? undefined;
        try {
          for await (const page of client.queryPages(soql, { resumeUrl })) {
            yield { records: page.records.map((r) => r.Id).filter((id): id is string => typeof id === "string"), cursor: page.done ? null : (page.nextRecordsUrl ?? null) };
          }
        } catch (error) {
          // A query locator lives 15 idle minutes: a run resumed later reads the view again
          // from the start (members are upserted, so reading some twice changes nothing).
          if (!(resumeUrl !== undefined && isSalesforceError(error) && error.errorCode === "INVALID_QUERY_LOCATOR")) throw error;
          resumeUrl = undefined;
          for await (const page of client.queryPages(soql)) {
            yield { records: page.records.map((r) => r.Id).filter((id): id is string => typeof id === "string"), cursor: page.done ? null : (page.nextRecordsUrl ?? null) };
          }
        }
      });
    },

    contactIdsOfCompanies(companyIds) {
      return guarded(async () => {
        const out = new Map<string, string[]>();
        const rows = await rowsWhereIn(client, "Contact", ["Id", "AccountId"], "AccountId", companyIds.filter(isRecordId));
        for (const row of rows) {
          const accountId = row["AccountId"];
          if (typeof accountId !== "string") continue;
          out.set(accountId, [...(out.get(accountId) ?? []), row.Id]);
        }
        return out;
      });
    },

    contactsModifiedSince({ sinceMs, properties }) {
      return guardedPages(async function* () {
        for await (const rows of modifiedSince(client, "Contact", contactFields(properties), sinceMs)) yield rows.map(toCrmContact);
      });
    },

    getContacts(ids, properties) {
      return guarded(async () => {
        const valid = ids.filter(isRecordId);
        const records = (await selectByIds(client, "Contact", contactFields(properties), valid)).map(toCrmContact);
        const found = new Set(records.map((r) => r.id));
        return { records, missing: ids.filter((id) => !found.has(id)) };
      });
    },

    findByEmails(emails, properties) {
      return guarded(async () => (await rowsWhereIn(client, "Contact", ["Id", ...contactFields(properties)], "Email", emails, soqlString)).map(toCrmContact));
    },
  };
}
