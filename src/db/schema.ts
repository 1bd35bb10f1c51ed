// Row types of every table, as Kysely sees them. Both dialects store the same shapes:
// ids are UUID text, timestamps are ISO-8601 UTC text (so they sort and compare alike on
// SQLite and PostgreSQL), booleans are 0/1 integers and JSON is text parsed by repositories.
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "admin" | "member";

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  /** ISO 3166 alpha-2 country of national-format phone numbers; null: only international numbers parse. */
  default_country: string | null;
  /** JSON array of domains the workspace does not treat as personal. */
  personal_domains_allow: Generated<string>;
  /** JSON array of domains the workspace treats as personal. */
  personal_domains_deny: Generated<string>;
  /** Most contacts the workspace may hold; null: the default. */
  contact_limit: number | null;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  token_hash: string;
  /** Shown to admins and used to revoke; never the secret. Null only before the migration's backfill. */
  id: string | null;
  user_id: string;
  workspace_id: string;
  expires_at: string;
  created_at: string;
  /** Last request made with the session (to the minute): the inactivity timeout counts from here. */
  last_seen_at: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  name: string;
  role: Role;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
}

export type LinkSource = "auto" | "manual";
/** Why an unlinked customer stayed unlinked at its last attempt. */
export type UnlinkedReason = "no_domains" | "personal_domain" | "no_match" | "ambiguous";

