// Sync runs and the errors they record. Status changes are checked against the run state
// machine and applied with a compare-and-set on the old status, so two workers cannot both
// move the same run.
import { randomUUID } from "node:crypto";
import { PostgresAdapter, sql, type Kysely } from "kysely";
import { syncErrorInfo, type SyncErrorCode } from "../../core/errors.ts";
import { assertTransition } from "../../sync/run-state.ts";
import { decodeCursor, encodeCursor, type Page } from "../pagination.ts";
import type { Database, RunKind, RunStatus, RunTrigger, SyncError, SyncRun } from "../schema.ts";

export interface NewRun {
  workspaceId: string;
  provider: string;
  kind: RunKind;
  trigger: RunTrigger;
  triggeredBy?: string | null;
}

export async function createRun(db: Kysely<Database>, input: NewRun): Promise<SyncRun> {
  const row: SyncRun = {
    id: randomUUID(),
    workspace_id: input.workspaceId,
    provider: input.provider,
    kind: input.kind,
    trigger: input.trigger,
    status: "queued",
    triggered_by: input.triggeredBy ?? null,
    records_read: 0,
    records_linked: 0,
    records_updated: 0,
    records_created: 0,
    records_skipped: 0,
    records_failed: 0,
    crm_calls: 0,
    crm_calls_by_endpoint: "{}",
    checkpoint: null,
    message: null,
    paused_by_limit: null,
    resumes_at: null,
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
  };
  await db.insertInto("sync_runs").values(row).execute();
  return row;
}

export async function getRunById(db: Kysely<Database>, runId: string): Promise<SyncRun | undefined> {
  return db.selectFrom("sync_runs").selectAll().where("id", "=", runId).executeTakeFirst();
}

export async function getRun(db: Kysely<Database>, workspaceId: string, runId: string): Promise<SyncRun | undefined> {
  return db.selectFrom("sync_runs").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", runId).executeTakeFirst();
}

export class RunTransitionLost extends Error {
  constructor(runId: string) {
    super(`Run ${runId} changed status concurrently.`);
  }
}

export async function transitionRun(
  db: Kysely<Database>,
  runId: string,
  to: RunStatus,
  patch: { message?: string | null; pause?: { limit: string; resumesAt: string } } = {},
): Promise<SyncRun> {
  const run = await getRunById(db, runId);
  if (!run) throw new Error(`Run ${runId} does not exist.`);
  assertTransition(run.status, to);
  const now = new Date().toISOString();
  const final = to === "succeeded" || to === "partial" || to === "failed" || to === "cancelled";
  const result = await db
    .updateTable("sync_runs")
    .set({
      status: to,
      ...(to === "running" && !run.started_at ? { started_at: now } : {}),
      ...(final ? { finished_at: now } : {}),
      ...(patch.message !== undefined ? { message: patch.message } : {}),
      // A pause lasts until the run's next status change.
      paused_by_limit: patch.pause?.limit ?? null,
      resumes_at: patch.pause?.resumesAt ?? null,
    })
    .where("id", "=", runId)
    .where("status", "=", run.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new RunTransitionLost(runId);
  return (await getRunById(db, runId))!;
}

export interface RunProgress {
  read?: number;
  linked?: number;
  updated?: number;
  created?: number;
  skipped?: number;
  failed?: number;
  crmCalls?: Record<string, number>;
}

/**
 * Adds to a run's counters, and sets its checkpoint when given one, in one statement: the
 * increments happen in SQL (calls by endpoint too, inside the stored JSON), so concurrent
 * writers do not lose counts, and a page's bookkeeping costs one round trip. Joins the caller's
 * transaction when given one, so progress can commit with the work it counts.
 */
export async function addRunProgress(db: Kysely<Database>, runId: string, progress: RunProgress, checkpoint?: unknown): Promise<void> {
  const byEndpoint = Object.entries(progress.crmCalls ?? {}).filter(([, n]) => n > 0);
  const calls = byEndpoint.reduce((a, [, n]) => a + n, 0);
  const inc = (column: string, by: number | undefined) => sql<number>`${sql.ref(column)} + ${by ?? 0}`;
  const patch: Record<string, unknown> = {
    records_read: inc("records_read", progress.read),
    records_linked: inc("records_linked", progress.linked),
    records_updated: inc("records_updated", progress.updated),
    records_created: inc("records_created", progress.created),
    records_skipped: inc("records_skipped", progress.skipped),
    records_failed: inc("records_failed", progress.failed),
    crm_calls: inc("crm_calls", calls),
  };
  if (byEndpoint.length > 0) patch["crm_calls_by_endpoint"] = addToJsonCounts(db, byEndpoint);
  if (checkpoint !== undefined) patch["checkpoint"] = checkpoint === null ? null : JSON.stringify(checkpoint);
  await db.updateTable("sync_runs").set(patch).where("id", "=", runId).execute();
}

/** crm_calls_by_endpoint (JSON text) with each endpoint's count increased, computed by the database. */
function addToJsonCounts(db: Kysely<Database>, counts: readonly [endpoint: string, n: number][]) {
  const column = sql.ref("crm_calls_by_endpoint");
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    let json = sql<unknown>`${column}::jsonb`;
    for (const [endpoint, n] of counts) json = sql`jsonb_set(${json}, ARRAY[${endpoint}]::text[], to_jsonb(COALESCE((${column}::jsonb ->> ${endpoint})::bigint, 0) + ${n}))`;
    return sql<string>`(${json})::text`;
  }
  let json = sql<unknown>`${column}`;
  for (const [endpoint, n] of counts) {
    // A JSON path with the key quoted: endpoint names hold dots.
    const path = `$.${JSON.stringify(endpoint)}`;
    json = sql`json_set(${json}, ${path}, CAST(COALESCE(json_extract(${column}, ${path}), 0) + ${n} AS INTEGER))`;
  }
  return sql<string>`${json}`;
}

