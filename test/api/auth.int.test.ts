import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../support/databases.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

describe.each(dialects)("authentication on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses API calls without credentials with a stable code", async () => {
    const res = await t.request(null, "GET", "/api/v1/session");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String), details: {} } });
  });

  it("refuses an unknown Bearer token", async () => {
    const res = await t.request("csk_not-a-real-token", "GET", "/api/v1/session");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthorized");
  });

  it("resolves a Bearer token to its workspace and role", async () => {
    const res = await t.request(t.a.memberToken, "GET", "/api/v1/session");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ workspace: { id: t.a.id, name: "alpha" }, role: "member", user: null });
  });

  it("signs in with email and password, then uses the cookie, then signs out", async () => {
    const login = await t.request(null, "POST", "/api/v1/session", { email: " ADMIN@alpha.test ", password: t.password });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { email: t.a.adminEmail, role: "admin" }, workspace: { id: t.a.id } });
    const cookie = login.cookies.find((c) => c.name === "crmsync_session");
    expect(cookie?.httpOnly).toBe(true);
    const cookieHeader = { cookie: `crmsync_session=${cookie?.value ?? ""}` };

    const me = await t.request(null, "GET", "/api/v1/session", undefined, cookieHeader);
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(t.a.adminEmail);

    expect((await t.request(null, "DELETE", "/api/v1/session", undefined, { ...cookieHeader, origin: "http://127.0.0.1:3000" })).statusCode).toBe(204);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, cookieHeader)).statusCode).toBe(401);
  });

  it("refuses a wrong password without saying which part was wrong", async () => {
    const wrong = await t.request(null, "POST", "/api/v1/session", { email: t.a.adminEmail, password: "nope-nope" });
    const unknown = await t.request(null, "POST", "/api/v1/session", { email: "ghost@alpha.test", password: "nope-nope" });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it("answers malformed JSON and missing fields with 400 and a code", async () => {
    const malformed = await t.request(null, "POST", "/api/v1/session", "{not json");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("malformed_json");
    const missing = await t.request(null, "POST", "/api/v1/session", { email: "a@b.c" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe("validation_failed");
  });

  it("answers an oversized body with 413 payload_too_large", async () => {
    const res = await t.request(null, "POST", "/api/v1/session", { email: "x".repeat(2 * 1024 * 1024), password: "p" });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("answers unknown routes with 404 not_found", async () => {
    const res = await t.request(t.a.adminToken, "GET", "/api/v1/nothing-here");
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });

  it("serves health, readiness and the OpenAPI document without credentials", async () => {
    expect((await t.request(null, "GET", "/healthz")).json()).toEqual({ status: "ok" });
    expect((await t.request(null, "GET", "/readyz")).json()).toEqual({ status: "ready" });
    const doc = await t.request(null, "GET", "/docs/json");
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain("/api/v1/session");
  });
});
