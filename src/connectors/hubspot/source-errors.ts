// HubSpot failures as the sync engine's CrmSourceError: the account and contact sources both
// wrap their calls with these, so a run sees one kind of error whatever the connector.
import { CrmSourceError, type CrmRateLimit } from "../../sync/ports.ts";
import { isHubSpotError } from "./errors.ts";

/** HubSpot's 429 policy names (and the budget's, which uses the same ones) as the engine's limits. */
function rateLimitOf(policyName: string | undefined): CrmRateLimit {
  switch (policyName) {
    case "DAILY":
      return "daily";
    case "TEN_SECONDLY_ROLLING":
      return "ten_secondly";
    case "SECONDLY":
      return "secondly";
    default:
      return "unknown";
  }
}

/**
 * How long until the limit lets calls through again. HubSpot's daily 429 carries no Retry-After;
 * its daily budget resets at midnight in the portal's time zone, which crmsync does not know, so
 * the run resumes at the next UTC midnight, as the budget does (budget.ts), and pauses again
 * if the portal's day has not turned yet.
 */
function waitMs(limit: CrmRateLimit, retryAfterMs: number | undefined, now = new Date()): number | null {
  if (retryAfterMs !== undefined) return retryAfterMs;
  if (limit !== "daily") return null;
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return midnight.getTime() - now.getTime();
}

/** The engine's error for a HubSpot failure that affects the whole run; anything else as is. */
export function toCrmSourceError(error: unknown): unknown {
  if (!isHubSpotError(error)) return error;
  switch (error.kind) {
    case "rate_limited": {
      const limit = rateLimitOf(error.policyName);
      return new CrmSourceError("crm_rate_limited", error.message, waitMs(limit, error.retryAfterMs), limit);
    }
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
