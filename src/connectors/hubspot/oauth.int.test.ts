// OAuth against the emulator: authorize and code exchange, refresh before expiry and on 401,
// one refresh for many concurrent callers, rotating refresh tokens, revocation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, PORTAL_ID, startEmulator } from "../../../emulator/index.ts";
import type { RunningEmulator } from "../../../emulator/index.ts";
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient } from "./client.ts";
import { HubSpotError } from "./errors.ts";
import {
  OAuthTokenProvider,
  buildAuthorizeUrl,
  exchangeCode,
  introspectAccessToken,
  missingScopes,
  readScopes,
  refreshAccessToken,
  revokeRefreshToken,
  twoWayScopes,
} from "./oauth.ts";
import type { OAuthClientConfig, OAuthTokens } from "./oauth.ts";
import { CallCounter } from "./types.ts";

let emu: RunningEmulator;
let config: OAuthClientConfig;
const redirectUri = "https://crmsync.test/oauth/callback";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimits: false, seed: 2, companies: 5, deals: 0, contacts: 0 });
  config = { baseUrl: emu.url, clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET, retry: { baseDelayMs: 5, maxDelayMs: 20 } };
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.store.clock.reset();
  emu.store.auth.rotateRefreshTokens = false;
});

/** Runs the browser leg: the emulator's authorize page approves at once and redirects with a code. */
async function authorize(scopes: readonly string[], state: string): Promise<URL> {
  const url = buildAuthorizeUrl({ authorizeUrl: `${emu.url}/oauth/authorize`, clientId: OAUTH_CLIENT_ID, redirectUri, scopes, state });
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

async function connect(scopes: readonly string[] = readScopes): Promise<OAuthTokens> {
  const callback = await authorize(scopes, "state-1");
  return exchangeCode(config, { code: callback.searchParams.get("code") ?? "", redirectUri }, () => emu.store.now());
}

function providerFor(tokens: OAuthTokens, saved: OAuthTokens[] = []): OAuthTokenProvider {
  return new OAuthTokenProvider({ config, tokens, onTokens: (t) => void saved.push(t), now: () => emu.store.now() });
}

function clientFor(provider: OAuthTokenProvider): HubSpotClient {
  return createHubSpotClient({ baseUrl: emu.url, auth: provider, counter: new CallCounter(), retry: { baseDelayMs: 5, maxDelayMs: 20 } });
}

describe("authorize and exchange", () => {
  it("returns the state and exchanges the code for tokens with the asked scopes", async () => {
    const callback = await authorize(readScopes, "csrf-42");
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get("state")).toBe("csrf-42");
    const before = emu.store.now();
    const tokens = await exchangeCode(config, { code: callback.searchParams.get("code") ?? "", redirectUri });
    expect(tokens.accessToken).not.toBe("");
    expect(tokens.refreshToken).not.toBe("");
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 1_790_000);
    expect(tokens.hubId).toBe(PORTAL_ID);
    const info = await introspectAccessToken(config, tokens.accessToken);
    expect(info.hub_id).toBe(PORTAL_ID);
    expect(missingScopes(info.scopes, readScopes)).toEqual([]);
    expect(missingScopes(info.scopes, twoWayScopes)).toEqual(["crm.objects.contacts.write"]);
  });

  it("refuses a code used twice as bad_request, not as a revoked grant", async () => {
    const callback = await authorize(readScopes, "s");
    const code = callback.searchParams.get("code") ?? "";
    await exchangeCode(config, { code, redirectUri });
    await expect(exchangeCode(config, { code, redirectUri })).rejects.toMatchObject({ kind: "bad_request", category: "VALIDATION_ERROR", subCategory: "BAD_AUTH_CODE" });
  });
});

