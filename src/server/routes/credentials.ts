// The people's credentials of a workspace (product spec §11): admins list API tokens and sign-in
// sessions and revoke them. Secrets are never shown, only ids, names and times of use.
import { z } from "zod";
import { notFound } from "../../core/errors.ts";
import { listApiTokens, listSessions, revokeApiToken, revokeSession } from "../../db/repositories/credentials.ts";
import { requireAdmin } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "member"]),
    createdBy: z.string().nullable(),
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

export const credentialRoutes: RouteModule = (app, ctx) => {
  const tags = ["security"];

  app.get("/api/v1/api-tokens", { schema: { tags, summary: "The workspace's API tokens (admins)", response: { 200: z.object({ items: z.array(tokenSchema) }), ...errors } } }, async (request) => {
    return { items: await listApiTokens(ctx.db, requireAdmin(request).workspaceId) };
  });

  app.delete(
    "/api/v1/api-tokens/:id",
    { schema: { tags, summary: "Revoke an API token (admins); it stops working at once", params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!(await revokeApiToken(ctx.db, requireAdmin(request).workspaceId, request.params.id))) throw notFound("API token", request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get("/api/v1/sessions", { schema: { tags, summary: "The workspace's sign-in sessions (admins)", response: { 200: z.object({ items: z.array(sessionSchema) }), ...errors } } }, async (request) => {
    const principal = requireAdmin(request);
    const sessions = await listSessions(ctx.db, principal.workspaceId, ctx.sessionIdleMs);
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
  });

  app.delete(
    "/api/v1/sessions/:id",
    { schema: { tags, summary: "End a sign-in session (admins); its browser is signed out", params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!(await revokeSession(ctx.db, requireAdmin(request).workspaceId, request.params.id))) throw notFound("Session", request.params.id);
      return reply.status(204).send(null);
    },
  );
};
