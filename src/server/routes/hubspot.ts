// HubSpot: connection (service key, private-app token or OAuth), the HubSpot Sync toggle, field import,
// and the company/deal look-ups behind "Link to HubSpot". Admins change things; members read.
import { z } from "zod";
import { AppError, notFound } from "../../core/errors.ts";
import { findActiveRun, listRuns } from "../../db/repositories/sync-runs.ts";
import { getSyncSettings, setAccountSyncEnabled } from "../../db/repositories/sync-settings.ts";
import { getField } from "../../db/repositories/custom-fields.ts";
import { syncQueues } from "../../jobs/scheduler.ts";
import { triggerAccountSync } from "../../sync/account-sync-job.ts";
import { importFields, listImportableFields, refreshFieldDefinition } from "../../sync/field-import.ts";
import { provider } from "../../sync/hubspot-connection.ts";
import { CrmSourceError } from "../../sync/ports.ts";
import { isHubSpotError } from "../../connectors/hubspot/errors.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import type { AppContext } from "../context.ts";
import { errorBodySchema } from "../errors.ts";
import { fieldSchema, presentField } from "./custom-fields.ts";
import type { RouteModule } from "./route.ts";
import { presentRun, runSchema } from "./sync-runs.ts";

const connectionSchema = z
  .object({
    status: z.enum(["connected", "disconnected", "not_connected"]),
    authKind: z.enum(["oauth", "service_key", "private_app"]).nullable(),
    portalId: z.string().nullable(),
    scopes: z.array(z.string()),
    statusReason: z.string().nullable(),
    connectedAt: z.string().nullable(),
  })
  .meta({ id: "HubSpotConnection" });

const accountSyncSchema = z.object({
  enabled: z.boolean(),
  changedAt: z.string().nullable(),
  activeRun: runSchema.nullable(),
  lastRun: runSchema.nullable(),
});

const importableSchema = z.object({
  name: z.string(),
  label: z.string(),
  hubspotType: z.string(),
  fieldType: z.string(),
  groupName: z.string().nullable(),
  mappedType: z.enum(["text", "number", "date", "select", "multi_select", "yes_no"]).nullable(),
  supported: z.boolean(),
  reason: z.string().nullable(),
  alreadyImported: z.boolean(),
});

const companySchema = z.object({ id: z.string(), name: z.string().nullable(), domains: z.array(z.string()), createdAt: z.string().nullable() });
const dealSchema = z.object({ id: z.string(), name: z.string().nullable(), amount: z.string().nullable(), stage: z.string().nullable(), createdAt: z.string().nullable() });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 502: errorBodySchema };

/** Runs a request's CRM work, turning CRM failures into API errors (and a revoked grant into a disconnect). */
export async function withCrm<T>(ctx: AppContext, workspaceId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = error instanceof CrmSourceError ? error.code : isHubSpotError(error) ? error.kind : null;
    switch (code) {
      case "crm_rate_limited":
      case "rate_limited":
        throw new AppError("rate_limited", "HubSpot's API limit is reached for now; try again in a moment.");
      case "crm_auth_revoked":
      case "auth_revoked":
        await ctx.hubspot.markRevoked(workspaceId, (error as Error).message);
        throw new AppError("crm_not_connected", "HubSpot no longer accepts crmsync's access; reconnect it from Integrations.");
      case "crm_unavailable":
      case "unavailable":
        throw new AppError("crm_error", `HubSpot did not answer correctly: ${(error as Error).message}`);
      default:
        throw error;
    }
  }
}

async function openClient(ctx: AppContext, workspaceId: string) {
  const opened = await ctx.hubspot.open(workspaceId);
  if (!opened) throw new AppError("crm_not_connected", "HubSpot is not connected for this workspace.");
  return opened.client;
}

async function accountSyncView(ctx: AppContext, workspaceId: string): Promise<z.infer<typeof accountSyncSchema>> {
  const settings = await getSyncSettings(ctx.db, workspaceId, provider);
  const active = await findActiveRun(ctx.db, workspaceId, ["accounts"]);
  const [last] = (await listRuns(ctx.db, workspaceId, { limit: 1, kind: "accounts" })).items;
  return {
    enabled: settings.accountSyncEnabled,
    changedAt: settings.accountSyncChangedAt,
    activeRun: active ? presentRun(active) : null,
    lastRun: last ? presentRun(last) : null,
  };
}