describe("OAuthTokenProvider", () => {
  it("refreshes five minutes before expiry, before the call, and hands the new tokens over", async () => {
    const tokens = await connect();
    const saved: OAuthTokens[] = [];
    const provider = providerFor(tokens, saved);
    const client = clientFor(provider);
    await client.listProperties("companies");
    expect(provider.refreshes).toBe(0);
    emu.store.counters.reset();
    emu.store.clock.advance(26 * 60_000); // 4 minutes left
    await client.listProperties("companies");
    expect(provider.refreshes).toBe(1);
    expect(emu.store.counters.get("oauth.token")).toBe(1);
    expect(emu.store.counters.snapshot().statuses["401"]).toBeUndefined();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.accessToken).not.toBe(tokens.accessToken);
    expect(saved[0]?.refreshToken).toBe(tokens.refreshToken); // the emulator does not rotate by default
    expect(provider.tokens.accessToken).toBe(saved[0]?.accessToken);
  });

  it("refreshes on a 401 and retries the call once", async () => {
    const tokens = await connect();
    const provider = providerFor(tokens);
    const client = clientFor(provider);
    emu.store.auth.expireAccessToken(tokens.accessToken, emu.store.now());
    emu.store.counters.reset();
    expect((await client.listProperties("companies")).length).toBeGreaterThan(0);
    expect(emu.store.counters.get("properties.companies.list")).toBe(2);
    expect(emu.store.counters.get("oauth.token")).toBe(1);
    expect(emu.store.counters.snapshot().statuses["401"]).toBe(1);
  });

  it("shares one refresh between concurrent callers", async () => {
    const tokens = await connect();
    const provider = providerFor(tokens);
    const client = clientFor(provider);
    emu.store.auth.expireAccessToken(tokens.accessToken, emu.store.now());
    emu.store.counters.reset();
    await Promise.all(Array.from({ length: 10 }, () => client.listProperties("deals")));
    expect(emu.store.counters.get("oauth.token")).toBe(1);
    expect(provider.refreshes).toBe(1);
    emu.store.clock.advance(28 * 60_000);
    emu.store.counters.reset();
    await Promise.all(Array.from({ length: 10 }, () => client.listProperties("deals")));
    expect(emu.store.counters.get("oauth.token")).toBe(1);
  });

  it("keeps rotated refresh tokens", async () => {
    emu.store.auth.rotateRefreshTokens = true;
    const tokens = await connect();
    const saved: OAuthTokens[] = [];
    const provider = providerFor(tokens, saved);
    const client = clientFor(provider);
    emu.store.clock.advance(29 * 60_000);
    await client.listProperties("companies");
    expect(saved[0]?.refreshToken).not.toBe(tokens.refreshToken);
    emu.store.clock.advance(29 * 60_000);
    await client.listProperties("companies");
    expect(provider.refreshes).toBe(2);
    expect(saved[1]?.refreshToken).not.toBe(saved[0]?.refreshToken);
    // The first refresh token was rotated away.
    await expect(refreshAccessToken(config, tokens.refreshToken)).rejects.toMatchObject({ kind: "auth_revoked" });
  });

  it("turns a revoked grant into auth_revoked", async () => {
    const tokens = await connect();
    const provider = providerFor(tokens);
    const client = clientFor(provider);
    await revokeRefreshToken(config, tokens.refreshToken);
    await revokeRefreshToken(config, tokens.refreshToken); // already gone: still fine
    emu.store.counters.reset();
    const error = await client.listProperties("companies").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotError);
    expect(error).toMatchObject({ kind: "auth_revoked", subCategory: "BAD_REFRESH_TOKEN" });
    expect(emu.store.counters.get("properties.companies.list")).toBe(1);
    expect(emu.store.counters.get("oauth.token")).toBe(1);
  });

  it("reports a wrong client secret as bad_request", async () => {
    const tokens = await connect();
    await expect(refreshAccessToken({ ...config, clientSecret: "wrong" }, tokens.refreshToken)).rejects.toMatchObject({
      kind: "bad_request",
      category: "INVALID_AUTHENTICATION",
      subCategory: "BAD_CLIENT_SECRET",
    });
  });
});
