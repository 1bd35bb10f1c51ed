/** One HTTP call whose answer is read as text and, when it is JSON, parsed (emulator tests). */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function fetchJson<T = any>(url: string, init: RequestInit): Promise<HttpResult<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** The headers and payload of a form or JSON request body. */
export function requestBody(init: { form?: Record<string, string>; body?: unknown }): { headers: Record<string, string>; payload: string | undefined } {
  if (init.form) return { headers: { "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams(init.form).toString() };
  if (init.body !== undefined) return { headers: { "content-type": "application/json" }, payload: JSON.stringify(init.body) };
  return { headers: {}, payload: undefined };
}
