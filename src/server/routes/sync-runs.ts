// Sync activity: runs with their counters and CRM calls, and the errors each recorded.
import { z } from "zod";
import { crmRateLimits, notFound, syncErrorCodes, syncErrorInfo, type CrmRateLimit, type SyncErrorCode } from "../../core/errors.ts";
import { defaultPageSize, maxPageSize } from "../../db/pagination.ts";
import { countRunErrors, getRun, listRunErrors, listRuns } from "../../db/repositories/sync-runs.ts";
import type { SyncError, SyncRun } from "../../db/schema.ts";
import type { RecordObject } from "../../sync/connector.ts";
import { principalOf } from "../auth.ts";
import { errorBodySchema } from "../errors.ts";
import type { RouteModule } from "./route.ts";

const runKinds = ["accounts", "contacts", "reconcile", "push", "link"] as const;
const runStatuses = ["queued", "running", "succeeded", "partial", "failed", "cancelled"] as const;

const pauseLimit = (stored: string): CrmRateLimit => crmRateLimits.find((l) => l === stored) ?? "unknown";

export const runSchema = z.object({
  id: z.string(),
  provider: z.string().describe("The CRM the run synced with (hubspot, salesforce)."),
  kind: z.enum(runKinds),
  trigger: z.enum(["schedule", "enable", "import", "manual", "link", "create"]),
  status: z.enum(runStatuses),
  triggeredBy: z.string().nullable(),
  counters: z.object({ read: z.number(), linked: z.number(), updated: z.number(), created: z.number(), skipped: z.number(), failed: z.number() }),
  crmCalls: z.object({ total: z.number(), byEndpoint: z.record(z.string(), z.number()) }),
  message: z.string().nullable(),
  pause: z
    .object({
      limit: z.enum(crmRateLimits).describe("The CRM rate limit that paused the run."),
      resumesAt: z.string().describe("When the run goes on by itself."),
    })
    .nullable()
    .describe("Set while the run waits for a CRM rate limit to reset."),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const runErrorSchema = z.object({
  id: z.string(),
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  crmId: z.string().nullable(),
  crmUrl: z.string().nullable().describe("The page of the CRM record the error names, when it names one in the workspace's CRM."),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export function presentRun(run: SyncRun): z.infer<typeof runSchema> {
  return {
    id: run.id,
    provider: run.provider,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    triggeredBy: run.triggered_by,
    counters: {
      read: run.records_read,
      linked: run.records_linked,
      updated: run.records_updated,
      created: run.records_created,
      skipped: run.records_skipped,
      failed: run.records_failed,
    },
    crmCalls: { total: run.crm_calls, byEndpoint: JSON.parse(run.crm_calls_by_endpoint) as Record<string, number> },
    message: run.message,
    pause: run.paused_by_limit !== null && run.resumes_at !== null ? { limit: pauseLimit(run.paused_by_limit), resumesAt: run.resumes_at } : null,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
  };
}

/** The CRM object an error's crmId is: contact errors name contacts; value errors say which object. */
function crmObjectOf(error: SyncError, details: Record<string, unknown>): RecordObject | null {
  if (error.record_type === "contact") return "contact";
  const object = details.object;
  return object === "company" || object === "deal" || object === "contact" ? object : null;
}

/** crmName: the display name of the run's CRM, for the hint; recordUrl: its record pages (null when the workspace has moved CRMs). */
function presentError(error: SyncError, crmName: string, recordUrl: ((object: RecordObject, id: string) => string | null) | null): z.infer<typeof runErrorSchema> {
  const known = (syncErrorCodes as readonly string[]).includes(error.code);
  const details = JSON.parse(error.details) as Record<string, unknown>;
  const object = error.crm_id === null ? null : crmObjectOf(error, details);
  return {
    id: error.id,
    code: error.code,
    message: error.message,
    hint: known ? syncErrorInfo(error.code as SyncErrorCode, crmName).hint : "",
    recordType: error.record_type,
    recordId: error.record_id,
    crmId: error.crm_id,
    crmUrl: object !== null && recordUrl !== null ? recordUrl(object, error.crm_id!) : null,
    details,
    createdAt: error.created_at,
  };
}

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(500).optional(),
};

export const syncRunRoutes: RouteModule = (app, ctx) => {
  app.get(
    "/api/v1/sync-runs",
    {
      schema: {
        tags: ["sync"],
        summary: "List sync runs, newest first",
        querystring: z.object({ ...pageQuery, kind: z.enum(runKinds).optional(), status: z.enum(runStatuses).optional() }),
        response: { 200: z.object({ items: z.array(runSchema), nextCursor: z.string().nullable() }), 400: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const page = await listRuns(ctx.db, workspaceId, request.query);
      return { items: page.items.map(presentRun), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/api/v1/sync-runs/:id",
    {
      schema: {
        tags: ["sync"],
        summary: "One sync run",
        params: z.object({ id: z.string() }),
        response: { 200: runSchema.extend({ errorCount: z.number() }), 404: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const run = await getRun(ctx.db, workspaceId, request.params.id);
      if (!run) throw notFound("Sync run", request.params.id);
      return { ...presentRun(run), errorCount: await countRunErrors(ctx.db, run.id) };
    },
  );

  app.get(
    "/api/v1/sync-runs/:id/errors",
    {
      schema: {
        tags: ["sync"],
        summary: "The errors a sync run recorded, with how to resolve each",
        params: z.object({ id: z.string() }),
        querystring: z.object(pageQuery),
        response: { 200: z.object({ items: z.array(runErrorSchema), nextCursor: z.string().nullable() }), 404: errorBodySchema },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const run = await getRun(ctx.db, workspaceId, request.params.id);
      if (!run) throw notFound("Sync run", request.params.id);
      const page = await listRunErrors(ctx.db, workspaceId, run.id, request.query);
      const crmName = ctx.crm.providers.get(run.provider)?.displayName ?? run.provider;
      const { provider: crm, connection } = await ctx.crm.workspaceCrm(workspaceId);
      const recordUrl = crm.id === run.provider ? (object: RecordObject, id: string) => crm.recordUrl(connection?.portal_id ?? null, object, id) : null;
      return { items: page.items.map((e) => presentError(e, crmName, recordUrl)), nextCursor: page.nextCursor };
    },
  );
};
