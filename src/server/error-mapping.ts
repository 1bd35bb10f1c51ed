// The one place that turns error codes into HTTP statuses. The switch is exhaustive, so a new
// code in core/errors.ts does not compile until it is given a status here.
import type { ApiErrorCode } from "../core/errors.ts";

export function httpStatusFor(code: ApiErrorCode): number {
  switch (code) {
    case "validation_failed":
    case "malformed_json":
    case "invalid_cursor":
    case "invalid_filter":
    case "oauth_state_invalid":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
    case "cross_origin":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
    case "domain_taken":
    case "email_taken":
    case "phone_taken":
    case "field_key_taken":
    case "crm_not_connected":
    case "crm_list_not_found":
    case "sync_disabled":
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
