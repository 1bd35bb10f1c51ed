import type { FastifyInstance, FastifyReply } from "fastify";
import { endpointKey, objectsBase, versionedPaths, type ApiVersion } from "../api-versions.ts";
import { findType } from "../associations.ts";
import type { AssociationInput } from "../store.ts";
import { HubSpotError, notFound, validationError } from "../errors.ts";
import { violationDetails, violationsMessage, type RuleViolation } from "../validation-rules.ts";
import { OBJECT_INFO, OBJECT_TYPES, type ObjectType } from "../object-types.ts";
import type { Props, StoredRecord } from "../records.ts";
import { listParam, projection, versionRenderer, type PublicObject, type RenderOptions } from "../serialize.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";
import type { InputValue } from "../values.ts";
import { apiSource, batchTimes, body, boolParam, intParam, query, requireInputs } from "./common.ts";

/** CRM objects (2026-09 and legacy v3): basic CRUD, batch and merge for companies, deals and contacts. */
interface AssociationBody {
  to?: { id?: string | number };
  types?: Array<{ associationCategory?: string; associationTypeId?: number }>;
}

interface CreateBody {
  properties?: Record<string, InputValue>;
  associations?: AssociationBody[];
}

export function parseAssociations(store: EmulatorStore, type: ObjectType, input: AssociationBody[] | undefined): AssociationInput[] {
  const out: AssociationInput[] = [];
  for (const a of input ?? []) {
    const toId = Number(a.to?.id);
    const types = a.types ?? [];
    if (!Number.isSafeInteger(toId) || types.length === 0) throw validationError("Invalid association: to.id and types are required");
    let toType: ObjectType | undefined;
    const typeIds: number[] = [];
    for (const t of types) {
      const typeId = Number(t.associationTypeId);
      for (const candidate of OBJECT_TYPES) {
        const found = findType(type, candidate, typeId);
        if (found) toType = candidate;
      }
      typeIds.push(typeId);
    }
    if (!toType) throw validationError(`Invalid association type ids ${typeIds.join(",")} for ${OBJECT_INFO[type].singular}`);
    const target = store.objects[toType].resolve(toId);
    if (!target?.live) throw validationError(`Association target ${toType} ${toId} does not exist`);
    out.push({ toType, toId: target.id, typeIds });
  }
  return out;
}

function lookup(store: EmulatorStore, type: ObjectType, id: string, idProperty: string | undefined): StoredRecord | undefined {
  if (idProperty && idProperty !== "hs_object_id") {
    const def = store.properties.get(type, idProperty);
    if (!def?.hasUniqueValue) throw validationError(`${idProperty} is not a unique identifier property for ${OBJECT_INFO[type].singular}`);
    return store.objects[type].findByUnique(idProperty, id);
  }
  if (!/^\d+$/.test(id)) return undefined;
  const rec = store.objects[type].resolve(Number(id));
  return rec && rec.mergedInto === 0 ? rec : undefined;
}

/** 2026-09 enforces the portal's validation rules on writes; a single write that breaks one answers 400. */
function ruleError(violations: RuleViolation[]): HubSpotError {
  return validationError(violationsMessage(violations), { errors: violationDetails(violations) });
}

/** A per-input batch error (StandardError) for broken validation rules. */
function batchRuleError(violations: RuleViolation[], context: Record<string, string[]>) {
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    message: violationsMessage(violations),
    context: { ...context, propertyName: [...new Set(violations.map((v) => v.property))] },
    errors: violationDetails(violations),
    links: {},
  };
}

type Render = (r: StoredRecord, opts: RenderOptions) => PublicObject;

