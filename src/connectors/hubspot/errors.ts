// One error type for every way a HubSpot call can fail, so the sync engine switches on `kind`
// instead of on status codes, and the run records a stable sync error code.
import type { ErrorDetail } from "./types.ts";

export type HubSpotErrorKind = "rate_limited" | "auth_revoked" | "unavailable" | "not_found" | "bad_request" | "conflict";

export interface HubSpotErrorInit {
  kind: HubSpotErrorKind;
  /** HTTP status, or 0 when no answer came (network error, timeout). */
  status: number;
  message: string;
  endpoint: string;
  category?: string | undefined;
  /** The finer code of the standard error body (2026 OAuth keeps its v1 codes here, e.g. BAD_REFRESH_TOKEN). */
  subCategory?: string | undefined;
  correlationId?: string | undefined;
  /** HubSpot's rate-limit policy (TEN_SECONDLY_ROLLING, SECONDLY, DAILY) on 429s. */
  policyName?: string | undefined;
  /** HubSpot's `errors[]`: for a validation refusal, the property (`in`) and why. */
  details?: ErrorDetail[] | undefined;
  /** When waiting this long should make the same call succeed (rate limits). */
  retryAfterMs?: number | undefined;
  attempts?: number | undefined;
  cause?: unknown;
}

export class HubSpotError extends Error {
  readonly kind: HubSpotErrorKind;
  readonly status: number;
  readonly endpoint: string;
  readonly category: string | undefined;
  readonly subCategory: string | undefined;
  readonly correlationId: string | undefined;
  readonly policyName: string | undefined;
  readonly details: ErrorDetail[];
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(init: HubSpotErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "HubSpotError";
    this.kind = init.kind;
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.category = init.category;
    this.subCategory = init.subCategory;
    this.correlationId = init.correlationId;
    this.policyName = init.policyName;
    this.details = init.details ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

export function isHubSpotError(error: unknown, kind?: HubSpotErrorKind): error is HubSpotError {
  return error instanceof HubSpotError && (kind === undefined || error.kind === kind);
}

/** The kind a final HTTP status means (after retries, for retryable statuses). */
export function kindForStatus(status: number): HubSpotErrorKind {
  if (status === 429) return "rate_limited";
  if (status === 401 || status === 403) return "auth_revoked";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status >= 500 || status === 0) return "unavailable";
  return "bad_request";
}

/** HubSpot's error body fields, from either the usual `{category}` shape or the 429 `{errorType, policyName}` one. */
export interface ErrorBodyFields {
  message: string | undefined;
  category: string | undefined;
  subCategory: string | undefined;
  correlationId: string | undefined;
  policyName: string | undefined;
  details: ErrorDetail[];
}

function readDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  const out: ErrorDetail[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e["message"] !== "string") continue;
    out.push({ message: e["message"], ...(typeof e["in"] === "string" ? { in: e["in"] } : {}), ...(typeof e["code"] === "string" ? { code: e["code"] } : {}) });
  }
  return out;
}

export function readErrorBody(body: unknown): ErrorBodyFields {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const str = (key: string): string | undefined => (typeof record[key] === "string" ? record[key] : undefined);
  return {
    // OAuth errors answer `{status: "BAD_REFRESH_TOKEN", message}` or `{error, error_description}`.
    message: str("message") ?? str("error_description") ?? str("error"),
    category: str("category") ?? str("errorType") ?? (str("status") !== "error" ? str("status") : undefined) ?? str("error"),
    subCategory: str("subCategory"),
    correlationId: str("correlationId"),
    policyName: str("policyName"),
    details: readDetails(record["errors"]),
  };
}
