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
  "crm_list_not_found",
  "crm_error",
  "sync_disabled",
  "oauth_state_invalid",
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

export const fieldReadOnly = (fieldKey: string, provider = "HubSpot"): AppError =>
  new AppError(
    "field_read_only",
    `The field "${fieldKey}" is synced from ${provider} and cannot be edited here.`,
    { field: fieldKey },
  );

/** What a run does when it meets a sync error: record and go on, pause the run to resume later, or fail it. */
export type SyncDisposition = "record" | "pause" | "fail";

export interface SyncErrorInfo {
  message: string;
  hint: string;
  disposition: SyncDisposition;
}

export function syncErrorInfo(code: SyncErrorCode): SyncErrorInfo {
  switch (code) {
    case "contact_missing_handle":
      return { message: "The HubSpot contact has no email and no phone.", hint: "Add an email or a phone to the contact in HubSpot; it is imported at the next run.", disposition: "record" };
    case "email_taken":
      return { message: "Another contact already uses this email.", hint: "Merge the two contacts, or change the email on one of them.", disposition: "record" };
    case "phone_taken":
      return { message: "Another contact already uses this phone number.", hint: "Merge the two contacts, or change the phone on one of them.", disposition: "record" };
    case "contact_already_linked":
      return { message: "The matching contact is already linked to another HubSpot contact.", hint: "Merge the duplicate contacts in HubSpot, or unlink the crmsync contact.", disposition: "record" };
    case "account_sync_failed":
      return { message: "The companies that account sync links could not be read.", hint: "Check that account sync is on and that its last run succeeded.", disposition: "fail" };
    case "crm_field_not_found":
      return { message: "A mapped HubSpot property no longer exists.", hint: "Recreate the property in HubSpot or change the field mapping; the other fields keep syncing.", disposition: "record" };
    case "crm_list_not_found":
      return { message: "The HubSpot list chosen as the contact source no longer exists.", hint: "Choose another list in the contact sync settings.", disposition: "fail" };
    case "invalid_email":
      return { message: "The email is not valid and was not sent to HubSpot.", hint: "Correct the contact's email.", disposition: "record" };
    case "value_not_convertible":
      return { message: "A HubSpot value could not be converted to the field's type; the previous value was kept.", hint: "Fix the value in HubSpot, or refresh the field definition if its options changed.", disposition: "record" };
    case "company_match_ambiguous":
      return { message: "Several HubSpot companies share this customer's domain, so none was linked.", hint: "Link the customer by hand, or remove the duplicate domain in HubSpot.", disposition: "record" };
    case "crm_rate_limited":
      return { message: "HubSpot's API limit was reached.", hint: "The run resumes by itself when the limit resets.", disposition: "pause" };
    case "crm_auth_revoked":
      return { message: "HubSpot no longer accepts crmsync's credentials.", hint: "Reconnect HubSpot from Integrations; syncing resumes with the same settings.", disposition: "fail" };
    case "crm_unavailable":
      return { message: "HubSpot did not answer correctly after several attempts.", hint: "The next scheduled run retries; check HubSpot's status page if it persists.", disposition: "pause" };
    case "crm_validation_failed":
      return {
        message: "HubSpot refused the write: one of the portal's validation rules does not accept the value.",
        hint: "Change the value in crmsync so it meets the rule, or ask a HubSpot admin to change the rule (Settings → Properties → the property's rules); the contact is written at the next run.",
        disposition: "record",
      };
    case "contact_limit_reached":
      return { message: "The workspace reached 1,000,000 contacts.", hint: "Narrow the contact source (a smaller list or fewer lifecycle stages).", disposition: "fail" };
  }
}
