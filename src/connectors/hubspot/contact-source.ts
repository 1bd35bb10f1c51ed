// The sync engine's ContactSource on HubSpot. Reads and writes go at HubSpot's maxima: list
// memberships 250 a page, company→contact associations 1,000 companies a call, batch reads 100
// (50 with property history), batch creates and updates 100. HubSpot refuses a whole batch for
// one bad input, so a refused batch is retried input by input to find and report that one.
import { ConnectorError } from "../../core/errors.ts";
import {
  type ContactSource,
  type ContactWriter,
  type ContactWriteFailure,
  type CrmContact,
  type CrmContactList,
  type CrmPropertyChange,
  type JoinOrderPage,
  type SourcePage,
} from "../../sync/ports.ts";
import type { HubSpotClient } from "./client.ts";
import { chunk, limits } from "./client.ts";
import { isHubSpotError } from "./errors.ts";
import { contactBaseProperties, withBase } from "./mappers.ts";
import { guarded, toConnectorError } from "./source-errors.ts";
import type { BatchInputError, BatchResult, HubSpotRecord, MembershipPage } from "./types.ts";

/** HubSpot's default contact→company association type. */
const contactToCompanyType = 279;

/** HubSpot's object type id of contacts: list search answers lists of every object type. */
const contactsObjectTypeId = "0-1";

/** Pages of list search read at most for one look-up, whatever share of them are contact lists. */
const listSearchPages = 5;

