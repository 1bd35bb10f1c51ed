// A CRM under /api/v1/crm/:provider: connection (key/token or OAuth), the account-sync toggle,
// field import, and the company/deal look-ups behind "Link to <CRM>". Admins change things;
// members read. Today's HubSpot URLs are these with :provider = hubspot.
import { z } from "zod";
import { AppError, notFound } from "../../core/errors.ts";
import { newestDealsFirst } from "../../core/linking.ts";
import { findActiveRun, listRuns } from "../../db/repositories/sync-runs.ts";
import { getSyncSettings } from "../../db/repositories/sync-settings.ts";
import { getField } from "../../db/repositories/custom-fields.ts";
import { syncQueues } from "../../jobs/scheduler.ts";
import { triggerAccountSync } from "../../sync/account-sync-job.ts";
import { setAccountSync } from "../../sync/account-sync-toggle.ts";
import { importFields, listImportableFields, refreshFieldDefinition } from "../../sync/field-import.ts";
import type { ConnectionView } from "../../connections/connections.ts";
import type { CrmProvider } from "../../sync/connector.ts";
import { principalOf, requireAdmin, sessionCookie } from "../auth.ts";
import type { AppContext } from "../context.ts";
import { withCrm } from "../crm-errors.ts";
import { errorBodySchema } from "../errors.ts";
import { fieldSchema, presentField } from "./custom-fields.ts";
import type { RouteModule } from "./route.ts";
import { presentRun, runSchema } from "./sync-runs.ts";

/** "Run now" reads only what changed; `?full=true` reads everything again (a support action: after deletions, say). */
export const fullRunQuery = z.object({ full: z.stringbool().optional().describe("true: a full pass that reads every record again, not only what changed") });

export const providerParams = z.object({ provider: z.string().min(1).max(64).describe("The CRM connector's id (hubspot)") });

const capabilitiesSchema = z.object({
  accountSync: z.boolean(),
  contactSync: z.object({ inbound: z.boolean(), twoWay: z.boolean() }),
  contactSources: z.array(z.enum(["synced_companies", "list"])),
  propertyHistory: z.boolean(),
  merges: z.boolean(),
  modifiedSince: z.boolean(),
  webhooks: z.boolean(),
});

const providerSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    capabilities: capabilitiesSchema,
    authMethods: z.array(z.enum(["oauth", "token"])),
    oauthEnvironments: z.array(z.string()).describe("Where OAuth can sign in, the default first (Salesforce: production, sandbox); empty when there is no choice. Pass one as `environment` to oauth/start"),
  })
  .meta({ id: "CrmProvider" });

const connectionSchema = z
  .object({
    provider: z.string(),
    displayName: z.string().describe("The CRM's name as people know it (HubSpot)"),
    capabilities: capabilitiesSchema,
    authMethods: z.array(z.string()),
    tokenKinds: z.array(z.string()).describe("Kinds of key/token the CRM takes (HubSpot: service_key, private_app), the usual one first"),
    status: z.enum(["connected", "disconnected", "not_connected"]),
    authKind: z.string().nullable().describe("How it connected: oauth, or the CRM's key/token kind (HubSpot: service_key, private_app)"),
    portalId: z.string().nullable().describe("The CRM account (HubSpot portal)"),
    scopes: z.array(z.string()),
    statusReason: z.string().nullable(),
    connectedAt: z.string().nullable(),
  })
  .meta({ id: "CrmConnection" });

const accountSyncSchema = z.object({
  enabled: z.boolean(),
  changedAt: z.string().nullable(),
  activeRun: runSchema.nullable(),
  lastRun: runSchema.nullable(),
});

