// Customers: name, domains (unique per workspace), custom field values and the CRM link.
// Every write is one transaction, so a refused request leaves nothing behind.
import type { Kysely } from "kysely";
import { normalizeDomains } from "../../core/domains.ts";
import { AppError, fieldReadOnly, notFound } from "../../core/errors.ts";
import { toStoredValue, validateFieldValue, type FieldValue, type StoredValue } from "../../core/fields.ts";
import { newId } from "../ids.ts";
import type { Customer, Database, LinkSource, UnlinkedReason } from "../schema.ts";
import { listFields, type FieldRecord } from "./custom-fields.ts";
import { deleteEntityValues, inTransaction, isUniqueViolation, readFieldValues, writeFieldValues } from "./field-values.ts";

/** The customer's CRM company and deal; which CRM is the workspace's connection, not stored per link. */
export interface CrmLink {
  companyId: string;
  dealId: string | null;
  source: LinkSource;
  linkedAt: string;
}

export type LinkStatus =
  | { state: "linked"; checkedAt?: string }
  | { state: "not_checked" }
  | { state: "unlinked"; reason: UnlinkedReason; candidates?: string[]; checkedAt: string };

export interface CustomerRecord {
  id: string;
  name: string;
  domains: string[];
  fields: Record<string, FieldValue>;
  crmLink: CrmLink | null;
  linkStatus: LinkStatus;
  createdAt: string;
  updatedAt: string;
}

export interface NewCustomerInput {
  /** For imports and reproducible fixtures; a random UUID otherwise. */
  id?: string | undefined;
  name: string;
  domains?: readonly string[] | undefined;
  /** Field key → API value; null or absent means no value. */
  fields?: Readonly<Record<string, unknown>> | undefined;
}

export interface CustomerPatch {
  name?: string | undefined;
  /** Replaces the whole list. */
  domains?: readonly string[] | undefined;
  /** Merged into the current values; null clears one. */
  fields?: Readonly<Record<string, unknown>> | undefined;
}

export const maxNameLength = 500;
export const maxDomainsPerCustomer = 100;

/** What names sort and search by: lower-cased here, since the two databases' lower() differ. */
export function customerNameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new AppError("validation_failed", "A customer needs a name.", { field: "name" });
  if (trimmed.length > maxNameLength) throw new AppError("validation_failed", `A customer name has at most ${maxNameLength} characters.`, { field: "name" });
  return trimmed;
}

function checkedDomains(domains: readonly string[]): string[] {
  const normalized = normalizeDomains(domains);
  if (normalized.length > maxDomainsPerCustomer) {
    throw new AppError("validation_failed", `A customer has at most ${maxDomainsPerCustomer} domains.`, { field: "domains" });
  }
  return normalized;
}

/**
 * Field key → stored value (null clears), refusing unknown keys, synced fields and values that
 * do not fit their field. Checked in full before anything is written. crmName names the CRM
 * a synced field comes from, in the refusal.
 */
export function resolveFieldWrites(fields: readonly FieldRecord[], input: Readonly<Record<string, unknown>>, crmName: string): Map<string, StoredValue | null> {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const writes = new Map<string, StoredValue | null>();
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    if (!field) throw new AppError("field_unknown", `There is no customer field with the key "${key}".`, { field: key });
    if (field.syncMapping) throw fieldReadOnly(field.key, crmName);
    const value = validateFieldValue(field, raw);
    writes.set(field.id, value === null ? null : toStoredValue(field, value));
  }
  return writes;
}

/** Names the customer already holding one of `domains`, as the 409 the API returns. */
async function assertDomainsFree(db: Kysely<Database>, workspaceId: string, customerId: string, domains: readonly string[]): Promise<void> {
  if (domains.length === 0) return;
  const clash = await db
    .selectFrom("customer_domains")
    .innerJoin("customers", "customers.id", "customer_domains.customer_id")
    .select(["customer_domains.domain", "customers.id", "customers.name"])
    .where("customer_domains.workspace_id", "=", workspaceId)
    .where("customer_domains.domain", "in", [...domains])
    .where("customer_domains.customer_id", "!=", customerId)
    .orderBy("customer_domains.domain")
    .executeTakeFirst();
  if (clash) throw domainTaken(clash.domain, { id: clash.id, name: clash.name });
}

