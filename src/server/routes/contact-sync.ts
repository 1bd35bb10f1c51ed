// Contact-sync settings and actions (product spec §4) under /api/v1/crm/:provider: read by anyone
// in the workspace, changed by admins. Two-way writes to the CRM only after an admin has seen a
// preview and confirmed it.
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { clearSourceRecords } from "../../db/repositories/contact-sync-state.ts";
import { findActiveRun, listRuns } from "../../db/repositories/sync-runs.ts";
import { getSyncSettings } from "../../db/repositories/sync-settings.ts";
import { previewReconcile, requestFullContactSync } from "../../sync/contact-sync/run.ts";
import { contactQueues, triggerContactRun } from "../../sync/contact-sync/jobs.ts";
import {
  contactSyncModes,
  loadContactSyncSettings,
  mappingSchema,
  saveContactSyncSettings,
  sourceSchema,
  type ContactSyncSettings,
} from "../../sync/contact-sync/settings.ts";
import { principalOf, requireAdmin } from "../auth.ts";
import type { AppContext } from "../context.ts";
import { errorBodySchema } from "../errors.ts";
import { withCrm } from "../crm-errors.ts";
import { crmOf, fullRunQuery, openCrm, providerParams } from "./crm.ts";
import type { CrmProvider } from "../../sync/connector.ts";
import type { RouteModule } from "./route.ts";
import { presentRun, runSchema } from "./sync-runs.ts";


const viewSchema = z
  .object({
    mode: z.enum(contactSyncModes),
    source: sourceSchema,
    lifecycleStages: z.array(z.string()),
    mapping: mappingSchema,
    paused: z.boolean(),
    maxWritesPerRun: z.number().int(),
    needsConfirmation: z.boolean().describe("Two-way is chosen but no preview was confirmed yet: nothing is written to HubSpot."),
    previewedAt: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    sourceError: z.object({ code: z.literal("crm_list_not_found"), listId: z.string(), at: z.string() }).nullable(),
    activeRun: runSchema.nullable(),
    lastRun: runSchema.nullable(),
  })
  .meta({ id: "ContactSync" });

const putBody = z.strictObject({
  mode: z.enum(contactSyncModes).optional(),
  source: sourceSchema.optional(),
  lifecycleStages: z.array(z.string().trim().min(1).max(100)).max(50).optional().describe("Stages imported the first time; empty imports every stage."),
  mapping: mappingSchema.partial().optional().describe("HubSpot property per contact field; null stops syncing that field."),
  paused: z.boolean().optional(),
  maxWritesPerRun: z.number().int().min(1).max(1_000_000).optional().describe("HubSpot records created or updated per run at most."),
});

const previewSchema = z.object({
  crm: z.object({ create: z.number(), update: z.number() }),
  local: z.object({ create: z.number(), update: z.number(), link: z.number() }),
  skipped: z.number(),
  errors: z.record(z.string(), z.number()),
  sample: z.array(
    z.object({
      action: z.enum(["create_in_crm", "update_in_crm", "create_here", "update_here", "link"]),
      contactId: z.string().nullable(),
      crmId: z.string().nullable(),
      name: z.string(),
      changes: z.record(z.string(), z.string().nullable()),
    }),
  ),
  stoppedBy: z.object({ code: z.string(), message: z.string() }).nullable(),
  previewedAt: z.string(),
});

const contactListSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    size: z.number().nullable().describe("Members, as HubSpot counts them; null when it does not say."),
    processingType: z.string().describe("MANUAL (static), DYNAMIC (active) or SNAPSHOT."),
  })
  .meta({ id: "HubSpotContactList" });

const contactPropertySchema = z
  .object({
    name: z.string().describe("Internal name, the value to map."),
    label: z.string(),
    type: z.string().describe("HubSpot's value type: string, number, enumeration, phone_number..."),
    fieldType: z.string().describe("HubSpot's field type: text, textarea, phonenumber, select..."),
  })
  .meta({ id: "HubSpotContactProperty" });

/** Contact lists offered at most for one look-up; a longer portal is narrowed by the query. */
export const maxContactLists = 500;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 502: errorBodySchema };
const runKinds = ["contacts", "reconcile", "push"] as const;

async function view(ctx: AppContext, workspaceId: string, provider: CrmProvider, settings?: ContactSyncSettings): Promise<z.infer<typeof viewSchema>> {
  const s = settings ?? (await loadContactSyncSettings(ctx.db, workspaceId, provider));
  const active = await findActiveRun(ctx.db, workspaceId, [...runKinds]);
  const last = (await Promise.all(runKinds.map(async (kind) => (await listRuns(ctx.db, workspaceId, { limit: 1, kind })).items[0])))
    .filter((r) => r !== undefined)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  return {
    mode: s.mode,
    source: s.source,
    lifecycleStages: s.lifecycleStages,
    mapping: s.mapping,
    paused: s.paused,
    maxWritesPerRun: s.maxWritesPerRun,
    needsConfirmation: s.mode === "two_way" && s.confirmedAt === null,
    previewedAt: s.previewedAt,
    confirmedAt: s.confirmedAt,
    sourceError: s.sourceError,
    activeRun: active ? presentRun(active) : null,
    lastRun: last ? presentRun(last) : null,
  };
}

