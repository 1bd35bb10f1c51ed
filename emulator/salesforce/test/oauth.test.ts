import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, ORG_ID, startSalesforceEmulator, type RunningSalesforceEmulator } from "../index.ts";
import { control, sf, V } from "./helpers.ts";

let emu: RunningSalesforceEmulator;
const CALLBACK = "http://127.0.0.1:9/callback";

beforeAll(async () => {
  emu = await startSalesforceEmulator({ accessTokenLifetimeSeconds: 600 });
});

afterAll(async () => {
  await emu.close();
});

async function authorize(state = "s1"): Promise<string> {
  const q = new URLSearchParams({ response_type: "code", client_id: DEFAULT_CLIENT_ID, redirect_uri: CALLBACK, state, scope: "api refresh_token" });
  const res = await sf(emu.url, `/services/oauth2/authorize?${q}`);
  expect(res.status).toBe(302);
  const target = new URL(res.headers.get("location")!);
  expect(`${target.origin}${target.pathname}`).toBe(CALLBACK);
  expect(target.searchParams.get("state")).toBe(state);
  return target.searchParams.get("code")!;
}

function exchange(code: string) {
  return sf(emu.url, "/services/oauth2/token", { form: { grant_type: "authorization_code", code, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, redirect_uri: CALLBACK } });
}

function refresh(refreshToken: string) {
  return sf(emu.url, "/services/oauth2/token", { form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET } });
}

describe("OAuth 2.0 web server flow", () => {
  it("exchanges a code for tokens whose instance_url is the emulator, and the session reads data", async () => {
    const res = await exchange(await authorize());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["access_token", "id", "instance_url", "issued_at", "refresh_token", "scope", "signature", "token_type"]);
    expect(res.body.instance_url).toBe(emu.url);
    expect(res.body.id).toMatch(new RegExp(`^${emu.url}/id/${ORG_ID}/005[a-zA-Z0-9]{15}$`));
    expect(res.body.token_type).toBe("Bearer");
    expect(res.body.access_token.startsWith(ORG_ID.slice(0, 15))).toBe(true);
    const limits = await sf(emu.url, `${V}/limits`, { token: res.body.access_token });
    expect(limits.status).toBe(200);
    const info = await sf(emu.url, "/services/oauth2/userinfo", { token: res.body.access_token });
    expect(info.body.organization_id).toBe(ORG_ID);
    expect(info.body.sub).toBe(res.body.id);
  });

  it("refuses a used code, a wrong secret, a wrong callback and an unknown grant", async () => {
    const code = await authorize();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: "invalid_grant", error_description: "invalid authorization code" });
    const secret = await sf(emu.url, "/services/oauth2/token", { form: { grant_type: "authorization_code", code: await authorize(), client_id: DEFAULT_CLIENT_ID, client_secret: "nope", redirect_uri: CALLBACK } });
    expect(secret.body).toEqual({ error: "invalid_client", error_description: "invalid client credentials" });
    const cb = await sf(emu.url, "/services/oauth2/token", { form: { grant_type: "authorization_code", code: await authorize(), client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, redirect_uri: "http://elsewhere/cb" } });
    expect(cb.body.error).toBe("redirect_uri_mismatch");
    const grant = await sf(emu.url, "/services/oauth2/token", { form: { grant_type: "password", client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET } });
    expect(grant.body).toEqual({ error: "unsupported_grant_type", error_description: "grant type not supported" });
  });

  it("refreshes without rotation (same refresh token keeps working, none returned)", async () => {
    const first = await exchange(await authorize());
    const r1 = await refresh(first.body.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).toBeUndefined();
    expect(r1.body.instance_url).toBe(emu.url);
    expect(r1.body.access_token).not.toBe(first.body.access_token);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it("rotates refresh tokens when switched on: the new one works, the old one is invalid_grant", async () => {
    await control(emu.url, "/config", { rotateRefreshTokens: true }, "PUT");
    try {
      const first = await exchange(await authorize());
      const r1 = await refresh(first.body.refresh_token);
      expect(r1.body.refresh_token).toMatch(/^5Aep/);
      expect(r1.body.refresh_token).not.toBe(first.body.refresh_token);
      const old = await refresh(first.body.refresh_token);
      expect(old.status).toBe(400);
      expect(old.body).toEqual({ error: "invalid_grant", error_description: "expired access/refresh token" });
      expect((await refresh(r1.body.refresh_token)).status).toBe(200);
    } finally {
      await control(emu.url, "/config", { rotateRefreshTokens: false }, "PUT");
    }
  });

  it("revoking a refresh token kills its sessions; refresh then answers invalid_grant", async () => {
    const first = await exchange(await authorize());
    const r1 = await refresh(first.body.refresh_token);
    const revoked = await sf(emu.url, "/services/oauth2/revoke", { form: { token: first.body.refresh_token } });
    expect(revoked.status).toBe(200);
    for (const t of [first.body.access_token, r1.body.access_token]) {
      const res = await sf(emu.url, `${V}/limits`, { token: t });
      expect(res.status).toBe(401);
      expect(res.body).toEqual([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    }
    const again = await refresh(first.body.refresh_token);
    expect(again.body).toEqual({ error: "invalid_grant", error_description: "expired access/refresh token" });
    const unknown = await sf(emu.url, "/services/oauth2/revoke", { form: { token: "nope" } });
    expect(unknown.status).toBe(400);
  });

  it("answers INVALID_SESSION_ID once a session outlives its lifetime, and refresh recovers", async () => {
    const first = await exchange(await authorize());
    expect((await sf(emu.url, `${V}/limits`, { token: first.body.access_token })).status).toBe(200);
    await control(emu.url, "/clock/advance", { ms: 601_000 });
    const expired = await sf(emu.url, `${V}/query?q=SELECT+Id+FROM+Account`, { token: first.body.access_token });
    expect(expired.status).toBe(401);
    expect(expired.body[0].errorCode).toBe("INVALID_SESSION_ID");
    const r = await refresh(first.body.refresh_token);
    expect((await sf(emu.url, `${V}/limits`, { token: r.body.access_token })).status).toBe(200);
  });

  it("answers access_denied to the callback when the user denies, and refuses unknown clients", async () => {
    await control(emu.url, "/config", { authorize: "deny" }, "PUT");
    const q = new URLSearchParams({ response_type: "code", client_id: DEFAULT_CLIENT_ID, redirect_uri: CALLBACK, state: "x" });
    const res = await sf(emu.url, `/services/oauth2/authorize?${q}`);
    await control(emu.url, "/config", { authorize: "approve" }, "PUT");
    const target = new URL(res.headers.get("location")!);
    expect(target.searchParams.get("error")).toBe("access_denied");
    expect(target.searchParams.get("state")).toBe("x");
    const unknown = await sf(emu.url, `/services/oauth2/authorize?client_id=nobody&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`);
    expect(unknown.status).toBe(400);
  });
});