export function registerObjectRoutes(app: FastifyInstance, store: EmulatorStore): void {
  for (const type of OBJECT_TYPES) {
    const info = OBJECT_INFO[type];
    const read = [`crm.objects.${type}.read`, `crm.objects.${type}.write`];
    const write = [`crm.objects.${type}.write`];
    const defs = store.properties.map(type);
    const coll = (): ReturnType<EmulatorStore["collection"]> => store.collection(type);
    const assocOpts = (raw: unknown) => {
      const types = listParam(raw);
      return types ? { store: store.associations, types, collections: store.objects } : undefined;
    };

    for (const { version, base } of versionedPaths((v) => [objectsBase(v, type), objectsBase(v, info.typeId)])) {
      const key = (name: string): string => endpointKey(version, `${type}.${name}`);
      const render = versionRenderer(version, type, store.portalId, () => store.properties.map(type));
      const enforceRules = (rec: StoredRecord | undefined, props: Props): void => {
        if (version !== "2026-09") return;
        const broken = store.brokenRules(type, rec, props);
        if (broken.length > 0) throw ruleError(broken);
      };

      app.get(base, route({ endpoint: key("list"), scopes: read }), async (req) => {
        const q = query(req);
        const limit = intParam(q.limit, "limit", 10, 100);
        const after = q.after === undefined || q.after === "" ? 0 : Number(q.after);
        if (!Number.isSafeInteger(after)) throw validationError(`Invalid after: ${String(q.after)}`);
        const names = projection(type, store.properties.map(type), listParam(q.properties));
        const history = listParam(q.propertiesWithHistory);
        const assoc = assocOpts(q.associations);
        const page = coll().page(after, limit, boolParam(q.archived));
        const results = page.items.map((r) => render(r, { names, history, associations: assoc }));
        const out: { results: PublicObject[]; paging?: { next: { after: string; link: string } } } = { results };
        if (page.next !== undefined) {
          const after = String(page.next);
          out.paging = { next: { after, link: `${base}?after=${after}` } };
        }
        return out;
      });

      app.get(`${base}/:id`, route({ endpoint: key("get"), scopes: read }), async (req) => {
        const q = query(req);
        const { id } = req.params as { id: string };
        const idProperty = typeof q.idProperty === "string" ? q.idProperty : undefined;
        let rec = lookup(store, type, id, idProperty);
        if (boolParam(q.archived)) rec = rec?.archived ? rec : undefined;
        else if (rec?.archived) rec = undefined;
        if (!rec) throw notFound();
        const names = projection(type, store.properties.map(type), listParam(q.properties));
        return render(rec, { names, history: listParam(q.propertiesWithHistory), associations: assocOpts(q.associations) });
      });

      app.post(base, route({ endpoint: key("create"), scopes: write }), async (req, reply) => {
        const b = body<CreateBody>(req);
        const props = store.validate(type, b.properties);
        const associations = parseAssociations(store, type, b.associations);
        enforceRules(undefined, props);
        const rec = store.createRecord(type, props, apiSource(req), associations);
        reply.code(201);
        return render(rec, { names: projection(type, defs, Object.keys(props)) });
      });

      app.patch(`${base}/:id`, route({ endpoint: key("update"), scopes: write }), async (req) => {
        const q = query(req);
        const { id } = req.params as { id: string };
        const b = body<CreateBody>(req);
        const rec = lookup(store, type, id, typeof q.idProperty === "string" ? q.idProperty : undefined);
        if (!rec || rec.archived) throw notFound();
        const props = store.validate(type, b.properties);
        enforceRules(rec, props);
        store.updateRecord(type, rec, props, apiSource(req));
        return render(rec, { names: projection(type, defs, Object.keys(props)) });
      });

      app.delete(`${base}/:id`, route({ endpoint: key("archive"), scopes: write }), async (req, reply) => {
        const { id } = req.params as { id: string };
        const rec = lookup(store, type, id, undefined);
        if (rec && !rec.archived) store.archiveRecord(type, rec);
        return reply.code(204).send();
      });

      app.post(`${base}/merge`, route({ endpoint: key("merge"), scopes: write }), async (req) => {
        const b = body<{ primaryObjectId?: string; objectIdToMerge?: string }>(req);
        if (b.primaryObjectId === undefined || b.objectIdToMerge === undefined)
          throw validationError("Invalid input JSON: primaryObjectId and objectIdToMerge are required");
        const rec = store.merge(type, String(b.primaryObjectId), String(b.objectIdToMerge), apiSource(req));
        return render(rec, { names: projection(type, defs, undefined) });
      });

      registerBatch(app, store, type, { base, version, read, write, render });
    }
  }
}

