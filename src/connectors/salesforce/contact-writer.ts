// Contact writes through sObject Collections: 200 records a call, allOrNone false so one refused
// record does not spoil the others, and each refusal read from its own result. Written
// contacts are read back (one query per 200) for their new SystemModstamp. Nothing is deleted.
import type { ContactWriteFailure, ContactWriter, CrmContact } from "../../sync/ports.ts";
import { chunk } from "../hubspot/client.ts";
import { collectionSize, type SalesforceClient, type SaveResult } from "./client.ts";
import { contactBaseFields, toCrmContact, withBase } from "./mappers.ts";
import { selectByIds } from "./reads.ts";
import { guarded } from "./source-errors.ts";

type Outcome = { id: string } | ContactWriteFailure;

/** A refused record's reason in the engine's words, from Salesforce's first error on it. */
export function failureOf(result: SaveResult): ContactWriteFailure {
  const [error] = result.errors ?? [];
  const code = error?.statusCode ?? error?.errorCode ?? "";
  const message = error?.message ?? "Salesforce refused the record and gave no reason.";
  const property = error?.fields?.[0];
  const named = property === undefined ? {} : { property };
  switch (code) {
    case "FIELD_CUSTOM_VALIDATION_EXCEPTION":
      return { reason: "validation", message, ...named };
    case "DUPLICATE_VALUE":
    case "DUPLICATES_DETECTED":
      return { reason: "conflict", message, ...named };
    case "ENTITY_IS_DELETED":
    case "NOT_FOUND":
      return { reason: "missing", message };
    default:
      return { reason: "invalid", message, ...named };
  }
}

/** Empty values clear a field: Salesforce clears with null, and refuses "" for numbers and dates. */
function fieldsOf(properties: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, value === "" ? null : value]));
}

/** The Account a new contact was to join is gone: it is created on its own instead. */
function lostAccount(result: SaveResult): boolean {
  return !result.success && (result.errors ?? []).some((e) => (e.statusCode ?? e.errorCode) === "ENTITY_IS_DELETED" || e.fields?.includes("AccountId") === true);
}

export function createSalesforceContactWriter(client: SalesforceClient): ContactWriter {
  async function save(method: "POST" | "PATCH", records: Record<string, unknown>[]): Promise<{ results: (SaveResult | undefined)[]; outcomes: Outcome[] }> {
    const answered = await client.saveCollection(method, records);
    const results = records.map((_, i) => answered[i]);
    const outcomes = results.map((result): Outcome => {
      if (result?.success && result.id) return { id: result.id };
      return result ? failureOf(result) : { reason: "invalid", message: "Salesforce answered no result for the record." };
    });
    return { results, outcomes };
  }

  /** The written contacts as they now are, in input order; a failure stays as it is. */
  async function readBack(outcomes: Outcome[], properties: readonly string[]): Promise<Array<CrmContact | ContactWriteFailure>> {
    const ids = outcomes.flatMap((o) => ("id" in o ? [o.id] : []));
    const rows = await selectByIds(client, "Contact", withBase(contactBaseFields, properties), ids);
    const byId = new Map(rows.map((r) => [r.Id, toCrmContact(r)]));
    return outcomes.map((o) => ("id" in o ? (byId.get(o.id) ?? { reason: "missing", message: `Salesforce contact ${o.id} could not be read after it was written.` }) : o));
  }

  const written = (inputs: readonly { properties: Record<string, string> }[]) => [...new Set(inputs.flatMap((i) => Object.keys(i.properties)))];

  return {
    createContacts(inputs) {
      return guarded(async () => {
        const out: Array<CrmContact | ContactWriteFailure> = [];
        for (const part of chunk(inputs, collectionSize)) {
          const record = (input: (typeof part)[number], withAccount: boolean) => ({
            attributes: { type: "Contact" },
            ...fieldsOf(input.properties),
            ...(withAccount && input.companyId !== null ? { AccountId: input.companyId } : {}),
          });
          const { results, outcomes } = await save("POST", part.map((input) => record(input, true)));
          const retry = part.flatMap((input, i) => (input.companyId !== null && results[i] !== undefined && lostAccount(results[i]) ? [i] : []));
          if (retry.length > 0) {
            const again = await save("POST", retry.map((i) => record(part[i]!, false)));
            retry.forEach((i, k) => (outcomes[i] = again.outcomes[k]!));
          }
          out.push(...(await readBack(outcomes, written(part))));
        }
        return out;
      });
    },

    updateContacts(inputs) {
      return guarded(async () => {
        const out: Array<CrmContact | ContactWriteFailure> = [];
        for (const part of chunk(inputs, collectionSize)) {
          const { outcomes } = await save("PATCH", part.map((input) => ({ attributes: { type: "Contact" }, id: input.id, ...fieldsOf(input.properties) })));
          out.push(...(await readBack(outcomes, written(part))));
        }
        return out;
      });
    },
  };
}
