import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 5, companies: 5, deals: 5, contacts: 5, rateLimits: false, accessTokenLifetimeSeconds: 60 });
});

afterAll(async () => {
  await emu.close();
});

async function oauthTokens(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const redirect = "http://localhost:1/cb";
  const auth = await fetch(`${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=${encodeURIComponent(redirect)}&scope=crm.objects.companies.read&state=s1`, { redirect: "manual" });
  const code = new URL(auth.headers.get("location")!).searchParams.get("code")!;
  const r = await api(emu.url, "/oauth/v1/token", {
    token: null,
    form: { grant_type: "authorization_code", client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, redirect_uri: redirect, code },
  });
  expect(r.status).toBe(200);
  return r.body;
}

describe("authentication", () => {
  it("rejects a missing or unknown token with 401 INVALID_AUTHENTICATION", async () => {
    for (const token of [null, "pat-unknown"]) {
      const r = await api(emu.url, "/crm/objects/2026-09/companies", { token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
      expect(r.body.correlationId).toBeTruthy();
    }
  });

  it("expires access tokens after the configured lifetime (401 EXPIRED_AUTHENTICATION)", async () => {
    const t = await oauthTokens();
    expect(t.expires_in).toBe(60);
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: t.access_token })).status).toBe(200);
    emu.store.clock.advance(61_000);
    const r = await api(emu.url, "/crm/objects/2026-09/companies", { token: t.access_token });
    expect(r.status).toBe(401);
    expect(r.body.category).toBe("EXPIRED_AUTHENTICATION");
    const meta = await api(emu.url, `/oauth/v1/access-tokens/${t.access_token}`, { token: null });
    expect(meta.status).toBe(401);
    // A refresh brings a working token back.
    const refreshed = await api(emu.url, "/oauth/v1/token", {
      token: null,
      form: { grant_type: "refresh_token", client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, refresh_token: t.refresh_token },
    });
    expect(refreshed.body.refresh_token).toBe(t.refresh_token);
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: refreshed.body.access_token })).status).toBe(200);
  });

  it("control API expiry works too", async () => {
    const t = await oauthTokens();
    await control(emu.url, "/tokens/expire", { token: t.access_token });
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: t.access_token })).body.category).toBe("EXPIRED_AUTHENTICATION");
  });

  it("revoking the refresh token kills it and its access tokens", async () => {
    const t = await oauthTokens();
    const del = await api(emu.url, `/oauth/v1/refresh-tokens/${t.refresh_token}`, { method: "DELETE", token: null });
    expect(del.status).toBe(204);
    const r = await api(emu.url, "/crm/objects/2026-09/companies", { token: t.access_token });
    expect(r.status).toBe(401);
    expect(r.body.category).toBe("INVALID_AUTHENTICATION");
    const refresh = await api(emu.url, "/oauth/v3/token", {
      token: null,
      form: { grant_type: "refresh_token", client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, refresh_token: t.refresh_token },
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body).toMatchObject({ status: "BAD_REFRESH_TOKEN", error: "invalid_grant" });
  });

  it("rejects bad codes, secrets and redirect URIs as HubSpot does", async () => {
    const bad = (form: Record<string, string>) => api(emu.url, "/oauth/v1/token", { token: null, form });
    expect((await bad({ grant_type: "authorization_code", client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, redirect_uri: "x", code: "nope" })).body.status).toBe(
      "BAD_AUTH_CODE",
    );
    expect((await bad({ grant_type: "refresh_token", client_id: OAUTH_CLIENT_ID, client_secret: "wrong", refresh_token: "x" })).body.status).toBe("BAD_CLIENT_SECRET");
    expect((await bad({ grant_type: "refresh_token", client_id: "who", client_secret: "x", refresh_token: "x" })).body.status).toBe("BAD_CLIENT_ID");
    const auth = await fetch(`${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=${encodeURIComponent("http://a/cb")}`, { redirect: "manual" });
    const code = new URL(auth.headers.get("location")!).searchParams.get("code")!;
    expect((await bad({ grant_type: "authorization_code", client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, redirect_uri: "http://b/cb", code })).body.status).toBe(
      "BAD_REDIRECT_URI",
    );
  });

  it("enforces scopes with 403 MISSING_SCOPES", async () => {
    const t = await oauthTokens();
    const r = await api(emu.url, "/crm/objects/2026-09/contacts", { token: t.access_token });
    expect(r.status).toBe(403);
    expect(r.body.category).toBe("MISSING_SCOPES");
  });
});

