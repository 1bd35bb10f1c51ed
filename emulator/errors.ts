import { randomUUID } from "node:crypto";

/** HubSpot's error categories that the emulator produces. */
export type ErrorCategory =
  | "VALIDATION_ERROR"
  | "OBJECT_NOT_FOUND"
  | "INVALID_AUTHENTICATION"
  | "EXPIRED_AUTHENTICATION"
  | "MISSING_SCOPES"
  | "CONFLICT"
  | "RATE_LIMITS"
  | "INTERNAL_ERROR"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE";

export interface ErrorBody {
  status: "error";
  message: string;
  correlationId: string;
  category: ErrorCategory;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<Record<string, unknown>>;
  links?: Record<string, string>;
}

/** Thrown by handlers; the server's error handler turns it into HubSpot's JSON error body. */
export class HubSpotError extends Error {
  constructor(
    readonly statusCode: number,
    readonly category: ErrorCategory,
    message: string,
    readonly extra: Partial<Omit<ErrorBody, "status" | "message" | "category" | "correlationId">> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { status: "error", message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

export function validationError(message: string, extra: HubSpotError["extra"] = {}): HubSpotError {
  return new HubSpotError(400, "VALIDATION_ERROR", message, extra);
}

export function notFound(message = "resource not found"): HubSpotError {
  return new HubSpotError(404, "OBJECT_NOT_FOUND", message);
}

export function errorBody(category: ErrorCategory, message: string): ErrorBody {
  return { status: "error", message, correlationId: randomUUID(), category };
}

/** Rate-limit bodies exactly as HubSpot sends them (no `category`, but `errorType` and `policyName`). */
export type RateLimitPolicy = "TEN_SECONDLY_ROLLING" | "DAILY" | "SECONDLY";

export function rateLimitBody(policy: RateLimitPolicy): Record<string, string> {
  const message =
    policy === "DAILY"
      ? "You have reached your daily limit."
      : policy === "SECONDLY"
        ? "You have reached your secondly limit."
        : "You have reached your ten_secondly_rolling limit.";
  return { status: "error", message, errorType: "RATE_LIMIT", correlationId: randomUUID(), policyName: policy };
}
