// The workspace's settings: the country of national phone numbers, its additions to the
// personal-domain list (domains that never link by themselves), and its contact limit.
// Everyone in the workspace reads them; admins change them.
import { z } from "zod";
import type { WorkspaceSettings } from "../../db/repositories/workspace-settings.ts";
import { defaultContactLimit } from "../../sync/contact-sync/types.ts";
import { updateWorkspaceSettings } from "../../workspace-settings.ts";
import { getWorkspaceSettings } from "../../db/repositories/workspace-settings.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const settingsSchema = z
  .object({
    defaultCountry: z.string().nullable().describe("ISO 3166 two-letter country of phone numbers written without a country code; null: only international numbers are read."),
    personalDomains: z.object({
      allow: z.array(z.string()).describe("Domains this workspace treats as a company's although the built-in list names them personal."),
      deny: z.array(z.string()).describe("Domains this workspace treats as personal (never linked by themselves) besides the built-in list."),
    }),
    contactLimit: z.number().int().describe("Most contacts the workspace may hold."),
  })
  .meta({ id: "WorkspaceSettings" });

const patchSchema = z.strictObject({
  defaultCountry: z.string().max(8).nullable().optional(),
  personalDomains: z.strictObject({ allow: z.array(z.string().max(300)).max(1000).optional(), deny: z.array(z.string().max(300)).max(1000).optional() }).optional(),
  contactLimit: z.number().int().min(1).max(10_000_000).nullable().optional().describe("null: the default (1,000,000)."),
});

function present(settings: WorkspaceSettings): z.infer<typeof settingsSchema> {
  return { defaultCountry: settings.defaultCountry, personalDomains: settings.personalDomains, contactLimit: settings.contactLimit ?? defaultContactLimit };
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 422: errorBodySchema };

export const workspaceSettingsRoutes: RouteModule = (app, ctx) => {
  app.get("/api/v1/workspace-settings", { schema: { tags: ["workspace"], summary: "The workspace's settings", response: { 200: settingsSchema, 401: errorBodySchema } } }, async (request) => {
    return present(await getWorkspaceSettings(ctx.db, principalOf(request).workspaceId));
  });

  app.patch(
    "/api/v1/workspace-settings",
    { schema: { tags: ["workspace"], summary: "Change the workspace's settings (admins); fields left out keep their value", body: patchSchema, response: { 200: settingsSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      return present(await updateWorkspaceSettings(ctx.db, workspaceId, request.body));
    },
  );
};
