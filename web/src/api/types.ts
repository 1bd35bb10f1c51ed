// The API's shapes as the UI sees them, written by hand from the server's zod schemas (OpenAPI
// at /docs/json). The web app never imports server code, so these are the only coupling.

export type Role = "admin" | "member";

export interface Session {
  user: { id: string; email: string; name: string; role: Role } | null;
  workspace: { id: string; name: string };
  role: Role;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const fieldTypes = ["text", "number", "date", "select", "multi_select", "yes_no"] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface FieldOption {
  value: string;
  label: string;
}

export interface SyncMapping {
  provider: string;
  object: string;
  property: string;
}

export interface CustomField {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  options: FieldOption[];
  entity: "customer" | "contact";
  syncMapping: SyncMapping | null;
  readOnly: boolean;
  createdAt: string;
}

export type FieldValue = string | number | boolean | string[] | null;

export interface CrmLink {
  provider: string;
  companyId: string;
  dealId: string | null;
  source: "auto" | "manual";
  linkedAt: string;
  /** The records' pages in the CRM, built by its connector; null while the CRM account is unknown. */
  companyUrl: string | null;
  dealUrl: string | null;
}

export interface LinkStatus {
  state: "linked" | "unlinked" | "not_checked";
  reason?: "no_domains" | "personal_domain" | "no_match" | "ambiguous";
  candidates?: string[];
  checkedAt?: string;
}

export interface Customer {
  id: string;
  name: string;
  domains: string[];
  fields: Record<string, FieldValue>;
  crmLink: CrmLink | null;
  linkStatus: LinkStatus;
  createdAt: string;
  updatedAt: string;
}

export interface Contact {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  customerId: string | null;
  tags: string[];
  externalId: string | null;
  /** The contact's page in the CRM, built by its connector; null when not synced or unknown. */
  externalUrl: string | null;
  lastSyncedAt: string | null;
  fieldChangedAt: Partial<Record<string, string>>;
  createdAt: string;
  updatedAt: string;
}

export interface BreakdownBucket {
  key: string;
  label: string;
  count: number;
  from?: string | number;
  to?: string | number;
}

export interface Breakdown {
  field: { key: string; label: string; type: FieldType };
  buckets: BreakdownBucket[];
  total: number;
}

export type RunKind = "accounts" | "contacts" | "reconcile" | "push" | "link";
export type RunTrigger = "schedule" | "enable" | "import" | "manual" | "link" | "create";
export type RunStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";

export interface SyncRun {
  id: string;
  provider: string;
  kind: RunKind;
  trigger: RunTrigger;
  status: RunStatus;
  triggeredBy: string | null;
  counters: { read: number; linked: number; updated: number; created: number; skipped: number; failed: number };
  crmCalls: { total: number; byEndpoint: Record<string, number> };
  message: string | null;
  /** Set while the run waits for the CRM's rate limit to reset. */
  pause: { limit: "daily" | "ten_secondly" | "secondly" | "unknown"; resumesAt: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface SyncRunDetail extends SyncRun {
  errorCount: number;
}

export interface RunError {
  id: string;
  code: string;
  message: string;
  hint: string;
  recordType: string | null;
  recordId: string | null;
  crmId: string | null;
  crmUrl: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** What a CRM connector can do, as the server's connection answer says. */
export interface CrmCapabilities {
  accountSync: boolean;
  contactSync: { inbound: boolean; twoWay: boolean };
  contactSources: ("synced_companies" | "list")[];
  propertyHistory: boolean;
  merges: boolean;
  modifiedSince: boolean;
  webhooks: boolean;
}

/** GET /api/v1/crm/providers: a CRM this server can connect. */
export interface CrmProvider {
  id: string;
  displayName: string;
  capabilities: CrmCapabilities;
  authMethods: string[];
}

export interface CrmConnection {
  /** The CRM connector's id (hubspot) and the name people know the CRM by (HubSpot). */
  provider: string;
  displayName: string;
  capabilities: CrmCapabilities;
  authMethods: string[];
  /** Kinds of key/token the CRM takes (HubSpot: service_key, private_app), the usual one first; none for an OAuth-only CRM. */
  tokenKinds: string[];
  status: "connected" | "disconnected" | "not_connected";
  /** oauth, or the CRM's key/token kind (HubSpot: service_key, private_app). */
  authKind: string | null;
  portalId: string | null;
  scopes: string[];
  statusReason: string | null;
  connectedAt: string | null;
}

export interface AccountSync {
  enabled: boolean;
  changedAt: string | null;
  activeRun: SyncRun | null;
  lastRun: SyncRun | null;
}

export type CrmObject = "company" | "deal";

export interface ImportableProperty {
  name: string;
  label: string;
  hubspotType: string;
  fieldType: string;
  mappedType: FieldType | null;
  supported: boolean;
  reason: string | null;
  alreadyImported: boolean;
  groupName: string | null;
}

export interface ImportableFields {
  company: ImportableProperty[];
  deal: ImportableProperty[];
}

export interface CrmCompany {
  id: string;
  name: string | null;
  domains: string[];
  createdAt: string | null;
}

export interface CrmDeal {
  id: string;
  name: string | null;
  amount: string | null;
  stage: string | null;
  createdAt: string | null;
}

/** GET /api/v1/crm/:provider/contact-lists: a contact list to sync the members of. */
export interface CrmContactList {
  id: string;
  name: string;
  /** Members, as the CRM counts them; null when it does not say. */
  size: number | null;
  /** MANUAL (static), DYNAMIC (active) or SNAPSHOT. */
  processingType: string;
}

/** GET /api/v1/crm/:provider/contact-properties: a contact property the field mapping can map. */
export interface CrmContactProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
}

export const contactSyncModes = ["off", "inbound", "two_way"] as const;
export type ContactSyncMode = (typeof contactSyncModes)[number];

export type ContactSource = { kind: "synced_companies" } | { kind: "list"; listId: string };

/** Contact field → the CRM's contact property; null: that field is not synced. */
export interface ContactFieldMapping {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

/** GET/PUT /api/v1/crm/:provider/contact-sync (schema "ContactSync"). */
export interface ContactSyncSettings {
  mode: ContactSyncMode;
  source: ContactSource;
  /** Stages imported the first time; empty imports every stage. */
  lifecycleStages: string[];
  mapping: ContactFieldMapping;
  paused: boolean;
  maxWritesPerRun: number;
  /** Two-way is chosen but no preview was confirmed yet: nothing is written to the CRM. */
  needsConfirmation: boolean;
  previewedAt: string | null;
  confirmedAt: string | null;
  sourceError: { code: "crm_list_not_found"; listId: string; at: string } | null;
  activeRun: SyncRun | null;
  lastRun: SyncRun | null;
}

/** The PUT body: every key optional; mapping entries may be set one by one. */
export interface ContactSyncInput {
  mode?: ContactSyncMode;
  source?: ContactSource;
  lifecycleStages?: string[];
  mapping?: Partial<ContactFieldMapping>;
  paused?: boolean;
  maxWritesPerRun?: number;
}

export type PreviewAction = "create_in_crm" | "update_in_crm" | "create_here" | "update_here" | "link";

/** POST /api/v1/crm/:provider/contact-sync/preview: the dry run of the first two-way reconcile. */
export interface ContactSyncPreview {
  crm: { create: number; update: number };
  local: { create: number; update: number; link: number };
  skipped: number;
  errors: Record<string, number>;
  sample: { action: PreviewAction; contactId: string | null; crmId: string | null; name: string; changes: Record<string, string | null> }[];
  stoppedBy: { code: string; message: string } | null;
  previewedAt: string;
}

export interface ContactSyncRunResult {
  queued: boolean;
  kind: "contacts" | "reconcile" | "push";
  coalesced: boolean;
}

export interface AppNotification {
  id: string;
  kind: "sync_run_errors";
  title: string;
  body: string;
  /** In-app path, e.g. /sync-activity/<runId>. */
  link: string | null;
  runId: string | null;
  data: Record<string, unknown>;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage extends Page<AppNotification> {
  unreadCount: number;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdBy: { id: string; name: string; email: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiToken {
  token: ApiToken;
  /** Shown once: only its hash is stored. */
  secret: string;
}

export interface SignInSession {
  id: string;
  user: { id: string; email: string; name: string };
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

export interface WorkspaceSettings {
  /** ISO 3166 two-letter country of phone numbers written without a country code. */
  defaultCountry: string | null;
  personalDomains: { allow: string[]; deny: string[] };
  contactLimit: number;
}

export interface WorkspaceSettingsChange {
  defaultCountry?: string | null;
  personalDomains?: { allow?: string[]; deny?: string[] };
  /** null: back to the default. */
  contactLimit?: number | null;
}
