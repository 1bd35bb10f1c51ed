import { Alert } from "@mantine/core";
import type { SyncRun } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

const limitNames: Record<NonNullable<SyncRun["pause"]>["limit"], string> = {
  daily: "daily API limit",
  ten_secondly: "API limit per 10 seconds",
  secondly: "search API limit per second",
  unknown: "API limit",
};

/** A run waiting for the CRM's rate limit: which limit, and when it goes on (in the viewer's time). */
export function RunPauseNote({ run }: { run: SyncRun }) {
  const crmName = useWorkspaceCrm().displayName;
  if (!run.pause) return null;
  return (
    <Alert color="yellow" variant="light" title={`Paused: ${crmName}'s ${limitNames[run.pause.limit]} was reached`} aria-label="Run paused">
      The run resumes by itself at {formatDateTime(run.pause.resumesAt)}, where it stopped.
    </Alert>
  );
}
