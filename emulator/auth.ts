import { randomBytes } from "node:crypto";

/**
 * Credentials: fixed private-app tokens and OAuth client, authorization codes, access and
 * refresh tokens. Time comes from the caller so the emulator's clock can be moved.
 */
export const PORTAL_ID = 62515;
export const PRIVATE_APP_TOKEN = "pat-emulator-0000";
export const OAUTH_CLIENT_ID = "emulator-client-id";
export const OAUTH_CLIENT_SECRET = "emulator-client-secret";
export const OAUTH_APP_ID = 4242;
export const EMULATOR_USER_ID = 9001;
export const EMULATOR_USER = "emulator@crmsync.test";
export const HUB_DOMAIN = "emulator.hubspot.test";

export const ALL_SCOPES = [
  "oauth",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.write",
  "crm.schemas.deals.write",
  "crm.schemas.contacts.write",
  "crm.lists.read",
  "crm.lists.write",
] as const;

/**
 * private: a legacy private-app token; service_key: an account service key (HubSpot's
 * replacement for private apps, same rate-limit tier); oauth: an app's access token.
 */
export type TokenKind = "private" | "oauth" | "service_key";

export interface AccessToken {
  token: string;
  kind: TokenKind;
  scopes: string[];
  /** Infinity for private-app tokens. */
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
  clientId?: string;
  /** Private-app tier override for this token (else the emulator's default). */
  tier?: PrivateAppTier;
  /** OAuth: how the token was granted (client_credentials tokens have no refresh token). */
  tokenUse?: "access_token" | "client_credentials";
}

export type PrivateAppTier = "starter" | "professional" | "enterprise";

interface AuthCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
  accessTokens: Set<string>;
}

export type AuthResult =
  | { ok: true; token: AccessToken }
  | { ok: false; category: "INVALID_AUTHENTICATION" | "EXPIRED_AUTHENTICATION"; message: string };

const NO_CREDENTIALS =
  "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

function opaque(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

export class AuthRegistry {
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();
  readonly clients = new Map<string, string>([[OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET]]);
  accessTokenLifetimeSeconds: number;
  rotateRefreshTokens = false;

  constructor(accessTokenLifetimeSeconds = 1800) {
    this.accessTokenLifetimeSeconds = accessTokenLifetimeSeconds;
    this.reset();
  }

  reset(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.addPrivateAppToken(PRIVATE_APP_TOKEN);
  }

  addPrivateAppToken(token: string, opts: { scopes?: string[]; tier?: PrivateAppTier } = {}): AccessToken {
    const t: AccessToken = { token, kind: "private", scopes: opts.scopes ?? [...ALL_SCOPES], expiresAt: Infinity, revoked: false };
    if (opts.tier) t.tier = opts.tier;
    this.accessTokens.set(token, t);
    return t;
  }

  /** A service key: sent as `Authorization: Bearer <key>`, its own scopes, the private-app tier. */
  addServiceKey(opts: { key?: string; scopes?: string[]; tier?: PrivateAppTier } = {}): AccessToken {
    const t: AccessToken = { token: opts.key ?? opaque("sk-na1-", 32), kind: "service_key", scopes: opts.scopes ?? [...ALL_SCOPES], expiresAt: Infinity, revoked: false };
    if (opts.tier) t.tier = opts.tier;
    this.accessTokens.set(t.token, t);
    return t;
  }

  serviceKeys(): AccessToken[] {
    return [...this.accessTokens.values()].filter((t) => t.kind === "service_key");
  }

  /** Revokes a private-app token, service key or access token: later calls answer 401. */
  revokeAccessToken(token: string): boolean {
    const t = this.accessTokens.get(token);
    if (!t || t.revoked) return false;
    t.revoked = true;
    return true;
  }

  /** An app's token from the client-credentials grant (no refresh token, no user). */
  issueClientCredentialsToken(clientId: string, scopes: string[], now: number): AccessToken {
    const t: AccessToken = {
      token: opaque("emu-cc-na1-", 48),
      kind: "oauth",
      scopes,
      expiresAt: now + this.accessTokenLifetimeSeconds * 1000,
      revoked: false,
      clientId,
      tokenUse: "client_credentials",
    };
    this.accessTokens.set(t.token, t);
    return t;
  }

  authenticate(header: string | undefined, now: number): AuthResult {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return { ok: false, category: "INVALID_AUTHENTICATION", message: NO_CREDENTIALS };
    const t = this.accessTokens.get(match[1]!);
    if (!t || t.revoked) return { ok: false, category: "INVALID_AUTHENTICATION", message: NO_CREDENTIALS };
    if (now >= t.expiresAt) {
      const mins = Math.max(1, Math.floor((now - t.expiresAt) / 60_000));
      return { ok: false, category: "EXPIRED_AUTHENTICATION", message: `The OAuth token used to make this call expired ${mins} minute(s) ago.` };
    }
    return { ok: true, token: t };
  }

  issueCode(clientId: string, redirectUri: string, scopes: string[], now: number): string {
    const code = opaque("emu-code-", 18);
    this.codes.set(code, { clientId, redirectUri, scopes, expiresAt: now + 10 * 60_000 });
    return code;
  }

  /** Single use, as HubSpot's codes are. */
  consumeCode(code: string, now: number): AuthCode | undefined {
    const c = this.codes.get(code);
    if (!c) return undefined;
    this.codes.delete(code);
    return c.expiresAt > now ? c : undefined;
  }

  issueAccessToken(refresh: RefreshToken, now: number): AccessToken {
    const t: AccessToken = {
      token: opaque("emu-at-na1-", 48),
      kind: "oauth",
      scopes: refresh.scopes,
      expiresAt: now + this.accessTokenLifetimeSeconds * 1000,
      revoked: false,
      refreshToken: refresh.token,
      clientId: refresh.clientId,
      tokenUse: "access_token",
    };
    this.accessTokens.set(t.token, t);
    refresh.accessTokens.add(t.token);
    return t;
  }

  issueRefreshToken(clientId: string, scopes: string[]): RefreshToken {
    const r: RefreshToken = { token: opaque("emu-rt-na1-", 24), clientId, scopes, revoked: false, accessTokens: new Set() };
    this.refreshTokens.set(r.token, r);
    return r;
  }

  /** Revoking a refresh token uninstalls the grant: its access tokens stop working too. */
  revokeRefreshToken(token: string): boolean {
    const r = this.refreshTokens.get(token);
    if (!r || r.revoked) return false;
    r.revoked = true;
    for (const at of r.accessTokens) {
      const a = this.accessTokens.get(at);
      if (a) a.revoked = true;
    }
    return true;
  }

  /** Control API: make an access token expire now (or revoke it). */
  expireAccessToken(token: string, now: number): boolean {
    const t = this.accessTokens.get(token);
    if (!t) return false;
    t.expiresAt = now;
    return true;
  }
}
