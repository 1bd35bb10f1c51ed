// Who is calling: a UI session cookie or a Bearer API token, both resolved to a Principal
// scoped to one workspace. Routes read request.principal and never trust ids from the body.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../core/errors.ts";
import { hashToken } from "../core/security.ts";
import { findPrincipalBySessionHash, findPrincipalByTokenHash, type Principal } from "../db/repositories/credentials.ts";
import type { AppContext } from "./context.ts";

export const sessionCookie = "crmsync_session";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without credentials (login, health, OAuth callback). */
    public?: boolean;
    /** The sign-in route: it sets the cookie, so a cross-site request must not reach it. */
    signIn?: boolean;
  }
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Where a request comes from, by the headers browsers set and pages cannot: `Origin` (sent with
 * every non-GET request by current browsers) and else `Sec-Fetch-Site`. Same-origin means the
 * public URL's origin or the origin of the Host the request was sent to (a dev proxy, a second
 * name). A client that sends neither header is not a browser page ("unknown").
 */
export function originVerdict(request: FastifyRequest, ownOrigin: string): "same" | "cross" | "unknown" {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin === ownOrigin) return "same";
    try {
      return new URL(origin).host === request.headers.host ? "same" : "cross";
    } catch {
      return "cross";
    }
  }
  const site = request.headers["sec-fetch-site"];
  if (site === undefined) return "unknown";
  return site === "same-origin" ? "same" : "cross";
}

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest("principal", null);
  const ownOrigin = new URL(ctx.publicUrl).origin;
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const cookie = request.cookies[sessionCookie];
    // A browser sends the cookie with requests other sites make it send; a change authenticated
    // by the cookie (or a sign-in, which sets one) must come from the app's own pages.
    if (!safeMethods.has(request.method) && !bearer && (cookie || request.routeOptions.config.signIn)) {
      const verdict = originVerdict(request, ownOrigin);
      if (verdict === "cross" || (verdict === "unknown" && cookie)) {
        throw new AppError("cross_origin", "Changes made with the session cookie must come from crmsync's own pages; scripts use an API token.");
      }
    }
    if (bearer) request.principal = (await findPrincipalByTokenHash(ctx.db, hashToken(bearer))) ?? null;
    else if (cookie) request.principal = (await findPrincipalBySessionHash(ctx.db, hashToken(cookie), ctx.sessionIdleMs)) ?? null;
    if (!request.principal && !request.routeOptions.config.public) {
      throw new AppError("unauthorized", bearer || cookie ? "The credentials are invalid or expired." : "Sign in or send a Bearer API token.");
    }
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("unauthorized", "Sign in or send a Bearer API token.");
  return request.principal;
}

export function requireAdmin(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (principal.role !== "admin") throw new AppError("forbidden", "Only admins can do this.");
  return principal;
}
