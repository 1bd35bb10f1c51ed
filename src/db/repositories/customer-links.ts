// Bulk reads and writes of customer ↔ CRM links for the sync engine. Every write is guarded
// by the link state it was decided on, so a run never overrides a link an admin set meanwhile
// (no relinking, product spec §3.1). Writers join the caller's transaction when given one.
import { sql, type Kysely } from "kysely";
import type { Database, UnlinkedReason } from "../schema.ts";
import { chunks, rowsPerStatement } from "../statement-rows.ts";
import { inTransaction } from "./field-values.ts";


export interface UnlinkedCustomer {
  id: string;
  domains: string[];
  unlinkedReason: UnlinkedReason | null;
  candidates: string[];
}

/** Unlinked customers in id order, after `afterId`, with their domains. */
export async function listUnlinkedCustomers(db: Kysely<Database>, workspaceId: string, afterId: string | null, limit: number): Promise<UnlinkedCustomer[]> {
  let query = db
    .selectFrom("customers")
    .select(["id", "unlinked_reason", "link_candidates"])
    .where("workspace_id", "=", workspaceId)
    .where("crm_company_id", "is", null);
  if (afterId) query = query.where("id", ">", afterId);
  const rows = await query.orderBy("id").limit(limit).execute();
  if (rows.length === 0) return [];
  // By customer id alone: with the workspace in the WHERE clause SQLite walks the workspace's
  // whole (workspace_id, domain) primary key for every batch (quadratic over a run) instead of
  // the customer_id index. Customer ids are unique across workspaces; the rows are checked.
  const domains = await db
    .selectFrom("customer_domains")
    .select(["workspace_id", "customer_id", "domain", "position"])
    .where(
      "customer_id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  domains.sort((x, y) => x.position - y.position);
  const byCustomer = new Map<string, string[]>();
  for (const d of domains) {
    if (d.workspace_id !== workspaceId) continue;
    const list = byCustomer.get(d.customer_id) ?? [];
    list.push(d.domain);
    byCustomer.set(d.customer_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    domains: byCustomer.get(r.id) ?? [],
    unlinkedReason: r.unlinked_reason,
    candidates: r.link_candidates ? (JSON.parse(r.link_candidates) as string[]) : [],
  }));
}

export interface AutoLink {
  customerId: string;
  companyId: string;
  dealId: string | null;
}

/**
 * Per-customer rows (workspace id, customer id, then `rest`) as the derived table "v", to update
 * many customers in one statement: a statement per customer (and its preparation) dominated
 * large runs, and CASE lists grow quadratically with the chunk. Its columns are column1,
 * column2, … on SQLite and PostgreSQL alike. The workspace goes in every row rather than in a
 * `workspace_id = ?` condition: given that constant, SQLite's planner scans the workspace's
 * unlinked customers through (workspace_id, crm_company_id) and the VALUES list for each one;
 * joined on both columns it looks each row up by (workspace_id, id).
 */
function customerRows<Rest extends Record<string, unknown>>(workspaceId: string, rows: readonly (readonly [customerId: string, ...rest: unknown[]])[]) {
  return sql<{ column1: string; column2: string } & Rest>`(VALUES ${sql.join(rows.map((row) => sql`(${sql.join([workspaceId, ...row])})`))})`.as("v");
}

/** Links customers that are still unlinked; returns how many were linked. */
export async function applyAutoLinks(db: Kysely<Database>, workspaceId: string, links: readonly AutoLink[], at: string): Promise<number> {
  if (links.length === 0) return 0;
  let linked = 0;
  await inTransaction(db, async (trx) => {
    for (const part of chunks(links, rowsPerStatement(trx, 4))) {
      const result = await trx
        .updateTable("customers")
        .from(customerRows<{ column3: string; column4: string | null }>(workspaceId, part.map((l) => [l.customerId, l.companyId, l.dealId])))
        .set((eb) => ({
          crm_company_id: eb.ref("v.column3"),
          crm_deal_id: eb.ref("v.column4"),
          crm_link_source: "auto",
          crm_linked_at: at,
          unlinked_reason: null,
          link_candidates: null,
          link_checked_at: at,
        }))
        .whereRef("customers.workspace_id", "=", "v.column1")
        .whereRef("customers.id", "=", "v.column2")
        .where("customers.crm_company_id", "is", null)
        .executeTakeFirst();
      linked += Number(result.numUpdatedRows);
    }
  });
  return linked;
}

export interface LinkAttempt {
  customerId: string;
  reason: UnlinkedReason;
  candidates: string[];
}