const importableSchema = z.object({
  name: z.string(),
  label: z.string(),
  hubspotType: z.string().describe("The CRM's own type of the property (HubSpot: type/fieldType)"),
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

/** The workspace's opened CRM, or crm_not_connected. */
export async function openCrm(ctx: AppContext, workspaceId: string, provider: CrmProvider) {
  const opened = await ctx.crm.open(workspaceId, provider.id);
  if (!opened) throw new AppError("crm_not_connected", `${provider.displayName} is not connected for this workspace.`);
  return opened;
}

async function accountSyncView(ctx: AppContext, workspaceId: string, provider: string): Promise<z.infer<typeof accountSyncSchema>> {
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

/** The connection answer (readonly arrays copied for the schema). */
function present(view: ConnectionView): z.infer<typeof connectionSchema> {
  return { ...view, capabilities: { ...view.capabilities, contactSources: [...view.capabilities.contactSources] }, authMethods: [...view.authMethods], tokenKinds: [...view.tokenKinds] };
}

/** The registered CRM named in the URL, or 404 provider_unknown. */
export function crmOf(ctx: AppContext, params: { provider: string }): CrmProvider {
  return ctx.crm.provider(params.provider);
}

/** Where the browser lands after OAuth: the CRM's Integrations page. */
const integrationsPage = (provider: string, query: string) => `/integrations/${encodeURIComponent(provider)}?${query}`;

export const crmRoutes: RouteModule = (app, ctx) => {
  const tags = ["crm"];
  const params = providerParams;
  const base = "/api/v1/crm/:provider";

  app.get("/api/v1/crm/providers", { schema: { tags, summary: "The CRMs this crmsync can connect", response: { 200: z.object({ items: z.array(providerSchema) }), 401: errorBodySchema } } }, async () => {
    return { items: ctx.crm.providers.list().map((p) => ({ id: p.id, displayName: p.displayName, capabilities: { ...p.capabilities, contactSources: [...p.capabilities.contactSources] }, authMethods: [...p.authMethods], oauthEnvironments: [...(p.oauth?.environments ?? [])] })) };
  });

  app.get(
    "/api/v1/crm/current",
    { schema: { tags, summary: "The workspace's CRM: the connected one, else the one it was last connected to, else the default (one CRM at a time)", response: { 200: connectionSchema, 401: errorBodySchema } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      return present(await ctx.crm.view(workspaceId, (await ctx.crm.workspaceProvider(workspaceId)).id));
    },
  );

  app.get(`${base}/connection`, { schema: { tags, summary: "The workspace's connection to the CRM, with the CRM's name and capabilities", params, response: { 200: connectionSchema, 401: errorBodySchema, 404: errorBodySchema } } }, async (request) => {
    return present(await ctx.crm.view(principalOf(request).workspaceId, request.params.provider));
  });

  app.post(
    `${base}/connection/:keyKind`,
    {
      schema: {
        tags,
        summary: "Connect the CRM with a key or token: `token` for the CRM's usual kind, or the kind itself (HubSpot: service-key, private-app)",
        params: params.extend({ keyKind: z.string().min(1).max(64) }),
        body: z.strictObject({ token: z.string().min(10).max(500) }),
        response: { 200: connectionSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requireAdmin(request);
      const provider = crmOf(ctx, request.params);
      const kind = request.params.keyKind === "token" ? undefined : request.params.keyKind.replaceAll("-", "_");
      const view = await withCrm(ctx, principal.workspaceId, provider, () => ctx.crm.connectWithToken(principal.workspaceId, provider.id, request.body.token.trim(), principal.userId, kind));
      return present(view);
    },
  );

  app.post(
    `${base}/oauth/start`,
    {
      schema: {
        tags,
        summary: "Start connecting the CRM through OAuth from a signed-in browser; open the returned URL",
        params,
        querystring: z.object({ environment: z.string().max(40).optional().describe("Where to sign in when the CRM has a choice (Salesforce: production, the default, or sandbox)") }),
        response: { 200: z.object({ authorizeUrl: z.string() }), ...errors },
      },
    },
    async (request) => {
      const principal = requireAdmin(request);
      const provider = crmOf(ctx, request.params);
      // Bound to this browser session: the callback must come back in it (an API token has none).
      const sessionToken = principal.via === "session" ? request.cookies[sessionCookie] : undefined;
      const { environment } = request.query;
      return { authorizeUrl: await ctx.crm.startOAuth({ provider: provider.id, workspaceId: principal.workspaceId, userId: principal.userId, sessionToken, environment }) };
    },
  );

  // The CRM sends the browser here; the state proves the flow started in this browser session.
  app.get(
    `${base}/oauth/callback`,
    {
      config: { public: true },
      schema: {
        tags,
        summary: "OAuth redirect target",
        params,
        querystring: z.object({ code: z.string().max(2000).optional(), state: z.string().max(500).optional(), error: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      const provider = crmOf(ctx, request.params);
      const { code, state, error } = request.query;
      if (error || !code || !state) return reply.redirect(integrationsPage(provider.id, `error=${encodeURIComponent(error ?? "missing_code")}`));
      try {
        await ctx.crm.completeOAuth(provider.id, code, state, request.cookies[sessionCookie]);
        return reply.redirect(integrationsPage(provider.id, "connected=1"));
      } catch (failure) {
        const reason = failure instanceof AppError ? failure.code : "crm_error";
        request.log.warn({ err: failure }, "OAuth callback failed");
        return reply.redirect(integrationsPage(provider.id, `error=${encodeURIComponent(reason)}`));
      }
    },
  );

  app.delete(`${base}/connection`, { schema: { tags, summary: "Disconnect the CRM (keeps all data)", params, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    const { workspaceId } = requireAdmin(request);
    const provider = crmOf(ctx, request.params);
    await ctx.crm.disconnect(workspaceId, provider.id);
    await ctx.queue.cancelPending(`${syncQueues.accountSync}:${workspaceId}`);
    return reply.status(204).send(null);
  });

  app.get(`${base}/account-sync`, { schema: { tags, summary: "The account-sync toggle (HubSpot Sync) and its runs", params, response: { 200: accountSyncSchema, 401: errorBodySchema, 404: errorBodySchema } } }, async (request) => {
    return accountSyncView(ctx, principalOf(request).workspaceId, crmOf(ctx, request.params).id);
  });

  app.put(
    `${base}/account-sync`,
    { schema: { tags, summary: "Turn account sync (HubSpot Sync) on or off", params, body: z.strictObject({ enabled: z.boolean() }), response: { 200: accountSyncSchema, ...errors } } },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const provider = crmOf(ctx, request.params);
      await setAccountSync(ctx, provider, { workspaceId, enabled: request.body.enabled, userId: principal.userId });
      return accountSyncView(ctx, workspaceId, provider.id);
    },
  );

  app.post(
    `${base}/account-sync/run`,
    { schema: { tags, summary: "Run account sync now", params, querystring: fullRunQuery, response: { 202: z.object({ queued: z.boolean(), coalesced: z.boolean() }), ...errors } } },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const provider = crmOf(ctx, request.params);
      // The trigger refuses (409, with what to do) a run that could not happen.
      const result = await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId: principal.workspaceId, trigger: "manual", triggeredBy: principal.userId }, { full: request.query.full ?? false });
      return reply.status(202).send({ queued: true, coalesced: result.coalesced });
    },
  );

  app.get(
    `${base}/importable-fields`,
    {
      schema: {
        tags,
        summary: "The CRM's company and deal properties, with whether each can be imported",
        params,
        response: { 200: z.object({ company: z.array(importableSchema), deal: z.array(importableSchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const provider = crmOf(ctx, request.params);
      const opened = await openCrm(ctx, workspaceId, provider);
      const fields = await withCrm(ctx, workspaceId, provider, () => listImportableFields(ctx.db, workspaceId, { ...provider, catalog: opened.catalog }));
      const present = (list: typeof fields.company) => list.map(({ crmType, ...rest }) => ({ ...rest, hubspotType: crmType }));
      return { company: present(fields.company), deal: present(fields.deal) };
    },
  );

  app.post(
    `${base}/import-fields`,
    {
      schema: {
        tags,
        summary: "Import CRM properties as synced custom fields; starts a full sync",
        params,
        body: z.strictObject({ properties: z.array(z.strictObject({ object: z.enum(["company", "deal"]), name: z.string().min(1).max(200) })).min(1).max(500) }),
        response: { 201: z.object({ fields: z.array(fieldSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const provider = crmOf(ctx, request.params);
      const opened = await openCrm(ctx, workspaceId, provider);
      const fields = await withCrm(ctx, workspaceId, provider, () => importFields(ctx.db, workspaceId, { ...provider, catalog: opened.catalog }, request.body.properties));
      const settings = await getSyncSettings(ctx.db, workspaceId, provider.id);
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
        summary: "Read a synced field's label and options from the CRM again",
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: fieldSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const existing = await getField(ctx.db, workspaceId, request.params.id);
      if (!existing) throw notFound("Field", request.params.id);
      const provider = existing.syncMapping ? crmOf(ctx, { provider: existing.syncMapping.provider }) : await ctx.crm.workspaceProvider(workspaceId);
      const opened = await openCrm(ctx, workspaceId, provider);
      const field = await withCrm(ctx, workspaceId, provider, () => refreshFieldDefinition(ctx.db, workspaceId, { ...provider, catalog: opened.catalog }, request.params.id));
      // Values refused under the old options (value_not_convertible) must come in now: an
      // incremental run would not read their unchanged records again, so read everything, as
      // importing does.
      const settings = await getSyncSettings(ctx.db, workspaceId, provider.id);
      if (settings.accountSyncEnabled) {
        await triggerAccountSync(ctx.db, ctx.queue, provider, { workspaceId, trigger: "import", triggeredBy: principal.userId }, { full: true });
      }
      return presentField(field);
    },
  );

  app.get(
    `${base}/companies`,
    {
      schema: {
        tags,
        summary: "Search the CRM's companies by name or domain (Link to HubSpot)",
        params,
        querystring: z.object({ query: z.string().max(200).default(""), limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ items: z.array(companySchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const provider = crmOf(ctx, request.params);
      const opened = await openCrm(ctx, workspaceId, provider);
      const companies = await withCrm(ctx, workspaceId, provider, () => opened.accountSource.searchCompanies(request.query.query, request.query.limit));
      return { items: companies.map((c) => ({ id: c.id, name: c.name, domains: c.domains, createdAt: c.createdAt })) };
    },
  );

  app.get(
    `${base}/companies/:id/deals`,
    {
      schema: {
        tags,
        summary: "A CRM company's deals, newest first",
        params: params.extend({ id: z.string().min(1).max(100) }),
        response: { 200: z.object({ items: z.array(dealSchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const provider = crmOf(ctx, request.params);
      const opened = await openCrm(ctx, workspaceId, provider);
      const deals = await withCrm(ctx, workspaceId, provider, () => opened.accountSource.dealSummaries(request.params.id));
      // The order, and so the dialog's default, is the sync's own rule for "the latest deal".
      return { items: newestDealsFirst(deals) };
    },
  );
};
