// Stable error codes. Transports map them to HTTP status (server/error-mapping.ts) and the
// sync engine maps sync codes to a disposition; both switches cover every code, so adding a
// code here fails the type check until each mapping decides what it means.

/** Codes returned by the API for a request that cannot be served. */
export const apiErrorCodes = [
  "validation_failed",
  "malformed_json",
  "payload_too_large",
  "unsupported_media_type",
  "unauthorized",
  "forbidden",
  "cross_origin",
  "not_found",
  "conflict",
  "domain_invalid",
  "domain_taken",
  "email_invalid",
  "email_taken",
  "phone_invalid",
  "phone_taken",
  "field_unknown",
  "field_value_invalid",
  "field_read_only",
  "field_key_taken",
  "invalid_cursor",
  "invalid_filter",
  "crm_not_connected",
  "crm_other_connected",
  "contact_limit_reached",
  "crm_list_not_found",
  "crm_error",
  "provider_unknown",
  "capability_missing",
  "sync_disabled",
  "oauth_state_invalid",
  "oauth_session_mismatch",
  "rate_limited",
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** The catalog of problems a sync run can record (product spec §6). */
export const syncErrorCodes = [
  "contact_missing_handle",
  "email_taken",
  "phone_taken",
  "contact_already_linked",
  "account_sync_failed",
  "crm_field_not_found",
  "crm_list_not_found",
  "invalid_email",
  "value_not_convertible",
  "company_match_ambiguous",
  "crm_rate_limited",
  "crm_auth_revoked",
  "crm_unavailable",
  "contact_limit_reached",
  "crm_validation_failed",
  "phone_invalid",
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

/** An error a caller can act on: it carries a stable code and details safe to show. */
export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError("not_found", `${what} ${id} was not found.`, { id });

/** `crm` is the CRM's display name when the caller knows it. */
export const fieldReadOnly = (fieldKey: string, crm = "the CRM"): AppError =>
  new AppError(
    "field_read_only",
    `The field "${fieldKey}" is synced from ${crm} and cannot be edited here.`,
    { field: fieldKey },
  );

/**
 * The one vocabulary between a connector and the engine: every CRM failure a connector lets out
 * is a ConnectorError with one of these codes. Run outcomes (sync/run-failure.ts) and HTTP
 * answers (server/error-mapping.ts) are each decided in one place from the code.
 */
export const connectorErrorCodes = [
  /** The CRM's API limit is reached; `retryAfterMs` says when it resets. */
  "rate_limited",
  /** The CRM no longer accepts the grant (revoked, expired refresh token). */
  "auth_revoked",
  /** The CRM did not answer correctly after the connector's retries. */
  "unavailable",
  /** The token or key given to connect was refused. */
  "credentials_refused",
  /** The contact list chosen as the source no longer exists. */
  "list_not_found",
] as const;
export type ConnectorErrorCode = (typeof connectorErrorCodes)[number];

/** Which of the CRM's rate limits stopped a call: per day, per 10 s, per second (search). */
export const crmRateLimits = ["daily", "ten_secondly", "secondly", "unknown"] as const;
export type CrmRateLimit = (typeof crmRateLimits)[number];

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly details: Record<string, unknown> = {},
    /** For rate_limited: which limit was reached (shown with the paused run). */
    readonly limit: CrmRateLimit | null = null,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

/** The sync error a run records for a connector failure that stops or pauses the whole run. */
export function syncErrorCodeForConnector(code: ConnectorErrorCode): SyncErrorCode {
  switch (code) {
    case "rate_limited":
      return "crm_rate_limited";
    case "auth_revoked":
    case "credentials_refused":
      return "crm_auth_revoked";
    case "unavailable":
      return "crm_unavailable";
    case "list_not_found":
      return "crm_list_not_found";
  }
}

/** What a run does when it meets a sync error: record and go on, pause the run to resume later, or fail it. */
export type SyncDisposition = "record" | "pause" | "fail";

export interface SyncErrorInfo {
  message: string;
  hint: string;
  disposition: SyncDisposition;
}

/** `crm` is the display name of the run's CRM ("HubSpot"); "the CRM" when none is at hand. */
export function syncErrorInfo(code: SyncErrorCode, crm = "the CRM"): SyncErrorInfo {
  switch (code) {
    case "phone_invalid":
      return {
        message: `The phone number in ${crm} could not be read, so it was not imported.`,
        hint: "Write it in the international format (+1 415 555 0122), or set the workspace's default country in Settings so national numbers (415 555 0122) are read.",
        disposition: "record",
      };
    case "contact_missing_handle":
      return { message: `The contact in ${crm} has no email and no phone.`, hint: `Add an email or a phone to the contact in ${crm}; it is imported at the next run.`, disposition: "record" };
    case "email_taken":
      return { message: "Another contact already uses this email.", hint: "Merge the two contacts, or change the email on one of them.", disposition: "record" };
    case "phone_taken":
      return { message: "Another contact already uses this phone number.", hint: "Merge the two contacts, or change the phone on one of them.", disposition: "record" };
    case "contact_already_linked":
      return { message: `The matching contact is already linked to another contact in ${crm}.`, hint: `Merge the duplicate contacts in ${crm}, or unlink the crmsync contact.`, disposition: "record" };
    case "account_sync_failed":
      return { message: "The companies that account sync links could not be read.", hint: "Check that account sync is on and that its last run succeeded.", disposition: "fail" };
    case "crm_field_not_found":
      return { message: `A mapped property of ${crm} no longer exists.`, hint: `Recreate the property in ${crm} or change the field mapping; the other fields keep syncing.`, disposition: "record" };
    case "crm_list_not_found":
      return { message: `The list in ${crm} chosen as the contact source no longer exists.`, hint: "Choose another list in the contact sync settings.", disposition: "fail" };
    case "invalid_email":
      return { message: `The email is not valid and was not sent to ${crm}.`, hint: "Correct the contact's email.", disposition: "record" };
    case "value_not_convertible":
      return { message: `A value from ${crm} could not be converted to the field's type; the previous value was kept.`, hint: `Fix the value in ${crm}, or refresh the field definition if its options changed.`, disposition: "record" };
    case "company_match_ambiguous":
      return { message: `Several companies in ${crm} share this customer's domain, so none was linked.`, hint: `Link the customer by hand, or remove the duplicate domain in ${crm}.`, disposition: "record" };
    case "crm_rate_limited":
      return { message: `The API limit of ${crm} was reached.`, hint: "The run resumes by itself when the limit resets.", disposition: "pause" };
    case "crm_auth_revoked":
      return { message: `crmsync's credentials are no longer accepted by ${crm}.`, hint: `Reconnect ${crm} from Integrations; syncing resumes with the same settings.`, disposition: "fail" };
    case "crm_unavailable":
      return { message: `No correct answer came from ${crm} after several attempts.`, hint: `The next scheduled run retries; check the status page of ${crm} if it persists.`, disposition: "pause" };
    case "crm_validation_failed":
      return {
        message: `The write was refused by ${crm}: one of its validation rules does not accept the value.`,
        hint: `Change the value in crmsync so it meets the rule, or ask an admin of ${crm} to change the property's rule; the contact is written at the next run.`,
        disposition: "record",
      };
    case "contact_limit_reached":
      return { message: "The workspace reached 1,000,000 contacts.", hint: "Narrow the contact source (a smaller list or fewer lifecycle stages).", disposition: "fail" };
  }
}
