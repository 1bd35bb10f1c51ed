// Entry points of contact-sync runs: plan a new run (full or incremental), run or resume one,
// and the dry run behind the two-way preview.
import type { Kysely } from "kysely";
import type { SyncErrorCode } from "../../core/errors.ts";
import { getSyncState, setSyncState } from "../../db/repositories/crm-mirror.ts";
import { recordSyncErrors, saveCheckpoint, transitionRun } from "../../db/repositories/sync-runs.ts";
import type { Database, SyncRun } from "../../db/schema.ts";
import { outcomeStatus } from "../run-state.ts";
import { ContactRun } from "./engine.ts";
import type { ContactSyncSettings } from "./settings.ts";
import {
  ContactRunStopped,
  contactStateKeys,
  defaultFullPassEveryMs,
  defaultOverlapMs,
  type ContactCheckpoint,
  type ContactRunKind,
  type ContactSyncDeps,
  type MemberTail,
  type Phase,
  type PreviewPlan,
} from "./types.ts";

export async function requestFullContactSync(db: Kysely<Database>, workspaceId: string, provider: string): Promise<void> {
  await setSyncState(db, workspaceId, provider, contactStateKeys.fullRequested, "1");
}

export async function planContactRun(deps: ContactSyncDeps, workspaceId: string, kind: ContactRunKind, settings: ContactSyncSettings): Promise<ContactCheckpoint> {
  const now = (deps.now ?? (() => new Date()))();
  const base = { kind, phase: "check" as Phase, cursor: null, passStartedAt: now.toISOString(), writes: 0 };
  if (kind === "push") return { ...base, mode: "incremental", sinceMs: null, createdSince: settings.confirmedAt };
  const requested = await getSyncState(deps.db, workspaceId, deps.provider, contactStateKeys.fullRequested);
  const lastFull = await getSyncState(deps.db, workspaceId, deps.provider, contactStateKeys.lastFullAt);
  const watermark = await getSyncState(deps.db, workspaceId, deps.provider, contactStateKeys.watermarkMs);
  const stale = !lastFull || now.getTime() - Date.parse(lastFull) >= (deps.fullPassEveryMs ?? defaultFullPassEveryMs);
  const full = requested === "1" || stale || watermark === null;
  if (requested === "1") await setSyncState(deps.db, workspaceId, deps.provider, contactStateKeys.fullRequested, "0");
  const planned: ContactCheckpoint = { ...base, mode: full ? "full" : "incremental", sinceMs: full ? null : Number(watermark) - (deps.overlapMs ?? defaultOverlapMs), createdSince: null };
  if (full || settings.source.kind !== "list" || deps.source.listMembersByJoinTime === undefined) return planned;
  // Only the members who joined since the last pass are read; one who left is still updated
  // until the next full pass (at most fullPassEveryMs later) reads the whole membership.
  const tail = parseTail(await getSyncState(deps.db, workspaceId, deps.provider, contactStateKeys.memberTail), settings.source.listId);
  return { ...planned, memberTail: tail, tailUnchecked: tail !== null, memberSince: lastFull };
}

function parseTail(raw: string | null, listId: string): MemberTail | null {
  if (raw === null) return null;
  const tail = JSON.parse(raw) as MemberTail;
  return tail.listId === listId ? tail : null;
}


/**
 * Runs (or resumes) a contact-sync run that is already `running`; returns the finished run.
 * CRM failures propagate as ConnectorError with the checkpoint saved (the caller pauses or fails
 * the run); ContactRunStopped is recorded here and fails the run.
 */
export async function runContactSync(deps: ContactSyncDeps, run: SyncRun, settings: ContactSyncSettings): Promise<SyncRun> {
  const kind = run.kind as ContactRunKind;
  const checkpoint = run.checkpoint ? (JSON.parse(run.checkpoint) as ContactCheckpoint) : await planContactRun(deps, run.workspace_id, kind, settings);
  const engine = new ContactRun(deps, run.workspace_id, settings, checkpoint, run);
  if (!run.checkpoint) await saveCheckpoint(deps.db, run.id, checkpoint);
  try {
    await engine.execute();
  } catch (error) {
    if (!(error instanceof ContactRunStopped)) throw error;
    await recordSyncErrors(deps.db, [{ runId: run.id, workspaceId: run.workspace_id, code: error.code, message: error.message }]);
    await engine.flushProgress();
    return transitionRun(deps.db, run.id, "failed", { message: error.message });
  }
  if (kind !== "push") {
    // Everything changed before this pass started has been read (the overlap covers indexing delay).
    await setSyncState(deps.db, run.workspace_id, deps.provider, contactStateKeys.watermarkMs, String(Date.parse(engine.checkpoint.passStartedAt)));
    if (engine.checkpoint.mode === "full") await setSyncState(deps.db, run.workspace_id, deps.provider, contactStateKeys.lastFullAt, engine.checkpoint.passStartedAt);
    if (engine.checkpoint.memberTail) await setSyncState(deps.db, run.workspace_id, deps.provider, contactStateKeys.memberTail, JSON.stringify(engine.checkpoint.memberTail));
  }
  return transitionRun(deps.db, run.id, outcomeStatus(engine.errors, false), { message: engine.summary() });
}

/** What the first two-way reconcile would do, without writing anything anywhere. */
export async function previewReconcile(deps: ContactSyncDeps, workspaceId: string, settings: ContactSyncSettings): Promise<PreviewPlan & { stoppedBy: { code: SyncErrorCode; message: string } | null }> {
  const now = (deps.now ?? (() => new Date()))();
  const checkpoint: ContactCheckpoint = { kind: "reconcile", mode: "full", phase: "check", cursor: null, passStartedAt: now.toISOString(), sinceMs: null, writes: 0, createdSince: null };
  const engine = new ContactRun(deps, workspaceId, settings, checkpoint, null);
  try {
    await engine.execute();
  } catch (error) {
    if (!(error instanceof ContactRunStopped)) throw error;
    return { ...engine.plan, stoppedBy: { code: error.code, message: error.message } };
  }
  return { ...engine.plan, stoppedBy: null };
}
