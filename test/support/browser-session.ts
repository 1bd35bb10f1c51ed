// A signed-in browser for API tests: the session cookie the web UI holds after signing in,
// sent as a Cookie header (what a browser does) instead of a Bearer token, with the Origin a
// browser sets on the app's own pages.
import type { TestApp } from "./app.ts";

export interface BrowserSession {
  /** The Cookie header value, `crmsync_session=…`. */
  cookie: string;
  request(method: string, url: string, body?: unknown): ReturnType<TestApp["request"]>;
}

/** The test app's public URL (startTestApp's). */
const origin = "http://127.0.0.1:3000";

export async function signIn(t: TestApp, email: string): Promise<BrowserSession> {
  const res = await t.request(null, "POST", "/api/v1/session", { email, password: t.password }, { origin });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "crmsync_session");
  if (!cookie) throw new Error("sign-in set no session cookie");
  const header = `${cookie.name}=${cookie.value}`;
  return { cookie: header, request: (method, url, body) => t.request(null, method, url, body, method === "GET" ? { cookie: header } : { cookie: header, origin }) };
}
