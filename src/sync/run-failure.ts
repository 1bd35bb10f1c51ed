// What becomes of a run whose engine threw, shared by every sync job: a rate limit pauses
// the run (it resumes from its checkpoint, no attempt spent), an outage retries it and fails
// it on the last attempt, a revoked grant fails it and disconnects, anything else fails it
// for good. Returns when the job is done; throws what the queue should act on otherwise.
import type { Kysely } from "kysely";
import { recordSyncErrors, transitionRun } from "../db/repositories/sync-runs.ts";
import type { Database, SyncRun } from "../db/schema.ts";
import { FatalJobError, RetryLaterError, type Job, type JobContext } from "../jobs/queue.ts";
import { ConnectorError, syncErrorCodeForConnector, type CrmRateLimit } from "../core/errors.ts";

export interface RunFailureContext {
  db: Kysely<Database>;
  run: SyncRun;
  job: Job;
  jobCtx: JobContext;
  /** The display name of the run's CRM ("HubSpot"), for the run's message. */
  crmName: string;
  /** The run reached a final status: tell people about its errors. */
  finished(): Promise<void>;
  /** The CRM refused the grant: mark the connection disconnected. */
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
export function pausedMessage(crmName: string, limit: CrmRateLimit, resumesAt: string): string {
  const at = resumesAt.slice(0, 19).replace("T", " ").replace(/:00$/, "");
  return `Paused: ${crmName}'s ${limitNames[limit]} was reached; resumes at ${at} UTC.`;
}

export async function settleRunError(ctx: RunFailureContext, error: unknown): Promise<void> {
  const { db, run } = ctx;
  if (!(error instanceof ConnectorError)) {
    await transitionRun(db, run.id, "failed", { message: `Internal error: ${String(error)}` }).catch(() => undefined);
    await ctx.finished().catch(() => undefined);
    throw new FatalJobError(String(error), { cause: error });
  }
  const code = syncErrorCodeForConnector(error.code);
  const record = () => recordSyncErrors(db, [{ runId: run.id, workspaceId: run.workspace_id, code, crmName: ctx.crmName, details: { message: error.message } }]);
  switch (code) {
    case "crm_rate_limited": {
      const pauseMs = error.retryAfterMs ?? defaultPauseMs;
      const limit = error.limit ?? "unknown";
      const resumesAt = new Date(Date.now() + pauseMs).toISOString();
      await transitionRun(db, run.id, "queued", { message: pausedMessage(ctx.crmName, limit, resumesAt), pause: { limit, resumesAt } });
      throw new RetryLaterError(pauseMs);
    }
    case "crm_unavailable":
      if (ctx.jobCtx.attempt >= ctx.job.maxAttempts) {
        await record();
        await transitionRun(db, run.id, "failed", { message: error.message });
        await ctx.finished();
        return;
      }
      await transitionRun(db, run.id, "queued", { message: `${ctx.crmName} did not answer (${error.message}); retrying.` });
      throw error;
    case "crm_auth_revoked":
      await record();
      await transitionRun(db, run.id, "failed", { message: error.message });
      await ctx.onAuthRevoked(error.message);
      await ctx.finished();
      return;
    default:
      // A failure that stops only this run (a source list gone outside the list phase).
      await record();
      await transitionRun(db, run.id, "failed", { message: error.message });
      await ctx.finished();
      return;
  }
}
