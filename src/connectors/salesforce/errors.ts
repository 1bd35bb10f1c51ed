// One error type for every way a Salesforce call can fail. Salesforce answers errors as an array
// of {message, errorCode, fields}; OAuth endpoints as {error, error_description}.

export type SalesforceErrorKind = "rate_limited" | "auth_revoked" | "unavailable" | "not_found" | "bad_request";

export interface SalesforceErrorInit {
  kind: SalesforceErrorKind;
  /** HTTP status, or 0 when no answer came. */
  status: number;
  message: string;
  endpoint: string;
  /** Salesforce's errorCode (INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED...) or the OAuth `error`. */
  errorCode?: string | undefined;
  fields?: string[] | undefined;
  /** How long until the same call may succeed (budget stops and REQUEST_LIMIT_EXCEEDED). */
  retryAfterMs?: number | undefined;
  attempts?: number | undefined;
  cause?: unknown;
}

export class SalesforceError extends Error {
  readonly kind: SalesforceErrorKind;
  readonly status: number;
  readonly endpoint: string;
  readonly errorCode: string | undefined;
  readonly fields: string[];
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(init: SalesforceErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "SalesforceError";
    this.kind = init.kind;
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.errorCode = init.errorCode;
    this.fields = init.fields ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

export function isSalesforceError(error: unknown, kind?: SalesforceErrorKind): error is SalesforceError {
  return error instanceof SalesforceError && (kind === undefined || error.kind === kind);
}

/** One entry of Salesforce's error array (REST answers and composite per-record results). */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields: string[];
}

function readEntry(value: unknown): SalesforceErrorEntry | null {
  if (typeof value !== "object" || value === null) return null;
  const e = value as Record<string, unknown>;
  const code = e["errorCode"] ?? e["statusCode"];
  if (typeof e["message"] !== "string" && typeof code !== "string") return null;
  return {
    message: typeof e["message"] === "string" ? e["message"] : String(code),
    errorCode: typeof code === "string" ? code : "UNKNOWN",
    fields: Array.isArray(e["fields"]) ? (e["fields"] as unknown[]).filter((f): f is string => typeof f === "string") : [],
  };
}

/** The entries of an error body: the REST array, one object, or the OAuth shape. */
export function readErrorEntries(body: unknown): SalesforceErrorEntry[] {
  if (Array.isArray(body)) return body.map(readEntry).filter((e): e is SalesforceErrorEntry => e !== null);
  if (typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    if (typeof record["error"] === "string") {
      const description = typeof record["error_description"] === "string" ? record["error_description"] : record["error"];
      return [{ message: description, errorCode: record["error"], fields: [] }];
    }
    const single = readEntry(body);
    if (single) return [single];
  }
  return [];
}

/** The kind a final answer means, from its status and Salesforce's errorCode. */
export function kindOf(status: number, errorCode: string | undefined): SalesforceErrorKind {
  if (errorCode === "REQUEST_LIMIT_EXCEEDED") return "rate_limited";
  if (errorCode === "invalid_grant" || status === 401) return "auth_revoked";
  if (status === 404 || errorCode === "NOT_FOUND" || errorCode === "ENTITY_IS_DELETED") return "not_found";
  if (status === 0 || status >= 500) return "unavailable";
  return "bad_request";
}
