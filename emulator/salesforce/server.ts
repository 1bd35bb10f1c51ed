import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { addBodyParsers } from "../body-parsers.ts";
import { addSpoilHook, applyEdgeFault } from "../fault-edge.ts";
import { parseVersion } from "./api-versions.ts";
import type { SessionToken } from "./auth.ts";
import { NOT_FOUND, REQUEST_LIMIT, SalesforceError, SESSION_INVALID } from "./errors.ts";
import type { SalesforceStore } from "./store.ts";

/**
 * The Fastify app. One onRequest hook plays Salesforce's edge: URI length, call counters,
 * faults, the API version, the session, and the org's daily allocation.
 */
export interface RouteMeta {
  /** Stable counter key, e.g. "query" or "sobjects.describe". */
  endpoint: string;
  /** data: versioned REST API (session + allocation); oauth: client credentials; identity: session, not counted against the allocation. */
  kind: "data" | "oauth" | "identity" | "open";
}

export function route(meta: RouteMeta): { config: { sf: RouteMeta } } {
  return { config: { sf: meta } };
}

function metaOf(req: FastifyRequest): RouteMeta | undefined {
  return (req.routeOptions.config as { sf?: RouteMeta } | undefined)?.sf;
}

/** Salesforce's limits on a request: 16,384 bytes for the URI, and for URI and headers together. */
export const MAX_URI_BYTES = 16_384;

const sessions = new WeakMap<FastifyRequest, SessionToken>();
const versions = new WeakMap<FastifyRequest, string>();

export function sessionOf(req: FastifyRequest): SessionToken {
  const s = sessions.get(req);
  if (!s) throw SESSION_INVALID();
  return s;
}

/** The request's API version without the v ("62.0"). */
export function versionOf(req: FastifyRequest): string {
  return versions.get(req) ?? "62.0";
}

function sendError(reply: FastifyReply, e: SalesforceError): FastifyReply {
  return reply.code(e.statusCode).send(e.body());
}

function sendFaultStatus(reply: FastifyReply, status: number): FastifyReply {
  if (status === 401) return sendError(reply, SESSION_INVALID());
  if (status === 403) return sendError(reply, REQUEST_LIMIT());
  if (status === 502 || status === 504) {
    const text = status === 502 ? "502 Bad Gateway" : "504 Gateway Timeout";
    return reply.code(status).type("text/html").send(`<html><head><title>${text}</title></head><body><h1>${text}</h1></body></html>`);
  }
  if (status === 503) return sendError(reply, new SalesforceError(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"));
  if (status >= 500) return sendError(reply, new SalesforceError(status, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)"));
  return sendError(reply, new SalesforceError(status, "INVALID_INPUT", "Injected error"));
}

function headerBytes(req: FastifyRequest): number {
  let n = 0;
  const raw = req.raw.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) n += Buffer.byteLength(raw[i]!) + Buffer.byteLength(raw[i + 1] ?? "") + 4;
  return n;
}

export function buildServer(store: SalesforceStore, opts: { logger?: boolean | object } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    forceCloseConnections: true,
    bodyLimit: 50 * 1024 * 1024,
    // Node's own 16 KB header limit would answer before Salesforce's rules could.
    http: { maxHeaderSize: 256 * 1024 },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
  });

  addBodyParsers(app, (message) => new SalesforceError(400, "JSON_PARSER_ERROR", `Unexpected character: ${message}`));

  app.addHook("onRequest", async (req, reply) => {
    const uriBytes = Buffer.byteLength(req.raw.url ?? "");
    if (uriBytes > MAX_URI_BYTES) return reply.code(414).type("text/html").send("<html><body><h1>414 URI Too Long</h1></body></html>");
    if (uriBytes + headerBytes(req) > MAX_URI_BYTES) return reply.code(431).type("text/html").send("<html><body><h1>431 Request Header Fields Too Large</h1></body></html>");
    const meta = metaOf(req);
    if (!meta) return;
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "anonymous";
    store.counters.record(meta.endpoint, token);
    const fault = store.faults.pick(meta.endpoint);
    if (fault) {
      const answered = await applyEdgeFault(store.faults, fault, req, reply, sendFaultStatus);
      if (answered) return answered;
    }
    if (meta.kind === "oauth" || meta.kind === "open") return;
    if (meta.kind === "data") {
      const version = parseVersion((req.params as { version?: string }).version ?? "");
      if (!version) return sendError(reply, NOT_FOUND());
      versions.set(req, version);
    }
    const now = store.now();
    const session = store.auth.authenticate(req.headers.authorization, now);
    if (!session) {
      if (meta.kind === "identity") return reply.code(403).type("text/plain").send("Bad_OAuth_Token");
      return sendError(reply, SESSION_INVALID());
    }
    sessions.set(req, session);
    if (meta.kind !== "data") return;
    // Every authenticated REST call counts, failed ones included; calls over the allocation are refused.
    const allowed = store.usage.take(now);
    reply.header("Sforce-Limit-Info", `api-usage=${store.usage.used(now)}/${store.usage.max}`);
    if (!allowed) return sendError(reply, REQUEST_LIMIT());
  });

  addSpoilHook(app, '{"totalSize":3,"done":false,"records":[{"attributes":{"type":"Acc');

  app.addHook("onResponse", async (req, reply) => {
    if (metaOf(req)) store.counters.recordStatus(reply.statusCode);
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof SalesforceError) return sendError(reply, err);
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(reply, new SalesforceError(e.statusCode, "INVALID_INPUT", e.message ?? "bad request"));
    }
    return sendError(reply, new SalesforceError(500, "UNKNOWN_EXCEPTION", `An unexpected error occurred: ${e.message ?? String(err)}`));
  });

  app.setNotFoundHandler((_req, reply) => sendError(reply, NOT_FOUND()));

  return app;
}
