// Salesforce failures as the engine's ConnectorError. The org's daily allocation (REQUEST_LIMIT_
// EXCEEDED, or crmsync's own share or ceiling reached) pauses the run as the `daily` limit;
// a refused grant disconnects; an outage retries. Failures about one record or field
// (not_found, bad_request) leave as they are for the caller to judge.
import { ConnectorError } from "../../core/errors.ts";
import { isSalesforceError } from "./errors.ts";

export function toConnectorError(error: unknown): unknown {
  if (!isSalesforceError(error)) return error;
  if (error.kind === "rate_limited") return new ConnectorError("rate_limited", error.message, error.retryAfterMs ?? null, { errorCode: error.errorCode }, "daily");
  return error.kind === "auth_revoked" || error.kind === "unavailable" ? new ConnectorError(error.kind, error.message) : error;
}

/** Runs `fn`, letting failures out in the engine's vocabulary. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((error: unknown) => {
    throw toConnectorError(error);
  });
}

/** The same for a paged read. */
export async function* guardedPages<T>(pages: () => AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* pages();
  } catch (error) {
    throw toConnectorError(error);
  }
}
