// HubSpot failures as the engine's ConnectorError: the account and contact sources, the catalog
// and auth all let failures out through these, so the engine sees one vocabulary whatever the
// connector. not_found, bad_request and conflict concern one record or property: the caller
// decides what they mean, so they leave as they are.
import { ConnectorError } from "../../core/errors.ts";
import { isHubSpotError } from "./errors.ts";

/** The engine's error for a HubSpot failure that affects the whole run; anything else as is. */
export function toConnectorError(error: unknown): unknown {
  if (!isHubSpotError(error)) return error;
  switch (error.kind) {
    case "rate_limited":
      return new ConnectorError("rate_limited", error.message, error.retryAfterMs ?? null);
    case "auth_revoked":
      return new ConnectorError("auth_revoked", error.message);
    case "unavailable":
      return new ConnectorError("unavailable", error.message);
    default:
      return error;
  }
}

export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toConnectorError(error);
  }
}

export async function* guardedIterable<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw toConnectorError(error);
  }
}
