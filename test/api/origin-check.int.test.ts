// Cross-site request forgery: every change made with the session cookie must come from the
// app's own origin. The routes are read from the app itself, so a route added later is covered
// without touching this test. API tokens are not affected: a page cannot make a browser send one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { dialects } from "../support/databases.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

const ownOrigin = "http://127.0.0.1:3000";
const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

describe.each(dialects)("the origin check on %s", (dialect) => {
  let t: TestApp;
  let cookie: string;
  const routes = () => t.app.routeTable.filter((r) => mutating.has(r.method) && r.url.startsWith("/api/"));
  const send = (method: string, url: string, headers: Record<string, string>): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: method as "POST", url: url.replace(/:[A-Za-z]+/g, "00000000-0000-4000-8000-000000000000"), headers: { "content-type": "application/json", ...headers }, payload: "{}" });
  const isCrossOrigin = (res: LightMyRequestResponse) => res.statusCode === 403 && (res.json() as { error: { code: string } }).error.code === "cross_origin";

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const login = await t.request(null, "POST", "/api/v1/session", { email: t.a.adminEmail, password: t.password }, { origin: ownOrigin });
    expect(login.statusCode).toBe(200);
    cookie = `crmsync_session=${login.cookies.find((c) => c.name === "crmsync_session")!.value}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("finds the app's mutating routes", () => {
    // The session, customers, contacts, fields, links, notifications, HubSpot and contact-sync groups.
    expect(routes().length).toBeGreaterThanOrEqual(25);
    console.log(`origin check: ${routes().length} mutating routes`);
  });

  it("refuses every cookie-authenticated change from another origin, or with no sign of its origin", async () => {
    const passed: string[] = [];
    for (const { method, url } of routes()) {
      for (const headers of [{ origin: "http://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, {}]) {
        const res = await send(method, url, { cookie, ...headers });
        if (!isCrossOrigin(res)) passed.push(`${method} ${url} ${JSON.stringify(headers)} → ${res.statusCode}`);
      }
    }
    expect(passed).toEqual([]);
  });

  it("refuses a sign-in posted from another origin (it would set the cookie)", async () => {
    const res = await t.request(null, "POST", "/api/v1/session", { email: t.a.adminEmail, password: t.password }, { origin: "http://evil.example" });
    expect(isCrossOrigin(res)).toBe(true);
    expect(res.cookies).toHaveLength(0);
  });

  it("lets API tokens through whatever the origin, and the app's own pages with the cookie", async () => {
    const blocked: string[] = [];
    for (const { method, url } of routes()) {
      if (method === "DELETE" && url === "/api/v1/session") continue; // would end the session the loop uses
      for (const headers of [
        { authorization: `Bearer ${t.b.adminToken}`, origin: "http://evil.example" },
        { cookie, origin: ownOrigin },
        { cookie, "sec-fetch-site": "same-origin" },
        { cookie, origin: "http://localhost:5173", host: "localhost:5173" },
      ]) {
        const res = await send(method, url, headers);
        if (isCrossOrigin(res)) blocked.push(`${method} ${url} ${JSON.stringify(headers)}`);
      }
    }
    expect(blocked).toEqual([]);
  });

  it("creates nothing from a cross-origin JSON post with the cookie, and does from the app's own page", async () => {
    const body = { name: "Forged Ltd", domains: ["forged-ltd.com"] };
    const forged = await t.request(null, "POST", "/api/v1/customers", body, { cookie, origin: "http://evil.example" });
    expect(forged.statusCode).toBe(403);
    const own = await t.request(null, "POST", "/api/v1/customers", body, { cookie, origin: ownOrigin });
    expect(own.statusCode).toBe(201);
    const list = await t.request(t.a.adminToken, "GET", "/api/v1/customers?limit=100");
    expect((list.json() as { items: { name: string }[] }).items.filter((c) => c.name === "Forged Ltd")).toHaveLength(1);
  });
});
