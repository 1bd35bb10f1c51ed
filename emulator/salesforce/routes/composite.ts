import type { FastifyInstance, FastifyRequest } from "fastify";
import { SalesforceError, type RecordError } from "../errors.ts";
import type { SfRecord } from "../records.ts";
import type { ObjectName } from "../schema.ts";
import { route } from "../server.ts";
import type { SalesforceStore } from "../store.ts";
import { checkFieldNames, findForUpdate, prepareWrite, writableObject } from "../writes.ts";
import type { RecordValues } from "../fields.ts";

/**
 * sObject Collections: create (POST) and update (PATCH) up to 200 records in one call, which
 * counts as one API call. Each record answers `{id, success, errors}`; with `allOrNone` one
 * failure rolls every record back.
 */
export const MAX_COLLECTION_RECORDS = 200;

interface CollectionBody {
  allOrNone?: boolean;
  records?: Array<Record<string, unknown>>;
}

interface Planned {
  object?: ObjectName;
  existing?: SfRecord;
  changes?: RecordValues;
  errors?: RecordError[];
  id?: string;
}

const ROLLED_BACK: RecordError = {
  statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
  message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
  fields: [],
};

function collection(req: FastifyRequest): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const b = (req.body ?? {}) as CollectionBody;
  if (!Array.isArray(b.records)) throw new SalesforceError(400, "JSON_PARSER_ERROR", "records: a JSON array of records is required");
  if (b.records.length > MAX_COLLECTION_RECORDS) throw new SalesforceError(400, "EXCEEDED_ID_LIMIT", `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`);
  return { allOrNone: b.allOrNone === true, records: b.records };
}

export function registerCompositeRoutes(app: FastifyInstance, store: SalesforceStore): void {
  const plan = (records: Array<Record<string, unknown>>, update: boolean): Planned[] => {
    // Unknown field names fail the whole request before any record is looked at.
    for (const r of records) {
      const object = writableObject((r.attributes as { type?: unknown } | undefined)?.type);
      if (object && r && typeof r === "object") checkFieldNames(store, object, r);
    }
    return records.map((r): Planned => {
      const object = writableObject((r.attributes as { type?: unknown } | undefined)?.type);
      if (!object) return { errors: [{ statusCode: "INVALID_TYPE", message: "Must send a concrete entity type.", fields: [] }] };
      const idKey = Object.keys(r).find((k) => k.toLowerCase() === "id");
      if (!update) {
        if (idKey && r[idKey] !== null && r[idKey] !== undefined) return { object, errors: [{ statusCode: "INVALID_FIELD", message: "cannot specify Id in an insert call", fields: [] }] };
        const p = prepareWrite(store, object, r);
        return p.ok ? { object, changes: p.changes } : { object, errors: p.errors };
      }
      const rawId = idKey ? r[idKey] : undefined;
      const found = findForUpdate(store, object, rawId);
      const id = typeof rawId === "string" ? rawId : undefined;
      if ("error" in found) return id === undefined ? { object, errors: [found.error] } : { object, id, errors: [found.error] };
      const p = prepareWrite(store, object, r, found.rec);
      return p.ok ? { object, existing: found.rec, changes: p.changes, id: found.rec.id } : { object, id: found.rec.id, errors: p.errors };
    });
  };

  const answer = (planned: Planned[], allOrNone: boolean) => {
    const failed = planned.some((p) => p.errors);
    return planned.map((p) => {
      const out: Record<string, unknown> = {};
      if (p.errors) {
        if (p.id !== undefined) out.id = p.id;
        return { ...out, success: false, errors: p.errors };
      }
      if (allOrNone && failed) return { ...(p.id !== undefined ? { id: p.id } : {}), success: false, errors: [ROLLED_BACK] };
      const rec = p.existing ? store.update(p.existing, p.changes!) : store.create(p.object!, p.changes!);
      return { id: rec.id, success: true, errors: [] };
    });
  };

  app.post("/services/data/:version/composite/sobjects", route({ endpoint: "composite.sobjects.create", kind: "data" }), async (req) => {
    const { allOrNone, records } = collection(req);
    return answer(plan(records, false), allOrNone);
  });

  app.patch("/services/data/:version/composite/sobjects", route({ endpoint: "composite.sobjects.update", kind: "data" }), async (req) => {
    const { allOrNone, records } = collection(req);
    return answer(plan(records, true), allOrNone);
  });
}