interface BatchRoutes {
  base: string;
  version: ApiVersion;
  read: string[];
  write: string[];
  render: Render;
}

function registerBatch(app: FastifyInstance, store: EmulatorStore, type: ObjectType, { base, version, read, write, render }: BatchRoutes): void {
  const info = OBJECT_INFO[type];
  const key = (name: string): string => endpointKey(version, `${type}.batch.${name}`);
  const defsOf = () => store.properties.map(type);
  const written = (rec: StoredRecord, names: string[]): PublicObject => render(rec, { names: projection(type, defsOf(), names) });
  const broken = (rec: StoredRecord | undefined, props: Props): RuleViolation[] => (version === "2026-09" ? store.brokenRules(type, rec, props) : []);
  const notFoundError = (ids: string[], verb: string) => ({
    status: "error",
    category: "OBJECT_NOT_FOUND",
    message: `Could not ${verb} some ${info.upper} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {},
  });
  /** Items that failed answer 207 with `errors`/`numErrors`; the others were applied. */
  const batchAnswer = (reply: FastifyReply, started: number, results: unknown[], errors: unknown[], okStatus: number) => {
    if (errors.length > 0) {
      reply.code(207);
      return { status: "COMPLETE", results, numErrors: errors.length, errors, ...batchTimes(started) };
    }
    reply.code(okStatus);
    return { status: "COMPLETE", results, ...batchTimes(started) };
  };

  app.post(`${base}/batch/read`, route({ endpoint: key("read"), scopes: read }), async (req, reply) => {
    const started = Date.now();
    const b = body<{ inputs?: unknown; properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string; archived?: boolean }>(req);
    const history = b.propertiesWithHistory && b.propertiesWithHistory.length > 0 ? b.propertiesWithHistory : undefined;
    const inputs = requireInputs<{ id?: string | number }>(b, history ? 50 : 100);
    const names = projection(type, defsOf(), b.properties);
    const results: PublicObject[] = [];
    const missing: string[] = [];
    const seen = new Set<number>();
    for (const input of inputs) {
      const id = String(input?.id ?? "");
      let rec = lookup(store, type, id, b.idProperty);
      if (rec && rec.archived !== (b.archived === true)) rec = undefined;
      if (!rec) {
        missing.push(id);
        continue;
      }
      if (seen.has(rec.id)) continue;
      seen.add(rec.id);
      results.push(render(rec, { names, history }));
    }
    return batchAnswer(reply, started, results, missing.length > 0 ? [notFoundError(missing, "get")] : [], 200);
  });

  app.post(`${base}/batch/create`, route({ endpoint: key("create"), scopes: write }), async (req, reply) => {
    const started = Date.now();
    const inputs = requireInputs<CreateBody & { objectWriteTraceId?: string }>(body(req), 100);
    const prepared = inputs.map((i) => ({ props: store.validate(type, i?.properties), assoc: parseAssociations(store, type, i?.associations), traceId: i?.objectWriteTraceId }));
    // Uniqueness inside the batch, as HubSpot rejects the whole batch on a duplicate.
    const seen = new Map<string, string>();
    for (const p of prepared) {
      for (const [k, v] of Object.entries(p.props)) {
        if (!v || !store.properties.get(type, k)?.hasUniqueValue) continue;
        const key = `${k}:${v.toLowerCase()}`;
        if (seen.has(key)) throw new HubSpotError(409, "CONFLICT", `Duplicate value "${v}" for unique property "${k}" in batch input.`);
        seen.set(key, v);
      }
    }
    const source = apiSource(req);
    const results: PublicObject[] = [];
    const errors: unknown[] = [];
    prepared.forEach((p, index) => {
      const violations = broken(undefined, p.props);
      if (violations.length > 0) {
        const context: Record<string, string[]> = { inputIndex: [String(index)] };
        if (p.traceId !== undefined) context.objectWriteTraceId = [String(p.traceId)];
        errors.push(batchRuleError(violations, context));
        return;
      }
      results.push(written(store.createRecord(type, p.props, source, p.assoc), Object.keys(p.props)));
    });
    return batchAnswer(reply, started, results, errors, 201);
  });

  app.post(`${base}/batch/update`, route({ endpoint: key("update"), scopes: write }), async (req, reply) => {
    const started = Date.now();
    const inputs = requireInputs<{ id?: string | number; idProperty?: string; properties?: Record<string, InputValue> }>(body(req), 100);
    const prepared = inputs.map((i) => ({ id: String(i?.id ?? ""), idProperty: i?.idProperty, props: store.validate(type, i?.properties) }));
    const source = apiSource(req);
    const results: PublicObject[] = [];
    const errors: unknown[] = [];
    const missing: string[] = [];
    for (const p of prepared) {
      const rec = lookup(store, type, p.id, p.idProperty);
      if (!rec || rec.archived) {
        missing.push(p.id);
        continue;
      }
      const violations = broken(rec, p.props);
      if (violations.length > 0) {
        errors.push(batchRuleError(violations, { ids: [p.id] }));
        continue;
      }
      store.updateRecord(type, rec, p.props, source);
      results.push(written(rec, Object.keys(p.props)));
    }
    if (missing.length > 0) errors.unshift(notFoundError(missing, "update"));
    return batchAnswer(reply, started, results, errors, 200);
  });

  app.post(`${base}/batch/upsert`, route({ endpoint: key("upsert"), scopes: write }), async (req, reply) => {
    const started = Date.now();
    const inputs = requireInputs<{ id?: string; idProperty?: string; properties?: Record<string, InputValue> }>(body(req), 100);
    const source = apiSource(req);
    const prepared = inputs.map((i) => {
      const idProperty = i?.idProperty;
      const id = String(i?.id ?? "");
      if (!idProperty || !store.properties.get(type, idProperty)?.hasUniqueValue)
        throw validationError(`Upsert requires idProperty to be a unique-value property of ${info.singular} (got ${String(idProperty)})`);
      if (!id) throw validationError("Upsert inputs need an id (the idProperty value)");
      return { id, idProperty, props: store.validate(type, i?.properties) };
    });
    const results: Array<PublicObject & { new: boolean }> = [];
    const errors: unknown[] = [];
    for (const p of prepared) {
      const existing = store.objects[type].findByUnique(p.idProperty, p.id);
      const props = existing ? p.props : { ...p.props, [p.idProperty]: p.id };
      const violations = broken(existing, props);
      if (violations.length > 0) {
        errors.push(batchRuleError(violations, { ids: [p.id] }));
        continue;
      }
      if (existing) {
        store.updateRecord(type, existing, props, source);
        results.push({ ...written(existing, Object.keys(props)), new: false });
      } else {
        results.push({ ...written(store.createRecord(type, props, source), Object.keys(props)), new: true });
      }
    }
    return batchAnswer(reply, started, results, errors, 200);
  });

  app.post(`${base}/batch/archive`, route({ endpoint: key("archive"), scopes: write }), async (req, reply) => {
    const inputs = requireInputs<{ id?: string | number }>(body(req), 100);
    for (const i of inputs) {
      const rec = lookup(store, type, String(i?.id ?? ""), undefined);
      if (rec && !rec.archived) store.archiveRecord(type, rec);
    }
    return reply.code(204).send();
  });
}
