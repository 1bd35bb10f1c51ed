// HubSpot OAuth 2.0 on the 2026-03 endpoints: authorize URL, code exchange, refresh,
// introspection, revoke, and an auth provider that keeps an access token fresh. Every call is a
// form post carrying the client id and secret; answers are snake_case. Storing tokens
// (encrypted) is the caller's job, through onTokens.
import { hubspotPaths } from "./api-paths.ts";
import { HubSpotError, isHubSpotError } from "./errors.ts";
import { parse, tokenInfoSchema, tokenResponseSchema } from "./schemas.ts";
import { createTransport } from "./transport.ts";
import type { AuthProvider, Transport, TransportOptions } from "./transport.ts";
import type { AccessTokenInfo } from "./types.ts";

export const defaultAuthorizeUrl = "https://app.hubspot.com/oauth/authorize";

/** What account sync and one-way contact sync need (product spec §2). */
export const readScopes = [
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "crm.objects.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.contacts.read",
  "crm.lists.read",
  "oauth",
] as const;

/** Two-way contact sync also writes contacts. */
export const twoWayScopes = [...readScopes, "crm.objects.contacts.write"] as const;

export function requiredScopes(contactSync: "off" | "inbound" | "two_way"): string[] {
  return contactSync === "two_way" ? [...twoWayScopes] : [...readScopes];
}

/** Scopes of `required` that a token lacks (from introspectAccessToken's `scopes`). */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}

export interface AuthorizeUrlOptions {
  authorizeUrl?: string | undefined;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  optionalScopes?: readonly string[] | undefined;
  /** Checked on callback against what was stored when the flow started. */
  state: string;
}

export function buildAuthorizeUrl(o: AuthorizeUrlOptions): string {
  const params: Array<[string, string]> = [
    ["client_id", o.clientId],
    ["redirect_uri", o.redirectUri],
    // Space-separated as OAuth 2.0 says, encoded as %20 (HubSpot's own examples) rather than "+".
    ["scope", o.scopes.join(" ")],
  ];
  if (o.optionalScopes !== undefined && o.optionalScopes.length > 0) params.push(["optional_scope", o.optionalScopes.join(" ")]);
  params.push(["state", o.state]);
  const url = new URL(o.authorizeUrl ?? defaultAuthorizeUrl);
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
  url.search = url.search === "" ? query : `${url.search.slice(1)}&${query}`;
  return url.toString();
}