function domainTaken(domain: string, holder?: { id: string; name: string }): AppError {
  const who = holder ? ` by customer "${holder.name}" (${holder.id})` : " by another customer";
  return new AppError("domain_taken", `The domain ${domain} is already used${who}.`, {
    domain,
    ...(holder ? { customerId: holder.id, customerName: holder.name } : {}),
  });
}

async function replaceDomains(db: Kysely<Database>, workspaceId: string, customerId: string, domains: readonly string[]): Promise<void> {
  await assertDomainsFree(db, workspaceId, customerId, domains);
  await db.deleteFrom("customer_domains").where("workspace_id", "=", workspaceId).where("customer_id", "=", customerId).execute();
  if (domains.length === 0) return;
  try {
    await db
      .insertInto("customer_domains")
      .values(domains.map((domain, position) => ({ workspace_id: workspaceId, customer_id: customerId, domain, position })))
      .execute();
  } catch (error) {
    // A concurrent request took the domain between the check and the insert.
    if (isUniqueViolation(error)) throw domainTaken(domains.length === 1 ? (domains[0] ?? "") : domains.join(", "));
    throw error;
  }
}

function linkOf(row: Customer): CrmLink | null {
  if (row.crm_company_id === null) return null;
  return {
    companyId: row.crm_company_id,
    dealId: row.crm_deal_id,
    source: row.crm_link_source ?? "manual",
    linkedAt: row.crm_linked_at ?? row.updated_at,
  };
}

function linkStatusOf(row: Customer): LinkStatus {
  if (row.crm_company_id !== null) return row.link_checked_at ? { state: "linked", checkedAt: row.link_checked_at } : { state: "linked" };
  if (row.link_checked_at === null || row.unlinked_reason === null) return { state: "not_checked" };
  const candidates = row.link_candidates ? (JSON.parse(row.link_candidates) as string[]) : [];
  return {
    state: "unlinked",
    reason: row.unlinked_reason,
    ...(row.unlinked_reason === "ambiguous" ? { candidates } : {}),
    checkedAt: row.link_checked_at,
  };
}

