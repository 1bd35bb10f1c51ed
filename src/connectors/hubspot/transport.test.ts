import { describe, expect, it } from "vitest";
import { kindForStatus, readErrorBody } from "./errors.ts";
import { backoffDelay, parseRetryAfter } from "./transport.ts";

describe("backoffDelay", () => {
  const retry = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it("doubles per attempt between half and all of the capped delay", () => {
    expect(backoffDelay(1, retry, () => 0)).toBe(50);
    expect(backoffDelay(1, retry, () => 1)).toBe(100);
    expect(backoffDelay(3, retry, () => 0)).toBe(200);
    expect(backoffDelay(3, retry, () => 1)).toBe(400);
  });

  it("never passes the cap", () => {
    expect(backoffDelay(30, retry, () => 1)).toBe(1_000);
    expect(backoffDelay(30, retry, () => 0)).toBe(500);
  });

  it("spreads retries of concurrent callers", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, retry)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", now)).toBe(0);
  });

  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("errors", () => {
  it("maps final statuses to kinds", () => {
    expect([429, 401, 403, 404, 409, 400, 422, 500, 503, 0].map(kindForStatus)).toEqual([
      "rate_limited",
      "auth_revoked",
      "auth_revoked",
      "not_found",
      "conflict",
      "bad_request",
      "bad_request",
      "unavailable",
      "unavailable",
      "unavailable",
    ]);
  });

  it("reads both of HubSpot's error body shapes and OAuth's", () => {
    expect(readErrorBody({ status: "error", message: "m", category: "VALIDATION_ERROR", correlationId: "c" })).toEqual({
      message: "m",
      category: "VALIDATION_ERROR",
      subCategory: undefined,
      correlationId: "c",
      policyName: undefined,
      details: [],
    });
    // A validation rule's refusal (2026-09 writes) names the property in errors[].in.
    const refusal = { category: "VALIDATION_ERROR", message: "Property values were not valid", correlationId: "c", errors: [{ message: "closedate is required when dealstage is closedwon", in: "closedate", code: "REQUIRED" }, { bad: true }] };
    expect(readErrorBody(refusal).details).toEqual([{ message: "closedate is required when dealstage is closedwon", in: "closedate", code: "REQUIRED" }]);
    expect(readErrorBody({ status: "error", message: "limit", errorType: "RATE_LIMIT", correlationId: "c", policyName: "DAILY" })).toMatchObject({
      category: "RATE_LIMIT",
      policyName: "DAILY",
    });
    expect(readErrorBody({ status: "BAD_REFRESH_TOKEN", message: "missing or unknown refresh token" })).toMatchObject({ category: "BAD_REFRESH_TOKEN" });
    expect(readErrorBody({ error: "invalid_grant", error_description: "revoked" })).toMatchObject({ category: "invalid_grant", message: "revoked" });
    expect(readErrorBody("<html>")).toEqual({ message: undefined, category: undefined, subCategory: undefined, correlationId: undefined, policyName: undefined, details: [] });
  });
});
