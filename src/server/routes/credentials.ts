// The people's credentials of a workspace (product spec §11): admins list, create and revoke API
// tokens and see and end every sign-in session; a member sees and ends their own sessions.
// Secrets are never shown, except a new token's, once, in the answer that creates it.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, notFound } from "../../core/errors.ts";
import { issueApiToken } from "../../accounts.ts";
import { listApiTokens, listSessions, revokeApiToken, revokeSession, type Principal } from "../../db/repositories/credentials.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "member"]),
    createdBy: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable().describe("The user who created it; null when made without one (the CLI) or when that user is gone."),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().describe("To the minute."),
  })
  .meta({ id: "ApiToken" });

const sessionSchema = z
  .object({
    id: z.string(),
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    createdAt: z.string(),
    lastSeenAt: z.string().describe("To the minute; the session ends after SESSION_IDLE_MINUTES without use."),
    expiresAt: z.string(),
    userAgent: z.string().nullable(),
    current: z.boolean().describe("The session this request was made with."),
  })
  .meta({ id: "Session" });

const errors = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const idParams = z.object({ id: z.string().min(1).max(100) });
const newTokenSchema = z.object({
  name: z.string().trim().min(1).max(100).describe("What the token is for, e.g. the script or service that uses it."),
  role: z.enum(["admin", "member"]),
});

/**
 * Whose sessions a request may see and end: an admin every one of the workspace's (undefined),
 * a member signed in through the UI only their own. An API token has no sessions of its own, so
 * a member's token is refused rather than shown its creator's.
 */
function sessionsVisibleTo(request: FastifyRequest): { principal: Principal; userId: string | undefined } {
  const principal = principalOf(request);
  if (principal.role === "admin") return { principal, userId: undefined };
  if (principal.via !== "session" || !principal.userId) throw new AppError("forbidden", "Only admins can see sign-in sessions with an API token; sign in to see your own.");
  return { principal, userId: principal.userId };
}

export const credentialRoutes: RouteModule = (app, ctx) => {
  const tags = ["security"];

  app.get("/api/v1/api-tokens", { schema: { tags, summary: "The workspace's API tokens (admins)", response: { 200: z.object({ items: z.array(tokenSchema) }), ...errors } } }, async (request) => {
    return { items: await listApiTokens(ctx.db, requireAdmin(request).workspaceId) };
  });

  app.post(
    "/api/v1/api-tokens",
    {
      schema: {
        tags,
        summary: "Create an API token (admins); its secret is in this answer only",
        body: newTokenSchema,
        response: { 201: z.object({ token: tokenSchema, secret: z.string().describe("Send as `Authorization: Bearer <secret>`. Not shown again.") }), 400: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const { id, token } = await issueApiToken(ctx.db, { workspaceId: principal.workspaceId, name: request.body.name, role: request.body.role, createdBy: principal.userId });
      const [view] = await listApiTokens(ctx.db, principal.workspaceId, id);
      if (!view) throw notFound("API token", id);
      return reply.status(201).send({ token: view, secret: token });
    },
  );

  app.delete(
    "/api/v1/api-tokens/:id",
    { schema: { tags, summary: "Revoke an API token (admins); it stops working at once", params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!(await revokeApiToken(ctx.db, requireAdmin(request).workspaceId, request.params.id))) throw notFound("API token", request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/v1/sessions",
    { schema: { tags, summary: "Sign-in sessions: the workspace's for admins, a member's own", response: { 200: z.object({ items: z.array(sessionSchema) }), ...errors } } },
    async (request) => {
      const { principal, userId } = sessionsVisibleTo(request);
      const sessions = await listSessions(ctx.db, principal.workspaceId, ctx.sessionIdleMs, userId);
      return {
        items: sessions.map((s) => ({
          id: s.id,
          user: { id: s.userId, email: s.userEmail, name: s.userName },
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
          expiresAt: s.expiresAt,
          userAgent: s.userAgent,
          current: principal.via === "session" && principal.credentialId === s.id,
        })),
      };
    },
  );

  app.delete(
    "/api/v1/sessions/:id",
    { schema: { tags, summary: "End a sign-in session (admins: any of the workspace's; members: their own); its browser is signed out", params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      const { principal, userId } = sessionsVisibleTo(request);
      if (!(await revokeSession(ctx.db, principal.workspaceId, request.params.id, userId))) throw notFound("Session", request.params.id);
      return reply.status(204).send(null);
    },
  );
};