/** The API representation of customer rows, in the order given, with domains and values. */
export async function hydrateCustomers(
  db: Kysely<Database>,
  workspaceId: string,
  rows: readonly Customer[],
  fields?: readonly FieldRecord[],
): Promise<CustomerRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [domainRows, values] = await Promise.all([
    // By customer id alone: with the workspace in the WHERE clause SQLite walks the workspace's
    // whole (workspace_id, domain) primary key instead of the customer_id index.
    db.selectFrom("customer_domains").select(["workspace_id", "customer_id", "domain", "position"]).where("customer_id", "in", ids).execute(),
    fields ? readFieldValues(db, workspaceId, ids, fields) : listFields(db, workspaceId).then((all) => readFieldValues(db, workspaceId, ids, all)),
  ]);
  const domains = new Map<string, string[]>();
  domainRows.sort((x, y) => x.position - y.position);
  for (const row of domainRows) {
    if (row.workspace_id !== workspaceId) continue;
    const list = domains.get(row.customer_id) ?? [];
    list.push(row.domain);
    domains.set(row.customer_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    domains: domains.get(row.id) ?? [],
    fields: values.get(row.id) ?? {},
    crmLink: linkOf(row),
    linkStatus: linkStatusOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

async function getRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<Customer | undefined> {
  return db.selectFrom("customers").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
}

export async function getCustomer(db: Kysely<Database>, workspaceId: string, id: string): Promise<CustomerRecord | undefined> {
  const row = await getRow(db, workspaceId, id);
  if (!row) return undefined;
  const [customer] = await hydrateCustomers(db, workspaceId, [row]);
  return customer;
}

/** The row of a new customer: not linked, never checked. Bulk loaders (benchmarks, fixtures) build theirs with it too. */
export function newCustomerRow(workspaceId: string, name: string, options: { id?: string; now?: string } = {}): Customer {
  const now = options.now ?? new Date().toISOString();
  return {
    id: options.id ?? newId(),
    workspace_id: workspaceId,
    name,
    name_key: customerNameKey(name),
    crm_company_id: null,
    crm_deal_id: null,
    crm_link_source: null,
    crm_linked_at: null,
    unlinked_reason: null,
    link_candidates: null,
    link_checked_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** crmName: the workspace CRM's display name, for refusing a write to a synced field. */
export async function createCustomer(db: Kysely<Database>, workspaceId: string, input: NewCustomerInput, crmName = "the CRM"): Promise<CustomerRecord> {
  const name = checkedName(input.name);
  const domains = checkedDomains(input.domains ?? []);
  return inTransaction(db, async (trx) => {
    const fields = await listFields(trx, workspaceId);
    const writes = resolveFieldWrites(fields, input.fields ?? {}, crmName);
    const now = new Date().toISOString();
    const row = newCustomerRow(workspaceId, name, { ...(input.id ? { id: input.id } : {}), now });
    await trx.insertInto("customers").values(row).execute();
    await replaceDomains(trx, workspaceId, row.id, domains);
    await writeFieldValues(trx, workspaceId, row.id, writes);
    const [customer] = await hydrateCustomers(trx, workspaceId, [row], fields);
    return customer!;
  });
}

const resetLink = {
  crm_company_id: null,
  crm_deal_id: null,
  crm_link_source: null,
  crm_linked_at: null,
  unlinked_reason: null,
  link_candidates: null,
  link_checked_at: null,
} as const;

/**
 * Applies a patch. Domains replace the list; removing any domain from a linked customer drops
 * its link (company and deal) so the next run matches it again on what remains (§3.2), and any
 * domain change makes the last "why unlinked" outdated, so it reads "not checked" again.
 */
/** crmName: the workspace CRM's display name, for refusing a write to a synced field. */
export async function updateCustomer(db: Kysely<Database>, workspaceId: string, id: string, patch: CustomerPatch, crmName = "the CRM"): Promise<CustomerRecord> {
  const name = patch.name === undefined ? undefined : checkedName(patch.name);
  const domains = patch.domains === undefined ? undefined : checkedDomains(patch.domains);
  return inTransaction(db, async (trx) => {
    const row = await getRow(trx, workspaceId, id);
    if (!row) throw notFound("Customer", id);
    const fields = await listFields(trx, workspaceId);
    const writes = resolveFieldWrites(fields, patch.fields ?? {}, crmName);
    const changes: Partial<Customer> = { updated_at: new Date().toISOString() };
    if (name !== undefined) {
      changes.name = name;
      changes.name_key = customerNameKey(name);
    }
    if (domains !== undefined) {
      const before = await trx
        .selectFrom("customer_domains")
        .select("domain")
        .where("workspace_id", "=", workspaceId)
        .where("customer_id", "=", id)
        .execute();
      const next = new Set(domains);
      const removed = before.some((d) => !next.has(d.domain));
      const added = domains.some((d) => !before.some((b) => b.domain === d));
      if (row.crm_company_id !== null ? removed : removed || added) Object.assign(changes, resetLink);
      await replaceDomains(trx, workspaceId, id, domains);
    }
    await writeFieldValues(trx, workspaceId, id, writes);
    await trx.updateTable("customers").set(changes).where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
    const [customer] = await hydrateCustomers(trx, workspaceId, [{ ...row, ...changes }], fields);
    return customer!;
  });
}

export async function deleteCustomer(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await getRow(trx, workspaceId, id);
    if (!row) throw notFound("Customer", id);
    // field_values.entity_id has no foreign key (it serves customers and contacts), so values go by hand.
    await deleteEntityValues(trx, workspaceId, id);
    await trx.deleteFrom("customer_domains").where("workspace_id", "=", workspaceId).where("customer_id", "=", id).execute();
    await trx.deleteFrom("customers").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
  });
}

/** Sets a link (an automatic match or an admin's choice) or, with null, removes it. */
export async function setCustomerLink(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  link: { companyId: string; dealId: string | null; source: LinkSource } | null,
): Promise<void> {
  const now = new Date().toISOString();
  const changes = link
    ? { ...resetLink, crm_company_id: link.companyId, crm_deal_id: link.dealId, crm_link_source: link.source, crm_linked_at: now, link_checked_at: now }
    : resetLink;
  const result = await db.updateTable("customers").set(changes).where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound("Customer", id);
}

/**
 * Forgets every customer's CRM link of a workspace (its CRM changed: the ids name another CRM's
 * records). Values stay; the next run of the new CRM matches everyone again. Returns how many.
 */
export async function forgetCrmLinks(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const result = await db.updateTable("customers").set(resetLink).where("workspace_id", "=", workspaceId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
