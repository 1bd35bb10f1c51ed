import { fetchJson, requestBody, type HttpResult } from "../../test/fetch-json.ts";

/** Small fetch helpers for the Salesforce emulator's own tests. */
export type SfResult<T = any> = HttpResult<T>;

export interface SfInit {
  method?: string;
  body?: unknown;
  token?: string | null;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export const V = "/services/data/v62.0";

export async function sf<T = any>(url: string, path: string, init: SfInit = {}): Promise<SfResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const { headers: bodyHeaders, payload } = requestBody(init);
  Object.assign(headers, bodyHeaders);
  return fetchJson<T>(`${url}${path}`, { method: init.method ?? (payload ? "POST" : "GET"), headers, body: payload ?? null, redirect: "manual" });
}

export function control<T = any>(url: string, path: string, body?: unknown, method?: string): Promise<SfResult<T>> {
  const init: SfInit = {};
  if (body !== undefined) init.body = body;
  if (method !== undefined) init.method = method;
  return sf<T>(url, `/_emulator${path}`, init);
}

/** A session straight from the control API (no browser flow). */
export async function token(url: string): Promise<string> {
  return (await control<{ access_token: string }>(url, "/tokens", {})).body.access_token;
}

export function soql(kind: "query" | "queryAll", q: string): string {
  return `${V}/${kind}?q=${encodeURIComponent(q)}`;
}

/** Follows nextRecordsUrl to the end; answers every record and the number of calls made. */
export async function queryAllPages(url: string, tok: string, first: string, headers: Record<string, string> = {}): Promise<{ records: any[]; calls: number; totalSize: number }> {
  let res = await sf(url, first, { token: tok, headers });
  const records: any[] = [...res.body.records];
  let calls = 1;
  const totalSize = res.body.totalSize as number;
  while (!res.body.done) {
    res = await sf(url, res.body.nextRecordsUrl, { token: tok, headers });
    if (res.status !== 200) throw new Error(`page answered ${res.status}: ${res.text}`);
    records.push(...res.body.records);
    calls++;
  }
  return { records, calls, totalSize };
}
