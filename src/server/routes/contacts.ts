// Contacts over REST. Members read and write contacts; merging is for admins (product spec §4.4:
// "An admin can merge two contacts by hand"). The CRM link (externalId, lastSyncedAt) is
// read-only here: only sync sets it, so bodies that try are refused as unknown keys.
import { z } from "zod";
import { notFound } from "../../core/errors.ts";
import { contactFields } from "../../core/contact-merge.ts";
import { defaultPageSize, maxPageSize } from "../../db/pagination.ts";
import {
  contactSorts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  maxTagLength,
  mergeContacts,
  updateContact,
} from "../../db/repositories/contacts.ts";
import { triggerContactRun } from "../../sync/contact-sync/jobs.ts";
import { assertRoomForContacts } from "../../workspace-settings.ts";
import { contactRunBlocker } from "../../sync/run-now.ts";
import { loadContactSyncSettings } from "../../sync/contact-sync/settings.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import { contactView } from "../crm-visibility.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  customerId: z.string().nullable(),
  tags: z.array(z.string()),
  externalId: z.string().nullable().describe("The CRM contact id; set by sync, read-only here."),
  externalUrl: z.string().nullable().describe("The contact's page in the CRM; null when not synced or the CRM account is unknown."),
  lastSyncedAt: z.string().nullable(),
  fieldChangedAt: z.partialRecord(z.enum(contactFields), z.string()).describe("When each field last changed in crmsync (ISO-8601)."),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const writableFields = {
  name: z.string().max(500).optional().describe("Derived from firstName and lastName when left out."),
  firstName: z.string().max(200).nullable().optional(),
  lastName: z.string().max(200).nullable().optional(),
  emails: z.array(z.string().max(320)).max(50).optional().describe("Lower-cased and validated; unique in the workspace."),
  phones: z.array(z.string().max(64)).max(50).optional().describe("International format (+...); stored as E.164; unique in the workspace."),
  customerId: z.string().max(100).nullable().optional(),
  tags: z.array(z.string().max(maxTagLength * 2)).max(100).optional().describe("Trimmed, de-duplicated, sorted; case-sensitive."),
};

const createBody = z.strictObject(writableFields);
const patchBody = z.strictObject(writableFields);
const idParams = z.object({ id: z.string().min(1).max(100) });

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(2000).optional(),
  sort: z.enum(contactSorts).default("name"),
  q: z.string().max(200).optional().describe("Contained in the name or an email, ignoring case."),
  tag: z.string().max(maxTagLength).optional(),
  customerId: z.string().max(100).optional(),
  externalId: z.string().max(100).optional(),
  synced: z.enum(["true", "false"]).optional().describe("true: linked to a CRM contact; false: not linked."),
});

const pageSchema = z.object({ items: z.array(contactSchema), nextCursor: z.string().nullable() });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

export const contactRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/contacts",
    { schema: { tags: ["contacts"], summary: "List contacts (cursor-paginated)", querystring: listQuery, response: { 200: pageSchema, 400: errorBodySchema, 401: errorBodySchema } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const { synced, sort, ...query } = request.query;
      const page = await listContacts(ctx.db, workspaceId, {
        ...query,
        sort,
        synced: synced === undefined ? undefined : synced === "true",
      });
      const view = await contactView(ctx, workspaceId);
      return { ...page, items: page.items.map(view) };
    },
  );

  app.post(
    "/api/v1/contacts",
    { schema: { tags: ["contacts"], summary: "Create a contact", body: createBody, response: { 201: contactSchema, ...errors } } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { workspaceId } = principal;
      await assertRoomForContacts(ctx.db, workspaceId, 1);
      const contact = await createContact(ctx.db, workspaceId, request.body, { source: "api" });
      // Two-way: the new contact reaches HubSpot within seconds, through a durable, retried job (§4.4).
      const provider = await ctx.crm.workspaceProvider(workspaceId);
      const settings = await loadContactSyncSettings(ctx.db, workspaceId, provider);
      if ((await contactRunBlocker(ctx.db, workspaceId, provider, settings, "push")) === null) {
        await triggerContactRun(ctx.db, ctx.queue, provider, "push", { workspaceId, trigger: "create", triggeredBy: principal.userId });
      }
      return reply.status(201).send((await contactView(ctx, workspaceId))(contact));
    },
  );

  app.get(
    "/api/v1/contacts/:id",
    { schema: { tags: ["contacts"], summary: "Get a contact", params: idParams, response: { 200: contactSchema, 401: errorBodySchema, 404: errorBodySchema } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const contact = await getContact(ctx.db, workspaceId, request.params.id);
      if (!contact) throw notFound("Contact", request.params.id);
      return (await contactView(ctx, workspaceId))(contact);
    },
  );

  app.patch(
    "/api/v1/contacts/:id",
    { schema: { tags: ["contacts"], summary: "Change some fields of a contact", params: idParams, body: patchBody, response: { 200: contactSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const contact = await updateContact(ctx.db, workspaceId, request.params.id, request.body, { source: "api" });
      return (await contactView(ctx, workspaceId))(contact);
    },
  );

  app.delete(
    "/api/v1/contacts/:id",
    { schema: { tags: ["contacts"], summary: "Delete a contact (never the CRM record)", params: idParams, response: { 204: z.null().describe("Deleted"), 401: errorBodySchema, 404: errorBodySchema } } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      if (!(await deleteContact(ctx.db, workspaceId, request.params.id))) throw notFound("Contact", request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/v1/contacts/:id/merge",
    {
      schema: {
        tags: ["contacts"],
        summary: "Merge a duplicate into this contact (admins)",
        description:
          "Moves the duplicate's emails, phones and tags here, fills this contact's empty fields from it (never overwriting), keeps this contact's CRM link (or takes the duplicate's when it has none), deletes the duplicate and records the merge so a later import does not bring it back.",
        params: idParams,
        body: z.strictObject({ duplicateId: z.string().min(1).max(100) }),
        response: { 200: contactSchema, ...errors, 403: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      const contact = await mergeContacts(ctx.db, workspaceId, request.params.id, request.body.duplicateId);
      return (await contactView(ctx, workspaceId))(contact);
    },
  );
};