describe("OAuth 2026-03 / 2026-09", () => {
  const client = { client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET };
  async function code(): Promise<string> {
    const auth = await fetch(`${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=${encodeURIComponent("http://localhost:1/cb")}&scope=crm.objects.companies.read`, { redirect: "manual" });
    return new URL(auth.headers.get("location")!).searchParams.get("code")!;
  }
  const form = (path: string, f: Record<string, string>) => api(emu.url, path, { token: null, form: f });

  it("issues snake_case token pairs from a form body, refreshes them, and counts apart from v1", async () => {
    await control(emu.url, "/counters/reset", {});
    const r = await form("/oauth/2026-03/token", { grant_type: "authorization_code", ...client, redirect_uri: "http://localhost:1/cb", code: await code() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: "bearer", token_use: "access_token", hub_id: 62515, user_id: 9001, expires_in: 60 });
    expect(r.body.scopes).toContain("crm.objects.companies.read");
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: r.body.access_token })).status).toBe(200);
    const again = await form("/oauth/2026-09/token", { grant_type: "refresh_token", ...client, refresh_token: r.body.refresh_token });
    expect(again.status).toBe(200);
    expect(again.body.access_token).not.toBe(r.body.access_token);
    await form("/oauth/v1/token", { grant_type: "refresh_token", ...client, refresh_token: r.body.refresh_token });
    const counted = (await control(emu.url, "/counters")).body.endpoints;
    expect(counted).toMatchObject({ "oauth.authorize": 1, "oauth.token": 2, "legacy.oauth.token": 1 });
  });

  it("refuses JSON bodies and parameters outside the body, with the standard error body", async () => {
    const json = await api(emu.url, "/oauth/2026-03/token", { token: null, body: { grant_type: "refresh_token", ...client, refresh_token: "x" } });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ category: "VALIDATION_ERROR" });
    expect(json.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const query = await api(emu.url, `/oauth/2026-03/token?client_id=${OAUTH_CLIENT_ID}&client_secret=${OAUTH_CLIENT_SECRET}`, { token: null, form: { grant_type: "client_credentials" } });
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ category: "INVALID_AUTHENTICATION", subCategory: "BAD_CLIENT_ID" });
    const badRefresh = await form("/oauth/2026-03/token", { grant_type: "refresh_token", ...client, refresh_token: "nope" });
    expect(badRefresh.body).toMatchObject({ category: "VALIDATION_ERROR", subCategory: "BAD_REFRESH_TOKEN", errors: [{ in: "refresh_token", code: "invalid_grant" }] });
  });

  it("grants client_credentials on 2026-03 only", async () => {
    const cc = await form("/oauth/2026-03/token", { grant_type: "client_credentials", ...client, scope: "crm.objects.contacts.read" });
    expect(cc.status).toBe(200);
    expect(cc.body).toMatchObject({ token_use: "client_credentials", scopes: ["crm.objects.contacts.read"], expires_in: 60 });
    expect(cc.body.refresh_token).toBeUndefined();
    expect((await api(emu.url, "/crm/objects/2026-09/contacts", { token: cc.body.access_token })).status).toBe(200);
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: cc.body.access_token })).status).toBe(403);
    const late = await form("/oauth/2026-09/token", { grant_type: "client_credentials", ...client });
    expect(late.status).toBe(400);
    expect(late.body.subCategory).toBe("BAD_GRANT_TYPE");
  });

  it("introspects access and refresh tokens for the owning client, inactive once revoked or expired", async () => {
    const t = (await form("/oauth/2026-03/token", { grant_type: "authorization_code", ...client, redirect_uri: "http://localhost:1/cb", code: await code() })).body;
    const access = await form("/oauth/2026-03/token/introspect", { ...client, token: t.access_token, token_type_hint: "access_token" });
    expect(access.body).toMatchObject({ active: true, token_use: "access_token", hub_id: 62515, client_id: OAUTH_CLIENT_ID, app_id: 4242, user_id: 9001 });
    expect(access.body.signed_access_token).toMatchObject({ hubId: 62515, appId: 4242 });
    const refresh = await form("/oauth/2026-03/token/introspect", { ...client, token: t.refresh_token });
    expect(refresh.body).toMatchObject({ active: true, token_use: "refresh_token", token: t.refresh_token });
    expect((await form("/oauth/2026-03/token/introspect", { ...client, token: "unknown" })).body).toEqual({ active: false });
    expect((await form("/oauth/2026-03/token/introspect", { client_id: OAUTH_CLIENT_ID, token: t.access_token })).status).toBe(400);
    const revoked = await form("/oauth/2026-03/token/revoke", { ...client, token: t.refresh_token, token_type_hint: "refresh_token" });
    expect(revoked.status).toBe(204);
    expect((await form("/oauth/2026-03/token/introspect", { ...client, token: t.refresh_token })).body).toEqual({ active: false });
    expect((await form("/oauth/2026-03/token/introspect", { ...client, token: t.access_token })).body).toEqual({ active: false });
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: t.access_token })).status).toBe(401);
    const other = (await form("/oauth/2026-03/token", { grant_type: "authorization_code", ...client, redirect_uri: "http://localhost:1/cb", code: await code() })).body;
    emu.store.clock.advance(61_000);
    expect((await form("/oauth/2026-09/token/introspect", { ...client, token: other.access_token })).body).toEqual({ active: false });
  });
});

describe("service keys and revocation", () => {
  it("accepts a service key as a bearer token with its own scopes, and 401 once revoked", async () => {
    const created = await control(emu.url, "/service-keys", { scopes: ["crm.objects.companies.read"] });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: key })).status).toBe(200);
    const denied = await api(emu.url, "/crm/objects/2026-09/deals", { token: key });
    expect(denied.status).toBe(403);
    expect(denied.body.category).toBe("MISSING_SCOPES");
    expect((await control(emu.url, `/service-keys/${key}`, undefined, "DELETE")).status).toBe(204);
    const after = await api(emu.url, "/crm/objects/2026-09/companies", { token: key });
    expect(after.status).toBe(401);
    expect(after.body.category).toBe("INVALID_AUTHENTICATION");
    expect((await control(emu.url, `/service-keys/${key}`, undefined, "DELETE")).status).toBe(404);
  });

  it("answers 401 for a private-app token revoked through the control API", async () => {
    await control(emu.url, "/tokens/private", { token: "pat-to-revoke" });
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: "pat-to-revoke" })).status).toBe(200);
    expect((await control(emu.url, "/tokens/private/pat-to-revoke", undefined, "DELETE")).status).toBe(204);
    expect((await api(emu.url, "/crm/objects/2026-09/companies", { token: "pat-to-revoke" })).status).toBe(401);
  });
});