export async function saveCheckpoint(db: Kysely<Database>, runId: string, checkpoint: unknown): Promise<void> {
  await db.updateTable("sync_runs").set({ checkpoint: checkpoint === null ? null : JSON.stringify(checkpoint) }).where("id", "=", runId).execute();
}

export interface RecordedError {
  runId: string;
  workspaceId: string;
  code: SyncErrorCode;
  /** When absent, the catalog's message, naming the CRM by `crmName` ("the CRM" without one). */
  message?: string;
  crmName?: string;
  recordType?: "customer" | "contact" | "field" | "company" | "deal" | "list" | null;
  recordId?: string | null;
  crmId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordSyncErrors(db: Kysely<Database>, errors: RecordedError[]): Promise<void> {
  if (errors.length === 0) return;
  const now = new Date().toISOString();
  const rows = errors.map((e) => ({
    id: randomUUID(),
    run_id: e.runId,
    workspace_id: e.workspaceId,
    code: e.code,
    message: e.message ?? syncErrorInfo(e.code, e.crmName).message,
    record_type: e.recordType ?? null,
    record_id: e.recordId ?? null,
    crm_id: e.crmId ?? null,
    details: JSON.stringify(e.details ?? {}),
    created_at: now,
  }));
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto("sync_errors").values(rows.slice(i, i + 500)).execute();
}

export async function countRunErrors(db: Kysely<Database>, runId: string): Promise<number> {
  const row = await db.selectFrom("sync_errors").select((eb) => eb.fn.countAll<number>().as("n")).where("run_id", "=", runId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listRuns(
  db: Kysely<Database>,
  workspaceId: string,
  options: { limit: number; cursor?: string | undefined; kind?: RunKind | undefined; status?: RunStatus | undefined },
): Promise<Page<SyncRun>> {
  let query = db.selectFrom("sync_runs").selectAll().where("workspace_id", "=", workspaceId);
  if (options.kind) query = query.where("kind", "=", options.kind);
  if (options.status) query = query.where("status", "=", options.status);
  if (options.cursor) {
    const [createdAt, id] = decodeCursor(options.cursor);
    query = query.where((eb) => eb.or([eb("created_at", "<", String(createdAt)), eb.and([eb("created_at", "=", String(createdAt)), eb("id", "<", id)])]));
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(options.limit + 1).execute();
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

export async function findActiveRun(db: Kysely<Database>, workspaceId: string, kinds: RunKind[]): Promise<SyncRun | undefined> {
  return db
    .selectFrom("sync_runs")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("kind", "in", kinds)
    .where("status", "in", ["queued", "running"])
    .orderBy("created_at", "asc")
    .executeTakeFirst();
}

export async function listRunErrors(
  db: Kysely<Database>,
  workspaceId: string,
  runId: string,
  options: { limit: number; cursor?: string | undefined },
): Promise<Page<SyncError>> {
  let query = db.selectFrom("sync_errors").selectAll().where("workspace_id", "=", workspaceId).where("run_id", "=", runId);
  if (options.cursor) {
    const [createdAt, id] = decodeCursor(options.cursor);
    query = query.where((eb) => eb.or([eb("created_at", ">", String(createdAt)), eb.and([eb("created_at", "=", String(createdAt)), eb("id", ">", id)])]));
  }
  const rows = await query.orderBy("created_at", "asc").orderBy("id", "asc").limit(options.limit + 1).execute();
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}
