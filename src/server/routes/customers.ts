// Customers over REST. Members read and write customers; synced field values are refused on
// every write (product spec §3.3). Filters arrive as filter[<key>][<op>]=<value>, which
// Fastify's query parser keeps as flat keys: they are read from the raw query string.
import { z } from "zod";
import { notFound } from "../../core/errors.ts";
import { filterOps } from "../../core/fields.ts";
import { defaultPageSize, maxPageSize } from "../../db/pagination.ts";
import { listFields } from "../../db/repositories/custom-fields.ts";
import { listCustomers, parseListQuery } from "../../db/repositories/customer-query.ts";
import { createCustomer, deleteCustomer, getCustomer, maxDomainsPerCustomer, maxNameLength, updateCustomer } from "../../db/repositories/customers.ts";
import { principalOf } from "../auth.ts";
import { customerView } from "../crm-visibility.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

export const customerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domains: z.array(z.string()),
    fields: z.record(z.string(), fieldValueSchema).describe("Custom field values by field key; fields without a value are left out."),
    crmLink: z
      .object({
        provider: z.string().describe("The CRM connector's id (hubspot)"),
        companyId: z.string(),
        dealId: z.string().nullable(),
        source: z.enum(["auto", "manual"]),
        linkedAt: z.string(),
        companyUrl: z.string().nullable().describe("The company's page in the CRM; null while the CRM account is unknown."),
        dealUrl: z.string().nullable().describe("The deal's page in the CRM; null without a deal or a known CRM account."),
      })
      .nullable(),
    linkStatus: z.object({
      state: z.enum(["linked", "unlinked", "not_checked"]),
      reason: z
        .enum(["no_domains", "personal_domain", "no_match", "ambiguous"])
        .optional()
        .describe("Why it is not linked: no domain; only personal domains (gmail.com...), which never link by themselves (link it by hand); no company has its domains; several do."),
      candidates: z.array(z.string()).optional().describe("The matching company ids, when ambiguous."),
      checkedAt: z.string().optional(),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Customer" });

const fieldsInput = z
  .record(z.string().max(100), z.unknown())
  .describe("Field key → value (text/select: string, number: number, date: YYYY-MM-DD or ISO date-time, multi_select: string[], yes_no: boolean); null clears.");

const createBody = z.strictObject({
  name: z.string().max(maxNameLength * 2),
  domains: z.array(z.string().max(300)).max(maxDomainsPerCustomer).optional().describe("Normalised (lower case, no scheme, path or www.); unique in the workspace."),
  fields: fieldsInput.optional(),
});

const patchBody = z.strictObject({
  name: z.string().max(maxNameLength * 2).optional(),
  domains: z.array(z.string().max(300)).max(maxDomainsPerCustomer).optional().describe("Replaces the list. Removing a domain from a linked customer resets its CRM link."),
  fields: fieldsInput.optional().describe("Merged into the current values; null clears one."),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(2000).optional(),
  sort: z
    .string()
    .max(200)
    .optional()
    .describe("name (default), createdAt, updatedAt or field:<key>; prefix - for descending. Customers without a value for the field come last in both directions."),
  q: z.string().max(200).optional().describe("Contained in the name (ignoring case) or a domain."),
  linked: z.enum(["true", "false"]).optional().describe("true: linked to a CRM company; false: not linked."),
});

const pageSchema = z.object({ items: z.array(customerSchema), nextCursor: z.string().nullable() });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 422: errorBodySchema };

function queryParams(url: string): URLSearchParams {
  const at = url.indexOf("?");
  return new URLSearchParams(at === -1 ? "" : url.slice(at + 1));
}

export const customerRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/customers",
    {
      schema: {
        tags: ["customers"],
        summary: "List customers (cursor-paginated, filterable by custom fields)",
        description:
          `Filter by custom fields with \`filter[<key>][<op>]=<value>\` (ANDed), ops: ${filterOps.join(", ")}. ` +
          "`in` takes a comma-separated list; is_empty/is_not_empty take any value. Text `contains` ignores ASCII case. " +
          "On multi_select, `contains x` means the customer has option x and `in x,y` that it has x or y. " +
          "`neq` also matches customers without a value.",
        querystring: listQuery,
        response: { 200: pageSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const fields = await listFields(ctx.db, workspaceId);
      const { linked, ...rest } = request.query;
      const query = parseListQuery({ ...rest, linked: linked === undefined ? undefined : linked === "true", params: queryParams(request.url) }, fields);
      const page = await listCustomers(ctx.db, workspaceId, query, fields);
      const view = await customerView(ctx, workspaceId);
      return { ...page, items: page.items.map(view) };
    },
  );

  app.post(
    "/api/v1/customers",
    { schema: { tags: ["customers"], summary: "Create a customer", body: createBody, response: { 201: customerSchema, ...errors } } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      const view = await customerView(ctx, workspaceId);
      return reply.status(201).send(view(await createCustomer(ctx.db, workspaceId, request.body, (await ctx.crm.workspaceProvider(workspaceId)).displayName)));
    },
  );

  app.get(
    "/api/v1/customers/:id",
    { schema: { tags: ["customers"], summary: "Get a customer", params: idParams, response: { 200: customerSchema, 401: errorBodySchema, 404: errorBodySchema } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const customer = await getCustomer(ctx.db, workspaceId, request.params.id);
      if (!customer) throw notFound("Customer", request.params.id);
      return (await customerView(ctx, workspaceId))(customer);
    },
  );

  app.patch(
    "/api/v1/customers/:id",
    { schema: { tags: ["customers"], summary: "Change a customer", params: idParams, body: patchBody, response: { 200: customerSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const view = await customerView(ctx, workspaceId);
      return view(await updateCustomer(ctx.db, workspaceId, request.params.id, request.body, (await ctx.crm.workspaceProvider(workspaceId)).displayName));
    },
  );

  app.delete(
    "/api/v1/customers/:id",
    { schema: { tags: ["customers"], summary: "Delete a customer and its values (never the CRM record)", params: idParams, response: { 204: z.null().describe("Deleted"), 401: errorBodySchema, 404: errorBodySchema } } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      await deleteCustomer(ctx.db, workspaceId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
