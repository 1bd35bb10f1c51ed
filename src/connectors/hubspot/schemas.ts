// Shapes of HubSpot's answers, checked at the edge so a changed API fails loudly at the call
// that met it instead of deep in the sync engine. Objects stay loose: HubSpot adds fields.
import { z } from "zod";
import { HubSpotError } from "./errors.ts";
import type { HubSpotProperty } from "./property-types.ts";
import type { AssociatedObject, BatchInputError, ErrorDetail, HubSpotList, HubSpotRecord, ListMembership } from "./types.ts";

const paging = z
  .looseObject({ next: z.looseObject({ after: z.union([z.string(), z.number()]).transform(String) }).optional() })
  .optional();

export const recordSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  properties: z.record(z.string(), z.string().nullable()).default({}),
  propertiesWithHistory: z.record(z.string(), z.array(z.looseObject({ value: z.string(), timestamp: z.string(), sourceType: z.string() }))).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
  associations: z
    .record(
      z.string(),
      z.looseObject({
        results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), type: z.string() })),
        paging,
      }),
    )
    .optional(),
});

export const pageSchema = z.looseObject({ results: z.array(recordSchema), paging });

export const searchSchema = z.looseObject({ total: z.number(), results: z.array(recordSchema), paging });

/** One entry of an error's `errors[]`: `in` names the property a validation rule refused. */
export const errorDetailSchema = z.looseObject({ message: z.string().default(""), in: z.string().optional(), code: z.string().optional() });

const batchErrorSchema = z.looseObject({
  status: z.string().default("error"),
  category: z.string().default("UNKNOWN"),
  subCategory: z.string().optional(),
  message: z.string().default(""),
  context: z.record(z.string(), z.array(z.string())).optional(),
  errors: z.array(errorDetailSchema).optional(),
});

export const batchSchema = z.looseObject({
  status: z.string().optional(),
  results: z.array(recordSchema.extend({ new: z.boolean().optional() })).default([]),
  errors: z.array(batchErrorSchema).optional(),
});

const associationTypeSchema = z.looseObject({ category: z.string(), typeId: z.number(), label: z.string().nullable().default(null) });

const associatedSchema = z.looseObject({
  toObjectId: z.union([z.string(), z.number()]).transform(String),
  associationTypes: z.array(associationTypeSchema).default([]),
});

export const associationBatchSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        from: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
        to: z.array(associatedSchema).default([]),
        paging,
      }),
    )
    .default([]),
  errors: z.array(batchErrorSchema).optional(),
});

export const propertiesSchema = z.looseObject({
  results: z.array(z.looseObject({ name: z.string(), label: z.string(), type: z.string(), fieldType: z.string() })),
});

export const propertySchema = z.looseObject({ name: z.string(), label: z.string(), type: z.string(), fieldType: z.string() });

export const listSchema = z.looseObject({
  listId: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
});

/** GET of a list wraps the list in `{ list }`; accept the bare list too. */
export const listEnvelopeSchema = z.union([z.looseObject({ list: listSchema }).transform((v) => v.list), listSchema]);

export const membershipsSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      recordId: z.union([z.string(), z.number()]).transform(String),
      membershipTimestamp: z.string().optional(),
    }),
  ),
  paging,
  total: z.number().optional(),
});

/**
 * The 2026-03 introspection answer. An inactive token answers `{active: false}` alone; the v1
 * token-metadata answer (the recorded one) has the same snake_case fields without `active`.
 */
export const tokenInfoSchema = z.union([
  z.looseObject({ active: z.literal(false) }),
  z.looseObject({
    active: z.literal(true).optional(),
    scopes: z.array(z.string()),
    hub_id: z.number(),
    app_id: z.number().optional(),
    client_id: z.string().optional(),
    expires_in: z.number().optional(),
    hub_domain: z.string().optional(),
    user: z.string().optional(),
    user_id: z.number().optional(),
    token_type: z.string().optional(),
    token_use: z.string().optional(),
  }),
]);

/** The 2026-03 token answer: snake_case; `hub_id` and `scopes` come with it (absent in v1). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number(),
  token_type: z.string().optional(),
  hub_id: z.number().optional(),
  scopes: z.array(z.string()).optional(),
});

export const accountDetailsSchema = z.looseObject({
  portalId: z.union([z.number(), z.string()]),
  accountType: z.string().optional(),
  timeZone: z.string().optional(),
  uiDomain: z.string().optional(),
  dataHostingLocation: z.string().optional(),
});

/** Parses an answer or fails with a typed error that names the endpoint. */
export function parse<S extends z.ZodType>(schema: S, body: unknown, endpoint: string, status: number): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HubSpotError({
    kind: "unavailable",
    status,
    endpoint,
    message: `HubSpot's answer to ${endpoint} has an unexpected shape${issue === undefined ? "" : ` at ${issue.path.join(".") || "(root)"}: ${issue.message}`}.`,
  });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string | number => typeof value === "string" || typeof value === "number";
