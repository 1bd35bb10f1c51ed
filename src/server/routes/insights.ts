// The insights chart: customers counted per value (or numeric range, or month) of one field.
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { fieldTypes } from "../../core/fields.ts";
import { listFields } from "../../db/repositories/custom-fields.ts";
import { customerBreakdown } from "../../db/repositories/customer-query.ts";
import { principalOf } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const breakdownSchema = z
  .object({
    field: z.object({ key: z.string(), label: z.string(), type: z.enum(fieldTypes) }),
    buckets: z.array(
      z.object({
        key: z.string().describe('The value, "from..to" for number ranges, YYYY-MM (or YYYY) for dates, "__other__" and "__none__".'),
        label: z.string(),
        count: z.number(),
        from: z.union([z.string(), z.number()]).optional().describe("Inclusive lower bound of a range bucket."),
        to: z.union([z.string(), z.number()]).optional().describe("Exclusive upper bound (the last number range includes it)."),
      }),
    ),
    total: z.number().describe("Customers in the workspace."),
  })
  .meta({ id: "CustomerBreakdown" });

export const insightRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/insights/customers",
    {
      schema: {
        tags: ["insights"],
        summary: "Customers per value of a custom field",
        description:
          "select/multi_select: one bucket per option (zeros included; over 50 options the rest go to __other__); text: the 50 most frequent values and __other__; " +
          "yes_no: yes, no; number: at most 10 round-number ranges; date: per month (per year beyond 120 months). __none__ counts customers without a value.",
        querystring: z.object({ by: z.string().min(1).max(100).describe("The field key.") }),
        response: { 200: breakdownSchema, 400: errorBodySchema, 401: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const field = (await listFields(ctx.db, workspaceId)).find((f) => f.key === request.query.by);
      if (!field) throw new AppError("field_unknown", `There is no customer field with the key "${request.query.by}".`, { field: request.query.by });
      return customerBreakdown(ctx.db, workspaceId, field);
    },
  );
};
