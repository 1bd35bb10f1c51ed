import type { RunKind, RunStatus, RunTrigger } from "../../api/types.ts";

export const kindLabels: Record<RunKind, string> = {
  accounts: "Account sync",
  contacts: "Contact sync",
  reconcile: "Reconcile",
  push: "Push",
  link: "Manual link",
};

const triggerLabels: Record<Exclude<RunTrigger, "link">, string> = {
  schedule: "Schedule",
  enable: "Sync turned on",
  import: "Fields imported",
  manual: "Run now",
  create: "Contact created",
};

/** What started a run; a manual link names the workspace's CRM. */
export function triggerLabel(trigger: RunTrigger, crmName: string): string {
  return trigger === "link" ? `Link to ${crmName}` : triggerLabels[trigger];
}

export const statusColors: Record<RunStatus, string> = {
  queued: "gray",
  running: "blue",
  succeeded: "green",
  partial: "yellow",
  failed: "red",
  cancelled: "gray",
};

export const statusLabels: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  partial: "Partly failed",
  failed: "Failed",
  cancelled: "Cancelled",
};
