// Contacts: people with handles (emails, phones) that are unique per workspace, because contact
// sync matches on them (product spec §4.3). Every write normalises its input, runs in one
// transaction, and stamps a per-field change time for the fields it really changed, which the
// two-way conflict rule compares with the CRM's own property history (§4.4).
import { sql, type Insertable, type Kysely, type Selectable } from "kysely";
import { contactFields, mergeContacts as mergeRule, movesChangeTime, sameFieldValue, type ContactField, type MergeableContact } from "../../core/contact-merge.ts";
import { AppError, notFound } from "../../core/errors.ts";
import { isValidEmail, normalizeEmail, normalizePhone, tryNormalizePhone } from "../../core/handles.ts";
import { insertRows } from "../bulk-insert.ts";
import { newId } from "../ids.ts";
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize, type Page } from "../pagination.ts";
import type { ContactEmailsTable, ContactPhonesTable, ContactsTable, ContactTagsTable, Database } from "../schema.ts";

export type { ContactField };

export interface ContactRecord {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  /** Lower-cased and validated; the first is the primary one. */
  emails: string[];
  /** E.164; the first is the primary one. */
  phones: string[];
  customerId: string | null;
  tags: string[];
  /** The CRM contact id, set by sync only. */
  externalId: string | null;
  lastSyncedAt: string | null;
  /** When each field last changed in crmsync; a field never set has no entry. */
  fieldChangedAt: Partial<Record<ContactField, string>>;
  createdAt: string;
  updatedAt: string;
}

/**
 * Field values as a caller has them; they are normalised and validated here. A key left out
 * (or undefined) is "not given": unchanged on update, empty on create.
 */
export interface ContactInput {
  name?: string | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  emails?: readonly string[] | undefined;
  phones?: readonly string[] | undefined;
  customerId?: string | null | undefined;
  tags?: readonly string[] | undefined;
}

export interface WriteOptions {
  /**
   * When the changes happened: one time for all fields, or a time per field (a CRM property's
   * own change time); fields without one get the current time.
   */
  changedAt?: string | Partial<Record<ContactField, string>>;
  /** A `sync` write also records that the contact is in step with the CRM (lastSyncedAt). */
  source?: "api" | "sync";
}

export const contactSorts = ["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"] as const;
export type ContactSort = (typeof contactSorts)[number];

export interface ContactListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  sort?: ContactSort | undefined;
  /** Contained in the name or an email, ignoring case. */
  q?: string | undefined;
  /** Exact tag (tags are case-sensitive). */
  tag?: string | undefined;
  customerId?: string | undefined;
  externalId?: string | undefined;
  /** true: linked to a CRM contact (has an external id); false: not linked. */
  synced?: boolean | undefined;
}

type Db = Kysely<Database>;
type ContactRow = Selectable<ContactsTable>;

export const maxTagLength = 100;

// Keeps IN lists well under both dialects' bound-parameter limits.
const chunkSize = 500;

// ---------------------------------------------------------------------------------------------
// Normalisation

const trimOrNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/** The name derived from first and last names (product spec §4.2: first name + last name -> name). */
export function deriveName(firstName: string | null, lastName: string | null): string {
  return [firstName, lastName].filter((part): part is string => part !== null && part !== "").join(" ");
}

export function nameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

const normalizeEmails = (emails: readonly string[]): string[] => unique(emails.map((email) => normalizeEmail(email)));
const normalizePhones = (phones: readonly string[]): string[] => unique(phones.map((phone) => normalizePhone(phone)));

/**
 * Trimmed, inner whitespace collapsed, empty ones and repeats dropped, sorted: a tag set has no
 * order worth keeping. Case is kept and significant ("VIP" and "vip" are two tags).
 */
export function normalizeTags(tags: readonly string[]): string[] {
  const result = unique(tags.map((tag) => tag.trim().replace(/\s+/g, " ")).filter((tag) => tag !== "")).sort();
  const long = result.find((tag) => tag.length > maxTagLength);
  if (long !== undefined) throw new AppError("validation_failed", `The tag "${long}" is longer than ${maxTagLength} characters.`, { value: long });
  return result;
}

interface ContactValues {
  name: string;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  customerId: string | null;
  tags: string[];
}

function requireIdentity(values: ContactValues): void {
  if (values.name === "" && values.emails.length === 0 && values.phones.length === 0) {
    throw new AppError("validation_failed", "A contact needs a name, an email or a phone.", {});
  }
}

