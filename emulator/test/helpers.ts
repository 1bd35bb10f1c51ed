import { PRIVATE_APP_TOKEN } from "../index.ts";
import { fetchJson, requestBody, type HttpResult } from "./fetch-json.ts";

/** Small fetch helpers for the emulator's own tests. */
export type ApiResult<T = any> = HttpResult<T>;

export async function api<T = any>(url: string, path: string, init: { method?: string; body?: unknown; token?: string | null; form?: Record<string, string> } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? PRIVATE_APP_TOKEN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const { headers: bodyHeaders, payload } = requestBody(init);
  Object.assign(headers, bodyHeaders);
  return fetchJson<T>(`${url}${path}`, { method: init.method ?? (payload ? "POST" : "GET"), headers, body: payload ?? null });
}

export function control<T = any>(url: string, path: string, body?: unknown, method?: string): Promise<ApiResult<T>> {
  const init: { method?: string; body?: unknown; token: null } = { token: null };
  if (body !== undefined) init.body = body;
  if (method !== undefined) init.method = method;
  return api<T>(url, `/_emulator${path}`, init);
}
