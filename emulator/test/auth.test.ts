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
