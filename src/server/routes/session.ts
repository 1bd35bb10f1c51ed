// Cookie sessions for the web UI: email and password in, an httpOnly cookie out.
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { tryNormalizeEmail } from "../../core/handles.ts";
import { generateToken, hashToken } from "../../core/security.ts";
import { createSession, deleteSession } from "../../db/repositories/credentials.ts";
import { findUserByEmail, getUser } from "../../db/repositories/users.ts";
import { getWorkspace } from "../../db/repositories/workspaces.ts";
import { principalOf, sessionCookie } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const sessionTtlMs = 30 * 24 * 3600 * 1000;

const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(["admin", "member"]) }).nullable(),
  workspace: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(["admin", "member"]),
});

export const sessionRoutes: RouteModule = (app, ctx) => {
  app.post(
    "/api/v1/session",
    {
      config: { public: true, signIn: true },
      schema: {
        tags: ["auth"],
        summary: "Sign in with email and password; sets the session cookie",
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: meSchema, 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const email = tryNormalizeEmail(request.body.email);
      const attempt = await ctx.loginThrottle.begin(email ?? request.body.email, request.ip);
      const user = email ? await findUserByEmail(ctx.db, email) : undefined;
      // An unknown email is checked against a stand-in hash: the answer takes as long as for a known one.
      if (!(await attempt.check(request.body.password, user?.password_hash)) || !user) {
        throw new AppError("unauthorized", "The email or password is incorrect.");
      }
      await attempt.succeeded();
      const token = generateToken("css_");
      await createSession(ctx.db, { tokenHash: hashToken(token), userId: user.id, workspaceId: user.workspace_id, ttlMs: sessionTtlMs, userAgent: request.headers["user-agent"] ?? null });
      void reply.setCookie(sessionCookie, token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.secureCookies,
        maxAge: sessionTtlMs / 1000,
      });
      const workspace = await getWorkspace(ctx.db, user.workspace_id);
      return {
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        workspace: { id: user.workspace_id, name: workspace?.name ?? "" },
        role: user.role,
      };
    },
  );

  app.get("/api/v1/session", { schema: { tags: ["auth"], summary: "Who am I", response: { 200: meSchema } } }, async (request) => {
    const principal = principalOf(request);
    const user = principal.userId ? await getUser(ctx.db, principal.workspaceId, principal.userId) : undefined;
    const workspace = await getWorkspace(ctx.db, principal.workspaceId);
    return {
      user: user && principal.via === "session" ? { id: user.id, email: user.email, name: user.name, role: user.role } : null,
      workspace: { id: principal.workspaceId, name: workspace?.name ?? "" },
      role: principal.role,
    };
  });

  app.delete("/api/v1/session", { config: { public: true }, schema: { tags: ["auth"], summary: "Sign out" } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await deleteSession(ctx.db, hashToken(token));
    void reply.clearCookie(sessionCookie, { path: "/" });
    return reply.status(204).send();
  });
};