/** Records why customers stayed unlinked (only those still unlinked). */
export async function recordLinkAttempts(db: Kysely<Database>, workspaceId: string, attempts: readonly LinkAttempt[], at: string): Promise<void> {
  if (attempts.length === 0) return;
  await inTransaction(db, async (trx) => {
    for (const chunk of chunks(attempts, rowsPerStatement(trx, 4))) {
      const part = chunk.map((a) => [a.customerId, a.reason, a.candidates.length > 0 ? JSON.stringify(a.candidates) : null] as const);
      await trx
        .updateTable("customers")
        .from(customerRows<{ column3: UnlinkedReason; column4: string | null }>(workspaceId, part))
        .set((eb) => ({ unlinked_reason: eb.ref("v.column3"), link_candidates: eb.ref("v.column4"), link_checked_at: at }))
        .whereRef("customers.workspace_id", "=", "v.column1")
        .whereRef("customers.id", "=", "v.column2")
        .where("customers.crm_company_id", "is", null)
        .execute();
    }
  });
}

export interface LinkedCustomer {
  id: string;
  companyId: string;
  dealId: string | null;
  source: "auto" | "manual";
}

/**
 * Linked customers in id order after `afterId`. With `touchedSince`, only those whose company
 * or deal changed in the mirror at or after that time, or that were linked at or after it.
 */
export async function listLinkedCustomers(
  db: Kysely<Database>,
  workspaceId: string,
  provider: string,
  options: { afterId: string | null; limit: number; touchedSince?: string; withoutDeal?: boolean },
): Promise<LinkedCustomer[]> {
  let query = db
    .selectFrom("customers as c")
    .select(["c.id", "c.crm_company_id", "c.crm_deal_id", "c.crm_link_source"])
    .where("c.workspace_id", "=", workspaceId)
    .where("c.crm_company_id", "is not", null);
  if (options.afterId) query = query.where("c.id", ">", options.afterId);
  if (options.withoutDeal) query = query.where("c.crm_deal_id", "is", null);
  const since = options.touchedSince;
  if (since) {
    query = query.where((eb) =>
      eb.or([
        eb("c.crm_linked_at", ">=", since),
        eb.exists(
          eb
            .selectFrom("crm_companies as mc")
            .select(sql`1`.as("one"))
            .where("mc.workspace_id", "=", workspaceId)
            .where("mc.provider", "=", provider)
            .whereRef("mc.id", "=", "c.crm_company_id")
            .where("mc.updated_at", ">=", since),
        ),
        eb.exists(
          eb
            .selectFrom("crm_deals as md")
            .select(sql`1`.as("one"))
            .where("md.workspace_id", "=", workspaceId)
            .where("md.provider", "=", provider)
            .whereRef("md.id", "=", "c.crm_deal_id")
            .where("md.updated_at", ">=", since),
        ),
      ]),
    );
  }
  const rows = await query.orderBy("c.id").limit(options.limit).execute();
  return rows.map((r) => ({ id: r.id, companyId: r.crm_company_id!, dealId: r.crm_deal_id, source: r.crm_link_source ?? "auto" }));
}

/** Fills the deal of auto-linked customers that have none (their company gained a deal). */
export async function fillDeals(db: Kysely<Database>, workspaceId: string, fills: readonly { customerId: string; companyId: string; dealId: string }[]): Promise<number> {
  let filled = 0;
  await inTransaction(db, async (trx) => {
    for (const chunk of chunks(fills, rowsPerStatement(trx, 4))) {
      const part = chunk.map((f) => [f.customerId, f.companyId, f.dealId] as const);
      const result = await trx
        .updateTable("customers")
        .from(customerRows<{ column3: string; column4: string }>(workspaceId, part))
        .set((eb) => ({ crm_deal_id: eb.ref("v.column4") }))
        .whereRef("customers.workspace_id", "=", "v.column1")
        .whereRef("customers.id", "=", "v.column2")
        .whereRef("customers.crm_company_id", "=", "v.column3")
        .where("customers.crm_deal_id", "is", null)
        .where("customers.crm_link_source", "=", "auto")
        .executeTakeFirst();
      filled += Number(result.numUpdatedRows);
    }
  });
  return filled;
}

/** Current stored values of the given fields for the given customers: customer → field → value. */
export async function readStoredValues(
  db: Kysely<Database>,
  workspaceId: string,
  customerIds: readonly string[],
  fieldIds: readonly string[],
): Promise<Map<string, Map<string, { text: string | null; number: number | null }>>> {
  const result = new Map<string, Map<string, { text: string | null; number: number | null }>>();
  if (fieldIds.length === 0) return result;
  for (const part of chunks(customerIds, rowsPerStatement(db))) {
    const rows = await db
      .selectFrom("field_values")
      .select(["entity_id", "field_id", "text_value", "number_value"])
      .where("workspace_id", "=", workspaceId)
      .where("entity_id", "in", part)
      .where("field_id", "in", [...fieldIds])
      .execute();
    for (const row of rows) {
      const values = result.get(row.entity_id) ?? new Map();
      values.set(row.field_id, { text: row.text_value, number: row.number_value });
      result.set(row.entity_id, values);
    }
  }
  return result;
}
