// The contact-sync runs of a report, in the order they ran: the report, the targets and the chart
// list them alike.
import type { ContactRunReport, ContactsReport } from "./bench.ts";

export type ContactRunKey = "full" | "incremental" | "firstReconcile" | "nightlyReconcile";

/** The contact runs that ran, in order, with their labels in the tables. */
export function contactRuns(contacts: ContactsReport | undefined): Array<{ key: ContactRunKey; column: string; report: ContactRunReport }> {
  if (!contacts) return [];
  const runs = [
    { key: "full", column: "full inbound", report: contacts.full },
    { key: "incremental", column: "incremental", report: contacts.incremental },
    { key: "firstReconcile", column: "first reconcile", report: contacts.firstReconcile },
    { key: "nightlyReconcile", column: "nightly reconcile", report: contacts.nightlyReconcile },
  ] as const;
  return runs.flatMap((r) => (r.report ? [{ key: r.key, column: r.column, report: r.report }] : []));
}

