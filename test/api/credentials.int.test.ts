// Admins see, create and revoke the workspace's API tokens and see and end its sign-in sessions;
// a member sees and ends only their own sessions; a revoked credential stops working at once; a
// session unused for the idle timeout ends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../support/databases.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

const origin = "http://127.0.0.1:3000";

describe.each(dialects)("API tokens and sessions on %s", (dialect) => {
  let t: TestApp;
  const signIn = async (email: string, userAgent: string) => {
    const res = await t.request(null, "POST", "/api/v1/session", { email, password: t.password }, { origin, "user-agent": userAgent });
    expect(res.statusCode).toBe(200);
    return `crmsync_session=${res.cookies.find((c) => c.name === "crmsync_session")!.value}`;
  };
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists the workspace's API tokens to admins only, with when each was last used", async () => {
    expect((await t.request(t.a.memberToken, "GET", "/api/v1/api-tokens")).statusCode).toBe(403);
    const res = await t.request(t.a.adminToken, "GET", "/api/v1/api-tokens");
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; role: string; lastUsedAt: string | null }[];
    expect(items.map((i) => [i.name, i.role]).sort()).toEqual([["admin", "admin"], ["member", "member"]]);
    expect(items.find((i) => i.name === "admin")?.lastUsedAt).not.toBeNull();
    expect(items.find((i) => i.name === "member")).toMatchObject({ createdBy: { name: "Member", email: t.a.memberEmail } });
    expect(JSON.stringify(items)).not.toContain(t.a.adminToken.slice(4, 20));
  });

  it("creates an API token for admins only, whose secret is shown once and works at once", async () => {
    expect((await t.request(t.a.memberToken, "POST", "/api/v1/api-tokens", { name: "ci", role: "member" })).statusCode).toBe(403);
    const bad = await t.request(t.a.adminToken, "POST", "/api/v1/api-tokens", { name: " ", role: "owner" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "validation_failed" } });
    const created = await t.request(t.a.adminToken, "POST", "/api/v1/api-tokens", { name: "  nightly export ", role: "member" });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json() as { token: { id: string; name: string; role: string; createdBy: { name: string } | null; lastUsedAt: string | null }; secret: string };
    expect(token).toMatchObject({ name: "nightly export", role: "member", createdBy: { name: "Admin" }, lastUsedAt: null });
    const me = await t.request(secret, "GET", "/api/v1/session");
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: "member", workspace: { id: t.a.id } });
    // Listed without its secret, and now with a last use.
    const listed = await t.request(t.a.adminToken, "GET", "/api/v1/api-tokens");
    expect(listed.body).not.toContain(secret.slice(4));
    expect((listed.json().items as { id: string; lastUsedAt: string | null }[]).find((i) => i.id === token.id)?.lastUsedAt).not.toBeNull();
    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/api-tokens/${token.id}`)).statusCode).toBe(204);
    expect((await t.request(secret, "GET", "/api/v1/session")).statusCode).toBe(401);
  });

  it("revokes an API token at once; another workspace's token is not found", async () => {
    const items = (await t.request(t.a.adminToken, "GET", "/api/v1/api-tokens")).json().items as { id: string; name: string }[];
    const member = items.find((i) => i.name === "member")!;
    expect((await t.request(t.b.adminToken, "DELETE", `/api/v1/api-tokens/${member.id}`)).statusCode).toBe(404);
    expect((await t.request(t.a.memberToken, "GET", "/api/v1/session")).statusCode).toBe(200);
    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/api-tokens/${member.id}`)).statusCode).toBe(204);
    expect((await t.request(t.a.memberToken, "GET", "/api/v1/session")).statusCode).toBe(401);
  });

  it("lists sign-in sessions with who, the browser and which one is this, and ends one at once", async () => {
    const admin = await signIn(t.b.adminEmail, "Firefox admin");
    const member = await signIn(t.b.memberEmail, "Safari member");
    const list = await t.request(null, "GET", "/api/v1/sessions", undefined, { cookie: admin });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; user: { email: string }; userAgent: string; current: boolean }[];
    expect(items.map((s) => [s.user.email, s.userAgent, s.current]).sort()).toEqual([
      [t.b.adminEmail, "Firefox admin", true],
      [t.b.memberEmail, "Safari member", false],
    ]);
    const memberSession = items.find((s) => s.user.email === t.b.memberEmail)!;
    const adminSession = items.find((s) => s.user.email === t.b.adminEmail)!;
    // A member sees only their own sessions, cannot end someone else's, and a member's API token sees none.
    const own = await t.request(null, "GET", "/api/v1/sessions", undefined, { cookie: member });
    expect(own.statusCode).toBe(200);
    expect((own.json().items as { id: string; current: boolean }[]).map((s) => [s.id, s.current])).toEqual([[memberSession.id, true]]);
    expect((await t.request(null, "DELETE", `/api/v1/sessions/${adminSession.id}`, undefined, { cookie: member, origin })).statusCode).toBe(404);
    expect((await t.request(t.b.memberToken, "GET", "/api/v1/sessions")).json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await t.request(t.a.adminToken, "DELETE", `/api/v1/sessions/${memberSession.id}`)).statusCode).toBe(404);
    expect((await t.request(null, "DELETE", `/api/v1/sessions/${memberSession.id}`, undefined, { cookie: admin, origin })).statusCode).toBe(204);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: member })).statusCode).toBe(401);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: admin })).statusCode).toBe(200);
  });

  it("lets a member end their own other session", async () => {
    const here = await signIn(t.a.memberEmail, "laptop");
    const there = await signIn(t.a.memberEmail, "phone");
    const items = (await t.request(null, "GET", "/api/v1/sessions", undefined, { cookie: here })).json().items as { id: string; userAgent: string }[];
    const phone = items.find((s) => s.userAgent === "phone")!;
    expect((await t.request(null, "DELETE", `/api/v1/sessions/${phone.id}`, undefined, { cookie: here, origin })).statusCode).toBe(204);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: there })).statusCode).toBe(401);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: here })).statusCode).toBe(200);
  });

  it("ends a session unused for the idle timeout (12 h by default), while one in use goes on", async () => {
    const idle = await signIn(t.a.adminEmail, "idle");
    const active = await signIn(t.a.adminEmail, "active");
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    await t.database.db.updateTable("sessions").set({ last_seen_at: hoursAgo(12.1) }).where("user_agent", "=", "idle").execute();
    await t.database.db.updateTable("sessions").set({ last_seen_at: hoursAgo(11.9) }).where("user_agent", "=", "active").execute();
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: idle })).statusCode).toBe(401);
    expect((await t.request(null, "GET", "/api/v1/session", undefined, { cookie: active })).statusCode).toBe(200);
    // Using it moved its last-seen time: it has 12 hours again.
    const row = await t.database.db.selectFrom("sessions").select("last_seen_at").where("user_agent", "=", "active").executeTakeFirstOrThrow();
    expect(Date.parse(row.last_seen_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await t.database.db.selectFrom("sessions").select("id").where("user_agent", "=", "idle").execute()).toEqual([]);
  });
});
