import { ALL_SCOPES, type AccessToken, type RefreshToken } from "./auth.ts";
import type { EmulatorStore } from "./store.ts";

/**
 * The OAuth grants behind every token endpoint (v1/v3 and 2026-03/2026-09): client
 * credentials check, authorization code, refresh token and client credentials. The endpoints
 * differ only in which grants they take and in how they write answers and errors.
 */
export type Form = Record<string, string | undefined>;

export type GrantType = "authorization_code" | "refresh_token" | "client_credentials";

export interface GrantError {
  /** HubSpot's v1 status code, e.g. BAD_REFRESH_TOKEN. */
  code: "BAD_CLIENT_ID" | "BAD_CLIENT_SECRET" | "BAD_AUTH_CODE" | "BAD_REDIRECT_URI" | "BAD_REFRESH_TOKEN" | "BAD_GRANT_TYPE";
  message: string;
  /** The form field at fault. */
  field: string;
  /** The RFC 6749 error name. */
  oauthError: "invalid_client" | "invalid_grant" | "unsupported_grant_type";
}

export type GrantResult = { ok: true; access: AccessToken; refresh?: RefreshToken } | { ok: false; error: GrantError };

/** The client's own credentials from the form, or what is wrong with them. */
export function checkClient(store: EmulatorStore, f: Form): GrantError | undefined {
  const secret = f.client_id ? store.auth.clients.get(f.client_id) : undefined;
  if (secret === undefined) return { code: "BAD_CLIENT_ID", message: "missing or unknown client id", field: "client_id", oauthError: "invalid_client" };
  if (f.client_secret !== secret) return { code: "BAD_CLIENT_SECRET", message: "missing or invalid client secret", field: "client_secret", oauthError: "invalid_client" };
  return undefined;
}

function grantError(code: GrantError["code"], message: string, field: string, oauthError: GrantError["oauthError"] = "invalid_grant"): GrantResult {
  return { ok: false, error: { code, message, field, oauthError } };
}

export function runGrant(store: EmulatorStore, f: Form, allowed: readonly GrantType[]): GrantResult {
  const client = checkClient(store, f);
  if (client) return { ok: false, error: client };
  const now = store.now();
  const grant = f.grant_type as GrantType | undefined;
  if (!grant || !allowed.includes(grant)) return grantError("BAD_GRANT_TYPE", `unsupported grant_type ${String(f.grant_type)}`, "grant_type", "unsupported_grant_type");
  if (grant === "authorization_code") {
    const code = f.code ? store.auth.consumeCode(f.code, now) : undefined;
    if (!code || code.clientId !== f.client_id) return grantError("BAD_AUTH_CODE", "missing or unknown auth code", "code");
    if (code.redirectUri !== f.redirect_uri) return grantError("BAD_REDIRECT_URI", "redirect_uri does not match", "redirect_uri");
    const refresh = store.auth.issueRefreshToken(code.clientId, code.scopes);
    return { ok: true, refresh, access: store.auth.issueAccessToken(refresh, now) };
  }
  if (grant === "refresh_token") {
    let refresh = f.refresh_token ? store.auth.refreshTokens.get(f.refresh_token) : undefined;
    if (!refresh || refresh.revoked || refresh.clientId !== f.client_id) return grantError("BAD_REFRESH_TOKEN", "missing or unknown refresh token", "refresh_token");
    if (store.auth.rotateRefreshTokens) {
      store.auth.refreshTokens.delete(refresh.token);
      const next = store.auth.issueRefreshToken(refresh.clientId, refresh.scopes);
      for (const at of refresh.accessTokens) next.accessTokens.add(at);
      refresh = next;
    }
    return { ok: true, refresh, access: store.auth.issueAccessToken(refresh, now) };
  }
  // client_credentials: the app's own token, with the scopes asked for (default: all of the app's).
  const asked = (f.scope ?? "").split(/[\s+]+/).filter(Boolean);
  const scopes = asked.length > 0 ? asked.filter((s) => (ALL_SCOPES as readonly string[]).includes(s)) : [...ALL_SCOPES];
  return { ok: true, access: store.auth.issueClientCredentialsToken(f.client_id!, scopes, now) };
}
