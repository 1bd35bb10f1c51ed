import type { FastifyInstance, FastifyReply } from "fastify";
import { API_VERSIONS, associationsBase, endpointKey, recordAssociationsBase, type ApiVersion } from "../api-versions.ts";
import { defaultType, findType, type AssociationTypeInfo } from "../associations.ts";
import { notFound, validationError } from "../errors.ts";
import { OBJECT_INFO, resolveObjectType, type ObjectType } from "../object-types.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";
import { batchTimes, body, intParam, query, requireInputs } from "./common.ts";

/**
 * Associations (2026-09 and legacy v4): batch read, default and labelled create, delete,
 * label removal; the per-record listing exists only in v4 (2026-09 has no such GET).
 */
const READ = ["crm.objects.companies.read", "crm.objects.contacts.read", "crm.objects.deals.read"];
const WRITE = ["crm.objects.companies.write", "crm.objects.contacts.write", "crm.objects.deals.write"];

function objectType(raw: string): ObjectType {
  const t = resolveObjectType(raw);
  if (!t) throw validationError(`Unable to infer object type from: ${raw}`);
  return t;
}

interface TypeView {
  category: string;
  typeId: number;
  label?: string | null;
}

/** v4 sends `label: null` for unlabelled types; 2026-09 defines label as an optional string, so it is left out. */
function typeView(version: ApiVersion, t: AssociationTypeInfo): TypeView {
  if (version === "2026-09") return t.label === null ? { category: t.category, typeId: t.typeId } : { category: t.category, typeId: t.typeId, label: t.label };
  return { category: t.category, typeId: t.typeId, label: t.label };
}

/** v4 answers with numeric `toObjectId`s (as its docs show); 2026-09's schema makes them strings. */
function toObjectId(version: ApiVersion, id: number): number | string {
  return version === "2026-09" ? String(id) : id;
}

