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
  }
}

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const cookie = request.cookies[sessionCookie];
    if (bearer) request.principal = (await findPrincipalByTokenHash(ctx.db, hashToken(bearer))) ?? null;
    else if (cookie) request.principal = (await findPrincipalBySessionHash(ctx.db, hashToken(cookie))) ?? null;
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
