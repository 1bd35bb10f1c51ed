import type { FastifyInstance, FastifyRequest } from "fastify";
import { registerFaultAndCounterRoutes } from "../../routes/fault-control.ts";
import { registerResetAndSeedRoutes } from "../../routes/seed-control.ts";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../auth.ts";
import { SalesforceError } from "../errors.ts";
import { FIELD_TYPES, field, picklist, type FieldType, type RecordValues } from "../fields.ts";
import { listViewQuery, type ListView } from "../list-views.ts";
import type { SfRecord } from "../records.ts";
import { resolveObjectName, type ObjectName } from "../schema.ts";
import { recordUrl } from "../soql/execute.ts";
import type { SalesforceStore, WriteTimes } from "../store.ts";
import { ruleJson } from "../validation-rules.ts";
import { coerceWrite, formatDatetime, parseDatetime, renderValue } from "../values.ts";
import { SIZE_PRESETS, sizesFrom } from "./seed-body.ts";

/** The control API under /_emulator/: no auth, not counted, never faulted, outside the allocation. */

function invalid(message: string): SalesforceError {
  return new SalesforceError(400, "INVALID_INPUT", message);
}

function objectOf(req: FastifyRequest): ObjectName {
  const name = resolveObjectName((req.params as { object: string }).object);
  if (!name) throw invalid(`Unknown object ${(req.params as { object: string }).object}`);
  return name;
}

function time(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const ms = typeof raw === "number" ? raw : typeof raw === "string" ? parseDatetime(raw) ?? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`${name} must be an ISO datetime`);
  return ms;
}

interface RecordBody {
  fields?: Record<string, unknown>;
  createdDate?: string;
  lastModifiedDate?: string;
  systemModstamp?: string;
}

