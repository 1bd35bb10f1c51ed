import type { FastifyInstance } from "fastify";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, PRIVATE_APP_TOKEN, type PrivateAppTier } from "../auth.ts";
import type { AccessToken } from "../auth.ts";
import { notFound, validationError } from "../errors.ts";
import { SIZE_PRESETS, type GeneratorSizes } from "../generator.ts";
import { registerFaultAndCounterRoutes } from "./fault-control.ts";
import { registerResetAndSeedRoutes } from "./seed-control.ts";
import { listJson } from "./lists.ts";
import { OBJECT_INFO, resolveObjectType, type ObjectType } from "../object-types.ts";
import type { RateLimitConfig } from "../rate-limiter.ts";
import { renderFull } from "../serialize.ts";
import type { AssociationInput, EmulatorStore } from "../store.ts";
import type { InputValue } from "../values.ts";

/** The control API under /_emulator/: no auth, not counted, never rate limited or faulted. */

function serviceKeyJson(t: AccessToken): Record<string, unknown> {
  return { key: t.token, scopes: t.scopes, tier: t.tier ?? null, revoked: t.revoked };
}

function objectType(raw: string): ObjectType {
  const t = resolveObjectType(raw);
  if (!t) throw validationError(`Unknown object type ${raw}`);
  return t;
}

interface SeedBody extends Partial<GeneratorSizes> {
  seed?: number;
  preset?: keyof typeof SIZE_PRESETS;
}

function sizesFrom(b: SeedBody): GeneratorSizes | undefined {
  if (b.preset) {
    const p = SIZE_PRESETS[b.preset];
    if (!p) throw validationError(`Unknown preset ${b.preset}`);
    return { ...p };
  }
  if (b.companies === undefined && b.deals === undefined && b.contacts === undefined) return undefined;
  const sizes: GeneratorSizes = { companies: b.companies ?? 0, deals: b.deals ?? 0, contacts: b.contacts ?? 0 };
  if (b.lists !== undefined) sizes.lists = b.lists;
  return sizes;
}

interface ControlAssociation {
  toType: string;
  toId: number | string;
  primary?: boolean;
}

function associationsFrom(type: ObjectType, raw: ControlAssociation[] | undefined, companyId: number | string | undefined): AssociationInput[] {
  const out: AssociationInput[] = [];
  const list = [...(raw ?? [])];
  if (companyId !== undefined) list.push({ toType: "companies", toId: companyId, primary: true });
  for (const a of list) {
    const toType = objectType(a.toType);
    const input: AssociationInput = { toType, toId: Number(a.toId) };
    if (a.primary && toType === "companies" && (type === "contacts" || type === "deals")) input.typeIds = [type === "contacts" ? 1 : 5];
    out.push(input);
  }
  return out;
}

