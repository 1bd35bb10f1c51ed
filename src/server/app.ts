// Builds the Fastify app: schema-first routes (zod), OpenAPI at /docs, one error shape.
// Transport only: handlers parse input, call repositories or the engine, format output.
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { registerAuth } from "./auth.ts";
import type { AppContext } from "./context.ts";
import { registerErrorHandling } from "./errors.ts";
import { registerMetrics } from "./metrics.ts";
import { routeModules } from "./routes/index.ts";
import { registerWebApp } from "./web.ts";

export interface BuildAppOptions {
  logger?: FastifyServerOptions["logger"];
  /** The process's own logger (crmsync's CLI makes one per process); wins over `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
}

export type App = FastifyInstance;

/** A route the app serves, as registered: tests go over all of them (e.g. the origin check). */
export interface RouteEntry {
  method: string;
  url: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route of the app, filled as routes are registered. */
    routeTable: readonly RouteEntry[];
  }
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: RouteEntry[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: "crmsync API", version: "1", description: "Customers, contacts, custom fields and CRM sync." },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token from `crmsync token create`." },
          session: { type: "apiKey", in: "cookie", name: "crmsync_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(cookie);

  registerErrorHandling(app);
  registerAuth(app, ctx);
  registerMetrics(app, ctx);
  for (const register of routeModules) await app.register((scoped) => register(scoped.withTypeProvider<ZodTypeProvider>(), ctx));
  await registerWebApp(app);
  return app;
}
