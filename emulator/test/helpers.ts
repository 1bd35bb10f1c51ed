import { PRIVATE_APP_TOKEN } from "../index.ts";

/** Small fetch helpers for the emulator's own tests. */
export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = any>(url: string, path: string, init: { method?: string; body?: unknown; token?: string | null; form?: Record<string, string> } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? PRIVATE_APP_TOKEN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(init.body);
  }
  const res = await fetch(`${url}${path}`, { method: init.method ?? (payload ? "POST" : "GET"), headers, body: payload ?? null });
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export function control<T = any>(url: string, path: string, body?: unknown, method?: string): Promise<ApiResult<T>> {
  const init: { method?: string; body?: unknown; token: null } = { token: null };
  if (body !== undefined) init.body = body;
  if (method !== undefined) init.method = method;
  return api<T>(url, `/_emulator${path}`, init);
}
