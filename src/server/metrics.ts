// Prometheus metrics at /metrics: process metrics, request durations by route, and sync runs
// by kind and status (read from the database at scrape time, so every process agrees).
import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AppContext } from "./context.ts";

export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "crmsync_" });

  const requests = new Histogram({
    name: "crmsync_http_request_duration_seconds",
    help: "HTTP request durations by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would make unbounded label sets.
    requests.observe({ method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: "crmsync_sync_runs",
    help: "Sync runs by kind and status, all workspaces",
    labelNames: ["kind", "status"] as const,
    registers: [registry],
    async collect() {
      const rows = await ctx.db
        .selectFrom("sync_runs")
        .select(["kind", "status", (eb) => eb.fn.countAll<number>().as("n")])
        .groupBy(["kind", "status"])
        .execute();
      this.reset();
      for (const row of rows) this.set({ kind: row.kind, status: row.status }, Number(row.n));
    },
  });

  app.get("/metrics", { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
