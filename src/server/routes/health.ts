import { sql } from "kysely";
import { z } from "zod";
import type { RouteModule } from "./route.ts";

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get("/healthz", { config: { public: true }, schema: { tags: ["health"], response: { 200: z.object({ status: z.literal("ok") }) } } }, () => ({
    status: "ok" as const,
  }));

  // Ready means the database answers; a load balancer stops sending traffic when it does not.
  app.get(
    "/readyz",
    { config: { public: true }, schema: { tags: ["health"], response: { 200: z.object({ status: z.literal("ready") }), 503: z.object({ status: z.literal("unavailable"), reason: z.string() }) } } },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(ctx.db);
        return { status: "ready" as const };
      } catch (error) {
        return reply.status(503).send({ status: "unavailable" as const, reason: String(error) });
      }
    },
  );
};