export function registerControlRoutes(app: FastifyInstance, store: SalesforceStore, info: () => { url: string }): void {
  const P = "/_emulator";

  const full = (rec: SfRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = { attributes: { type: rec.object, url: recordUrl("62.0", rec.object, rec.id) } };
    for (const f of store.info(rec.object).fields) out[f.name] = renderValue(f, rec.values, () => `${recordUrl("62.0", rec.object, rec.id)}/${f.name}`);
    return out;
  };

  /** Control writes may set any field, read-only ones included, but values must still fit the type. */
  const values = (object: ObjectName, raw: Record<string, unknown> = {}): RecordValues => {
    const out: RecordValues = {};
    for (const [k, v] of Object.entries(raw)) {
      const f = store.info(object).fields.find((d) => d.name.toLowerCase() === k.toLowerCase());
      if (!f || f.parts || f.compute) throw invalid(`${k} is not a stored field of ${object}`);
      if (["Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"].includes(f.name)) throw invalid(`${f.name} is set through createdDate/lastModifiedDate/systemModstamp or the delete routes`);
      const got = coerceWrite(f, v);
      if (!got.ok) throw invalid(got.error.message);
      out[f.name] = got.value;
    }
    return out;
  };

  const times = (b: RecordBody): WriteTimes => {
    const t: WriteTimes = {};
    const c = time(b.createdDate, "createdDate");
    const m = time(b.lastModifiedDate, "lastModifiedDate");
    const s = time(b.systemModstamp, "systemModstamp");
    if (c !== undefined) t.createdDate = c;
    if (m !== undefined) t.lastModifiedDate = m;
    if (s !== undefined) t.systemModstamp = s;
    return t;
  };

  const record = (req: FastifyRequest): SfRecord => {
    const object = objectOf(req);
    const rec = store.get(object, (req.params as { id: string }).id);
    if (!rec) throw new SalesforceError(404, "NOT_FOUND", `No ${object} ${(req.params as { id: string }).id}`);
    return rec;
  };

  app.get(`${P}/health`, async () => ({ ok: true }));

  app.get(`${P}/info`, async () => ({
    url: info().url,
    orgId: store.orgId,
    userId: store.userId,
    oauth: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, authorizeUrl: `${info().url}/services/oauth2/authorize`, tokenUrl: `${info().url}/services/oauth2/token` },
    counts: store.stats(),
    dailyApiLimit: store.usage.max,
    apiUsage: store.usage.used(store.now()),
    accessTokenLifetimeSeconds: store.auth.accessTokenLifetimeSeconds,
    rotateRefreshTokens: store.auth.rotateRefreshTokens,
    now: formatDatetime(store.now()),
    presets: SIZE_PRESETS,
  }));

  registerResetAndSeedRoutes(app, P, store, sizesFrom, () => ({ ...SIZE_PRESETS.small }));

  // Records, written as a Salesforce user (no validation rules, any field, chosen dates).
  app.post(`${P}/records/:object`, async (req, reply) => {
    const object = objectOf(req);
    const b = (req.body ?? {}) as RecordBody;
    const rec = store.create(object, values(object, b.fields), times(b));
    return reply.code(201).send(full(rec));
  });
  app.get(`${P}/records/:object/:id`, async (req) => full(record(req)));
  app.patch(`${P}/records/:object/:id`, async (req) => {
    const rec = record(req);
    const b = (req.body ?? {}) as RecordBody;
    const t = times(b);
    if (t.createdDate !== undefined) rec.values.CreatedDate = t.createdDate;
    return full(store.update(rec, values(rec.object, b.fields), t));
  });
  app.delete(`${P}/records/:object/:id`, async (req, reply) => {
    const rec = record(req);
    const q = req.query as { hard?: string; systemModstamp?: string };
    if (q.hard === "true") store.tables[rec.object].purge(rec.id);
    else store.softDelete(rec, time(q.systemModstamp, "systemModstamp") ?? store.now());
    return reply.code(204).send();
  });
  app.post(`${P}/records/:object/:id/undelete`, async (req) => {
    const rec = record(req);
    store.undelete(rec);
    return full(rec);
  });

  // Custom fields.
  app.post(`${P}/fields/:object`, async (req, reply) => {
    const object = objectOf(req);
    const b = (req.body ?? {}) as { name?: string; label?: string; type?: FieldType; picklistValues?: string[]; length?: number; required?: boolean; updateable?: boolean };
    if (!b.name || !/^[A-Za-z][A-Za-z0-9_]*__c$/.test(b.name)) throw invalid("name must be a custom field API name ending in __c");
    if (!b.type || !FIELD_TYPES.includes(b.type) || ["id", "address", "location"].includes(b.type)) throw invalid(`type must be one of ${FIELD_TYPES.filter((t) => !["id", "address", "location"].includes(t)).join(", ")}`);
    const extra: Parameters<typeof field>[3] = { custom: true };
    if (b.picklistValues) extra.picklistValues = picklist(b.picklistValues);
    if (b.length !== undefined) extra.length = b.length;
    if (b.required) extra.nillable = false;
    if (b.updateable === false) extra.updateable = false;
    const def = field(b.name, b.label ?? b.name.replace(/__c$/, "").replace(/_/g, " "), b.type, extra);
    store.addField(object, def);
    return reply.code(201).send({ name: def.name, type: def.type, label: def.label });
  });
  app.delete(`${P}/fields/:object/:name`, async (req, reply) => {
    if (!store.removeField(objectOf(req), (req.params as { name: string }).name)) throw new SalesforceError(404, "NOT_FOUND", "No such custom field");
    return reply.code(204).send();
  });

  // Validation rules.
  app.get(`${P}/validation-rules/:object`, async (req) => ({ rules: store.validationRules[objectOf(req)].map(ruleJson) }));
  app.put(`${P}/validation-rules/:object`, async (req) => ({ rules: store.setValidationRules(objectOf(req), ((req.body ?? {}) as { rules?: unknown }).rules).map(ruleJson) }));
  app.delete(`${P}/validation-rules/:object`, async (req, reply) => {
    store.setValidationRules(objectOf(req), []);
    return reply.code(204).send();
  });

  // List views (Contact by default).
  const viewJson = (v: ListView) => ({ ...v, query: listViewQuery(v) });
  app.get(`${P}/list-views`, async () => ({ listViews: store.listViews.list().map(viewJson) }));
  app.post(`${P}/list-views`, async (req, reply) => {
    const b = (req.body ?? {}) as { object?: string; label?: unknown; developerName?: unknown; where?: unknown; columns?: unknown };
    const object = resolveObjectName(b.object ?? "Contact");
    if (!object || object === "ContactHistory") throw invalid(`Unknown object ${b.object}`);
    return reply.code(201).send(viewJson(store.listViews.define(b, store.info(object), store)));
  });
  app.delete(`${P}/list-views/:id`, async (req, reply) => {
    if (!store.listViews.remove((req.params as { id: string }).id)) throw new SalesforceError(404, "NOT_FOUND", "No such list view");
    return reply.code(204).send();
  });

  // Field history tracking on Contact.
  app.get(`${P}/field-history/Contact`, async () => ({ fields: [...store.trackedContactFields] }));
  app.put(`${P}/field-history/Contact`, async (req) => {
    const fields = ((req.body ?? {}) as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) throw invalid("fields must be an array of Contact field names");
    for (const f of fields) if (!store.info("Contact").fields.some((d) => d.name === f)) throw invalid(`${String(f)} is not a Contact field`);
    store.trackedContactFields = new Set(fields.map(String));
    return { fields: [...store.trackedContactFields] };
  });

  // The daily API allocation.
  const limitsJson = () => {
    const now = store.now();
    const release = store.usage.nextRelease(now);
    return { max: store.usage.max, used: store.usage.used(now), remaining: store.usage.remaining(now), nextRelease: release === undefined ? null : formatDatetime(release) };
  };
  app.get(`${P}/limits`, async () => limitsJson());
  app.put(`${P}/limits`, async (req) => {
    const b = (req.body ?? {}) as { max?: number; used?: number };
    if (b.max !== undefined) {
      if (!Number.isInteger(b.max) || b.max < 0) throw invalid("max must be a non-negative integer");
      store.usage.max = b.max;
    }
    if (b.used !== undefined) {
      if (!Number.isInteger(b.used) || b.used < 0) throw invalid("used must be a non-negative integer");
      store.usage.setUsed(store.now(), b.used);
    }
    return limitsJson();
  });
  app.post(`${P}/limits/reset`, async () => {
    store.usage.reset();
    return limitsJson();
  });

  // OAuth: connected apps, settings, tokens without the browser.
  app.post(`${P}/clients`, async (req, reply) => {
    const b = (req.body ?? {}) as { clientId?: string; clientSecret?: string; redirectUris?: string[] };
    if (!b.clientId || !b.clientSecret) throw invalid("clientId and clientSecret are required");
    store.auth.apps.set(b.clientId, { clientId: b.clientId, clientSecret: b.clientSecret, redirectUris: b.redirectUris ?? [] });
    return reply.code(201).send({ clientId: b.clientId, redirectUris: b.redirectUris ?? [] });
  });
  app.put(`${P}/config`, async (req) => {
    const b = (req.body ?? {}) as { rotateRefreshTokens?: boolean; accessTokenLifetimeSeconds?: number; authorize?: "approve" | "deny" };
    if (b.rotateRefreshTokens !== undefined) store.auth.rotateRefreshTokens = b.rotateRefreshTokens === true;
    if (b.accessTokenLifetimeSeconds !== undefined) store.auth.accessTokenLifetimeSeconds = Number(b.accessTokenLifetimeSeconds);
    if (b.authorize !== undefined) {
      if (b.authorize !== "approve" && b.authorize !== "deny") throw invalid("authorize must be approve or deny");
      store.auth.authorizeAnswer = b.authorize;
    }
    return { rotateRefreshTokens: store.auth.rotateRefreshTokens, accessTokenLifetimeSeconds: store.auth.accessTokenLifetimeSeconds, authorize: store.auth.authorizeAnswer };
  });
  app.post(`${P}/tokens`, async (req) => {
    const b = (req.body ?? {}) as { clientId?: string; scope?: string };
    const clientId = b.clientId ?? DEFAULT_CLIENT_ID;
    if (!store.auth.apps.has(clientId)) throw invalid(`Unknown client ${clientId}`);
    const refresh = store.auth.issueRefreshToken(clientId, b.scope ?? "api refresh_token");
    const session = store.auth.issueSession(clientId, refresh, store.now());
    return { access_token: session.token, refresh_token: refresh.token, instance_url: info().url, id: `${info().url}/id/${store.orgId}/${store.userId}` };
  });
  app.post(`${P}/tokens/expire`, async (req) => ({ ok: store.auth.expire(String(((req.body ?? {}) as { token?: string }).token), store.now()) }));
  app.post(`${P}/tokens/revoke`, async (req) => ({ ok: store.auth.revoke(String(((req.body ?? {}) as { token?: string }).token)) }));

  // Faults: kind "status" with 401 answers INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED.
  registerFaultAndCounterRoutes(app, P, store, invalid);

  app.post(`${P}/clock/advance`, async (req) => {
    const ms = Number(((req.body ?? {}) as { ms?: number }).ms ?? 0);
    if (!Number.isFinite(ms) || ms < 0) throw invalid("ms must be a non-negative number");
    store.clock.advance(ms);
    return { now: formatDatetime(store.now()) };
  });
}
