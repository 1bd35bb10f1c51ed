import type { FastifyInstance, FastifyRequest } from "fastify";
import { describeObject, describeObjectSummary } from "../describe.ts";
import { NOT_FOUND, SalesforceError } from "../errors.ts";
import { listViewQuery, type ListView } from "../list-views.ts";
import type { SfRecord } from "../records.ts";
import { OBJECT_NAMES, findField, resolveObjectName, type ObjectName } from "../schema.ts";
import { route, versionOf } from "../server.ts";
import { recordUrl } from "../soql/execute.ts";
import type { SalesforceStore } from "../store.ts";
import { renderValue } from "../values.ts";
import { checkFieldNames, findForUpdate, prepareWrite, writableObject } from "../writes.ts";

/** sObject describe, single records, and Contact list views. */
function objectParam(req: FastifyRequest): ObjectName {
  const name = resolveObjectName((req.params as { object: string }).object);
  if (!name) throw NOT_FOUND();
  return name;
}

function writeErrors(errors: Array<{ statusCode: string; message: string; fields: string[] }>): SalesforceError {
  const first = errors[0]!;
  return new SalesforceError(400, first.statusCode, first.message, first.fields);
}

export function registerSObjectRoutes(app: FastifyInstance, store: SalesforceStore): void {
  const renderRecord = (rec: SfRecord, version: string, only?: string[]) => {
    const info = store.info(rec.object);
    const out: Record<string, unknown> = { attributes: { type: rec.object, url: recordUrl(version, rec.object, rec.id) } };
    const fields = only ? only.map((n) => findField(info, n) ?? (() => { throw new SalesforceError(400, "INVALID_FIELD", `No such column '${n}' on entity '${rec.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`); })()) : info.fields;
    for (const f of fields) out[f.name] = renderValue(f, rec.values, () => `${recordUrl(version, rec.object, rec.id)}/${f.name}`);
    return out;
  };

  app.get("/services/data/:version/sobjects", route({ endpoint: "sobjects.global", kind: "data" }), async (req) => ({
    encoding: "UTF-8",
    maxBatchSize: 200,
    sobjects: OBJECT_NAMES.map((n) => describeObjectSummary(store.info(n), versionOf(req))),
  }));

  app.get("/services/data/:version/sobjects/:object/describe", route({ endpoint: "sobjects.describe", kind: "data" }), async (req) => describeObject(store.info(objectParam(req)), versionOf(req)));

  const listViewJson = (v: ListView, version: string) => {
    const base = `/services/data/v${version}/sobjects/${v.object}/listviews/${v.id}`;
    return { describeUrl: `${base}/describe`, developerName: v.developerName, id: v.id, label: v.label, resultsUrl: `${base}/results`, soqlCompatible: true, url: base };
  };

  app.get("/services/data/:version/sobjects/:object/listviews", route({ endpoint: "sobjects.listviews", kind: "data" }), async (req) => {
    const object = objectParam(req);
    const views = store.listViews.list(object);
    return { done: true, listviews: views.map((v) => listViewJson(v, versionOf(req))), nextRecordsUrl: null, size: views.length, sobjectType: object };
  });

  app.get("/services/data/:version/sobjects/:object/listviews/:id/describe", route({ endpoint: "sobjects.listviews.describe", kind: "data" }), async (req) => {
    const object = objectParam(req);
    const v = store.listViews.get((req.params as { id: string }).id);
    if (!v || v.object !== object) throw NOT_FOUND();
    const info = store.info(object);
    return {
      columns: v.columns.map((name) => {
        const f = findField(info, name)!;
        return { ascendingLabel: "A-Z", descendingLabel: "Z-A", fieldNameOrPath: f.name, hidden: false, label: f.label, searchable: false, selectListItem: f.name, sortDirection: null, sortIndex: null, sortable: true, type: f.type };
      }),
      id: v.id,
      orderBy: [
        { fieldNameOrPath: v.columns.includes("Name") ? "Name" : "Id", nullsPosition: "first", sortDirection: "ascending" },
        { fieldNameOrPath: "Id", nullsPosition: "first", sortDirection: "ascending" },
      ],
      query: listViewQuery(v),
      relatedEntityId: null,
      scope: "everything",
      scopeEntityId: null,
      sobjectType: object,
      whereCondition: v.where ? { soql: v.where } : { conditions: [], conjunction: "and" },
    };
  });

  app.get("/services/data/:version/sobjects/:object/:id", route({ endpoint: "sobjects.get", kind: "data" }), async (req) => {
    const object = objectParam(req);
    const rec = store.get(object, (req.params as { id: string }).id);
    if (!rec) throw NOT_FOUND();
    if (rec.values.IsDeleted === true) throw new SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted");
    const fields = (req.query as { fields?: string }).fields;
    return renderRecord(rec, versionOf(req), fields ? fields.split(",").map((s) => s.trim()).filter(Boolean) : undefined);
  });

  app.post("/services/data/:version/sobjects/:object", route({ endpoint: "sobjects.create", kind: "data" }), async (req, reply) => {
    const object = writableObject((req.params as { object: string }).object);
    if (!object) throw NOT_FOUND();
    const input = (req.body ?? {}) as Record<string, unknown>;
    checkFieldNames(store, object, input);
    const p = prepareWrite(store, object, input);
    if (!p.ok) throw writeErrors(p.errors);
    const rec = store.create(object, p.changes);
    return reply.code(201).send({ id: rec.id, success: true, errors: [] });
  });

  app.patch("/services/data/:version/sobjects/:object/:id", route({ endpoint: "sobjects.update", kind: "data" }), async (req, reply) => {
    const object = writableObject((req.params as { object: string }).object);
    if (!object) throw NOT_FOUND();
    const found = findForUpdate(store, object, (req.params as { id: string }).id);
    if ("error" in found) throw found.error.statusCode === "ENTITY_IS_DELETED" ? new SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted") : NOT_FOUND();
    const input = (req.body ?? {}) as Record<string, unknown>;
    checkFieldNames(store, object, input);
    const p = prepareWrite(store, object, input, found.rec);
    if (!p.ok) throw writeErrors(p.errors);
    store.update(found.rec, p.changes);
    return reply.code(204).send();
  });

  app.delete("/services/data/:version/sobjects/:object/:id", route({ endpoint: "sobjects.delete", kind: "data" }), async (req, reply) => {
    const object = writableObject((req.params as { object: string }).object);
    const rec = object ? store.get(object, (req.params as { id: string }).id) : undefined;
    if (!rec) throw NOT_FOUND();
    if (rec.values.IsDeleted === true) throw new SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted");
    store.softDelete(rec);
    return reply.code(204).send();
  });
}
