// The signed-in user's notifications: newest first with an unread count, and marking them read.
// Notifications belong to a user, so a caller without one (an API token no user created) is
// refused rather than shown an empty list that would read as "nothing went wrong".
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, notFound } from "../../core/errors.ts";
import { defaultPageSize, maxPageSize } from "../../db/pagination.ts";
import { countUnread, listNotifications, markAllRead, markRead, type Notification } from "../../db/repositories/notifications.ts";
import { principalOf } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(["sync_run_errors"]),
  title: z.string(),
  body: z.string(),
  /** In-app path, e.g. /sync-activity/<runId>. */
  link: z.string().nullable(),
  runId: z.string().nullable(),
  /** Kind-specific facts; for sync_run_errors: runId, kind, status, errorCount, errorsByCode. */
  data: z.record(z.string(), z.unknown()),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

function present(n: Notification): z.infer<typeof notificationSchema> {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    runId: n.run_id,
    data: JSON.parse(n.data) as Record<string, unknown>,
    read: n.read_at !== null,
    readAt: n.read_at,
    createdAt: n.created_at,
  };
}

function ownerOf(request: FastifyRequest): { workspaceId: string; userId: string } {
  const principal = principalOf(request);
  if (!principal.userId) {
    throw new AppError("forbidden", "Notifications belong to users; this API token was not created by a user. Use a user's token or sign in.");
  }
  return { workspaceId: principal.workspaceId, userId: principal.userId };
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

export const notificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "Your notifications, newest first, with how many are unread",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
          cursor: z.string().max(500).optional(),
          unread: z.enum(["true", "false"]).optional().describe("true lists only unread notifications"),
        }),
        response: { 200: z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable(), unreadCount: z.number() }), ...errors },
      },
    },
    async (request) => {
      const owner = ownerOf(request);
      const page = await listNotifications(ctx.db, owner, { ...request.query, unreadOnly: request.query.unread === "true" });
      return { items: page.items.map(present), nextCursor: page.nextCursor, unreadCount: await countUnread(ctx.db, owner) };
    },
  );

  app.post(
    "/api/v1/notifications/read-all",
    {
      schema: {
        tags: ["notifications"],
        summary: "Mark all your notifications read",
        response: { 200: z.object({ updated: z.number(), unreadCount: z.number() }), ...errors },
      },
    },
    async (request) => {
      const owner = ownerOf(request);
      const updated = await markAllRead(ctx.db, owner);
      return { updated, unreadCount: await countUnread(ctx.db, owner) };
    },
  );

  app.post(
    "/api/v1/notifications/:id/read",
    {
      schema: {
        tags: ["notifications"],
        summary: "Mark one of your notifications read (again is fine; the first read time stays)",
        params: z.object({ id: z.string().max(100) }),
        response: { 200: notificationSchema, ...errors, 404: errorBodySchema },
      },
    },
    async (request) => {
      const notification = await markRead(ctx.db, ownerOf(request), request.params.id);
      if (!notification) throw notFound("Notification", request.params.id);
      return present(notification);
    },
  );
};
