import { createHmac } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConnectedApp, RefreshGrant, SessionToken } from "../auth.ts";
import { route, sessionOf } from "../server.ts";
import { USERNAME, type SalesforceStore } from "../store.ts";

/**
 * OAuth 2.0 web server flow as Salesforce's login hosts run it (production and sandbox are the
 * same server here): authorize approves at once and redirects with a code, the token endpoint
 * exchanges codes and refresh tokens, revoke ends a grant, userinfo describes the user.
 */
type Form = Record<string, string | undefined>;

function oauthError(reply: FastifyReply, error: string, description: string, status = 400): FastifyReply {
  return reply.code(status).send({ error, error_description: description });
}

function params(req: FastifyRequest): Form {
  const body = (req.body && typeof req.body === "object" ? req.body : {}) as Form;
  return { ...(req.query as Form), ...body };
}

/** Salesforce signs `id + issued_at` with the app's consumer secret. */
function signature(app: ConnectedApp, id: string, issuedAt: string): string {
  return createHmac("sha256", app.clientSecret).update(id + issuedAt).digest("base64");
}

/** A refresh token is issued when the scope asks for offline use (or names no scope). */
function wantsRefresh(scope: string): boolean {
  const parts = scope.split(/\s+/).filter(Boolean);
  return parts.length === 0 || parts.some((p) => p === "refresh_token" || p === "offline_access" || p === "full");
}

export function registerOAuthRoutes(app: FastifyInstance, store: SalesforceStore, baseUrl: () => string): void {
  const identityUrl = () => `${baseUrl()}/id/${store.orgId}/${store.userId}`;

  const tokenAnswer = (connected: ConnectedApp, session: SessionToken, scope: string, refresh?: RefreshGrant) => {
    const issuedAt = String(session.issuedAt);
    const answer: Record<string, string> = { access_token: session.token };
    if (refresh) answer.refresh_token = refresh.token;
    Object.assign(answer, {
      signature: signature(connected, identityUrl(), issuedAt),
      scope,
      instance_url: baseUrl(),
      id: identityUrl(),
      token_type: "Bearer",
      issued_at: issuedAt,
    });
    return answer;
  };

  app.get("/services/oauth2/authorize", route({ endpoint: "oauth.authorize", kind: "oauth" }), async (req, reply) => {
    const q = req.query as Form;
    const connected = store.auth.apps.get(q.client_id ?? "");
    const redirectUri = q.redirect_uri ?? "";
    if (!connected) return reply.code(400).type("text/html").send("<html><body><h1>error=invalid_client_id</h1><p>client identifier invalid</p></body></html>");
    if (!redirectUri || (connected.redirectUris.length > 0 && !connected.redirectUris.includes(redirectUri))) {
      return reply.code(400).type("text/html").send("<html><body><h1>error=redirect_uri_mismatch</h1><p>redirect_uri must match configuration</p></body></html>");
    }
    const target = new URL(redirectUri);
    if (q.response_type !== "code") {
      target.searchParams.set("error", "unsupported_response_type");
      target.searchParams.set("error_description", "response type not supported");
    } else if (store.auth.authorizeAnswer === "deny") {
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "end-user denied authorization");
    } else {
      target.searchParams.set("code", store.auth.issueCode(connected.clientId, redirectUri, q.scope ?? "", store.now()));
    }
    if (q.state !== undefined) target.searchParams.set("state", q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post("/services/oauth2/token", route({ endpoint: "oauth.token", kind: "oauth" }), async (req, reply) => {
    const f = params(req);
    const connected = store.auth.apps.get(f.client_id ?? "");
    if (!connected) return oauthError(reply, "invalid_client_id", "client identifier invalid");
    if (f.grant_type !== "authorization_code" && f.grant_type !== "refresh_token") return oauthError(reply, "unsupported_grant_type", "grant type not supported");
    if (f.client_secret !== connected.clientSecret) return oauthError(reply, "invalid_client", "invalid client credentials");
    const now = store.now();
    if (f.grant_type === "authorization_code") {
      const got = store.auth.redeemCode(f.code ?? "", connected.clientId, f.redirect_uri ?? "", now);
      if (got === "invalid") return oauthError(reply, "invalid_grant", "invalid authorization code");
      if (got === "redirect_mismatch") return oauthError(reply, "redirect_uri_mismatch", "redirect_uri must match configuration");
      const scope = got.scope.trim() === "" ? "api refresh_token" : got.scope.trim();
      const refresh = wantsRefresh(got.scope) ? store.auth.issueRefreshToken(connected.clientId, scope) : undefined;
      return tokenAnswer(connected, store.auth.issueSession(connected.clientId, refresh, now), scope, refresh);
    }
    const grant = store.auth.refreshTokens.get(f.refresh_token ?? "");
    if (!grant || grant.revoked || grant.clientId !== connected.clientId) return oauthError(reply, "invalid_grant", "expired access/refresh token");
    const next = store.auth.rotateRefreshTokens ? store.auth.rotate(grant) : grant;
    const session = store.auth.issueSession(connected.clientId, next, now);
    return tokenAnswer(connected, session, grant.scope, store.auth.rotateRefreshTokens ? next : undefined);
  });

  const revoke = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = params(req).token ?? "";
    if (!store.auth.revoke(token)) return oauthError(reply, "unsupported_token_type", "this token type is not supported");
    return reply.code(200).send();
  };
  app.post("/services/oauth2/revoke", route({ endpoint: "oauth.revoke", kind: "oauth" }), async (req, reply) => revoke(req, reply));
  app.get("/services/oauth2/revoke", route({ endpoint: "oauth.revoke", kind: "oauth" }), async (req, reply) => revoke(req, reply));

  const userinfo = async (req: FastifyRequest) => {
    sessionOf(req);
    return {
      sub: identityUrl(),
      user_id: store.userId,
      organization_id: store.orgId,
      preferred_username: USERNAME,
      nickname: "integration",
      name: "Integration User",
      email: USERNAME,
      email_verified: true,
      given_name: "Integration",
      family_name: "User",
      zoneinfo: "Europe/London",
      photos: { picture: `${baseUrl()}/profilephoto/005/F`, thumbnail: `${baseUrl()}/profilephoto/005/T` },
      profile: `${baseUrl()}/${store.userId}`,
      picture: `${baseUrl()}/profilephoto/005/F`,
      address: {},
      urls: {
        enterprise: `${baseUrl()}/services/Soap/c/{version}/${store.orgId.slice(0, 15)}`,
        partner: `${baseUrl()}/services/Soap/u/{version}/${store.orgId.slice(0, 15)}`,
        rest: `${baseUrl()}/services/data/v{version}/`,
        sobjects: `${baseUrl()}/services/data/v{version}/sobjects/`,
        search: `${baseUrl()}/services/data/v{version}/search/`,
        query: `${baseUrl()}/services/data/v{version}/query/`,
        profile: `${baseUrl()}/${store.userId}`,
      },
      active: true,
      user_type: "STANDARD",
      language: "en_US",
      locale: "en_GB",
      utcOffset: 0,
      updated_at: "2025-01-01T00:00:00Z",
      is_app_installed: true,
    };
  };
  app.get("/services/oauth2/userinfo", route({ endpoint: "oauth.userinfo", kind: "identity" }), async (req) => userinfo(req));
  app.get("/id/:org/:user", route({ endpoint: "oauth.identity", kind: "identity" }), async (req) => userinfo(req));
}
