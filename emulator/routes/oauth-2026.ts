import { createHmac, randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { EMULATOR_USER, EMULATOR_USER_ID, HUB_DOMAIN, OAUTH_APP_ID, OAUTH_CLIENT_SECRET, type AccessToken, type RefreshToken } from "../auth.ts";
import { checkClient, runGrant, type Form, type GrantError, type GrantType } from "../oauth-grants.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";

/**
 * OAuth as HubSpot's 2026-03 and 2026-09 APIs define it: form-encoded bodies only, client id
 * and secret in the body, snake_case answers, introspection and revocation as POSTs, and the
 * standard `Error` body for failures. 2026-03 also takes the client-credentials grant; the
 * 2026-09 spec lists only authorization_code and refresh_token.
 */
const GRANTS: Record<"2026-03" | "2026-09", readonly GrantType[]> = {
  "2026-03": ["authorization_code", "refresh_token", "client_credentials"],
  "2026-09": ["authorization_code", "refresh_token"],
};

/** The standard error body; `subCategory` keeps HubSpot's v1 status code (BAD_REFRESH_TOKEN, …). */
function oauthError(reply: FastifyReply, e: GrantError): FastifyReply {
  const category = e.oauthError === "invalid_client" ? "INVALID_AUTHENTICATION" : "VALIDATION_ERROR";
  return reply.code(400).send({
    status: "error",
    category,
    subCategory: e.code,
    correlationId: randomUUID(),
    message: e.message,
    errors: [{ message: e.message, in: e.field, code: e.oauthError }],
  });
}

/** HubSpot takes these endpoints' parameters only as a form body. */
function formBody(req: FastifyRequest): Form | undefined {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  return (req.body ?? {}) as Form;
}

const NOT_FORM: GrantError = {
  code: "BAD_GRANT_TYPE",
  message: "The request body must be application/x-www-form-urlencoded with every parameter in the body",
  field: "body",
  oauthError: "invalid_grant",
};

/** Opaque like HubSpot's: an HMAC of the token under the app's secret. */
function signature(token: string): string {
  return createHmac("sha256", OAUTH_CLIENT_SECRET).update(token).digest("base64");
}

export function registerOAuth2026Routes(app: FastifyInstance, store: EmulatorStore): void {
  const accessInfo = (t: AccessToken, now: number) => {
    const expiresAt = t.expiresAt;
    const sig = signature(t.token);
    return {
      active: true,
      token: t.token,
      token_type: "bearer",
      token_use: "access_token",
      client_id: t.clientId ?? "",
      app_id: OAUTH_APP_ID,
      hub_id: store.portalId,
      hub_domain: HUB_DOMAIN,
      user: EMULATOR_USER,
      user_id: EMULATOR_USER_ID,
      scopes: t.scopes,
      expires_in: Math.max(0, Math.round((expiresAt - now) / 1000)),
      is_private_distribution: false,
      signed_access_token: {
        appId: OAUTH_APP_ID,
        appInstallId: `${OAUTH_APP_ID}-${store.portalId}`,
        audience: t.clientId ?? "",
        expiresAt,
        hubId: store.portalId,
        hublet: "na1",
        installingUserId: EMULATOR_USER_ID,
        isPrivateDistribution: false,
        isServiceAccount: false,
        isUserLevel: false,
        newSignature: sig,
        scopeToScopeGroupPks: "",
        scopes: t.scopes.join(","),
        signature: sig,
        trialScopeToScopeGroupPks: "",
        trialScopes: "",
        userId: EMULATOR_USER_ID,
      },
    };
  };

  const refreshInfo = (r: RefreshToken) => ({
    active: true,
    token: r.token,
    token_type: "refresh",
    token_use: "refresh_token",
    client_id: r.clientId,
    app_id: OAUTH_APP_ID,
    hub_id: store.portalId,
    hub_domain: HUB_DOMAIN,
    user: EMULATOR_USER,
    user_id: EMULATOR_USER_ID,
    scopes: r.scopes,
  });

  for (const version of ["2026-03", "2026-09"] as const) {
    const base = `/oauth/${version}/token`;

    app.post(base, route({ endpoint: "oauth.token", auth: false }), async (req, reply) => {
      const f = formBody(req);
      if (!f) return oauthError(reply, NOT_FORM);
      const got = runGrant(store, f, GRANTS[version]);
      if (!got.ok) return oauthError(reply, got.error);
      const { access, refresh } = got;
      const answer: Record<string, unknown> = {
        access_token: access.token,
        expires_in: Math.max(0, Math.round((access.expiresAt - store.now()) / 1000)),
        token_type: "bearer",
        token_use: refresh ? "access_token" : "client_credentials",
        hub_id: store.portalId,
        scopes: access.scopes,
      };
      if (refresh) Object.assign(answer, { refresh_token: refresh.token, user_id: EMULATOR_USER_ID });
      return answer;
    });

    app.post(`${base}/introspect`, route({ endpoint: "oauth.introspect", auth: false }), async (req, reply) => {
      const f = formBody(req);
      if (!f) return oauthError(reply, NOT_FORM);
      const bad = checkClient(store, f);
      if (bad) return oauthError(reply, bad);
      const now = store.now();
      const t = f.token ? store.auth.accessTokens.get(f.token) : undefined;
      if (t && t.kind === "oauth" && t.clientId === f.client_id && !t.revoked && now < t.expiresAt) return accessInfo(t, now);
      const r = f.token ? store.auth.refreshTokens.get(f.token) : undefined;
      if (r && r.clientId === f.client_id && !r.revoked) return refreshInfo(r);
      // Unknown, expired, revoked or another app's token (RFC 7662).
      return { active: false };
    });

    app.post(`${base}/revoke`, route({ endpoint: "oauth.revoke", auth: false }), async (req, reply) => {
      const f = formBody(req);
      if (!f) return oauthError(reply, NOT_FORM);
      const bad = checkClient(store, f);
      if (bad) return oauthError(reply, bad);
      const token = f.token ?? "";
      const refresh = store.auth.refreshTokens.get(token);
      if (refresh?.clientId === f.client_id) store.auth.revokeRefreshToken(token);
      const access = store.auth.accessTokens.get(token);
      if (access?.kind === "oauth" && access.clientId === f.client_id) store.auth.revokeAccessToken(token);
      // An unknown token is not an error (RFC 7009); the answer has no body either way.
      return reply.code(204).send();
    });
  }
}
