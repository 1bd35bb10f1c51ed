// Custom field definitions over REST. Everyone reads them; only admins change them. A synced
// field cannot be edited, only deleted (with all its values) — product spec §3.3.
import { z } from "zod";
import { AppError, notFound } from "../../core/errors.ts";
import { fieldTypes, maxFieldKeyLength } from "../../core/fields.ts";
import { createField, deleteField, getField, listFields, removeSyncMapping, updateField, type FieldRecord } from "../../db/repositories/custom-fields.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const entities = ["customer", "contact"] as const;

export const fieldSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    label: z.string(),
    type: z.enum(fieldTypes),
    options: z.array(z.object({ value: z.string(), label: z.string() })),
    entity: z.enum(entities),
    syncMapping: z.object({ provider: z.string(), object: z.string(), property: z.string() }).nullable(),
    readOnly: z.boolean().describe("True for synced fields: their values come from the CRM only."),
    createdAt: z.string(),
  })
  .meta({ id: "CustomField" });

const optionInput = z.union([
  z.string().min(1).max(200),
  z.strictObject({ value: z.string().min(1).max(200).optional().describe("Defaults to the label."), label: z.string().min(1).max(200) }),
]);

const createBody = z.strictObject({
  label: z.string().min(1).max(200),
  type: z.enum(fieldTypes),
  options: z.array(optionInput).max(1000).optional().describe("For select and multi_select only."),
  key: z.string().min(1).max(maxFieldKeyLength).optional().describe("snake_case; derived from the label when left out."),
  entity: z.enum(entities).default("customer"),
});

const patchBody = z.strictObject({
  label: z.string().min(1).max(200).optional(),
  options: z.array(optionInput).max(1000).optional().describe("Replaces the list; customers lose the options removed."),
  type: z.enum(fieldTypes).optional().describe("Accepted only when unchanged: a field's type cannot change."),
});

const idParams = z.object({ id: z.string().min(1).max(100) });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

function options(input: readonly z.infer<typeof optionInput>[] | undefined) {
  return input?.map((option) => (typeof option === "string" ? { value: option, label: option } : { value: option.value ?? option.label, label: option.label }));
}

export function presentField(field: FieldRecord): z.infer<typeof fieldSchema> {
  return {
    id: field.id,
    key: field.key,
    label: field.label,
    type: field.type,
    options: field.options,
    entity: field.entity,
    syncMapping: field.syncMapping,
    readOnly: field.syncMapping !== null,
    createdAt: field.createdAt,
  };
}

export const customFieldRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/custom-fields",
    {
      schema: {
        tags: ["custom fields"],
        summary: "List custom fields",
        querystring: z.object({ entity: z.enum(entities).default("customer") }),
        response: { 200: z.object({ items: z.array(fieldSchema) }), 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      return { items: (await listFields(ctx.db, workspaceId, request.query.entity)).map(presentField) };
    },
  );

  app.get(
    "/api/v1/custom-fields/:id",
    { schema: { tags: ["custom fields"], summary: "Get a custom field", params: idParams, response: { 200: fieldSchema, 401: errorBodySchema, 404: errorBodySchema } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const field = await getField(ctx.db, workspaceId, request.params.id);
      if (!field) throw notFound("Field", request.params.id);
      return presentField(field);
    },
  );

  app.post(
    "/api/v1/custom-fields",
    { schema: { tags: ["custom fields"], summary: "Create a custom field (admins)", body: createBody, response: { 201: fieldSchema, ...errors } } },
    async (request, reply) => {
      const { workspaceId } = requireAdmin(request);
      const { options: rawOptions, key, ...rest } = request.body;
      const opts = options(rawOptions);
      const field = await createField(ctx.db, workspaceId, { ...rest, ...(opts ? { options: opts } : {}), ...(key !== undefined ? { key } : {}) });
      return reply.status(201).send(presentField(field));
    },
  );

  app.patch(
    "/api/v1/custom-fields/:id",
    { schema: { tags: ["custom fields"], summary: "Rename a custom field or change its options (admins)", params: idParams, body: patchBody, response: { 200: fieldSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      const { type, label, options: rawOptions } = request.body;
      if (type !== undefined) {
        const current = await getField(ctx.db, workspaceId, request.params.id);
        if (!current) throw notFound("Field", request.params.id);
        if (current.type !== type) {
          throw new AppError("validation_failed", `The type of a field cannot change (from ${current.type} to ${type}); create a new field instead.`, { field: current.key });
        }
      }
      const opts = options(rawOptions);
      const field = await updateField(ctx.db, workspaceId, request.params.id, { ...(label !== undefined ? { label } : {}), ...(opts ? { options: opts } : {}) }, (await ctx.crm.workspaceProvider(workspaceId)).displayName);
      return presentField(field);
    },
  );

  app.delete(
    "/api/v1/custom-fields/:id/sync-mapping",
    {
      schema: {
        tags: ["custom fields"],
        summary: "Remove only a synced field's CRM mapping (admins): the field and its values stay and become editable; the CRM no longer writes it",
        params: idParams,
        response: { 200: fieldSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      return presentField(await removeSyncMapping(ctx.db, workspaceId, request.params.id));
    },
  );

  app.delete(
    "/api/v1/custom-fields/:id",
    { schema: { tags: ["custom fields"], summary: "Delete a custom field and all its values, synced or not (admins)", params: idParams, response: { 204: z.null().describe("Deleted"), ...errors } } },
    async (request, reply) => {
      const { workspaceId } = requireAdmin(request);
      await deleteField(ctx.db, workspaceId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
