// "Link to <CRM>": an admin sets or removes a customer's CRM company and deal (Save & Sync).
import { z } from "zod";
import { notFound } from "../../core/errors.ts";
import { getCustomer, setCustomerLink } from "../../db/repositories/customers.ts";
import { linkCustomerManually } from "../../sync/manual-link.ts";
import { requireAdmin } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import { customerView } from "../crm-visibility.ts";
import { withCrm } from "../crm-errors.ts";
import { customerSchema } from "./customers.ts";
import type { RouteModule } from "./route.ts";

const params = z.object({ id: z.string().min(1).max(100) });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 429: errorBodySchema, 502: errorBodySchema };

export const customerLinkRoutes: RouteModule = (app, ctx) => {
  app.put(
    "/api/v1/customers/:id/crm-link",
    {
      schema: {
        tags: ["customers", "hubspot"],
        summary: "Link a customer to a HubSpot company (and deal); with HubSpot Sync on, its values are imported before the answer",
        params,
        body: z.strictObject({
          companyId: z.string().min(1).max(100),
          dealId: z.string().min(1).max(100).nullable().optional().describe("Omit to take the company's most recently created deal; null for no deal."),
        }),
        response: { 200: customerSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const provider = await ctx.crm.workspaceProvider(workspaceId);
      const opened = await ctx.crm.open(workspaceId, provider.id);
      const session = opened && { source: opened.accountSource, takeCalls: opened.takeCalls };
      const customer = await withCrm(ctx, workspaceId, provider, () =>
        linkCustomerManually(ctx.db, { id: provider.id, displayName: provider.displayName }, session, workspaceId, request.params.id, request.body, principal.userId, ctx.notifyRunFinished),
      );
      return (await customerView(ctx, workspaceId))(customer);
    },
  );

  app.delete(
    "/api/v1/customers/:id/crm-link",
    { schema: { tags: ["customers", "hubspot"], summary: "Unlink a customer from HubSpot (its values stay)", params, response: { 200: customerSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      await setCustomerLink(ctx.db, workspaceId, request.params.id, null);
      const customer = await getCustomer(ctx.db, workspaceId, request.params.id);
      if (!customer) throw notFound("Customer", request.params.id);
      return (await customerView(ctx, workspaceId))(customer);
    },
  );
};
