// The one place that turns error codes into HTTP statuses, and connector failures into API
// errors. The switches are exhaustive, so a new code in core/errors.ts does not compile until it
// is given a meaning here.
import { AppError, type ApiErrorCode, type ConnectorError } from "../core/errors.ts";
import type { CrmProvider } from "../sync/connector.ts";

export function httpStatusFor(code: ApiErrorCode): number {
  switch (code) {
    case "validation_failed":
    case "malformed_json":
    case "invalid_cursor":
    case "invalid_filter":
    case "oauth_state_invalid":
    case "oauth_session_mismatch":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
    case "cross_origin":
      return 403;
    case "not_found":
    case "provider_unknown":
      return 404;
    case "conflict":
    case "domain_taken":
    case "email_taken":
    case "phone_taken":
    case "field_key_taken":
    case "crm_not_connected":
    case "crm_other_connected":
    case "contact_limit_reached":
    case "crm_list_not_found":
    case "sync_disabled":
    case "capability_missing":
      return 409;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    case "domain_invalid":
    case "email_invalid":
    case "phone_invalid":
    case "field_unknown":
    case "field_value_invalid":
    case "field_read_only":
      return 422;
    case "rate_limited":
      return 429;
    case "crm_error":
      return 502;
  }
}

/** The API error a connector failure answers with; `provider` names the CRM in the message. */
export function appErrorForConnector(error: ConnectorError, provider: Pick<CrmProvider, "displayName">): AppError {
  const name = provider.displayName;
  switch (error.code) {
    case "rate_limited":
      return new AppError("rate_limited", `${name}'s API limit is reached for now; try again in a moment.`);
    case "auth_revoked":
      return new AppError("crm_not_connected", `${name} no longer accepts crmsync's access; reconnect it from Integrations.`);
    case "unavailable":
      return new AppError("crm_error", `${name} did not answer correctly: ${error.message}`);
    case "credentials_refused":
      return new AppError("validation_failed", error.message, error.details);
    case "list_not_found":
      return new AppError("not_found", error.message, error.details);
  }
}