async function cancelPending(ctx: AppContext, workspaceId: string): Promise<void> {
  for (const queue of Object.values(contactQueues)) await ctx.queue.cancelPending(`${queue}:${workspaceId}`);
}

export const contactSyncRoutes: RouteModule = (app, ctx) => {
  const tags = ["crm"];
  const params = providerParams;
  const base = "/api/v1/crm/:provider/contact-sync";

  app.get(base, { schema: { tags, summary: "Contact sync settings and runs", params, response: { 200: viewSchema, 401: errorBodySchema, 404: errorBodySchema } } }, async (request) => {
    return view(ctx, principalOf(request).workspaceId, crmOf(ctx, request.params));
  });

  app.put(base, { schema: { tags, summary: "Change contact sync settings (admins)", params, body: putBody, response: { 200: viewSchema, ...errors } } }, async (request) => {
    const principal = requireAdmin(request);
    const provider = crmOf(ctx, request.params);
    const { workspaceId } = principal;
    const body = request.body;
    const prev = await loadContactSyncSettings(ctx.db, workspaceId, provider);
    const next: ContactSyncSettings = {
      ...prev,
      ...(body.mode !== undefined ? { mode: body.mode } : {}),
      ...(body.source !== undefined ? { source: body.source } : {}),
      ...(body.lifecycleStages !== undefined ? { lifecycleStages: [...new Set(body.lifecycleStages.map((s) => s.toLowerCase()))] } : {}),
      ...(body.mapping !== undefined ? { mapping: { ...prev.mapping, ...Object.fromEntries(Object.entries(body.mapping).filter(([, v]) => v !== undefined)) } } : {}),
      ...(body.paused !== undefined ? { paused: body.paused } : {}),
      ...(body.maxWritesPerRun !== undefined ? { maxWritesPerRun: body.maxWritesPerRun } : {}),
    };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const sourceChanged = !same(prev.source, next.source);
    const readChanged = sourceChanged || !same(prev.mapping, next.mapping) || !same(prev.lifecycleStages, next.lifecycleStages);

    if (next.mode !== "off") {
      const name = provider.displayName;
      const connection = await ctx.crm.view(workspaceId, provider.id);
      if (connection.status !== "connected") throw new AppError("crm_not_connected", `Connect ${name} before turning contact sync on.`);
      const modeAvailable = next.mode === "inbound" ? provider.capabilities.contactSync.inbound : provider.capabilities.contactSync.twoWay;
      if (!modeAvailable || !provider.capabilities.contactSources.includes(next.source.kind)) {
        throw new AppError("capability_missing", `${name} does not offer this contact sync (${next.mode}, from ${next.source.kind === "list" ? "a list" : "synced companies"}).`);
      }
      if (next.source.kind === "synced_companies" && !(await getSyncSettings(ctx.db, workspaceId, provider.id)).accountSyncEnabled) {
        throw new AppError("sync_disabled", `The synced-companies source needs ${name} Sync (account sync) on; turn it on or choose a ${name} list.`, { source: "synced_companies" });
      }
      // A key or token cannot be introspected; its scopes are whatever the CRM's admin gave it.
      const missingScopes = provider.twoWayScopes.filter((scope) => !connection.scopes.includes(scope));
      if (next.mode === "two_way" && connection.authKind === "oauth" && missingScopes.length > 0) {
        throw new AppError(
          "conflict",
          `Two-way contact sync writes contacts to ${name}, which needs the scope ${missingScopes.join(", ")}; this connection was not granted it. Reconnect ${name} and grant it.`,
          { missingScopes },
        );
      }
    }
    const now = new Date().toISOString();
    if (next.mode === "two_way" && prev.mode !== "two_way") {
      next.confirmedAt = null;
      next.previewedAt = null;
    }
    if (sourceChanged) next.sourceError = null;
    if (readChanged || prev.mode !== next.mode) next.changedAt = now;
    await saveContactSyncSettings(ctx.db, workspaceId, provider.id, next);
    if (sourceChanged) await clearSourceRecords(ctx.db, workspaceId, provider.id);
    if (readChanged) await requestFullContactSync(ctx.db, workspaceId, provider.id);

    if (next.mode === "off" || next.paused) {
      await cancelPending(ctx, workspaceId);
    } else if (next.mode === "inbound" && (prev.mode !== "inbound" || prev.paused || readChanged)) {
      // Turning inbound on, resuming it or changing what it reads: a run now, not in a day.
      await triggerContactRun(ctx.db, ctx.queue, provider, "contacts", { workspaceId, trigger: "enable", triggeredBy: principal.userId });
    }
    return view(ctx, workspaceId, provider, next);
  });


  app.get(
    "/api/v1/crm/:provider/contact-lists",
    {
      schema: {
        tags,
        summary: `The CRM's contact lists whose name contains the query (at most ${maxContactLists}), by name: the contact-sync source`,
        params,
        querystring: z.object({ query: z.string().max(200).default("") }),
        response: { 200: z.object({ items: z.array(contactListSchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const provider = crmOf(ctx, request.params);
      if (!provider.capabilities.contactSources.includes("list")) throw new AppError("capability_missing", `${provider.displayName} has no contact lists to sync from.`);
      const source = (await openCrm(ctx, workspaceId, provider)).contactSource;
      return { items: await withCrm(ctx, workspaceId, provider, () => source.searchContactLists(request.query.query.trim(), maxContactLists)) };
    },
  );

  app.get(
    "/api/v1/crm/:provider/contact-properties",
    {
      schema: {
        tags,
        summary: "The CRM's contact properties, by label: what contact sync's field mapping can map",
        params,
        response: { 200: z.object({ items: z.array(contactPropertySchema) }), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const provider = crmOf(ctx, request.params);
      const source = (await openCrm(ctx, workspaceId, provider)).contactSource;
      return { items: await withCrm(ctx, workspaceId, provider, () => source.contactProperties()) };
    },
  );

  app.post(
    `${base}/run`,
    {
      schema: {
        tags,
        summary: "Run contact sync now (inbound run, or two-way reconcile)",
        params,
        querystring: fullRunQuery,
        response: { 202: z.object({ queued: z.boolean(), kind: z.enum(runKinds), coalesced: z.boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireAdmin(request);
      const provider = crmOf(ctx, request.params);
      const settings = await loadContactSyncSettings(ctx.db, principal.workspaceId, provider);
      const kind = settings.mode === "two_way" ? "reconcile" : "contacts";
      const result = await triggerContactRun(ctx.db, ctx.queue, provider, kind, { workspaceId: principal.workspaceId, trigger: "manual", triggeredBy: principal.userId }, { full: request.query.full ?? false });
      return reply.status(202).send({ queued: true, kind, coalesced: result.coalesced });
    },
  );

  app.post(
    `${base}/preview`,
    {
      schema: {
        tags,
        summary: "Dry run: what the first two-way reconcile would create and update (nothing is written)",
        params,
        response: { 200: previewSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = requireAdmin(request);
      const provider = crmOf(ctx, request.params);
      const settings = await loadContactSyncSettings(ctx.db, workspaceId, provider);
      if (settings.mode !== "two_way") throw new AppError("conflict", "Choose the two-way mode before previewing it.", {});
      const opened = await openCrm(ctx, workspaceId, provider);
      const plan = await withCrm(ctx, workspaceId, provider, () =>
        previewReconcile({ db: ctx.db, source: opened.contactSource, provider: provider.id, crmName: provider.displayName, takeCalls: opened.takeCalls }, workspaceId, settings),
      );
      const previewedAt = new Date().toISOString();
      // Settings may have changed while the preview ran; the stored copy is the one to update.
      const latest = await loadContactSyncSettings(ctx.db, workspaceId, provider);
      await saveContactSyncSettings(ctx.db, workspaceId, provider.id, { ...latest, previewedAt });
      return { ...plan, previewedAt };
    },
  );

  app.post(
    `${base}/confirm`,
    { schema: { tags, summary: "Confirm the previewed two-way reconcile; it starts now", params, response: { 200: viewSchema, ...errors } } },
    async (request) => {
      const principal = requireAdmin(request);
      const { workspaceId } = principal;
      const provider = crmOf(ctx, request.params);
      const settings = await loadContactSyncSettings(ctx.db, workspaceId, provider);
      if (settings.mode !== "two_way") throw new AppError("conflict", "Choose the two-way mode first.", {});
      if (settings.previewedAt === null || (settings.changedAt !== null && settings.previewedAt < settings.changedAt)) {
        throw new AppError("conflict", "Preview the first reconcile with the current settings before confirming it.", {});
      }
      const next = { ...settings, confirmedAt: new Date().toISOString() };
      await saveContactSyncSettings(ctx.db, workspaceId, provider.id, next);
      // The first reconcile is the full pass the preview showed (every member and every linked
      // contact compared), even when an inbound run read the source lately.
      await requestFullContactSync(ctx.db, workspaceId, provider.id);
      if (!next.paused) await triggerContactRun(ctx.db, ctx.queue, provider, "reconcile", { workspaceId, trigger: "enable", triggeredBy: principal.userId });
      return view(ctx, workspaceId, provider, next);
    },
  );
};
