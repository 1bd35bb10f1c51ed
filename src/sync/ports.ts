// What the sync engine needs from a CRM, in the engine's own terms. The HubSpot connector
// implements these; Salesforce and Attio will too. Nothing here knows about HTTP, and nothing
// here names a CRM property: `properties` arguments list only the properties of imported or
// mapped fields, and each source adds what it needs for the facts below (name, domains,
// created and modified times, a contact's email, phone and lifecycle stage).

/** A CRM company as account sync sees it: domains already normalised. */
export interface CrmCompany {
  id: string;
  name: string | null;
  domains: string[];
  createdAt: string | null;
  modifiedAt: string | null;
  /** Raw CRM values of the properties asked for; null when empty. */
  properties: Record<string, string | null>;
}

export interface CrmDeal {
  id: string;
  name: string | null;
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

export interface JoinOrderPage {
  /** Member ids with when they joined (epoch ms), in join order. */
  members: { id: string; joinedAt: number }[];
  /** Reads the next page; null on the last. */
  cursor: string | null;
  /** The cursor that read this page (null for the first). */
  readWith: string | null;
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
  /** Deals by id, without their companies (companyIds undefined); ids that no longer exist are left out. */
  getDeals(ids: string[], properties: string[]): Promise<CrmDeal[]>;
  /** One company and the ids of its deals in one read (Save & Sync); null when it does not exist. */
  getCompanyWithDeals(id: string, properties: string[]): Promise<{ company: CrmCompany; dealIds: string[] } | null>;
  /** Ids of the deals associated with a company. */
  dealIdsOfCompany(companyId: string): Promise<string[]>;
  /** Companies whose name or domain matches `query` (the link dialog); the first few when empty. */
  searchCompanies(query: string, limit: number): Promise<CrmCompany[]>;
  /** A company's deals as the link dialog lists them; none when the company does not exist. */
  dealSummaries(companyId: string): Promise<CrmDealSummary[]>;
}

/** A deal as the link dialog offers it. */
export interface CrmDealSummary {
  id: string;
  name: string | null;
  amount: string | null;
  stage: string | null;
  createdAt: string | null;
}

// ---- Contact sync (product spec §4) ---------------------------------------------------------

export interface CrmPropertyChange {
  value: string;
  /** Epoch ms in the CRM's clock. */
  at: number;
}

/** A CRM contact as contact sync sees it: raw property values, as the CRM holds them. */
export interface CrmContact {
  id: string;
  createdAt: string | null;
  modifiedAt: string | null;
  /** The CRM's own primary email, raw, whatever the field mapping says. */
  email: string | null;
  /** The CRM's own phone, raw. */
  phone: string | null;
  /** Other addresses the CRM keeps with its primary email, raw. */
  additionalEmails: string[];
  /** The CRM's lifecycle stage (a tag in crmsync), raw. */
  lifecycleStage: string | null;
  /** Raw values of the mapped properties. */
  properties: Record<string, string | null>;
  /** The newest change of each property read with history; absent when not read. */
  lastChanges?: Record<string, CrmPropertyChange | null>;
  /** Ids of CRM contacts merged into this one (they now resolve to it). */
  mergedIds: string[];
}

export interface CrmContactWrite {
  properties: Record<string, string>;
}

export type ContactWriteFailure = {
  /**
   * invalid: the CRM refused a value; validation: one of the portal's own validation rules
   * refused it; conflict: a unique value (email) is held by another record; missing: the record
   * no longer exists.
   */
  reason: "invalid" | "validation" | "conflict" | "missing";
  message: string;
  /** The CRM property the refusal names, when it names one. */
  property?: string | undefined;
};

/** A CRM list of contacts, as the settings offer it to choose the source. */
export interface CrmContactList {
  id: string;
  name: string;
  /** Members, as the CRM counts them (an estimate on large lists); null when it does not say. */
  size: number | null;
  /** How membership is kept: MANUAL (static), DYNAMIC (active), SNAPSHOT. */
  processingType: string;
}

/** A CRM contact property, as the field mapping offers it. */
export interface CrmContactProperty {
  name: string;
  label: string;
  /** The CRM's value type (string, number, enumeration, phone_number...). */
  type: string;
  /** How the CRM edits it (text, textarea, phonenumber, select...). */
  fieldType: string;
}

export interface ContactSource {
  /** Names of every contact property of the portal. */
  contactPropertyNames(): Promise<Set<string>>;
  /** The portal's visible contact properties, by label. */
  contactProperties(): Promise<CrmContactProperty[]>;
  /** Contact lists whose name contains `query` (every list when empty), by name, at most `limit`. */
  searchContactLists(query: string, limit: number): Promise<CrmContactList[]>;
  /** Whether a list exists (false once deleted). */
  listExists(listId: string): Promise<boolean>;
  /** Member contact ids of a list, page by page (ids only, the CRM's largest page). */
  listMembers(listId: string, cursor: string | null): AsyncIterable<SourcePage<string>>;
  /**
   * Members in the order they joined the list, oldest first, from `cursor` (one a page carried
   * as `readWith`). Optional: a CRM that cannot order by join time reads the whole membership
   * on every run.
   */
  listMembersByJoinTime?(listId: string, cursor: string | null): AsyncIterable<JoinOrderPage>;
  /** Contact ids associated with each company. */
  contactIdsOfCompanies(companyIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Contacts changed at or after `sinceMs` (CRM time), oldest change first. */
  contactsModifiedSince(options: { sinceMs: number; properties: string[] }): AsyncIterable<CrmContact[]>;
  /**
   * Contacts by id. Ids of contacts merged into another come back as the survivor; `missing`
   * lists ids that no longer exist (deleted). `history` names properties whose last change time
   * is wanted (read at the CRM's smaller batch size).
   */
  getContacts(ids: readonly string[], properties: string[], history?: string[]): Promise<{ records: CrmContact[]; missing: string[] }>;
  /** Contacts holding these emails (the CRM's unique contact key). */
  findByEmails(emails: readonly string[], properties: string[]): Promise<CrmContact[]>;
}

export interface ContactWriter {
  /** Creates contacts, in input order; each result is the created record or why it failed. */
  createContacts(inputs: readonly (CrmContactWrite & { companyId: string | null })[]): Promise<Array<CrmContact | ContactWriteFailure>>;
  /** Updates contacts; each result is the updated record (with its new modification time) or why it failed. */
  updateContacts(inputs: readonly (CrmContactWrite & { id: string })[]): Promise<Array<CrmContact | ContactWriteFailure>>;
}

export function isWriteFailure(result: CrmContact | ContactWriteFailure): result is ContactWriteFailure {
  return "reason" in result;
}

/** What contact sync reads and writes through. */
export type ContactSourceAndWriter = ContactSource & ContactWriter;
