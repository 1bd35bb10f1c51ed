import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { addBodyParsers } from "./body-parsers.ts";
import type { AccessToken } from "./auth.ts";
import { HubSpotError, errorBody, rateLimitBody } from "./errors.ts";
import { addSpoilHook, applyEdgeFault } from "./fault-edge.ts";
import type { EmulatorStore } from "./store.ts";

/**
 * The Fastify app: one onRequest hook does what HubSpot's edge does (count, inject faults,
 * authenticate, check scopes, apply rate limits) before a route runs.
 */
export interface RouteMeta {
  /** Stable counter key, e.g. "companies.search". */
  endpoint: string;
  /** false for OAuth endpoints, which authenticate with client credentials. */
  auth?: boolean;
  /** Any one of these scopes is enough. */
  scopes?: readonly string[];
  search?: boolean;
}

export function route(meta: RouteMeta): { config: { hs: RouteMeta } } {
  return { config: { hs: meta } };
}

function metaOf(req: FastifyRequest): RouteMeta | undefined {
  return (req.routeOptions.config as { hs?: RouteMeta } | undefined)?.hs;
}

const tokens = new WeakMap<FastifyRequest, AccessToken>();

/** The authenticated token of a CRM request (set by the edge hook). */
export function tokenOf(req: FastifyRequest): AccessToken {
  const t = tokens.get(req);
  if (!t) throw new HubSpotError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
  return t;
}

function bearer(header: string | undefined): string {
  if (!header) return "anonymous";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : "anonymous";
}

function sendFaultStatus(reply: FastifyReply, status: number): FastifyReply {
  if (status === 429) {
    reply.header("x-hubspot-ratelimit-interval-milliseconds", "10000").header("x-hubspot-ratelimit-remaining", "0");
    return reply.code(429).send(rateLimitBody("TEN_SECONDLY_ROLLING"));
  }
  if (status === 502 || status === 504) {
    // HubSpot's edge answers gateway errors with an HTML page, not JSON.
    const text = status === 502 ? "502 Bad Gateway" : "504 Gateway Time-out";
    return reply.code(status).type("text/html").send(`<html><head><title>${text}</title></head><body><center><h1>${text}</h1></center></body></html>`);
  }
  if (status === 503) return reply.code(503).send(errorBody("SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Please try again later."));
  if (status >= 500) return reply.code(status).send(errorBody("INTERNAL_ERROR", "internal error"));
  return reply.code(status).send(errorBody("VALIDATION_ERROR", "Injected error"));
}

export interface ServerOptions {
  logger?: boolean | object;
}

export function buildServer(store: EmulatorStore, opts: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    forceCloseConnections: true,
    bodyLimit: 20 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  });

  // HubSpot tolerates an empty body with a JSON content type (DELETE, some PUTs).
  addBodyParsers(app, (message) => new HubSpotError(400, "VALIDATION_ERROR", `Invalid input JSON on line 1: ${message}`));

  app.addHook("onRequest", async (req, reply) => {
    const meta = metaOf(req);
    if (!meta) return;
    reply.header("x-hubspot-correlation-id", randomUUID());
    store.counters.record(meta.endpoint, bearer(req.headers.authorization));
    const fault = store.faults.pick(meta.endpoint);
    if (fault) {
      const answered = await applyEdgeFault(store.faults, fault, req, reply, sendFaultStatus);
      if (answered) return answered;
    }
    if (meta.auth === false) return;
    const now = store.now();
    const auth = store.auth.authenticate(req.headers.authorization, now);
    if (!auth.ok) return reply.code(401).send(errorBody(auth.category, auth.message));
    const token = auth.token;
    if (meta.scopes && !meta.scopes.some((s) => token.scopes.includes(s))) {
      return reply.code(403).send({
        ...errorBody("MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes."),
        errors: [{ message: "One or more of the following scopes are required.", context: { requiredGranularScopes: [...meta.scopes] } }],
        links: { scopes: "https://developers.hubspot.com/scopes" },
      });
    }
    const rl = store.rateLimiter.check(token.token, token.kind, token.tier, store.portalId, meta.search === true, now);
    reply.headers(rl.headers);
    if (!rl.ok) return reply.code(429).send(rateLimitBody(rl.policy));
    tokens.set(req, token);
  });

  addSpoilHook(app, '{"status":"COMPLETE","results":[{"id":"1","properties":{"name":"Trunc');

  app.addHook("onResponse", async (req, reply) => {
    if (metaOf(req)) store.counters.recordStatus(reply.statusCode);
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof HubSpotError) return reply.code(err.statusCode).send(err.body());
    const e = err as { statusCode?: number; message?: string; code?: string };
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(errorBody("VALIDATION_ERROR", `Invalid input: ${e.message ?? "bad request"}`));
    }
    return reply.code(500).send(errorBody("INTERNAL_ERROR", `internal error: ${e.message ?? String(err)}`));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ ...errorBody("OBJECT_NOT_FOUND", `Unable to route ${req.method} ${req.url.split("?")[0]}`) });
  });

  return app;
}