const isPlainPaging = (value: unknown): boolean => value === undefined || (isObject(value) && (value["next"] === undefined || (isObject(value["next"]) && isId(value["next"]["after"]))));

/** recordSchema's common case: no property history, every value checked here. */
function isPlainRecord(record: unknown): record is Json {
  if (!isObject(record) || !isId(record["id"]) || typeof record["createdAt"] !== "string" || typeof record["updatedAt"] !== "string") return false;
  if (record["propertiesWithHistory"] !== undefined) return false;
  if (record["archived"] !== undefined && typeof record["archived"] !== "boolean") return false;
  const properties = record["properties"];
  if (properties !== undefined) {
    if (!isObject(properties)) return false;
    for (const key in properties) {
      const value = properties[key];
      if (value !== null && typeof value !== "string") return false;
    }
  }
  const associations = record["associations"];
  if (associations !== undefined) {
    if (!isObject(associations)) return false;
    for (const key in associations) {
      const association = associations[key];
      if (!isObject(association) || !Array.isArray(association["results"]) || !isPlainPaging(association["paging"])) return false;
      for (const to of association["results"] as unknown[]) if (!isObject(to) || !isId(to["id"]) || typeof to["type"] !== "string") return false;
    }
  }
  return true;
}

function normalisePaging(value: unknown): void {
  const next = isObject(value) ? value["next"] : undefined;
  if (isObject(next)) next["after"] = String(next["after"]);
}

/**
 * parse() for pageSchema and searchSchema: a full pass reads these by the thousand, and zod's
 * generic walk over every property value was 3–4% of its CPU. The plain common shape is checked
 * here and normalised in place as zod would output it (ids as strings, missing properties as
 * {}); anything else, valid or not, goes to zod, which accepts and reports it as before.
 */
export function parseRecordPage(schema: typeof searchSchema, body: unknown, endpoint: string, status: number): z.output<typeof searchSchema>;
export function parseRecordPage(schema: typeof pageSchema, body: unknown, endpoint: string, status: number): z.output<typeof pageSchema>;
export function parseRecordPage(schema: typeof pageSchema | typeof searchSchema, body: unknown, endpoint: string, status: number): unknown {
  const plain =
    isObject(body) &&
    Array.isArray(body["results"]) &&
    isPlainPaging(body["paging"]) &&
    (schema !== searchSchema || typeof body["total"] === "number") &&
    (body["results"] as unknown[]).every(isPlainRecord);
  if (!plain) return schema === searchSchema ? parse(searchSchema, body, endpoint, status) : parse(pageSchema, body, endpoint, status);
  for (const record of body["results"] as Json[]) {
    record["id"] = String(record["id"]);
    record["properties"] ??= {};
    const associations = record["associations"];
    if (isObject(associations)) {
      for (const key in associations) {
        const association = associations[key] as Json;
        for (const to of association["results"] as Json[]) to["id"] = String(to["id"]);
        normalisePaging(association["paging"]);
      }
    }
  }
  normalisePaging(body["paging"]);
  return body;
}

export function nextAfter(p: z.output<typeof paging>): string | undefined {
  return p?.next?.after;
}

export function toRecord(r: z.output<typeof recordSchema>): HubSpotRecord {
  return r as HubSpotRecord;
}

export function toBatchErrors(errors: z.output<typeof batchErrorSchema>[] | undefined): BatchInputError[] {
  return (errors ?? []).map((e) => ({
    status: e.status,
    category: e.category,
    message: e.message,
    ids: e.context?.ids ?? e.context?.fromObjectId ?? [],
    ...(e.context === undefined ? {} : { context: e.context }),
    ...(e.errors === undefined || e.errors.length === 0 ? {} : { details: e.errors.map(toErrorDetail) }),
  }));
}

export function toErrorDetail(d: z.output<typeof errorDetailSchema>): ErrorDetail {
  return { message: d.message, ...(d.in === undefined ? {} : { in: d.in }), ...(d.code === undefined ? {} : { code: d.code }) };
}

export function toAssociated(a: z.output<typeof associatedSchema>): AssociatedObject {
  return { toObjectId: a.toObjectId, associationTypes: a.associationTypes.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label })) };
}

export const asProperty = (p: z.output<typeof propertySchema>): HubSpotProperty => p as HubSpotProperty;
export const asList = (l: z.output<typeof listSchema>): HubSpotList => l as HubSpotList;
export const asMembership = (m: { recordId: string; membershipTimestamp?: string | undefined }): ListMembership => ({
  recordId: m.recordId,
  ...(m.membershipTimestamp === undefined ? {} : { membershipTimestamp: m.membershipTimestamp }),
});
