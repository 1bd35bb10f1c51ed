// Telling people that a sync run ended with errors. The rule (who is told, what they read) is
// pure and tested as such; notifyRunFinished does the I/O around it: read the run, its error
// counts and the workspace's users, write in-app notifications, send the emails.
import type { Kysely } from "kysely";
import { syncErrorCodes, syncErrorInfo, type SyncErrorCode } from "../core/errors.ts";
import { countRunErrorsByCode, insertNotifications, listWorkspaceRecipients, markEmailed, type ErrorCodeCount, type Recipient } from "../db/repositories/notifications.ts";
import { getRunById } from "../db/repositories/sync-runs.ts";
import type { Database, RunKind, SyncRun } from "../db/schema.ts";
import type { MailMessage, Mailer } from "./mailer.ts";

/** The part of a run the rule looks at. */
export type FinishedRun = Pick<SyncRun, "id" | "workspace_id" | "provider" | "kind" | "status" | "triggered_by">;

/** Only runs that ended and recorded errors notify; a cancelled run was someone's choice. */
export function shouldNotify(run: Pick<SyncRun, "status">, errorCount: number): boolean {
  return (run.status === "partial" || run.status === "failed") && errorCount > 0;
}

/**
 * Who hears about a run: the user who started it, while they still belong to the run's
 * workspace; otherwise (scheduled runs, or the starter left) every admin, since admins are the
 * ones who can fix settings and connections.
 */
export function chooseRecipients(run: Pick<FinishedRun, "triggered_by">, workspaceUsers: Recipient[]): Recipient[] {
  const starter = run.triggered_by ? workspaceUsers.find((u) => u.id === run.triggered_by) : undefined;
  if (starter) return [starter];
  return workspaceUsers.filter((u) => u.role === "admin");
}

export interface RunMessage {
  title: string;
  /** Short plain text for the in-app list. */
  body: string;
  /** In-app path of the run's page. */
  link: string;
  errorCount: number;
  email: Omit<MailMessage, "to">;
}

const kindNames: Record<RunKind, string> = {
  accounts: "account sync",
  contacts: "contact sync",
  reconcile: "reconciliation",
  push: "push",
  link: "link",
};

