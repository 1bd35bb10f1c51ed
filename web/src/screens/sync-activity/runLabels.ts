import type { RunKind, RunStatus, RunTrigger } from "../../api/types.ts";

export const kindLabels: Record<RunKind, string> = {
  accounts: "Account sync",
  contacts: "Contact sync",
  reconcile: "Reconcile",
  push: "Push",
  link: "Manual link",
};

export const triggerLabels: Record<RunTrigger, string> = {
  schedule: "Schedule",
  enable: "Sync turned on",
  import: "Fields imported",
  manual: "Run now",
  link: "Link to HubSpot",
  create: "Contact created",
};

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