export function registerControlRoutes(app: FastifyInstance, store: EmulatorStore, info: () => { url: string }): void {
  const P = "/_emulator";

  app.get(`${P}/health`, async () => ({ ok: true }));

  app.get(`${P}/info`, async () => ({
    url: info().url,
    portalId: store.portalId,
    privateAppToken: PRIVATE_APP_TOKEN,
    oauth: { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET, authorizeUrl: `${info().url}/oauth/authorize` },
    counts: store.stats(),
    searchDelayMs: store.searchDelayMs,
    accessTokenLifetimeSeconds: store.auth.accessTokenLifetimeSeconds,
    rateLimits: store.rateLimiter.config,
    presets: SIZE_PRESETS,
  }));

  registerResetAndSeedRoutes(app, P, store, sizesFrom, () => ({ ...SIZE_PRESETS.small }));

  // Records.
  app.post(`${P}/objects/:type`, async (req, reply) => {
    const type = objectType((req.params as { type: string }).type);
    const b = (req.body ?? {}) as { properties?: Record<string, InputValue>; associations?: ControlAssociation[]; companyId?: number | string };
    const rec = store.addRecord(type, b.properties ?? {}, associationsFrom(type, b.associations, b.companyId));
    reply.code(201);
    return renderFull(type, rec, store.properties.map(type));
  });

  app.get(`${P}/objects/:type/:id`, async (req) => {
    const p = req.params as { type: string; id: string };
    const type = objectType(p.type);
    return renderFull(type, store.require(type, p.id), store.properties.map(type));
  });

  app.patch(`${P}/objects/:type/:id`, async (req) => {
    const p = req.params as { type: string; id: string };
    const type = objectType(p.type);
    const b = (req.body ?? {}) as { properties?: Record<string, InputValue> };
    return renderFull(type, store.setProperties(type, p.id, b.properties ?? {}), store.properties.map(type));
  });

  app.delete(`${P}/objects/:type/:id`, async (req, reply) => {
    const p = req.params as { type: string; id: string };
    store.archive(objectType(p.type), p.id);
    return reply.code(204).send();
  });

  app.post(`${P}/objects/:type/:id/restore`, async (req) => {
    const p = req.params as { type: string; id: string };
    const type = objectType(p.type);
    const rec = store.objects[type].get(Number(p.id));
    if (!rec) throw validationError(`No ${type} ${p.id}`);
    store.objects[type].restore(rec, store.now());
    return renderFull(type, rec, store.properties.map(type));
  });

  app.post(`${P}/objects/:type/merge`, async (req) => {
    const type = objectType((req.params as { type: string }).type);
    const b = (req.body ?? {}) as { primaryObjectId?: string | number; objectIdToMerge?: string | number };
    const rec = store.merge(type, String(b.primaryObjectId), String(b.objectIdToMerge), { sourceType: "CRM_UI" });
    return renderFull(type, rec, store.properties.map(type));
  });

  // Associations.
  const assocBody = (raw: unknown) => {
    const b = (raw ?? {}) as { fromType?: string; fromId?: number | string; toType?: string; toId?: number | string; primary?: boolean };
    const from = objectType(String(b.fromType));
    const to = objectType(String(b.toType));
    return { from, to, fromId: store.require(from, String(b.fromId)).id, toId: store.require(to, String(b.toId)).id, primary: b.primary === true };
  };
  app.put(`${P}/associations`, async (req) => {
    const a = assocBody(req.body);
    store.associations.add(a.from, a.fromId, a.to, a.toId);
    if (a.primary) {
      if (a.to === "companies" && (a.from === "contacts" || a.from === "deals")) store.associations.setPrimary(a.from, a.fromId, a.toId);
      if (a.from === "companies" && (a.to === "contacts" || a.to === "deals")) store.associations.setPrimary(a.to, a.toId, a.fromId);
    }
    return { ok: true };
  });
  app.delete(`${P}/associations`, async (req) => {
    const a = assocBody(req.body);
    store.associations.remove(a.from, a.fromId, a.to, a.toId);
    return { ok: true };
  });

  // Lists.
  app.post(`${P}/lists`, async (req, reply) => {
    const b = (req.body ?? {}) as { name?: string; objectType?: string; memberIds?: Array<number | string>; processingType?: "MANUAL" | "SNAPSHOT" | "DYNAMIC" };
    if (!b.name) throw validationError("name is required");
    const list = store.createList(b.name, objectType(b.objectType ?? "contacts"), b.memberIds ?? [], b.processingType ?? "MANUAL");
    reply.code(201);
    return listJson(list);
  });
  app.delete(`${P}/lists/:id`, async (req, reply) => {
    if (!store.deleteList((req.params as { id: string }).id)) throw validationError("No such list");
    return reply.code(204).send();
  });
  app.put(`${P}/lists/:id/members`, async (req) => {
    const l = store.lists.get(Number((req.params as { id: string }).id));
    if (!l) throw validationError("No such list");
    const b = (req.body ?? {}) as { add?: Array<number | string>; remove?: Array<number | string> };
    store.lists.addMembers(l, (b.add ?? []).map(Number), store.now());
    store.lists.removeMembers(l, (b.remove ?? []).map(Number), store.now());
    return listJson(l);
  });

  registerFaultAndCounterRoutes(app, P, store, validationError);

  // Rate limits.
  app.get(`${P}/rate-limits`, async () => store.rateLimiter.config);
  app.put(`${P}/rate-limits`, async (req) => {
    const b = (req.body ?? {}) as Partial<RateLimitConfig>;
    const c = store.rateLimiter.config;
    if (b.enabled !== undefined) c.enabled = b.enabled;
    if (b.oauthTenSecondMax !== undefined) c.oauthTenSecondMax = b.oauthTenSecondMax;
    if (b.privateAppTier !== undefined) c.privateAppTier = b.privateAppTier;
    if (b.privateTenSecondMax !== undefined) c.privateTenSecondMax = b.privateTenSecondMax;
    if (b.privateDailyMax !== undefined) c.privateDailyMax = b.privateDailyMax;
    if (b.searchPerSecond !== undefined) c.searchPerSecond = b.searchPerSecond;
    if (b.windowMs !== undefined) c.windowMs = b.windowMs;
    return c;
  });
  app.post(`${P}/rate-limits/reset`, async () => {
    store.rateLimiter.resetWindows();
    return { ok: true };
  });

  // Config, clock and tokens.
  app.put(`${P}/config`, async (req) => {
    const b = (req.body ?? {}) as { searchDelayMs?: number; accessTokenLifetimeSeconds?: number; rotateRefreshTokens?: boolean };
    if (b.searchDelayMs !== undefined) store.searchDelayMs = b.searchDelayMs;
    if (b.accessTokenLifetimeSeconds !== undefined) store.auth.accessTokenLifetimeSeconds = b.accessTokenLifetimeSeconds;
    if (b.rotateRefreshTokens !== undefined) store.auth.rotateRefreshTokens = b.rotateRefreshTokens;
    return { searchDelayMs: store.searchDelayMs, accessTokenLifetimeSeconds: store.auth.accessTokenLifetimeSeconds, rotateRefreshTokens: store.auth.rotateRefreshTokens };
  });
  app.post(`${P}/clock/advance`, async (req) => {
    const ms = Number(((req.body ?? {}) as { ms?: number }).ms ?? 0);
    store.clock.advance(ms);
    return { now: new Date(store.now()).toISOString() };
  });
  app.post(`${P}/tokens/expire`, async (req) => ({ ok: store.auth.expireAccessToken(String((req.body as { token?: string } | undefined)?.token), store.now()) }));
  app.post(`${P}/tokens/revoke`, async (req) => {
    const token = String((req.body as { token?: string } | undefined)?.token);
    const access = store.auth.accessTokens.get(token);
    if (access) access.revoked = true;
    return { ok: store.auth.revokeRefreshToken(token) || access !== undefined };
  });
  // Service keys (HubSpot's replacement for legacy private apps).
  app.get(`${P}/service-keys`, async () => ({ keys: store.auth.serviceKeys().map(serviceKeyJson) }));
  app.post(`${P}/service-keys`, async (req, reply) => {
    const b = (req.body ?? {}) as { key?: string; tier?: PrivateAppTier; scopes?: string[] };
    if (b.key !== undefined && (typeof b.key !== "string" || b.key === "" || store.auth.accessTokens.has(b.key))) throw validationError("key must be a new, non-empty string");
    if (b.scopes !== undefined && (!Array.isArray(b.scopes) || b.scopes.some((x) => typeof x !== "string"))) throw validationError("scopes must be an array of strings");
    const opts: { key?: string; tier?: PrivateAppTier; scopes?: string[] } = {};
    if (b.key) opts.key = b.key;
    if (b.tier) opts.tier = b.tier;
    if (b.scopes) opts.scopes = b.scopes;
    reply.code(201);
    return serviceKeyJson(store.auth.addServiceKey(opts));
  });
  app.delete(`${P}/service-keys/:key`, async (req, reply) => {
    const key = (req.params as { key: string }).key;
    if (store.auth.accessTokens.get(key)?.kind !== "service_key" || !store.auth.revokeAccessToken(key)) throw notFound(`No active service key ${key}`);
    return reply.code(204).send();
  });
  app.delete(`${P}/tokens/private/:token`, async (req, reply) => {
    const token = (req.params as { token: string }).token;
    if (store.auth.accessTokens.get(token)?.kind !== "private" || !store.auth.revokeAccessToken(token)) throw notFound(`No active private-app token ${token}`);
    return reply.code(204).send();
  });

  // Validation rules (enforced on 2026-09 writes).
  app.get(`${P}/validation-rules/:type`, async (req) => ({ rules: store.validationRules.get(objectType((req.params as { type: string }).type)) }));
  app.put(`${P}/validation-rules/:type`, async (req) => {
    const type = objectType((req.params as { type: string }).type);
    return { rules: store.validationRules.set(type, ((req.body ?? {}) as { rules?: unknown }).rules, store.properties) };
  });
  app.delete(`${P}/validation-rules/:type`, async (req, reply) => {
    store.validationRules.set(objectType((req.params as { type: string }).type), [], store.properties);
    return reply.code(204).send();
  });

  app.post(`${P}/tokens/private`, async (req, reply) => {
    const b = (req.body ?? {}) as { token?: string; tier?: PrivateAppTier; scopes?: string[] };
    if (!b.token) throw validationError("token is required");
    const opts: { tier?: PrivateAppTier; scopes?: string[] } = {};
    if (b.tier) opts.tier = b.tier;
    if (b.scopes) opts.scopes = b.scopes;
    store.auth.addPrivateAppToken(b.token, opts);
    reply.code(201);
    return { token: b.token };
  });
  app.post(`${P}/tokens/oauth`, async (req) => {
    const b = (req.body ?? {}) as { scopes?: string[] };
    const refresh = store.auth.issueRefreshToken(OAUTH_CLIENT_ID, b.scopes ?? ["oauth", ...Object.keys(OBJECT_INFO).flatMap((t) => [`crm.objects.${t}.read`, `crm.schemas.${t}.read`]), "crm.lists.read"]);
    const access = store.auth.issueAccessToken(refresh, store.now());
    return { access_token: access.token, refresh_token: refresh.token, expires_in: store.auth.accessTokenLifetimeSeconds };
  });
}
