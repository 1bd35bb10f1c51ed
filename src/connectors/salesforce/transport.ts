// HTTP to Salesforce on the global fetch: the org's instance URL and bearer token, the run's
// budget asked before every call and told Salesforce's usage after every answer, timeouts,
// retries with backoff, one refresh on an expired session, typed errors, counting by endpoint.
import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay, defaultRetry, type RetryOptions } from "../hubspot/transport.ts";
import type { CallCounter } from "../hubspot/types.ts";
import { dataPath } from "./api-version.ts";
import { recoveryMs, type RunBudget } from "./budget.ts";
import { isSalesforceError, kindOf, readErrorEntries, SalesforceError } from "./errors.ts";
import { parseLimitInfo, usageFromLimits, type ApiUsage } from "./limit-info.ts";

/** The session calls are made with: an access token and the org's instance URL. */
export interface SessionAuth {
  current(): Promise<{ accessToken: string; instanceUrl: string }>;
  /**
   * Called on a 401 with the refused token; true when a fresh token is available. Throws
   * auth_revoked when the grant itself is gone (invalid_grant).
   */
  refresh(rejectedToken: string): Promise<boolean>;
}

export interface RequestSpec {
  /** Stable key for counting and logs (query, describe, composite...). */
  endpoint: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** A path on the instance (`nextRecordsUrl` values are such paths). */
  path: string;
  query?: Record<string, string> | undefined;
  json?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export interface TransportOptions {
  auth: SessionAuth;
  budget?: RunBudget | undefined;
  /** The org's usage when REQUEST_LIMIT_EXCEEDED came without a header: the pause estimate's target. */
  ceiling?: number | undefined;
  counter?: CallCounter | undefined;
  retry?: Partial<RetryOptions> | undefined;
  timeoutMs?: number | undefined;
}

export interface Transport {
  request<T>(spec: RequestSpec): Promise<T>;
}

const retryableStatuses = new Set([500, 502, 503, 504]);

type Outcome<T> = { done: true; body: T } | { done: false; error: SalesforceError; retryable: boolean; rejectedToken?: string };

/** An answer's JSON; `malformed` when it has text that is not JSON. */
export function readBody(text: string): { body: unknown; malformed: boolean } {
  if (text.trim() === "") return { body: undefined, malformed: false };
  try {
    return { body: JSON.parse(text) as unknown, malformed: false };
  } catch {
    return { body: undefined, malformed: true };
  }
}

function buildUrl(instanceUrl: string, path: string, query: Record<string, string> | undefined): string {
  const url = new URL(instanceUrl.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

export function createTransport(options: TransportOptions): Transport {
  const retry: RetryOptions = { ...defaultRetry, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { auth, budget, counter } = options;
  let lastUsage: ApiUsage | null = null;

  async function attempt<T>(spec: RequestSpec): Promise<Outcome<T>> {
    const { accessToken, instanceUrl } = await auth.current();
    const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${accessToken}`, ...spec.headers };
    if (spec.json !== undefined) headers["content-type"] = "application/json";
    counter?.record(spec.endpoint);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any(spec.signal ? [timeout, spec.signal] : [timeout]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(buildUrl(instanceUrl, spec.path, spec.query), {
        method: spec.method,
        headers,
        body: spec.json === undefined ? null : JSON.stringify(spec.json),
        signal,
      });
      text = await response.text();
    } catch (cause) {
      spec.signal?.throwIfAborted();
      const message = timeout.aborted ? `Salesforce did not answer within ${timeoutMs} ms.` : `Salesforce could not be reached: ${String(cause)}`;
      return { done: false, retryable: true, error: new SalesforceError({ kind: "unavailable", status: 0, endpoint: spec.endpoint, message, cause }) };
    }
    const usage = parseLimitInfo(response.headers.get("sforce-limit-info"));
    if (usage) {
      lastUsage = usage;
      // The first usage seen is the run's start, whether /limits or another answer gave it.
      budget?.begin(usage);
    }
    const { body, malformed } = readBody(text);
    const status = response.status;
    if (status >= 200 && status < 300 && !malformed) return { done: true, body: body as T };
    if (malformed && status < 300) {
      return { done: false, retryable: true, error: new SalesforceError({ kind: "unavailable", status, endpoint: spec.endpoint, message: "Salesforce answered with a malformed JSON body." }) };
    }
    const [first] = readErrorEntries(body);
    const errorCode = first?.errorCode;
    const kind = kindOf(status, errorCode);
    // The allocation is spent: usage stands at (at least) the org's allocation, known or not.
    const spent = lastUsage ? { used: Math.max(lastUsage.used, lastUsage.max), max: lastUsage.max } : { used: 100, max: 100 };
    const retryAfterMs = kind === "rate_limited" ? recoveryMs(spent, (options.ceiling ?? 0.8) * 0.9) : undefined;
    const error = new SalesforceError({ kind, status, endpoint: spec.endpoint, message: first?.message ?? `Salesforce answered ${status}.`, errorCode, fields: first?.fields, retryAfterMs });
    if (status === 401) return { done: false, error, retryable: false, rejectedToken: accessToken };
    return { done: false, error, retryable: retryableStatuses.has(status) };
  }

  let limitsRead = false;

  /**
   * The run's first call reads the org's usage (GET /limits), so its share is taken of what
   * remains now. A user without "View Setup and Configuration" may not read /limits: the
   * first answer's Sforce-Limit-Info then starts the budget instead.
   */
  async function startBudget(signal: AbortSignal | undefined): Promise<void> {
    if (budget === undefined || budget.started || limitsRead) return;
    limitsRead = true;
    try {
      const usage = usageFromLimits(await send<unknown>({ endpoint: "limits", method: "GET", path: dataPath("/limits"), signal }, false));
      if (usage) budget.begin(usage);
    } catch (error) {
      if (!isSalesforceError(error, "bad_request") && !isSalesforceError(error, "not_found")) throw error;
    }
  }

  async function send<T>(spec: RequestSpec, budgeted: boolean): Promise<T> {
    let refreshed = false;
    let attempts = 0;
    for (;;) {
      attempts++;
      if (budgeted && budget !== undefined) {
        const stop = budget.admit();
        if (stop) throw new SalesforceError({ kind: "rate_limited", status: 0, endpoint: spec.endpoint, message: stop.message, errorCode: `CRMSYNC_BUDGET_${stop.limit.toUpperCase()}`, retryAfterMs: stop.retryAfterMs });
      }
      const outcome = await attempt<T>(spec);
      if (outcome.done) return outcome.body;
      const { error } = outcome;
      if (outcome.rejectedToken !== undefined && !refreshed) {
        // One refresh per call: a fresh token refused too means the grant no longer works.
        refreshed = true;
        if (await auth.refresh(outcome.rejectedToken)) {
          attempts--;
          continue;
        }
      }
      if (!outcome.retryable || attempts >= retry.maxAttempts) {
        throw new SalesforceError({ kind: error.kind, status: error.status, endpoint: error.endpoint, message: error.message, errorCode: error.errorCode, fields: error.fields, retryAfterMs: error.retryAfterMs, attempts, cause: error.cause });
      }
      await sleep(backoffDelay(attempts, retry), undefined, spec.signal ? { signal: spec.signal } : {});
    }
  }

  return {
    async request<T>(spec: RequestSpec): Promise<T> {
      await startBudget(spec.signal);
      return send<T>(spec, true);
    },
  };
}
