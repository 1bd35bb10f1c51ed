import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { EMULATOR_USER, EMULATOR_USER_ID, HUB_DOMAIN, OAUTH_APP_ID, type AccessToken, type RefreshToken } from "../auth.ts";
import { errorBody } from "../errors.ts";
import { runGrant, type Form } from "../oauth-grants.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";

/**
 * OAuth 2.0 as HubSpot ran it before 2026: an authorize page (approves at once), the v1 token
 * endpoint (also reachable as v3), token metadata and refresh-token revocation. The v1/v3
 * endpoints count as `legacy.oauth.*`; the 2026-03/2026-09 ones are in oauth-2026.ts.
 */

/** HubSpot's token-endpoint errors: `status` codes such as BAD_REFRESH_TOKEN, plus the OAuth `error`. */
function tokenError(reply: FastifyReply, status: string, message: string, oauthError: string): FastifyReply {
  return reply.code(400).send({
    status,
    message,
    correlationId: randomUUID(),
    requestId: randomUUID(),
    error: oauthError,
    error_description: message,
  });
}

function tokenResponse(store: EmulatorStore, refresh: RefreshToken, access: AccessToken): Record<string, string | number> {
  return {
    token_type: "bearer",
    refresh_token: refresh.token,
    access_token: access.token,
    expires_in: Math.max(0, Math.round((access.expiresAt - store.now()) / 1000)),
  };
}

export function registerOAuthRoutes(app: FastifyInstance, store: EmulatorStore): void {
  app.get("/oauth/authorize", route({ endpoint: "oauth.authorize", auth: false }), async (req, reply) => {
    const q = req.query as Form;
    const clientId = q.client_id ?? "";
    const redirectUri = q.redirect_uri ?? "";
    if (!store.auth.clients.has(clientId) || !redirectUri) {
      return reply
        .code(400)
        .type("text/html")
        .send("<html><body><h1>Authorization failed</h1><p>This app is misconfigured: unknown client_id or missing redirect_uri.</p></body></html>");
    }
    const scopes = [...new Set(["oauth", ...`${q.scope ?? ""} ${q.optional_scope ?? ""}`.split(/[\s+]+/).filter(Boolean)])];
    const code = store.auth.issueCode(clientId, redirectUri, scopes, store.now());
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    if (q.state !== undefined) target.searchParams.set("state", q.state);
    return reply.redirect(target.toString(), 302);
  });

  const token = async (req: { body: unknown }, reply: FastifyReply): Promise<unknown> => {
    const got = runGrant(store, (req.body ?? {}) as Form, ["authorization_code", "refresh_token"]);
    if (!got.ok) return tokenError(reply, got.error.code, got.error.message, got.error.oauthError);
    return tokenResponse(store, got.refresh!, got.access);
  };

  app.post("/oauth/v1/token", route({ endpoint: "legacy.oauth.token", auth: false }), async (req, reply) => token(req, reply));
  app.post("/oauth/v3/token", route({ endpoint: "legacy.oauth.token", auth: false }), async (req, reply) => token(req, reply));

  app.get("/oauth/v1/access-tokens/:token", route({ endpoint: "legacy.oauth.accessToken.get", auth: false }), async (req, reply) => {
    const t = store.auth.accessTokens.get((req.params as { token: string }).token);
    const now = store.now();
    if (!t || t.kind !== "oauth") return reply.code(404).send(errorBody("OBJECT_NOT_FOUND", "Token not found"));
    if (t.revoked) return reply.code(401).send(errorBody("INVALID_AUTHENTICATION", "The OAuth token has been revoked."));
    if (now >= t.expiresAt) return reply.code(401).send(errorBody("EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired."));
    return {
      token: t.token,
      user: EMULATOR_USER,
      hub_domain: HUB_DOMAIN,
      scopes: t.scopes,
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: store.portalId,
      app_id: OAUTH_APP_ID,
      expires_in: Math.round((t.expiresAt - now) / 1000),
      user_id: EMULATOR_USER_ID,
      token_type: "access",
    };
  });

  app.get("/oauth/v1/refresh-tokens/:token", route({ endpoint: "legacy.oauth.refreshToken.get", auth: false }), async (req, reply) => {
    const r = store.auth.refreshTokens.get((req.params as { token: string }).token);
    if (!r || r.revoked) return reply.code(404).send(errorBody("OBJECT_NOT_FOUND", "Token not found"));
    return {
      token: r.token,
      user: EMULATOR_USER,
      hub_domain: HUB_DOMAIN,
      scopes: r.scopes,
      hub_id: store.portalId,
      client_id: r.clientId,
      user_id: EMULATOR_USER_ID,
      token_type: "refresh",
    };
  });

  app.delete("/oauth/v1/refresh-tokens/:token", route({ endpoint: "legacy.oauth.refreshToken.delete", auth: false }), async (req, reply) => {
    if (!store.auth.revokeRefreshToken((req.params as { token: string }).token))
      return reply.code(404).send(errorBody("OBJECT_NOT_FOUND", "Token not found"));
    return reply.code(204).send();
  });

  app.post("/oauth/v3/token/introspect", route({ endpoint: "legacy.oauth.introspect", auth: false }), async (req) => {
    const f = (req.body ?? {}) as Form;
    const now = store.now();
    const t = f.token ? store.auth.accessTokens.get(f.token) : undefined;
    if (t && t.kind === "oauth" && !t.revoked && now < t.expiresAt) {
      return { active: true, token_type: "access", scope: t.scopes.join(" "), client_id: t.clientId, hub_id: store.portalId, exp: Math.floor(t.expiresAt / 1000) };
    }
    const r = f.token ? store.auth.refreshTokens.get(f.token) : undefined;
    if (r && !r.revoked) return { active: true, token_type: "refresh", scope: r.scopes.join(" "), client_id: r.clientId, hub_id: store.portalId };
    return { active: false };
  });

  app.post("/oauth/v3/token/revoke", route({ endpoint: "legacy.oauth.revoke", auth: false }), async (req, reply) => {
    const f = (req.body ?? {}) as Form;
    if (f.token) store.auth.revokeRefreshToken(f.token);
    return reply.code(200).send({});
  });
}