export interface OAuthClientConfig extends Omit<TransportOptions, "auth" | "budget"> {
  clientId: string;
  clientSecret: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What the token endpoint says besides the tokens (2026-03 answers carry both; v1 did not). */
export interface GrantInfo {
  hubId?: number | undefined;
  scopes?: string[] | undefined;
}

function oauthTransport(config: OAuthClientConfig): Transport {
  const { clientId: _id, clientSecret: _secret, ...transport } = config;
  return createTransport(transport);
}

/**
 * Token answers that mean the grant is gone: the refresh token was revoked, the app
 * uninstalled, or the token is unknown. The connection must be reconnected by a person.
 */
function revokedGrant(error: HubSpotError): boolean {
  // v1 put the code in `status` (read as category); the 2026 standard body has it in subCategory or errors[].code.
  const codes = [error.category, error.subCategory, ...error.details.map((d) => d.code)].map((c) => (c ?? "").toUpperCase());
  return codes.some((c) => c === "BAD_REFRESH_TOKEN" || c === "INVALID_GRANT") || /invalid_grant/i.test(error.message);
}

/** The client's credentials go in the form body with every OAuth call (2026-03 takes no Basic auth). */
function clientForm(config: OAuthClientConfig, form: Record<string, string>): Record<string, string> {
  return { ...form, client_id: config.clientId, client_secret: config.clientSecret };
}

async function tokenCall(config: OAuthClientConfig, form: Record<string, string>, now: () => number): Promise<OAuthTokens & GrantInfo & { rotated: boolean }> {
  const endpoint = "oauth.token";
  const started = now();
  try {
    const response = await oauthTransport(config).request<unknown>({
      endpoint,
      method: "POST",
      path: hubspotPaths.oauthToken(),
      form: clientForm(config, form),
      authenticated: false,
      budget: null,
    });
    const body = parse(tokenResponseSchema, response.body, endpoint, response.status);
    const refreshToken = body.refresh_token ?? form.refresh_token;
    if (refreshToken === undefined) {
      throw new HubSpotError({ kind: "unavailable", status: response.status, endpoint, message: "HubSpot's token answer has no refresh token." });
    }
    return {
      accessToken: body.access_token,
      refreshToken,
      // Counted from before the call, so a slow answer errs on the early side.
      expiresAt: started + body.expires_in * 1000,
      rotated: body.refresh_token !== undefined && body.refresh_token !== form.refresh_token,
      ...(body.hub_id === undefined ? {} : { hubId: body.hub_id }),
      ...(body.scopes === undefined ? {} : { scopes: body.scopes }),
    };
  } catch (error) {
    // Only a refused refresh means the grant is gone; a refused code is just a bad callback.
    if (isHubSpotError(error) && error.kind === "bad_request" && form.grant_type === "refresh_token" && revokedGrant(error)) {
      throw new HubSpotError({
        kind: "auth_revoked",
        status: error.status,
        endpoint,
        message: error.message,
        category: error.category,
        subCategory: error.subCategory,
        correlationId: error.correlationId,
        cause: error,
      });
    }
    throw error;
  }
}

export async function exchangeCode(config: OAuthClientConfig, o: { code: string; redirectUri: string }, now: () => number = Date.now): Promise<OAuthTokens & GrantInfo> {
  const { rotated: _rotated, ...tokens } = await tokenCall(config, { grant_type: "authorization_code", code: o.code, redirect_uri: o.redirectUri }, now);
  return tokens;
}

/**
 * What HubSpot knows about an access token: its portal and scopes. Introspection needs the
 * app's client secret, which is why a service key or private-app token cannot use it.
 */
export async function introspectAccessToken(config: OAuthClientConfig, token: string): Promise<AccessTokenInfo> {
  const endpoint = "oauth.introspect";
  const response = await oauthTransport(config).request<unknown>({
    endpoint,
    method: "POST",
    path: hubspotPaths.oauthIntrospect(),
    form: clientForm(config, { token, token_type_hint: "access_token" }),
    authenticated: false,
    budget: null,
  });
  const info = parse(tokenInfoSchema, response.body, endpoint, response.status);
  if (info.active === false) throw new HubSpotError({ kind: "auth_revoked", status: response.status, endpoint, message: "HubSpot says this access token is not active." });
  return info as AccessTokenInfo;
}

/**
 * New tokens for a refresh token. Whether HubSpot rotates refresh tokens is unconfirmed: when
 * the answer carries a new one it replaces the old, otherwise the old one stays.
 */
export async function refreshAccessToken(config: OAuthClientConfig, refreshToken: string, now: () => number = Date.now): Promise<OAuthTokens & { rotated: boolean }> {
  return tokenCall(config, { grant_type: "refresh_token", refresh_token: refreshToken }, now);
}

/** Revokes a refresh token (disconnecting), and with it the grant's access tokens. */
export async function revokeRefreshToken(config: OAuthClientConfig, refreshToken: string): Promise<void> {
  try {
    await oauthTransport(config).request<unknown>({
      endpoint: "oauth.revoke",
      method: "POST",
      path: hubspotPaths.oauthRevoke(),
      form: clientForm(config, { token: refreshToken, token_type_hint: "refresh_token" }),
      authenticated: false,
      budget: null,
    });
  } catch (error) {
    // A token already gone counts as revoked.
    if (isHubSpotError(error, "not_found")) return;
    throw error;
  }
}

export interface OAuthTokenProviderOptions {
  config: OAuthClientConfig;
  tokens: OAuthTokens;
  /** Called with every new set of tokens, before they are used, so the caller can persist them. */
  onTokens?: ((tokens: OAuthTokens) => void | Promise<void>) | undefined;
  /** Refresh this long before expiry. */
  refreshMarginMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** An AuthProvider for an OAuth connection: refreshes before expiry and on 401, one refresh at a time. */
export class OAuthTokenProvider implements AuthProvider {
  private current: OAuthTokens;
  private inflight: Promise<OAuthTokens> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;
  /** Refreshes done, for figures and tests. */
  refreshes = 0;

  constructor(private readonly options: OAuthTokenProviderOptions) {
    this.current = { ...options.tokens };
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get tokens(): OAuthTokens {
    return { ...this.current };
  }

  async accessToken(): Promise<string> {
    if (this.now() >= this.current.expiresAt - this.marginMs) return (await this.refresh()).accessToken;
    return this.current.accessToken;
  }

  /**
   * A 401 with `rejectedToken`: when another caller already replaced that token, just retry;
   * otherwise refresh. Throws auth_revoked when the grant is gone.
   */
  async onUnauthorized(rejectedToken?: string): Promise<boolean> {
    if (rejectedToken !== undefined && rejectedToken !== this.current.accessToken) return true;
    await this.refresh();
    return true;
  }

  /** Concurrent callers share one refresh: a second refresh with a rotated-away token would fail. */
  refresh(): Promise<OAuthTokens> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async doRefresh(): Promise<OAuthTokens> {
    // Whatever refresh token comes back is kept: HubSpot may rotate it on use.
    const { accessToken, refreshToken, expiresAt } = await refreshAccessToken(this.options.config, this.current.refreshToken, this.now);
    const tokens = { accessToken, refreshToken, expiresAt };
    await this.options.onTokens?.({ ...tokens });
    this.current = tokens;
    this.refreshes++;
    return { ...tokens };
  }
}