function isEmptyValue(value: ContactValues[ContactField]): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function timeFor(options: WriteOptions, field: ContactField, now: string): string {
  const { changedAt } = options;
  if (typeof changedAt === "string") return changedAt;
  return changedAt?.[field] ?? now;
}

function serializeChangedAt(times: Partial<Record<ContactField, string>>): string {
  // Fixed key order, so equal maps are equal strings.
  const ordered: Partial<Record<ContactField, string>> = {};
  for (const field of contactFields) {
    const time = times[field];
    if (time !== undefined) ordered[field] = time;
  }
  return JSON.stringify(ordered);
}

function parseChangedAt(json: string): Partial<Record<ContactField, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  const result: Partial<Record<ContactField, string>> = {};
  if (parsed === null || typeof parsed !== "object") return result;
  for (const field of contactFields) {
    const time = (parsed as Record<string, unknown>)[field];
    if (typeof time === "string") result[field] = time;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reading

async function hydrate(db: Db, workspaceId: string, rows: readonly ContactRow[]): Promise<ContactRecord[]> {
  if (rows.length === 0) return [];
  const emails = new Map<string, string[]>();
  const phones = new Map<string, string[]>();
  const tags = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, id: string, value: string) => {
    const list = map.get(id);
    if (list) list.push(value);
    else map.set(id, [value]);
  };
  for (let i = 0; i < rows.length; i += chunkSize) {
    const ids = rows.slice(i, i + chunkSize).map((row) => row.id);
    const [emailRows, phoneRows, tagRows] = await Promise.all([
      db.selectFrom("contact_emails").select(["contact_id", "email"]).where("workspace_id", "=", workspaceId).where("contact_id", "in", ids).orderBy("contact_id").orderBy("position").execute(),
      db.selectFrom("contact_phones").select(["contact_id", "phone"]).where("workspace_id", "=", workspaceId).where("contact_id", "in", ids).orderBy("contact_id").orderBy("position").execute(),
      db.selectFrom("contact_tags").select(["contact_id", "tag"]).where("workspace_id", "=", workspaceId).where("contact_id", "in", ids).execute(),
    ]);
    for (const row of emailRows) push(emails, row.contact_id, row.email);
    for (const row of phoneRows) push(phones, row.contact_id, row.phone);
    for (const row of tagRows) push(tags, row.contact_id, row.tag);
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    firstName: row.first_name,
    lastName: row.last_name,
    emails: emails.get(row.id) ?? [],
    phones: phones.get(row.id) ?? [],
    customerId: row.customer_id,
    // Tags have no position column; sorting gives every reader the same order.
    tags: (tags.get(row.id) ?? []).sort(),
    externalId: row.external_id,
    lastSyncedAt: row.last_synced_at,
    fieldChangedAt: parseChangedAt(row.field_changed_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export async function getContact(db: Db, workspaceId: string, id: string): Promise<ContactRecord | undefined> {
  const row = await db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return row ? (await hydrate(db, workspaceId, [row]))[0] : undefined;
}

export async function getContactByExternalId(db: Db, workspaceId: string, externalId: string): Promise<ContactRecord | undefined> {
  const row = await db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId).where("external_id", "=", externalId).executeTakeFirst();
  return row ? (await hydrate(db, workspaceId, [row]))[0] : undefined;
}

/** The linked contacts among a page of CRM ids, keyed by external id; absent ids are not linked. */
export async function listContactsByExternalIds(db: Db, workspaceId: string, externalIds: readonly string[]): Promise<Map<string, ContactRecord>> {
  const rows: ContactRow[] = [];
  const ids = unique(externalIds);
  for (let i = 0; i < ids.length; i += chunkSize) {
    rows.push(
      ...(await db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId).where("external_id", "in", ids.slice(i, i + chunkSize)).execute()),
    );
  }
  const records = await hydrate(db, workspaceId, rows);
  return new Map(records.map((record) => [record.externalId ?? "", record]));
}

function normalizedHandle(kind: "email" | "phone", value: string | undefined): string | null {
  if (value === undefined) return null;
  if (kind === "email") return isValidEmail(value) ? normalizeEmail(value) : null;
  return tryNormalizePhone(value);
}

/** The contact holding this email, else the one holding this phone. Invalid handles match nothing. */
export async function findContactByHandle(db: Db, workspaceId: string, handles: { email?: string | undefined; phone?: string | undefined }): Promise<ContactRecord | undefined> {
  const email = normalizedHandle("email", handles.email);
  if (email !== null) {
    const hit = await db.selectFrom("contact_emails").select("contact_id").where("workspace_id", "=", workspaceId).where("email", "=", email).executeTakeFirst();
    if (hit) return getContact(db, workspaceId, hit.contact_id);
  }
  const phone = normalizedHandle("phone", handles.phone);
  if (phone !== null) {
    const hit = await db.selectFrom("contact_phones").select("contact_id").where("workspace_id", "=", workspaceId).where("phone", "=", phone).executeTakeFirst();
    if (hit) return getContact(db, workspaceId, hit.contact_id);
  }
  return undefined;
}

/**
 * Which contact holds each of many handles, for matching a whole page of CRM contacts at once.
 * Handles are looked up as given: pass them normalised (normalizeEmail / normalizePhone).
 */
export async function contactIdsByHandles(
  db: Db,
  workspaceId: string,
  handles: { emails?: readonly string[]; phones?: readonly string[] },
): Promise<{ emails: Map<string, string>; phones: Map<string, string> }> {
  const emails = new Map<string, string>();
  const phones = new Map<string, string>();
  const emailList = unique(handles.emails ?? []);
  const phoneList = unique(handles.phones ?? []);
  for (let i = 0; i < emailList.length; i += chunkSize) {
    const rows = await db.selectFrom("contact_emails").select(["email", "contact_id"]).where("workspace_id", "=", workspaceId).where("email", "in", emailList.slice(i, i + chunkSize)).execute();
    for (const row of rows) emails.set(row.email, row.contact_id);
  }
  for (let i = 0; i < phoneList.length; i += chunkSize) {
    const rows = await db.selectFrom("contact_phones").select(["phone", "contact_id"]).where("workspace_id", "=", workspaceId).where("phone", "in", phoneList.slice(i, i + chunkSize)).execute();
    for (const row of rows) phones.set(row.phone, row.contact_id);
  }
  return { emails, phones };
}

export async function countContacts(db: Db, workspaceId: string): Promise<number> {
  const row = await db.selectFrom("contacts").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
  return Number(row.n);
}

const sortColumns = { name: "name_key", createdAt: "created_at", updatedAt: "updated_at" } as const;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function listContacts(db: Db, workspaceId: string, query: ContactListQuery = {}): Promise<Page<ContactRecord>> {
  const limit = Math.min(Math.max(query.limit ?? defaultPageSize, 1), maxPageSize);
  const sort = query.sort ?? "name";
  const descending = sort.startsWith("-");
  const column = sortColumns[(descending ? sort.slice(1) : sort) as keyof typeof sortColumns];
  const direction = descending ? "desc" : "asc";
  const after = descending ? "<" : ">";

  let select = db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId);
  const q = query.q === undefined ? "" : nameKey(query.q.trim());
  if (q !== "") {
    // Both sides are lower-cased by the application, so LIKE's own case rules (ASCII-only on
    // SQLite, exact on PostgreSQL) never come into play and both dialects answer alike.
    const pattern = likePattern(q);
    select = select.where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref("contacts.name_key")} like ${pattern} escape '\\'`,
        eb.exists(
          eb
            .selectFrom("contact_emails")
            .select(sql.lit(1).as("one"))
            .whereRef("contact_emails.contact_id", "=", "contacts.id")
            .where("contact_emails.workspace_id", "=", workspaceId)
            .where(sql<boolean>`contact_emails.email like ${pattern} escape '\\'`),
        ),
      ]),
    );
  }
  if (query.tag !== undefined) {
    const tag = query.tag;
    select = select.where("id", "in", (eb) => eb.selectFrom("contact_tags").select("contact_id").where("workspace_id", "=", workspaceId).where("tag", "=", tag));
  }
  if (query.customerId !== undefined) select = select.where("customer_id", "=", query.customerId);
  if (query.externalId !== undefined) select = select.where("external_id", "=", query.externalId);
  if (query.synced !== undefined) select = select.where("external_id", query.synced ? "is not" : "is", null);
  if (query.cursor !== undefined) {
    const [value, id] = decodeCursor(query.cursor);
    if (typeof value !== "string") throw new AppError("invalid_cursor", "The cursor is not one this API returned.", { cursor: query.cursor });
    select = select.where((eb) => eb.or([eb(column, after, value), eb.and([eb(column, "=", value), eb("id", after, id)])]));
  }
  const rows = await select.orderBy(column, direction).orderBy("id", direction).limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor([last[column], last.id]) : null;
  return { items: await hydrate(db, workspaceId, page), nextCursor };
}

// ---------------------------------------------------------------------------------------------
// Writing

function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  // A caller already in a transaction (the sync engine batching a page) keeps its own.
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = String(error.code);
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

/**
 * Runs a write; a unique violation means a concurrent write took a handle or an external id
 * between our check and our insert, which is reported as the conflict it is, not as a 500.
 */
async function write<T>(db: Db, work: (tx: Db) => Promise<T>, recheck: () => Promise<void>): Promise<T> {
  try {
    return await inTransaction(db, work);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Inside a caller's transaction PostgreSQL refuses further statements after an error.
    if (!db.isTransaction) await recheck();
    throw new AppError("conflict", "Another change to these contacts happened at the same time; try again.", {});
  }
}

async function assertCustomerExists(db: Db, workspaceId: string, customerId: string): Promise<void> {
  const row = await db.selectFrom("customers").select("id").where("workspace_id", "=", workspaceId).where("id", "=", customerId).executeTakeFirst();
  if (!row) throw notFound("Customer", customerId);
}

async function assertHandlesFree(db: Db, workspaceId: string, emails: readonly string[], phones: readonly string[], exceptContactId: string | null): Promise<void> {
  const held = await contactIdsByHandles(db, workspaceId, { emails, phones });
  for (const email of emails) {
    const owner = held.emails.get(email);
    if (owner !== undefined && owner !== exceptContactId) {
      throw new AppError("email_taken", `The email "${email}" is already used by contact ${owner}.`, { value: email, contactId: owner });
    }
  }
  for (const phone of phones) {
    const owner = held.phones.get(phone);
    if (owner !== undefined && owner !== exceptContactId) {
      throw new AppError("phone_taken", `The phone "${phone}" is already used by contact ${owner}.`, { value: phone, contactId: owner });
    }
  }
}

async function assertExternalIdFree(db: Db, workspaceId: string, externalId: string, exceptContactId: string | null): Promise<void> {
  const row = await db.selectFrom("contacts").select("id").where("workspace_id", "=", workspaceId).where("external_id", "=", externalId).executeTakeFirst();
  if (row && row.id !== exceptContactId) {
    throw new AppError("conflict", `The CRM contact ${externalId} is already linked to contact ${row.id}.`, { externalId, contactId: row.id });
  }
}

async function replaceHandles(db: Db, workspaceId: string, contactId: string, values: Partial<Pick<ContactValues, "emails" | "phones" | "tags">>): Promise<void> {
  if (values.emails) {
    await db.deleteFrom("contact_emails").where("workspace_id", "=", workspaceId).where("contact_id", "=", contactId).execute();
    if (values.emails.length > 0) {
      await db.insertInto("contact_emails").values(values.emails.map((email, position) => ({ workspace_id: workspaceId, contact_id: contactId, email, position }))).execute();
    }
  }
  if (values.phones) {
    await db.deleteFrom("contact_phones").where("workspace_id", "=", workspaceId).where("contact_id", "=", contactId).execute();
    if (values.phones.length > 0) {
      await db.insertInto("contact_phones").values(values.phones.map((phone, position) => ({ workspace_id: workspaceId, contact_id: contactId, phone, position }))).execute();
    }
  }
  if (values.tags) {
    await db.deleteFrom("contact_tags").where("workspace_id", "=", workspaceId).where("contact_id", "=", contactId).execute();
    if (values.tags.length > 0) {
      await db.insertInto("contact_tags").values(values.tags.map((tag) => ({ workspace_id: workspaceId, contact_id: contactId, tag }))).execute();
    }
  }
}

async function loadForWrite(db: Db, workspaceId: string, id: string): Promise<ContactRecord> {
  const contact = await getContact(db, workspaceId, id);
  if (!contact) throw notFound("Contact", id);
  return contact;
}

export type CreateOptions = WriteOptions & { externalId?: string };

/** A contact checked and normalised, not stored yet: its id and values are final. */
export interface PreparedContact {
  record: ContactRecord;
  values: ContactValues;
}

/** Normalises and validates a new contact without touching the database; throws on bad input. */
export function prepareContact(input: ContactInput, options: CreateOptions = {}): PreparedContact {
  const firstName = trimOrNull(input.firstName);
  const lastName = trimOrNull(input.lastName);
  const values: ContactValues = {
    name: input.name?.trim() || deriveName(firstName, lastName),
    firstName,
    lastName,
    emails: normalizeEmails(input.emails ?? []),
    phones: normalizePhones(input.phones ?? []),
    customerId: input.customerId ?? null,
    tags: normalizeTags(input.tags ?? []),
  };
  requireIdentity(values);
  const now = new Date().toISOString();
  const fieldChangedAt: Partial<Record<ContactField, string>> = {};
  for (const field of contactFields) if (!isEmptyValue(values[field])) fieldChangedAt[field] = timeFor(options, field, now);
  const externalId = options.externalId ?? null;
  const record: ContactRecord = {
    id: newId(),
    ...values,
    externalId,
    lastSyncedAt: options.source === "sync" || externalId !== null ? now : null,
    fieldChangedAt,
    createdAt: now,
    updatedAt: now,
  };
  return { record, values };
}

/** The first handle or external id claimed twice within a batch, reported as it would be against a stored contact. */
function assertDistinctWithinBatch(batch: readonly PreparedContact[]): void {
  const claims = { email: new Map<string, string>(), phone: new Map<string, string>(), externalId: new Map<string, string>() };
  for (const { record } of batch) {
    for (const email of record.emails) {
      const owner = claims.email.get(email);
      if (owner !== undefined) throw new AppError("email_taken", `The email "${email}" is already used by contact ${owner}.`, { value: email, contactId: owner });
      claims.email.set(email, record.id);
    }
    for (const phone of record.phones) {
      const owner = claims.phone.get(phone);
      if (owner !== undefined) throw new AppError("phone_taken", `The phone "${phone}" is already used by contact ${owner}.`, { value: phone, contactId: owner });
      claims.phone.set(phone, record.id);
    }
    if (record.externalId === null) continue;
    const owner = claims.externalId.get(record.externalId);
    if (owner !== undefined) throw new AppError("conflict", `The CRM contact ${record.externalId} is already linked to contact ${owner}.`, { externalId: record.externalId, contactId: owner });
    claims.externalId.set(record.externalId, record.id);
  }
}

async function assertBatchFree(db: Db, workspaceId: string, batch: readonly PreparedContact[]): Promise<void> {
  assertDistinctWithinBatch(batch);
  const customerIds = unique(batch.flatMap(({ values }) => (values.customerId === null ? [] : [values.customerId])));
  for (let i = 0; i < customerIds.length; i += chunkSize) {
    const chunk = customerIds.slice(i, i + chunkSize);
    const found = new Set((await db.selectFrom("customers").select("id").where("workspace_id", "=", workspaceId).where("id", "in", chunk).execute()).map((row) => row.id));
    const missing = chunk.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound("Customer", missing);
  }
  await assertHandlesFree(
    db,
    workspaceId,
    batch.flatMap(({ values }) => values.emails),
    batch.flatMap(({ values }) => values.phones),
    null,
  );
  const externalIds = batch.flatMap(({ record }) => (record.externalId === null ? [] : [record.externalId]));
  const linked = await listContactsByExternalIds(db, workspaceId, externalIds);
  const taken = externalIds.find((id) => linked.has(id));
  if (taken !== undefined) {
    throw new AppError("conflict", `The CRM contact ${taken} is already linked to contact ${linked.get(taken)!.id}.`, { externalId: taken, contactId: linked.get(taken)!.id });
  }
}

// Rows per multi-row INSERT: the widest table (contacts, 12 columns) stays far below both
// dialects' bound-parameter limits.
const insertChunk = 250;

const contactColumns = [
  "id",
  "workspace_id",
  "customer_id",
  "name",
  "name_key",
  "first_name",
  "last_name",
  "external_id",
  "last_synced_at",
  "field_changed_at",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof ContactsTable)[];
const emailColumns = ["workspace_id", "contact_id", "email", "position"] as const satisfies readonly (keyof ContactEmailsTable)[];
const phoneColumns = ["workspace_id", "contact_id", "phone", "position"] as const satisfies readonly (keyof ContactPhonesTable)[];
const tagColumns = ["workspace_id", "contact_id", "tag"] as const satisfies readonly (keyof ContactTagsTable)[];

// Through bulk-insert's compiled templates: building each multi-row insert with Kysely was a
// sizeable share of a full inbound sync's CPU.
async function insertChunks<Table extends "contacts" | "contact_emails" | "contact_phones" | "contact_tags">(
  db: Db,
  table: Table,
  columns: readonly (keyof Database[Table] & string)[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += insertChunk) {
    await insertRows<Database, Database[Table]>(db, `${table}.insert`, columns, rows.slice(i, i + insertChunk), (db, values) =>
      db.insertInto(table).values(values as Insertable<Database[Table]>[]),
    );
  }
}

/**
 * Stores prepared contacts all or nothing: the batch is checked as a whole (customers exist,
 * handles and external ids free, here and within the batch), then each table gets multi-row
 * inserts. A sync page of new contacts costs a handful of statements instead of ten a contact.
 */
export async function insertContacts(db: Db, workspaceId: string, batch: readonly PreparedContact[]): Promise<ContactRecord[]> {
  if (batch.length === 0) return [];
  return write(
    db,
    async (tx) => {
      await assertBatchFree(tx, workspaceId, batch);
      const contacts = batch.map(({ record }) => [
        record.id,
        workspaceId,
        record.customerId,
        record.name,
        nameKey(record.name),
        record.firstName,
        record.lastName,
        record.externalId,
        record.lastSyncedAt,
        serializeChangedAt(record.fieldChangedAt),
        record.createdAt,
        record.updatedAt,
      ]);
      await insertChunks(tx, "contacts", contactColumns, contacts);
      const emails = batch.flatMap(({ record }) => record.emails.map((email, position) => [workspaceId, record.id, email, position]));
      await insertChunks(tx, "contact_emails", emailColumns, emails);
      const phones = batch.flatMap(({ record }) => record.phones.map((phone, position) => [workspaceId, record.id, phone, position]));
      await insertChunks(tx, "contact_phones", phoneColumns, phones);
      const tags = batch.flatMap(({ record }) => record.tags.map((tag) => [workspaceId, record.id, tag]));
      await insertChunks(tx, "contact_tags", tagColumns, tags);
      return batch.map(({ record }) => record);
    },
    () => assertBatchFree(db, workspaceId, batch),
  );
}

export async function createContact(db: Db, workspaceId: string, input: ContactInput, options: CreateOptions = {}): Promise<ContactRecord> {
  const [created] = await insertContacts(db, workspaceId, [prepareContact(input, options)]);
  return created!;
}

/**
 * Applies the given fields; unchanged values keep their change times and a write that changes
 * nothing leaves updatedAt alone. Without a new name, changing first or last name re-derives a
 * name that was derived from them (a name typed by hand stays).
 */
export async function updateContact(db: Db, workspaceId: string, id: string, patch: ContactInput, options: WriteOptions = {}): Promise<ContactRecord> {
  // Normalise before touching the database, so bad input fails without a query.
  const given: Partial<ContactValues> = {};
  if (patch.firstName !== undefined) given.firstName = trimOrNull(patch.firstName);
  if (patch.lastName !== undefined) given.lastName = trimOrNull(patch.lastName);
  if (patch.name !== undefined) given.name = patch.name.trim();
  if (patch.emails !== undefined) given.emails = normalizeEmails(patch.emails);
  if (patch.phones !== undefined) given.phones = normalizePhones(patch.phones);
  if (patch.customerId !== undefined) given.customerId = patch.customerId;
  if (patch.tags !== undefined) given.tags = normalizeTags(patch.tags);

  let newEmails: string[] = [];
  let newPhones: string[] = [];
  return write(
    db,
    async (tx) => {
      const current = await loadForWrite(tx, workspaceId, id);
      const next: ContactValues = { ...pickValues(current), ...given };
      const nameWasDerived = current.name === deriveName(current.firstName, current.lastName);
      if ((given.name === undefined || given.name === "") && (nameWasDerived || given.name === "")) {
        next.name = deriveName(next.firstName, next.lastName);
      }
      requireIdentity(next);
      const changed = contactFields.filter((field) => !sameFieldValue(current[field], next[field]));
      if (changed.includes("customerId") && next.customerId !== null) await assertCustomerExists(tx, workspaceId, next.customerId);
      newEmails = next.emails.filter((email) => !current.emails.includes(email));
      newPhones = next.phones.filter((phone) => !current.phones.includes(phone));
      await assertHandlesFree(tx, workspaceId, newEmails, newPhones, id);

      const now = new Date().toISOString();
      const fieldChangedAt = { ...current.fieldChangedAt };
      for (const field of changed) if (movesChangeTime(field, current[field], next[field])) fieldChangedAt[field] = timeFor(options, field, now);
      const lastSyncedAt = options.source === "sync" ? now : current.lastSyncedAt;
      const updatedAt = changed.length > 0 ? now : current.updatedAt;
      if (changed.length > 0 || lastSyncedAt !== current.lastSyncedAt) {
        await tx
          .updateTable("contacts")
          .set({
            name: next.name,
            name_key: nameKey(next.name),
            first_name: next.firstName,
            last_name: next.lastName,
            customer_id: next.customerId,
            field_changed_at: serializeChangedAt(fieldChangedAt),
            last_synced_at: lastSyncedAt,
            updated_at: updatedAt,
          })
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", id)
          .execute();
      }
      await replaceHandles(tx, workspaceId, id, {
        ...(changed.includes("emails") ? { emails: next.emails } : {}),
        ...(changed.includes("phones") ? { phones: next.phones } : {}),
        ...(changed.includes("tags") ? { tags: next.tags } : {}),
      });
      return { ...current, ...next, fieldChangedAt, lastSyncedAt, updatedAt };
    },
    () => assertHandlesFree(db, workspaceId, newEmails, newPhones, id),
  );
}

function pickValues(contact: ContactRecord): ContactValues {
  return {
    name: contact.name,
    firstName: contact.firstName,
    lastName: contact.lastName,
    emails: contact.emails,
    phones: contact.phones,
    customerId: contact.customerId,
    tags: contact.tags,
  };
}

/** Links a contact to a CRM contact (or unlinks it with null). One CRM contact links to one contact. */
export async function linkExternalId(
  db: Db,
  workspaceId: string,
  contactId: string,
  externalId: string | null,
  options: { syncedAt?: string } = {},
): Promise<ContactRecord> {
  return write(
    db,
    async (tx) => {
      const current = await loadForWrite(tx, workspaceId, contactId);
      if (externalId !== null) await assertExternalIdFree(tx, workspaceId, externalId, contactId);
      const lastSyncedAt = externalId === null ? null : (options.syncedAt ?? new Date().toISOString());
      await tx.updateTable("contacts").set({ external_id: externalId, last_synced_at: lastSyncedAt }).where("workspace_id", "=", workspaceId).where("id", "=", contactId).execute();
      return { ...current, externalId, lastSyncedAt };
    },
    () => (externalId === null ? Promise.resolve() : assertExternalIdFree(db, workspaceId, externalId, contactId)),
  );
}

async function removeContact(db: Db, workspaceId: string, id: string): Promise<boolean> {
  // Custom field values have no foreign key (one table serves customers and contacts).
  await db.deleteFrom("field_values").where("workspace_id", "=", workspaceId).where("entity_id", "=", id).execute();
  const result = await db.deleteFrom("contacts").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes the contact with its handles and tags; false when it does not exist. */
export async function deleteContact(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return inTransaction(db, (tx) => removeContact(tx, workspaceId, id));
}

const mergeable = (contact: ContactRecord): MergeableContact => ({ ...pickValues(contact), externalId: contact.externalId, lastSyncedAt: contact.lastSyncedAt });

/**
 * Merges the duplicate into the survivor by the rule in core/contact-merge.ts, deletes the
 * duplicate and records the merge, all or nothing.
 */
export async function mergeContacts(
  db: Db,
  workspaceId: string,
  survivorId: string,
  duplicateId: string,
  options: { mergedAt?: string } = {},
): Promise<ContactRecord> {
  const work = async (tx: Db): Promise<ContactRecord> => {
    const survivor = await loadForWrite(tx, workspaceId, survivorId);
    const duplicate = await loadForWrite(tx, workspaceId, duplicateId);
    if (survivor.id === duplicate.id) throw new AppError("conflict", "A contact cannot be merged into itself.", { id: survivorId });
    const { merged, changed, droppedExternalId } = mergeRule(mergeable(survivor), mergeable(duplicate));
    const now = new Date().toISOString();
    const mergedAt = options.mergedAt ?? now;

    // The duplicate goes first: its handles and external id are unique keys the survivor takes.
    // A concurrent merge of the same duplicate got there first.
    if (!(await removeContact(tx, workspaceId, duplicate.id))) throw notFound("Contact", duplicate.id);
    const fieldChangedAt = { ...survivor.fieldChangedAt };
    for (const field of changed) fieldChangedAt[field] = mergedAt;
    await tx
      .updateTable("contacts")
      .set({
        name: merged.name,
        name_key: nameKey(merged.name),
        first_name: merged.firstName,
        last_name: merged.lastName,
        customer_id: merged.customerId,
        external_id: merged.externalId,
        last_synced_at: merged.lastSyncedAt,
        field_changed_at: serializeChangedAt(fieldChangedAt),
        updated_at: now,
      })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", survivor.id)
      .execute();
    await replaceHandles(tx, workspaceId, survivor.id, { emails: merged.emails, phones: merged.phones, tags: merged.tags });
    await tx
      .insertInto("contact_merges")
      .values({ workspace_id: workspaceId, survivor_id: survivor.id, merged_contact_id: duplicate.id, merged_external_id: droppedExternalId, merged_at: mergedAt })
      .execute();
    return { ...survivor, ...merged, tags: [...merged.tags].sort(), fieldChangedAt, updatedAt: now };
  };
  return write(db, work, () => Promise.resolve());
}

/** True when the CRM contact's crmsync record was merged into another: an import must not recreate it. */
export async function wasMergedAway(db: Db, workspaceId: string, externalId: string): Promise<boolean> {
  const row = await db.selectFrom("contact_merges").select("merged_contact_id").where("workspace_id", "=", workspaceId).where("merged_external_id", "=", externalId).executeTakeFirst();
  return row !== undefined;
}

/** The subset of a page of CRM ids whose records were merged away. */
export async function mergedAwayExternalIds(db: Db, workspaceId: string, externalIds: readonly string[]): Promise<Set<string>> {
  const result = new Set<string>();
  const ids = unique(externalIds);
  for (let i = 0; i < ids.length; i += chunkSize) {
    const rows = await db.selectFrom("contact_merges").select("merged_external_id").where("workspace_id", "=", workspaceId).where("merged_external_id", "in", ids.slice(i, i + chunkSize)).execute();
    for (const row of rows) if (row.merged_external_id !== null) result.add(row.merged_external_id);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Contact sync (two-way): pages of contacts by sync state

/** Contacts by id (missing ids left out), hydrated, for a page the sync engine works on. */
export async function getContactsByIds(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, ContactRecord>> {
  const rows: ContactRow[] = [];
  const list = unique(ids);
  for (let i = 0; i < list.length; i += chunkSize) {
    rows.push(...(await db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", list.slice(i, i + chunkSize)).execute()));
  }
  return new Map((await hydrate(db, workspaceId, rows)).map((record) => [record.id, record]));
}

/**
 * A page of contacts by id order: linked ones changed in crmsync since their last sync (a write
 * from sync stamps last_synced_at and updated_at alike, so only crmsync-side edits qualify), every
 * linked one, or unlinked ones (optionally created at or after `createdSince`).
 */
export async function listContactsForSync(
  db: Db,
  workspaceId: string,
  options: { kind: "changed_linked" | "linked" | "unlinked"; afterId: string | null; limit: number; createdSince?: string | undefined },
): Promise<ContactRecord[]> {
  let select = db.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceId);
  if (options.kind === "changed_linked") {
    select = select.where("external_id", "is not", null).where((eb) => eb.or([eb("last_synced_at", "is", null), eb("updated_at", ">", eb.ref("last_synced_at"))]));
  } else if (options.kind === "linked") {
    select = select.where("external_id", "is not", null);
  } else {
    select = select.where("external_id", "is", null);
    if (options.createdSince !== undefined) select = select.where("created_at", ">=", options.createdSince);
  }
  if (options.afterId !== null) select = select.where("id", ">", options.afterId);
  const rows = await select.orderBy("id").limit(options.limit).execute();
  return hydrate(db, workspaceId, rows);
}

/** Records that these contacts are in step with the CRM as of `at` (no crmsync edit pending). */
export async function markContactsSynced(db: Db, workspaceId: string, ids: readonly string[], at: string): Promise<void> {
  const list = unique(ids);
  for (let i = 0; i < list.length; i += chunkSize) {
    await db
      .updateTable("contacts")
      .set({ last_synced_at: at })
      .where("workspace_id", "=", workspaceId)
      .where("id", "in", list.slice(i, i + chunkSize))
      .where((eb) => eb.or([eb("last_synced_at", "is", null), eb("last_synced_at", "<", at)]))
      .execute();
  }
}

/** Marks contacts as having crmsync changes the CRM has not received yet (a deferred push). */
export async function markContactsUnsynced(db: Db, workspaceId: string, ids: readonly string[]): Promise<void> {
  const list = unique(ids);
  for (let i = 0; i < list.length; i += chunkSize) {
    await db.updateTable("contacts").set({ last_synced_at: null }).where("workspace_id", "=", workspaceId).where("id", "in", list.slice(i, i + chunkSize)).execute();
  }
}
