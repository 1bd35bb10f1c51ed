import { randomBytes } from "node:crypto";

/**
 * Connected apps, authorization codes, refresh and access tokens. Access tokens look like
 * Salesforce's session ids (`<org id 15>!<opaque>`); refresh tokens start `5Aep`.
 */
export const DEFAULT_CLIENT_ID = "sf-emulator-consumer-key";
export const DEFAULT_CLIENT_SECRET = "sf-emulator-consumer-secret";

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** Empty: any callback is accepted (the default demo app). */
  redirectUris: string[];
}

export interface RefreshGrant {
  token: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

export interface SessionToken {
  token: string;
  clientId: string;
  refresh?: RefreshGrant;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

const CODE_LIFETIME_MS = 15 * 60 * 1000;

function opaque(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

export class SalesforceAuth {
  readonly apps = new Map<string, ConnectedApp>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly sessions = new Map<string, SessionToken>();
  private readonly codes = new Map<string, AuthCode>();
  rotateRefreshTokens = false;
  /** What the authorize page does: approve at once, or answer as a user who clicked Deny. */
  authorizeAnswer: "approve" | "deny" = "approve";

  constructor(
    private readonly orgId: string,
    public accessTokenLifetimeSeconds: number,
  ) {
    this.reset();
  }

  reset(): void {
    this.apps.clear();
    this.refreshTokens.clear();
    this.sessions.clear();
    this.codes.clear();
    this.rotateRefreshTokens = false;
    this.authorizeAnswer = "approve";
    this.apps.set(DEFAULT_CLIENT_ID, { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, redirectUris: [] });
  }

  issueCode(clientId: string, redirectUri: string, scope: string, now: number): string {
    const code = `aPrx${opaque(48)}`;
    this.codes.set(code, { clientId, redirectUri, scope, expiresAt: now + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** A code is single-use, bound to its app and callback, and lasts 15 minutes. */
  redeemCode(code: string, clientId: string, redirectUri: string, now: number): AuthCode | "invalid" | "redirect_mismatch" {
    const c = this.codes.get(code);
    if (!c || c.used || c.clientId !== clientId || now >= c.expiresAt) return "invalid";
    if (c.redirectUri !== redirectUri) return "redirect_mismatch";
    c.used = true;
    return c;
  }

  issueRefreshToken(clientId: string, scope: string): RefreshGrant {
    const grant: RefreshGrant = { token: `5Aep${opaque(64)}`, clientId, scope, revoked: false };
    this.refreshTokens.set(grant.token, grant);
    return grant;
  }

  issueSession(clientId: string, refresh: RefreshGrant | undefined, now: number): SessionToken {
    const t: SessionToken = {
      token: `${this.orgId.slice(0, 15)}!AQ${opaque(72)}`,
      clientId,
      issuedAt: now,
      expiresAt: now + this.accessTokenLifetimeSeconds * 1000,
      revoked: false,
    };
    if (refresh) t.refresh = refresh;
    this.sessions.set(t.token, t);
    return t;
  }

  /** Rotation: the old refresh token stops working once the new one is issued. */
  rotate(old: RefreshGrant): RefreshGrant {
    old.revoked = true;
    return this.issueRefreshToken(old.clientId, old.scope);
  }

  /** Revoking a refresh token ends every session it issued; revoking a session ends just it. */
  revoke(token: string): boolean {
    const grant = this.refreshTokens.get(token);
    if (grant) {
      grant.revoked = true;
      for (const s of this.sessions.values()) if (s.refresh === grant) s.revoked = true;
      return true;
    }
    const session = this.sessions.get(token);
    if (session) {
      session.revoked = true;
      return true;
    }
    return false;
  }

  expire(token: string, now: number): boolean {
    const s = this.sessions.get(token);
    if (!s) return false;
    s.expiresAt = now;
    return true;
  }

  /** The live session of an `Authorization: Bearer|OAuth <token>` header, if any. */
  authenticate(header: string | undefined, now: number): SessionToken | undefined {
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header ?? "");
    const s = m ? this.sessions.get(m[1]!) : undefined;
    if (!s || s.revoked || now >= s.expiresAt) return undefined;
    return s;
  }
}