function parseTime(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function toCrmContact(record: HubSpotRecord): CrmContact {
  const merged = record.properties["hs_merged_object_ids"] ?? "";
  const p = record.properties;
  const contact: CrmContact = {
    id: record.id,
    createdAt: p["createdate"] ?? record.createdAt ?? null,
    modifiedAt: p["lastmodifieddate"] ?? record.updatedAt ?? null,
    email: p["email"] ?? null,
    additionalEmails: (p["hs_additional_emails"] ?? "").split(";"),
    phone: p["phone"] ?? null,
    lifecycleStage: p["lifecyclestage"] ?? null,
    properties: p,
    mergedIds: merged.split(";").map((id) => id.trim()).filter((id) => id !== ""),
  };
  if (record.propertiesWithHistory) {
    const lastChanges: Record<string, CrmPropertyChange | null> = {};
    for (const [name, entries] of Object.entries(record.propertiesWithHistory)) {
      // Newest first, as HubSpot returns it; sorted anyway so the rule does not hang on that.
      let newest: CrmPropertyChange | null = null;
      for (const entry of entries) {
        const at = parseTime(entry.timestamp);
        if (at !== null && (newest === null || at > newest.at)) newest = { value: entry.value, at };
      }
      lastChanges[name] = newest;
    }
    contact.lastChanges = lastChanges;
  }
  return contact;
}

function failureOf(error: BatchInputError | { category?: string | undefined; message: string; kind?: string }): ContactWriteFailure {
  const category = ("category" in error ? error.category : undefined) ?? "";
  if (category === "OBJECT_NOT_FOUND") return { reason: "missing", message: error.message };
  if (category === "VALIDATION_ERROR" && "ids" in error) return validationFailure(error);
  if (category === "CONFLICT" || ("kind" in error && error.kind === "conflict")) return { reason: "conflict", message: error.message };
  return { reason: "invalid", message: error.message };
}

/**
 * HubSpot refused a value (category VALIDATION_ERROR): a bad value, or since 2026-09 one of the
 * portal's own validation rules. errors[].in names the property when HubSpot says which.
 */
function validationFailure(error: BatchInputError): ContactWriteFailure {
  const named = error.details?.find((d) => d.in !== undefined);
  const detail = named !== undefined && named.message !== "" && named.message !== error.message ? ` (${named.message})` : "";
  return { reason: "validation", message: `${error.message}${detail}`, ...(named?.in === undefined ? {} : { property: named.in }) };
}

const contactProps = (asked: readonly string[]) => withBase(contactBaseProperties, asked);

export function createHubSpotContactSource(client: HubSpotClient): ContactSource & ContactWriter {
  async function* memberships(listId: string, cursor: string | null, order: "recordId" | "joined"): AsyncGenerator<MembershipPage> {
    try {
      yield* client.listMemberships(listId, { after: cursor ?? undefined, pageSize: limits.listMembershipsPage, order });
    } catch (error) {
      if (isHubSpotError(error, "not_found")) throw new ConnectorError("list_not_found", `The HubSpot list ${listId} no longer exists.`, null, { listId });
      throw toConnectorError(error);
    }
  }

  async function createOne(input: { properties: Record<string, string>; companyId: string | null }): Promise<CrmContact | ContactWriteFailure> {
    const attempt = async (withCompany: boolean): Promise<BatchResult<HubSpotRecord>> =>
      client.batchCreate("contacts", [
        {
          properties: input.properties,
          ...(withCompany && input.companyId !== null
            ? { associations: [{ to: { id: input.companyId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: contactToCompanyType }] }] }
            : {}),
        },
      ]);
    let result = await attempt(true);
    // The company may have been deleted since it was linked: the contact still goes, unassociated.
    if (result.results.length === 0 && input.companyId !== null && result.errors.some((e) => /association/i.test(e.message))) result = await attempt(false);
    const created = result.results[0];
    if (created) return toCrmContact(created);
    const error = result.errors[0];
    return error ? failureOf(error) : { reason: "invalid", message: "HubSpot created nothing and gave no reason." };
  }

  async function updateOne(input: { id: string; properties: Record<string, string> }): Promise<CrmContact | ContactWriteFailure> {
    const result = await client.batchUpdate("contacts", [input]);
    const updated = result.results[0];
    if (updated) return toCrmContact(updated);
    const error = result.errors[0];
    return error ? failureOf(error) : { reason: "missing", message: `Contact ${input.id} was not updated.` };
  }

  return {
    contactPropertyNames() {
      return guarded(async () => new Set((await client.listProperties("contacts")).map((p) => p.name)));
    },

    contactProperties() {
      return guarded(async () =>
        (await client.listProperties("contacts"))
          .filter((p) => p.hidden !== true && p.archived !== true)
          .map((p) => ({ name: p.name, label: p.label || p.name, type: p.type, fieldType: p.fieldType }))
          .sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name)),
      );
    },

    searchContactLists(query, limit) {
      return guarded(async () => {
        const out: CrmContactList[] = [];
        let pages = 0;
        for await (const page of client.searchLists({ query })) {
          for (const list of page.results) {
            // A list without an object type (an older answer) is offered rather than hidden.
            if ((list.objectTypeId !== undefined && list.objectTypeId !== contactsObjectTypeId) || out.length >= limit) continue;
            out.push({ id: list.listId, name: list.name, size: list.size ?? null, processingType: list.processingType ?? "UNKNOWN" });
          }
          if (out.length >= limit || ++pages >= listSearchPages) break;
        }
        return out.sort((a, b) => a.name.localeCompare(b.name) || Number(a.id) - Number(b.id));
      });
    },

    listExists(listId) {
      return guarded(async () => (await client.getList(listId)) !== null);
    },

    listMembers(listId, cursor) {
      return (async function* (): AsyncGenerator<SourcePage<string>> {
        for await (const page of memberships(listId, cursor, "recordId")) yield { records: page.results.map((m) => m.recordId), cursor: page.nextAfter ?? null };
      })();
    },

    listMembersByJoinTime(listId, cursor) {
      return (async function* (): AsyncGenerator<JoinOrderPage> {
        for await (const page of memberships(listId, cursor, "joined")) {
          // membershipTimestamp is required in this endpoint's answer; a missing one sorts first,
          // which only makes the engine's check of a resumed position stricter.
          const members = page.results.map((m) => ({ id: m.recordId, joinedAt: parseTime(m.membershipTimestamp) ?? 0 }));
          yield { members, cursor: page.nextAfter ?? null, readWith: page.requestedAfter ?? null };
        }
      })();
    },

    contactIdsOfCompanies(companyIds) {
      return guarded(async () => {
        const out = new Map<string, string[]>();
        if (companyIds.length === 0) return out;
        const result = await client.batchReadAssociations("companies", "contacts", companyIds);
        for (const [companyId, list] of result.byId) out.set(companyId, [...new Set(list.map((a) => a.toObjectId))]);
        return out;
      });
    },

    contactsModifiedSince({ sinceMs, properties }) {
      return (async function* (): AsyncGenerator<CrmContact[]> {
        try {
          for await (const page of client.searchModifiedSince("contacts", { property: "lastmodifieddate", since: sinceMs, properties: contactProps(properties) })) {
            if (page.results.length > 0) yield page.results.map(toCrmContact);
          }
        } catch (error) {
          throw toConnectorError(error);
        }
      })();
    },

    getContacts(ids, properties, history) {
      return guarded(async () => {
        if (ids.length === 0) return { records: [], missing: [] };
        const result = await client.batchRead("contacts", ids, { properties: contactProps(properties), ...(history && history.length > 0 ? { propertiesWithHistory: history } : {}) });
        const missing = result.errors.filter((e) => e.category === "OBJECT_NOT_FOUND").flatMap((e) => e.ids);
        return { records: result.results.filter((r) => !r.archived).map(toCrmContact), missing };
      });
    },

    findByEmails(emails, properties) {
      return guarded(async () => {
        if (emails.length === 0) return [];
        const result = await client.batchRead("contacts", emails, { properties: contactProps(properties), idProperty: "email" });
        return result.results.filter((r) => !r.archived).map(toCrmContact);
      });
    },

    createContacts(inputs) {
      return guarded(async () => {
        const out: Array<CrmContact | ContactWriteFailure> = [];
        for (const part of chunk(inputs, limits.batch)) {
          const result = await client.batchCreate(
            "contacts",
            part.map((input) => ({
              properties: input.properties,
              ...(input.companyId !== null
                ? { associations: [{ to: { id: input.companyId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: contactToCompanyType }] }] }
                : {}),
            })),
          );
          if (result.errors.length === 0 && result.results.length === part.length) {
            // HubSpot answers a batch create in input order.
            out.push(...result.results.map(toCrmContact));
            continue;
          }
          // One input spoiled the batch: find it by sending them one at a time.
          for (const input of part) out.push(await createOne(input));
        }
        return out;
      });
    },

    updateContacts(inputs) {
      return guarded(async () => {
        const out: Array<CrmContact | ContactWriteFailure> = [];
        for (const part of chunk(inputs, limits.batch)) {
          const result = await client.batchUpdate("contacts", part);
          const refused = result.errors.some((e) => e.inputIndexes !== undefined);
          if (refused) {
            for (const input of part) out.push(await updateOne(input));
            continue;
          }
          const byId = new Map<string, HubSpotRecord>();
          for (const record of result.results) byId.set(record.id, record);
          const missing = new Set(result.errors.filter((e) => e.category === "OBJECT_NOT_FOUND").flatMap((e) => e.ids));
          // A 207 names the refused inputs by id: their failures need no second call.
          const refusedById = new Map(result.errors.filter((e) => e.category === "VALIDATION_ERROR").flatMap((e) => e.ids.map((id) => [id, e] as const)));
          for (const input of part) {
            const record = byId.get(input.id);
            const refusal = refusedById.get(input.id);
            if (record) out.push(toCrmContact(record));
            else if (missing.has(input.id)) out.push({ reason: "missing", message: `HubSpot contact ${input.id} no longer exists.` });
            else if (refusal) out.push(failureOf(refusal));
            else out.push(await updateOne(input));
          }
        }
        return out;
      });
    },
  };
}