export interface CustomersTable {
  id: string;
  workspace_id: string;
  name: string;
  /** The name lower-cased by the application, for sorting and search (defaults to ''). */
  name_key: Generated<string>;
  crm_company_id: string | null;
  crm_deal_id: string | null;
  crm_link_source: LinkSource | null;
  crm_linked_at: string | null;
  unlinked_reason: UnlinkedReason | null;
  /** JSON array of company ids when the match was ambiguous. */
  link_candidates: string | null;
  link_checked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerDomainsTable {
  workspace_id: string;
  customer_id: string;
  domain: string;
  position: number;
}

export interface ContactsTable {
  id: string;
  workspace_id: string;
  customer_id: string | null;
  name: string;
  /** name, NFC and lower-cased by the application: what search and sorting by name use. */
  name_key: string;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  last_synced_at: string | null;
  /** JSON object: contact field name -> ISO time it last changed in crmsync. */
  field_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface ContactEmailsTable {
  workspace_id: string;
  contact_id: string;
  email: string;
  position: number;
}

export interface ContactPhonesTable {
  workspace_id: string;
  contact_id: string;
  phone: string;
  position: number;
}

export interface ContactTagsTable {
  workspace_id: string;
  contact_id: string;
  tag: string;
}

/** One contact merged into another; kept so an import does not recreate the duplicate. */
export interface ContactMergesTable {
  workspace_id: string;
  survivor_id: string;
  merged_contact_id: string;
  /** The duplicate's CRM id when the survivor did not take it over; null otherwise. */
  merged_external_id: string | null;
  merged_at: string;
}

export type FieldEntity = "customer" | "contact";

export interface CustomFieldsTable {
  id: string;
  workspace_id: string;
  entity: FieldEntity;
  key: string;
  label: string;
  type: string;
  /** JSON array of { value, label }. */
  options: string;
  sync_provider: string | null;
  sync_object: string | null;
  sync_property: string | null;
  /** The CRM's own type of the mapped property, kept to explain conversions. */
  sync_property_type: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface FieldValuesTable {
  workspace_id: string;
  field_id: string;
  entity_id: string;
  text_value: string | null;
  number_value: number | null;
  updated_at: string;
}

export type ConnectionStatus = "connected" | "disconnected";

export interface CrmConnectionsTable {
  id: string;
  workspace_id: string;
  provider: string;
  /** The connector's word for how it connected (oauth, private_app...). */
  auth_kind: string;
  status: ConnectionStatus;
  /** AES-256-GCM sealed JSON of the tokens; never logged, never returned. */
  credentials: string;
  portal_id: string | null;
  scopes: string;
  access_expires_at: string | null;
  status_reason: string | null;
  /** Why it is disconnected: a person disconnected it, or the CRM revoked the grant. */
  disconnect_cause: "manual" | "revoked" | null;
  connected_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SyncSettingsTable {
  workspace_id: string;
  provider: string;
  account_sync_enabled: number;
  account_sync_changed_at: string | null;
  /** JSON of the contact-sync settings (mode, source, stages, mapping, paused). */
  contact_sync: string;
  updated_at: string;
}

export interface OauthStatesTable {
  state_hash: string;
  workspace_id: string;
  user_id: string | null;
  redirect_after: string | null;
  expires_at: string;
  /** The CRM provider the flow is for. */
  provider: string | null;
  /** Hash of the session cookie of the browser that started the flow. */
  session_hash: string | null;
  /** Where the flow signs in, when the CRM has a choice (Salesforce: production, sandbox). */
  environment: string | null;
}

export type RunKind = "accounts" | "contacts" | "reconcile" | "push" | "link";
export type RunTrigger = "schedule" | "enable" | "import" | "manual" | "link" | "create";
export type RunStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";

export interface SyncRunsTable {
  id: string;
  workspace_id: string;
  provider: string;
  kind: RunKind;
  trigger: RunTrigger;
  status: RunStatus;
  triggered_by: string | null;
  records_read: number;
  records_linked: number;
  records_updated: number;
  records_created: number;
  records_skipped: number;
  records_failed: number;
  crm_calls: number;
  /** JSON object: endpoint name -> calls. */
  crm_calls_by_endpoint: string;
  /** JSON: where a paused or interrupted run resumes (page cursor, search window). */
  checkpoint: string | null;
  message: string | null;
  /** While paused by a CRM rate limit: which one (daily, ten_secondly, secondly, unknown). */
  paused_by_limit: string | null;
  /** While paused by a CRM rate limit: when the run resumes. */
  resumes_at: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface SyncErrorsTable {
  id: string;
  run_id: string;
  workspace_id: string;
  code: string;
  message: string;
  record_type: string | null;
  record_id: string | null;
  crm_id: string | null;
  details: string;
  created_at: string;
}

export type JobStatus = "pending" | "running" | "done" | "failed" | "cancelled";

export interface JobsTable {
  id: string;
  queue: string;
  workspace_id: string | null;
  /** While pending, a second job with the same key is coalesced into the first. */
  coalesce_key: string | null;
  payload: string;
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** Never two running jobs with the same key (a partial unique index enforces it). */
  exclusive_key: string | null;
  /** While running: past this time the worker is presumed dead and the job may be reclaimed. */
  lease_expires_at: string | null;
  finished_at: string | null;
}

/** One row per schedule slot that some scheduler process claimed; the key makes it fire once. */
export interface ScheduleSlotsTable {
  name: string;
  slot_start: string;
  claimed_by: string;
  claimed_at: string;
  fired_at: string | null;
  jobs_enqueued: number;
}

/** A CRM company or deal as last read; properties holds only what account sync needs. */
export interface CrmRecordsTable {
  workspace_id: string;
  provider: string;
  id: string;
  /** JSON object: property name -> raw CRM value (string or null). */
  properties: string;
  crm_created_at: string | null;
  crm_modified_at: string | null;
  archived: number;
  /** Last time a run saw the record; a full pass archives those it did not see. */
  seen_at: string;
  updated_at: string;
}

export interface CrmCompanyDomainsTable {
  workspace_id: string;
  provider: string;
  company_id: string;
  domain: string;
}

export interface CrmDealCompaniesTable {
  workspace_id: string;
  provider: string;
  company_id: string;
  deal_id: string;
}

/** Small per-workspace sync bookmarks (incremental high-water marks, last full pass). */
export interface SyncStateTable {
  workspace_id: string;
  provider: string;
  key: string;
  value: string;
  updated_at: string;
}

export type NotificationKind = "sync_run_errors";

/** One in-app notification for one user; run notifications are unique per (run_id, user_id). */
export interface NotificationsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  kind: NotificationKind;
  run_id: string | null;
  title: string;
  body: string;
  /** An in-app path such as /sync-activity/<runId>; the email carries it as an absolute URL. */
  link: string | null;
  /** JSON: kind-specific facts for the UI (for runs: status, kind, error counts per code). */
  data: string;
  created_at: string;
  read_at: string | null;
  /** When the email copy was accepted by the SMTP server; null when not sent or it failed. */
  emailed_at: string | null;
}

export type ContactSyncRecordStatus = "linked" | "skipped" | "error" | "deleted";

/** A CRM contact contact sync has met in its source, as of its last read. */
export interface ContactSyncRecordsTable {
  workspace_id: string;
  provider: string;
  crm_id: string;
  status: ContactSyncRecordStatus;
  /** The customer the companies source attaches the contact to; null for lists. */
  customer_id: string | null;
  crm_modified_at: string | null;
  /** The start of the last pass that found the contact in the source. */
  seen_at: string;
  updated_at: string;
}

/** What crmsync last wrote to one CRM property of a contact, and when (the CRM's time). */
export interface ContactSyncPushesTable {
  workspace_id: string;
  provider: string;
  contact_id: string;
  field: string;
  value: string;
  /** Epoch ms as text. */
  pushed_at: string;
}

export interface Database {
  workspaces: WorkspacesTable;
  workspace_settings: WorkspaceSettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  customer_domains: CustomerDomainsTable;
  contacts: ContactsTable;
  contact_emails: ContactEmailsTable;
  contact_phones: ContactPhonesTable;
  contact_tags: ContactTagsTable;
  contact_merges: ContactMergesTable;
  custom_fields: CustomFieldsTable;
  field_values: FieldValuesTable;
  crm_connections: CrmConnectionsTable;
  sync_settings: SyncSettingsTable;
  oauth_states: OauthStatesTable;
  sync_runs: SyncRunsTable;
  sync_errors: SyncErrorsTable;
  jobs: JobsTable;
  schedule_slots: ScheduleSlotsTable;
  crm_companies: CrmRecordsTable;
  crm_deals: CrmRecordsTable;
  crm_company_domains: CrmCompanyDomainsTable;
  crm_deal_companies: CrmDealCompaniesTable;
  sync_state: SyncStateTable;
  notifications: NotificationsTable;
  contact_sync_records: ContactSyncRecordsTable;
  contact_sync_pushes: ContactSyncPushesTable;
}

export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type Contact = Selectable<ContactsTable>;
export type CustomField = Selectable<CustomFieldsTable>;
export type SyncRun = Selectable<SyncRunsTable>;
export type SyncError = Selectable<SyncErrorsTable>;
export type User = Selectable<UsersTable>;
export type CrmConnection = Selectable<CrmConnectionsTable>;
