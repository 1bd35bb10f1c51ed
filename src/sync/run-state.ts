// A sync run is a small state machine. Every status change goes through assertTransition,
// so a finished run can never be "resumed" into running by a late worker, and a queued run
// can be cancelled but not marked succeeded without having run.
import type { RunStatus } from "../db/schema.ts";

const allowed: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["running", "cancelled"],
  // A running run may go back to queued: paused on a rate limit or reclaimed after a crash,
  // it resumes from its checkpoint.
  running: ["succeeded", "partial", "failed", "cancelled", "queued"],
  succeeded: [],
  partial: [],
  failed: [],
  cancelled: [],
};

export const finalStatuses: readonly RunStatus[] = ["succeeded", "partial", "failed", "cancelled"];

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return allowed[from].includes(to);
}

export class InvalidRunTransition extends Error {
  constructor(readonly from: RunStatus, readonly to: RunStatus) {
    super(`A ${from} run cannot become ${to}.`);
  }
}

export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!canTransition(from, to)) throw new InvalidRunTransition(from, to);
}

/** How a run that got this far ends: errors that were only recorded make it partial. */
export function outcomeStatus(recordedErrors: number, failed: boolean): RunStatus {
  if (failed) return "failed";
  return recordedErrors > 0 ? "partial" : "succeeded";
}