export function registerAssociationRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const liveTargets = (from: ObjectType, id: number, to: ObjectType): number[] =>
    store.associations.list(from, id, to).filter((x) => store.objects[to].get(x)?.live === true);

  const page = (version: ApiVersion, from: ObjectType, id: number, to: ObjectType, after: number, limit: number) => {
    const ids = liveTargets(from, id, to);
    const slice = ids.slice(after, after + limit);
    const results = slice.map((toId) => ({
      toObjectId: toObjectId(version, toId),
      associationTypes: store.associations.typesBetween(from, id, to, toId).map((t) => typeView(version, t)),
    }));
    const next = after + limit < ids.length ? String(after + limit) : undefined;
    return { results, next };
  };

  app.get("/crm/v4/objects/:from/:id/associations/:to", route({ endpoint: endpointKey("legacy", "associations.list"), scopes: READ }), async (req) => {
    const p = req.params as { from: string; id: string; to: string };
    const from = objectType(p.from);
    const to = objectType(p.to);
    const q = query(req);
    const limit = intParam(q.limit, "limit", 500, 500);
    const after = intParam(q.after, "after", 0);
    const rec = store.require(from, p.id);
    const { results, next } = page("legacy", from, rec.id, to, after, limit);
    const out: { results: typeof results; paging?: { next: { after: string; link: string } } } = { results };
    if (next) out.paging = { next: { after: next, link: `/crm/v4/objects/${p.from}/${p.id}/associations/${p.to}?after=${next}` } };
    return out;
  });

  const createDefault = (from: ObjectType, fromId: number, to: ObjectType, toId: number) => {
    store.associations.add(from, fromId, to, toId);
    const d = defaultType(from, to);
    return [
      { from: { id: String(fromId) }, to: { id: String(toId) }, associationSpec: { associationCategory: d.category, associationTypeId: d.typeId } },
      { from: { id: String(toId) }, to: { id: String(fromId) }, associationSpec: { associationCategory: d.category, associationTypeId: d.reverseTypeId } },
    ];
  };

  const typeIdsOf = (specs: unknown): number[] => {
    if (!Array.isArray(specs) || specs.length === 0) throw validationError("Invalid input JSON: expected an array of association specs");
    const typeIds = (specs as Array<{ associationTypeId?: number }>).map((s) => Number(s.associationTypeId));
    for (const id of typeIds) if (!Number.isInteger(id)) throw validationError("associationTypeId must be an integer");
    return typeIds;
  };

  const createLabelled = (version: ApiVersion, from: ObjectType, fromRaw: string, to: ObjectType, toRaw: string, specs: unknown) => {
    const a = store.require(from, fromRaw);
    const b = store.require(to, toRaw);
    const typeIds = typeIdsOf(specs);
    store.associations.add(from, a.id, to, b.id, typeIds);
    const labels = typeIds.map((id) => findType(from, to, id)?.label).filter((l): l is string => typeof l === "string");
    // v4 sends numeric ids here; 2026-09's LabelsBetweenObjectPair has strings.
    const id = (n: number): number | string => (version === "legacy" ? n : String(n));
    return { fromObjectTypeId: OBJECT_INFO[from].typeId, fromObjectId: id(a.id), toObjectTypeId: OBJECT_INFO[to].typeId, toObjectId: id(b.id), labels };
  };

  for (const version of API_VERSIONS) registerVersion(version);

  function registerVersion(version: ApiVersion): void {
    const base = associationsBase(version);
    const records = recordAssociationsBase(version);
    const key = (name: string): string => endpointKey(version, name);
    app.post(`${base}/:from/:to/batch/read`, route({ endpoint: key("associations.batch.read"), scopes: READ }), async (req, reply) => {
      const started = Date.now();
      const p = req.params as { from: string; to: string };
      const from = objectType(p.from);
      const to = objectType(p.to);
      const inputs = requireInputs<{ id?: string | number; after?: string }>(body(req), 1000);
      const results = [];
      const errors = [];
      for (const input of inputs) {
        const id = String(input?.id ?? "");
        const rec = /^\d+$/.test(id) ? store.objects[from].resolve(Number(id)) : undefined;
        const after = input?.after ? Number(input.after) : 0;
        const got = rec?.live ? page(version, from, rec.id, to, Number.isInteger(after) ? after : 0, 500) : { results: [], next: undefined };
        if (got.results.length === 0) {
          errors.push({
            status: "error",
            category: "OBJECT_NOT_FOUND",
            subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
            message: `No ${OBJECT_INFO[to].singular} is associated with ${OBJECT_INFO[from].singular} ${id}.`,
            context: { fromObjectId: [id] },
            errors: [],
            links: {},
          });
          continue;
        }
        const entry: { from: { id: string }; to: typeof got.results; paging?: { next: { after: string } } } = { from: { id }, to: got.results };
        if (got.next) entry.paging = { next: { after: got.next } };
        results.push(entry);
      }
      if (errors.length > 0) {
        reply.code(207);
        return { status: "COMPLETE", results, numErrors: errors.length, errors, ...batchTimes(started) };
      }
      return { status: "COMPLETE", results, ...batchTimes(started) };
    });

    app.put(
      `${records}/:from/:id/associations/default/:to/:toId`,
      route({ endpoint: key("associations.create"), scopes: WRITE }),
      async (req) => {
        const started = Date.now();
        const p = req.params as { from: string; id: string; to: string; toId: string };
        const from = objectType(p.from);
        const to = objectType(p.to);
        const a = store.require(from, p.id);
        const b = store.require(to, p.toId);
        return { status: "COMPLETE", results: createDefault(from, a.id, to, b.id), ...batchTimes(started) };
      },
    );

    app.put(`${records}/:from/:id/associations/:to/:toId`, route({ endpoint: key("associations.create"), scopes: WRITE }), async (req, reply) => {
      const p = req.params as { from: string; id: string; to: string; toId: string };
      const result = createLabelled(version, objectType(p.from), p.id, objectType(p.to), p.toId, req.body);
      reply.code(201);
      return result;
    });

    // v4 answers a batch create with 201; 2026-09 defines 200.
    app.post(`${base}/:from/:to/batch/create`, route({ endpoint: key("associations.batch.create"), scopes: WRITE }), async (req, reply) => {
      const started = Date.now();
      const p = req.params as { from: string; to: string };
      const from = objectType(p.from);
      const to = objectType(p.to);
      const inputs = requireInputs<{ from?: { id?: string }; to?: { id?: string }; types?: unknown }>(body(req), 2000);
      const results = inputs.map((i) => createLabelled(version, from, String(i?.from?.id ?? ""), to, String(i?.to?.id ?? ""), i?.types));
      reply.code(version === "legacy" ? 201 : 200);
      return { status: "COMPLETE", results, ...batchTimes(started) };
    });

    app.delete(`${records}/:from/:id/associations/:to/:toId`, route({ endpoint: key("associations.delete"), scopes: WRITE }), async (req, reply) => {
      const p = req.params as { from: string; id: string; to: string; toId: string };
      const from = objectType(p.from);
      const to = objectType(p.to);
      if (!/^\d+$/.test(p.id) || !/^\d+$/.test(p.toId)) throw notFound();
      store.associations.remove(from, Number(p.id), to, Number(p.toId));
      return reply.code(204).send();
    });

    app.post(
      `${base}/:from/:to/batch/associate/default`,
      route({ endpoint: key("associations.batch.create"), scopes: WRITE }),
      async (req) => {
        const started = Date.now();
        const p = req.params as { from: string; to: string };
        const from = objectType(p.from);
        const to = objectType(p.to);
        const inputs = requireInputs<{ from?: { id?: string }; to?: { id?: string } }>(body(req), 2000);
        const results = inputs.flatMap((i) => {
          const a = store.require(from, String(i?.from?.id ?? ""));
          const b = store.require(to, String(i?.to?.id ?? ""));
          return createDefault(from, a.id, to, b.id);
        });
        return { status: "COMPLETE", results, ...batchTimes(started) };
      },
    );

    // v4 answers the archives with 204; 2026-09 defines 200 with an empty batch response.
    const archived = (reply: FastifyReply, started: number) =>
      version === "legacy" ? reply.code(204).send() : reply.code(200).send({ status: "COMPLETE", results: [], ...batchTimes(started) });

    app.post(`${base}/:from/:to/batch/archive`, route({ endpoint: key("associations.batch.archive"), scopes: WRITE }), async (req, reply) => {
      const started = Date.now();
      const p = req.params as { from: string; to: string };
      const from = objectType(p.from);
      const to = objectType(p.to);
      const inputs = requireInputs<{ from?: { id?: string }; to?: Array<{ id?: string }> }>(body(req), 2000);
      for (const i of inputs) {
        const fromId = Number(i?.from?.id);
        for (const t of i?.to ?? []) store.associations.remove(from, fromId, to, Number(t.id));
      }
      return archived(reply, started);
    });

    app.post(`${base}/:from/:to/batch/labels/archive`, route({ endpoint: key("associations.batch.labels.archive"), scopes: WRITE }), async (req, reply) => {
      const started = Date.now();
      const p = req.params as { from: string; to: string };
      const from = objectType(p.from);
      const to = objectType(p.to);
      const inputs = requireInputs<{ from?: { id?: string }; to?: { id?: string }; types?: unknown }>(body(req), 2000);
      for (const i of inputs) {
        const a = store.require(from, String(i?.from?.id ?? ""));
        const b = store.require(to, String(i?.to?.id ?? ""));
        store.associations.removeTypes(from, a.id, to, b.id, typeIdsOf(i?.types));
      }
      return archived(reply, started);
    });
  }
}
