// HTTP to HubSpot on the global fetch: auth, budget, timeouts, retries, typed errors, counting.
import type { Budget, BudgetClass } from "./budget.ts";
import { readRateLimitHeaders } from "./budget.ts";
import { HubSpotError, kindForStatus, readErrorBody } from "./errors.ts";
import type { CallCounter } from "./types.ts";

export const defaultBaseUrl = "https://api.hubapi.com";

/** Supplies the bearer token; OAuth providers refresh, private-app tokens never change. */
export interface AuthProvider {
  accessToken(): Promise<string>;
  /**
   * Called on a 401 with the token HubSpot refused; true when a newer token is available and
   * the call should be tried again. May throw (auth_revoked) when the grant is gone.
   */
  onUnauthorized?(rejectedToken?: string): Promise<boolean>;
}

export function staticTokenAuth(token: string): AuthProvider {
  return { accessToken: () => Promise.resolve(token) };
}

/** A pino-compatible subset, so the transport logs through whatever logger the caller has. */
export interface TransportLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetry: RetryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed, half is
 * random, so retries of many workers spread out but none retries at once.
 */
export function backoffDelay(attempt: number, retry: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const capped = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const retryableStatuses = new Set([429, 500, 502, 503, 504]);

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestSpec {
  /** Stable key for counting and logs, the same names as the emulator's counters. */
  endpoint: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, QueryValue> | undefined;
  json?: unknown;
  form?: Record<string, string> | undefined;
  /** false for OAuth token calls, which authenticate with the client secret instead. */
  authenticated?: boolean | undefined;
  /** Which budget the call spends; null for calls outside the API limits (OAuth). */
  budget?: BudgetClass | null | undefined;
  /** The path as logged, when the real one holds a secret (token introspection, revocation). */
  logPath?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface TransportResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TransportOptions {
  baseUrl?: string | undefined;
  auth?: AuthProvider | undefined;
  budget?: Budget | undefined;
  counter?: CallCounter | undefined;
  retry?: Partial<RetryOptions> | undefined;
  timeoutMs?: number | undefined;
  logger?: TransportLogger | undefined;
  userAgent?: string | undefined;
}

export interface Transport {
  request<T>(spec: RequestSpec): Promise<TransportResponse<T>>;
  readonly baseUrl: string;
}

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // HubSpot takes lists as comma-separated values (properties=a,b) and skips empty ones.
      if (value.length > 0) url.searchParams.set(key, value.join(","));
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

type Outcome<T> =
  | { done: true; response: TransportResponse<T> }
  | { done: false; error: HubSpotError; retryAfterMs?: number | undefined; retryable: boolean; rejectedToken?: string | undefined };

export function createTransport(options: TransportOptions = {}): Transport {
  const baseUrl = options.baseUrl ?? defaultBaseUrl;
  const retry: RetryOptions = { ...defaultRetry, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { auth, budget, counter, logger } = options;

  async function attempt<T>(spec: RequestSpec, budgetClass: BudgetClass | null): Promise<Outcome<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
    let body: string | undefined;
    if (spec.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(spec.form).toString();
    } else if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(spec.json);
    }
    let token: string | undefined;
    if (spec.authenticated !== false) {
      if (auth === undefined) throw new Error(`HubSpot call ${spec.endpoint} needs an auth provider`);
      token = await auth.accessToken();
      headers.authorization = `Bearer ${token}`;
    }
    const url = buildUrl(baseUrl, spec.path, spec.query);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = spec.signal === undefined ? timeout : AbortSignal.any([spec.signal, timeout]);
    counter?.record(spec.endpoint);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: spec.method, headers, body: body ?? null, signal });
      text = await response.text();
    } catch (cause) {
      spec.signal?.throwIfAborted();
      const timedOut = timeout.aborted;
      return {
        done: false,
        retryable: true,
        error: new HubSpotError({
          kind: "unavailable",
          status: 0,
          endpoint: spec.endpoint,
          message: timedOut ? `HubSpot did not answer within ${timeoutMs} ms.` : `HubSpot could not be reached: ${String(cause)}`,
          cause,
        }),
      };
    }
    if (budget !== undefined && budgetClass !== null) budget.observe(budgetClass, readRateLimitHeaders(response.headers));
    let parsed: unknown = undefined;
    let malformed = false;
    if (text.trim() !== "") {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        malformed = true;
      }
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      if (!malformed) return { done: true, response: { status, body: parsed as T, headers: response.headers } };
      return {
        done: false,
        retryable: true,
        error: new HubSpotError({ kind: "unavailable", status, endpoint: spec.endpoint, message: "HubSpot answered with a malformed JSON body." }),
      };
    }
    const fields = readErrorBody(parsed);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const error = new HubSpotError({
      kind: kindForStatus(status),
      status,
      endpoint: spec.endpoint,
      message: fields.message ?? `HubSpot answered ${status}.`,
      category: fields.category,
      subCategory: fields.subCategory,
      correlationId: fields.correlationId,
      policyName: fields.policyName,
      details: fields.details,
      retryAfterMs,
    });
    if (status === 429) {
      if (budget !== undefined && budgetClass !== null) budget.onRateLimited(budgetClass, retryAfterMs);
      // A spent daily budget does not come back within a run's retries: the run pauses instead.
      return { done: false, error, retryAfterMs, retryable: fields.policyName !== "DAILY" };
    }
    if (status === 401 && token !== undefined) return { done: false, error, retryable: false, rejectedToken: token };
    return { done: false, error, retryAfterMs, retryable: retryableStatuses.has(status) };
  }

  async function request<T>(spec: RequestSpec): Promise<TransportResponse<T>> {
    const budgetClass = spec.budget === undefined ? "standard" : spec.budget;
    const logPath = spec.logPath ?? spec.path;
    let refreshed = false;
    let attempts = 0;
    for (;;) {
      attempts++;
      if (budget !== undefined && budgetClass !== null) {
        const waited = await budget.acquire(budgetClass, spec.signal);
        if (waited > 0) counter?.recordWait(waited);
      }
      const outcome = await attempt<T>(spec, budgetClass);
      if (outcome.done) return outcome.response;
      const { error } = outcome;
      if (outcome.rejectedToken !== undefined && !refreshed && auth?.onUnauthorized !== undefined) {
        // One refresh per call: a token refused right after a refresh means the grant is gone.
        refreshed = true;
        if (await auth.onUnauthorized(outcome.rejectedToken)) {
          attempts--;
          continue;
        }
      }
      if (!outcome.retryable || attempts >= retry.maxAttempts) {
        logger?.warn({ endpoint: spec.endpoint, method: spec.method, path: logPath, status: error.status, kind: error.kind, category: error.category, correlationId: error.correlationId, attempts }, "hubspot call failed");
        throw new HubSpotError({
          kind: error.kind,
          status: error.status,
          endpoint: error.endpoint,
          message: error.message,
          category: error.category,
          subCategory: error.subCategory,
          correlationId: error.correlationId,
          policyName: error.policyName,
          details: error.details,
          retryAfterMs: error.retryAfterMs,
          attempts,
          cause: error.cause,
        });
      }
      const delayMs = Math.max(outcome.retryAfterMs ?? 0, backoffDelay(attempts, retry));
      logger?.debug({ endpoint: spec.endpoint, method: spec.method, path: logPath, status: error.status, correlationId: error.correlationId, attempt: attempts, delayMs }, "hubspot call retried");
      await sleep(delayMs, spec.signal);
    }
  }

  return { request, baseUrl };
}