export const hubspotRoutes: RouteModule = (app, ctx) => {
  const tags = ["hubspot"];

  app.get("/api/v1/crm/hubspot/connection", { schema: { tags, summary: "The workspace's HubSpot connection", response: { 200: connectionSchema, 401: errorBodySchema } } }, async (request) => {
    return ctx.hubspot.view(principalOf(request).workspaceId);
  });

  // A Service Key (HubSpot's replacement for private apps) and a legacy private-app token are both pasted-in bearer tokens.
  for (const [path, kind, summary] of [
    ["service-key", "service_key", "Connect HubSpot with a service key"],
    ["private-app", "private_app", "Connect HubSpot with a legacy private-app token"],
  ] as const) {
    app.post(
      `/api/v1/crm/hubspot/connection/${path}`,
      { schema: { tags, summary, body: z.strictObject({ token: z.string().min(10).max(500) }), response: { 200: connectionSchema, ...errors } } },
      async (request) => {
        const principal = requireAdmin(request);
        return ctx.hubspot.connectKey(principal.workspaceId, kind, request.body.token.trim(), principal.userId);
      },
    );
  }

  app.post(
    "/api/v1/crm/hubspot/oauth/start",
    { schema: { tags, summary: "Start connecting HubSpot through OAuth; open the returned URL", response: { 200: z.object({ authorizeUrl: z.string() }), ...errors } } },
    async (request) => {
      const principal = requireAdmin(request);
      return { authorizeUrl: await ctx.hubspot.startOAuth(principal.workspaceId, principal.userId) };
    },
  );

  // HubSpot sends the browser here; the state proves the flow started in this app.
  app.get(
    "/api/v1/crm/hubspot/oauth/callback",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "OAuth redirect target",
        querystring: z.object({ code: z.string().max(2000).optional(), state: z.string().max(500).optional(), error: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      const { code, state, error } = request.query;
      if (error || !code || !state) return reply.redirect(`/integrations/hubspot?error=${encodeURIComponent(error ?? "missing_code")}`);
      try {
        await ctx.hubspot.completeOAuth(code, state);
        return reply.redirect("/integrations/hubspot?connected=1");
      } catch (failure) {
        const reason = failure instanceof AppError ? failure.code : "crm_error";
        request.log.warn({ err: failure }, "HubSpot OAuth callback failed");
        return reply.redirect(`/integrations/hubspot?error=${encodeURIComponent(reason)}`);
      }
    },
  );

  app.delete("/api/v1/crm/hubspot/connection", { schema: { tags, summary: "Disconnect HubSpot (keeps all data)", response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    const { workspaceId } = requireAdmin(request);
    await ctx.hubspot.disconnect(workspaceId);
    await ctx.queue.cancelPending(`${syncQueues.accountSync}:${workspaceId}`);
    return reply.status(204).send(null);
  });

  app.get("/api/v1/crm/hubspot/account-sync", { schema: { tags, summary: "The HubSpot Sync toggle and its runs", response: { 200: accountSyncSchema, 401: errorBodySchema } } }, async (request) => {
    return accountSyncView(ctx, principalOf(request).workspaceId);
  });

  app.put(
    "/api/v1/crm/hubspot/account-sync",
    { schema: { tags, summary: "Turn HubSpot Sync on or off", body: z.strictObject({ enabled: z.boolean() }), response: { 200: accountSyncSchema, ...errors } } },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      if (request.body.enabled && !(await ctx.hubspot.isConnected(workspaceId))) {
        throw new AppError("crm_not_connected", "Connect HubSpot before turning HubSpot Sync on.");
      }
      const changed = await setAccountSyncEnabled(ctx.db, workspaceId, provider, request.body.enabled);
      if (changed && request.body.enabled) {
        // Turning it on (again) reads everything: an immediate full run (§3.4).
        await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId, trigger: "enable", triggeredBy: principal.userId }, { full: true });
      }
      if (changed && !request.body.enabled) await ctx.queue.cancelPending(`${syncQueues.accountSync}:${workspaceId}`);
      return accountSyncView(ctx, workspaceId);
    },
  );

  app.post(
    "/api/v1/crm/hubspot/account-sync/run",
    { schema: { tags, summary: "Run account sync now", response: { 202: z.object({ queued: z.boolean(), coalesced: z.boolean() }), ...errors } } },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const result = await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId: principal.workspaceId, trigger: "manual", triggeredBy: principal.userId }, { full: false });
      return reply.status(202).send({ queued: true, coalesced: result.coalesced });
    },
  );

  app.get(
    "/api/v1/crm/hubspot/importable-fields",
    {
      schema: {
        tags,
        summary: "HubSpot company and deal properties, with whether each can be imported",
        response: { 200: z.object({ company: z.array(importableSchema), deal: z.array(importableSchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const client = await openClient(ctx, workspaceId);
      return withCrm(ctx, workspaceId, () => listImportableFields(ctx.db, workspaceId, client));
    },
  );

  app.post(
    "/api/v1/crm/hubspot/import-fields",
    {
      schema: {
        tags,
        summary: "Import HubSpot properties as synced custom fields; starts a full sync",
        body: z.strictObject({ properties: z.array(z.strictObject({ object: z.enum(["company", "deal"]), name: z.string().min(1).max(200) })).min(1).max(500) }),
        response: { 201: z.object({ fields: z.array(fieldSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const client = await openClient(ctx, workspaceId);
      const fields = await withCrm(ctx, workspaceId, () => importFields(ctx.db, workspaceId, client, request.body.properties));
      const settings = await getSyncSettings(ctx.db, workspaceId, provider);
      if (settings.accountSyncEnabled) {
        await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId, trigger: "import", triggeredBy: principal.userId }, { full: true });
      }
      return reply.status(201).send({ fields: fields.map(presentField) });
    },
  );

  app.post(
    "/api/v1/custom-fields/:id/refresh-definition",
    {
      schema: {
        tags,
        summary: "Read a synced field's label and options from HubSpot again",
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: fieldSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      if (!(await getField(ctx.db, workspaceId, request.params.id))) throw notFound("Field", request.params.id);
      const client = await openClient(ctx, workspaceId);
      const field = await withCrm(ctx, workspaceId, () => refreshFieldDefinition(ctx.db, workspaceId, client, request.params.id));
      // Values refused under the old options (value_not_convertible) must come in now: an
      // incremental run would not read their unchanged records again, so read everything, as
      // importing does.
      const settings = await getSyncSettings(ctx.db, workspaceId, provider);
      if (settings.accountSyncEnabled) {
        await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId, trigger: "import", triggeredBy: principal.userId }, { full: true });
      }
      return presentField(field);
    },
  );

  app.get(
    "/api/v1/crm/hubspot/companies",
    {
      schema: {
        tags,
        summary: "Search HubSpot companies by name or domain (Link to HubSpot)",
        querystring: z.object({ query: z.string().max(200).default(""), limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ items: z.array(companySchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const session = await ctx.hubspot.session(workspaceId);
      if (!session) throw new AppError("crm_not_connected", "HubSpot is not connected for this workspace.");
      const companies = await withCrm(ctx, workspaceId, () => session.source.searchCompanies(request.query.query, request.query.limit));
      return { items: companies.map((c) => ({ id: c.id, name: c.properties["name"] ?? null, domains: c.domains, createdAt: c.createdAt })) };
    },
  );

  app.get(
    "/api/v1/crm/hubspot/companies/:id/deals",
    {
      schema: {
        tags,
        summary: "A HubSpot company's deals, newest first",
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: z.object({ items: z.array(dealSchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const session = await ctx.hubspot.session(workspaceId);
      if (!session) throw new AppError("crm_not_connected", "HubSpot is not connected for this workspace.");
      const deals = await withCrm(ctx, workspaceId, async () => {
        const ids = await session.source.dealIdsOfCompany(request.params.id);
        return session.source.getDeals(ids, ["dealname", "amount", "dealstage", "createdate"]);
      });
      deals.sort((a, b) => Date.parse(b.createdAt ?? "") - Date.parse(a.createdAt ?? "") || Number(b.id) - Number(a.id));
      return {
        items: deals.map((d) => ({ id: d.id, name: d.properties["dealname"] ?? null, amount: d.properties["amount"] ?? null, stage: d.properties["dealstage"] ?? null, createdAt: d.createdAt })),
      };
    },
  );
};