function isCatalogCode(code: string): code is SyncErrorCode {
  return (syncErrorCodes as readonly string[]).includes(code);
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How many codes the in-app body names before summing up the rest. */
const bodyTopCodes = 3;

/**
 * The words of a notification. errorsByCode comes most frequent first (as
 * countRunErrorsByCode returns it); appUrl is the app's public base URL, for the email's link;
 * crmName the display name of the run's CRM ("HubSpot").
 */
export function buildRunMessage(run: FinishedRun, errorsByCode: ErrorCodeCount[], appUrl: string, crmName: string): RunMessage {
  const errorCount = errorsByCode.reduce((sum, e) => sum + e.count, 0);
  const what = `${crmName} ${kindNames[run.kind]}`;
  const outcome = run.status === "failed" ? "failed" : "finished";
  const title = `${what} ${outcome} with ${plural(errorCount, "error", "errors")}`;
  const link = `/sync-activity/${encodeURIComponent(run.id)}`;
  const url = `${appUrl.replace(/\/+$/, "")}${link}`;

  const top = errorsByCode.slice(0, bodyTopCodes).map((e) => `${e.code} × ${e.count.toLocaleString("en-US")}`);
  const rest = errorsByCode.slice(bodyTopCodes).reduce((sum, e) => sum + e.count, 0);
  const body = `${top.join(", ")}${rest > 0 ? `, and ${plural(rest, "other", "others")}` : ""}.`;

  const lines = errorsByCode.map((e) => {
    const info = isCatalogCode(e.code) ? syncErrorInfo(e.code, crmName) : undefined;
    return { ...e, message: info?.message ?? "", hint: info?.hint ?? "" };
  });
  const text = [
    `The ${what} run ${outcome} with ${plural(errorCount, "error", "errors")}.`,
    "",
    ...lines.flatMap((l) => [`${l.count.toLocaleString("en-US")} × ${l.code}${l.message ? `: ${l.message}` : ""}`, ...(l.hint ? [`   What to do: ${l.hint}`] : [])]),
    "",
    `See every error: ${url}`,
    "",
    "You receive this because you started the run or administer the workspace.",
  ].join("\n");
  const rows = lines
    .map(
      (l) =>
        `<tr><td style="padding:4px 12px 4px 0;text-align:right;vertical-align:top"><strong>${l.count.toLocaleString("en-US")}</strong></td>` +
        `<td style="padding:4px 0;vertical-align:top"><code>${escapeHtml(l.code)}</code>${l.message ? ` ${escapeHtml(l.message)}` : ""}` +
        `${l.hint ? `<br><span style="color:#555">${escapeHtml(l.hint)}</span>` : ""}</td></tr>`,
    )
    .join("");
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">` +
    `<p>The ${escapeHtml(what)} run ${outcome} with ${plural(errorCount, "error", "errors")}.</p>` +
    `<table style="border-collapse:collapse">${rows}</table>` +
    `<p><a href="${escapeHtml(url)}">See every error</a></p>` +
    `<p style="color:#777;font-size:small">You receive this because you started the run or administer the workspace.</p>` +
    `</body></html>`;
  return { title, body, link, errorCount, email: { subject: title, text, html } };
}

/** What the in-app list shows beside the text, stored in the notification's data column. */
export interface RunNotificationData {
  runId: string;
  kind: RunKind;
  status: SyncRun["status"];
  errorCount: number;
  errorsByCode: ErrorCodeCount[];
}

export interface NotifyLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotifyDeps {
  db: Kysely<Database>;
  mailer: Mailer | null;
  /** The app's public base URL (Config.publicUrl), for links in emails. */
  appUrl: string;
  /** The display name of a run's CRM, from the provider registry. */
  crmName(provider: string): string;
  logger?: NotifyLogger;
}

const consoleLogger: NotifyLogger = {
  info: () => undefined,
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

/**
 * Call once a run reached its final status. Writes one in-app notification per recipient and
 * emails each one when a mailer exists. Safe to call twice or concurrently: each (run, user)
 * is notified once. Never rejects: the run is already final, and failing to tell someone must
 * not turn it into a failed or retried job; problems are logged instead.
 */
export async function notifyRunFinished(deps: NotifyDeps, runId: string): Promise<void> {
  const logger = deps.logger ?? consoleLogger;
  try {
    const run = await getRunById(deps.db, runId);
    if (!run || (run.status !== "partial" && run.status !== "failed")) return;
    const errorsByCode = await countRunErrorsByCode(deps.db, run.id);
    const message = buildRunMessage(run, errorsByCode, deps.appUrl, deps.crmName(run.provider));
    if (!shouldNotify(run, message.errorCount)) return;

    const recipients = chooseRecipients(run, await listWorkspaceRecipients(deps.db, run.workspace_id));
    const data: RunNotificationData = { runId: run.id, kind: run.kind, status: run.status, errorCount: message.errorCount, errorsByCode };
    const created = await insertNotifications(
      deps.db,
      recipients.map((r) => ({
        workspaceId: run.workspace_id,
        userId: r.id,
        kind: "sync_run_errors" as const,
        runId: run.id,
        title: message.title,
        body: message.body,
        link: message.link,
        data: { ...data },
      })),
    );
    const context = { workspaceId: run.workspace_id, runId: run.id };
    if (created.length > 0) logger.info({ ...context, recipients: created.length }, "run error notifications written");
    if (!deps.mailer) return;

    const byId = new Map(recipients.map((r) => [r.id, r]));
    for (const notification of created) {
      const recipient = byId.get(notification.user_id);
      if (!recipient) continue;
      try {
        await deps.mailer.send({ to: recipient.email, ...message.email });
        await markEmailed(deps.db, notification.id);
      } catch (error) {
        logger.warn({ ...context, userId: recipient.id, err: error }, "run error notification email failed");
      }
    }
  } catch (error) {
    logger.error({ runId, err: error }, "run error notifications failed");
  }
}
