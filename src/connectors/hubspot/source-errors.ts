// HubSpot failures as the sync engine's CrmSourceError: the account and contact sources both
// wrap their calls with these, so a run sees one kind of error whatever the connector.
import { CrmSourceError } from "../../sync/ports.ts";
import { isHubSpotError } from "./errors.ts";

/** The engine's error for a HubSpot failure that affects the whole run; anything else as is. */
export function toCrmSourceError(error: unknown): unknown {
  if (!isHubSpotError(error)) return error;
  switch (error.kind) {
    case "rate_limited":
      return new CrmSourceError("crm_rate_limited", error.message, error.retryAfterMs ?? null);
    case "auth_revoked":
      return new CrmSourceError("crm_auth_revoked", error.message);
    case "unavailable":
      return new CrmSourceError("crm_unavailable", error.message);
    default:
      return error;
  }
}

export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toCrmSourceError(error);
  }
}

export async function* guardedIterable<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw toCrmSourceError(error);
  }
}
