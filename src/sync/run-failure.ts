// What becomes of a run whose engine threw, shared by every sync job: a rate limit pauses
// the run (it resumes from its checkpoint, no attempt spent), an outage retries it and fails
// it on the last attempt, a revoked grant fails it and disconnects, anything else fails it
// for good. Returns when the job is done; throws what the queue should act on otherwise.
import type { Kysely } from "kysely";
import { recordSyncErrors, transitionRun } from "../db/repositories/sync-runs.ts";
import type { Database, SyncRun } from "../db/schema.ts";
import { FatalJobError, RetryLaterError, type Job, type JobContext } from "../jobs/queue.ts";
import { CrmSourceError, type CrmRateLimit } from "./ports.ts";

export interface RunFailureContext {
  db: Kysely<Database>;
  run: SyncRun;
  job: Job;
  jobCtx: JobContext;
  /** The run reached a final status: tell people about its errors. */
  finished(): Promise<void>;
  /** HubSpot refused the grant: mark the connection disconnected. */
  onAuthRevoked(message: string): Promise<void>;
}

const defaultPauseMs = 10_000;

const limitNames: Record<CrmRateLimit, string> = {
  daily: "daily API limit",
  ten_secondly: "API limit per 10 seconds",
  secondly: "search API limit per second",
  unknown: "API limit",
};

/** "Paused: HubSpot's daily API limit was reached; resumes at 2026-12-04 00:00 UTC." */
export function pausedMessage(limit: CrmRateLimit, resumesAt: string): string {
  const at = resumesAt.slice(0, 19).replace("T", " ").replace(/:00$/, "");
  return `Paused: HubSpot's ${limitNames[limit]} was reached; resumes at ${at} UTC.`;
}

export async function settleRunError(ctx: RunFailureContext, error: unknown): Promise<void> {
  const { db, run } = ctx;
  if (!(error instanceof CrmSourceError)) {
    await transitionRun(db, run.id, "failed", { message: `Internal error: ${String(error)}` }).catch(() => undefined);
    await ctx.finished().catch(() => undefined);
    throw new FatalJobError(String(error), { cause: error });
  }
  const record = (code: CrmSourceError["code"]) => recordSyncErrors(db, [{ runId: run.id, workspaceId: run.workspace_id, code, details: { message: error.message } }]);
  switch (error.code) {
    case "crm_rate_limited": {
      const pauseMs = error.retryAfterMs ?? defaultPauseMs;
      const limit = error.limit ?? "unknown";
      const resumesAt = new Date(Date.now() + pauseMs).toISOString();
      await transitionRun(db, run.id, "queued", { message: pausedMessage(limit, resumesAt), pause: { limit, resumesAt } });
      throw new RetryLaterError(pauseMs);
    }
    case "crm_unavailable":
      if (ctx.jobCtx.attempt >= ctx.job.maxAttempts) {
        await record("crm_unavailable");
        await transitionRun(db, run.id, "failed", { message: error.message });
        await ctx.finished();
        return;
      }
      await transitionRun(db, run.id, "queued", { message: `HubSpot did not answer (${error.message}); retrying.` });
      throw error;
    case "crm_auth_revoked":
      await record("crm_auth_revoked");
      await transitionRun(db, run.id, "failed", { message: error.message });
      await ctx.onAuthRevoked(error.message);
      await ctx.finished();
      return;
  }
}
