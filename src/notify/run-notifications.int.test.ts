// notifyRunFinished end to end: real database (both dialects), real SMTP server on a socket.
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../test/support/databases.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../test/support/smtp-server.ts";
import { provisionUser, provisionWorkspace } from "../accounts.ts";
import type { SyncErrorCode } from "../core/errors.ts";
import type { Dialect } from "../db/database.ts";
import { createRun, recordSyncErrors, transitionRun } from "../db/repositories/sync-runs.ts";
import type { RunStatus, RunTrigger, User } from "../db/schema.ts";
import { createMailer, type Mailer } from "./mailer.ts";
import { notifyRunFinished, type NotifyLogger } from "./run-notifications.ts";

const appUrl = "https://crm.example.com";
/** What the server context passes: the registry's display name of the run's provider. */
const crmName = (provider: string): string => (provider === "hubspot" ? "HubSpot" : provider);
const from = "crmsync <noreply@crm.example.com>";

interface Logged {
  level: "info" | "warn" | "error";
  obj: object;
  msg: string;
}

function recordingLogger(): NotifyLogger & { lines: Logged[] } {
  const lines: Logged[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: "info", obj, msg }),
    warn: (obj, msg) => lines.push({ level: "warn", obj, msg }),
    error: (obj, msg) => lines.push({ level: "error", obj, msg }),
  };
}

/** A port where nothing listens: bound then released, so connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe.each(dialects)("notifyRunFinished on %s", (dialect: Dialect) => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let ws: { id: string; admin: User; admin2: User; member: User };
  let other: { id: string; admin: User };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    const a = await provisionWorkspace(db, { name: "alpha", adminEmail: "admin@alpha.test", adminName: "Ada", adminPassword: "password-1" });
    const admin2 = await provisionUser(db, { workspaceId: a.workspaceId, email: "admin2@alpha.test", name: "Alan", role: "admin", password: "password-1" });
    const member = await provisionUser(db, { workspaceId: a.workspaceId, email: "member@alpha.test", name: "Mo", role: "member", password: "password-1" });
    ws = { id: a.workspaceId, admin: a.admin, admin2, member };
    const b = await provisionWorkspace(db, { name: "beta", adminEmail: "admin@beta.test", adminName: "Bea", adminPassword: "password-1" });
    other = { id: b.workspaceId, admin: b.admin };
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    // Credentials with characters that must survive percent-encoding in SMTP_URL.
    smtp = await startTestSmtpServer({ auth: { user: "crm sync", pass: "p@ss:w/rd" } });
    mailer = createMailer({ url: smtp.url, from })!;
    await database.db.deleteFrom("notifications").execute();
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
  });

  async function finishedRun(input: {
    status: RunStatus;
    trigger?: RunTrigger;
    triggeredBy?: string | null;
    errors?: Partial<Record<SyncErrorCode, number>>;
    workspaceId?: string;
  }): Promise<string> {
    const workspaceId = input.workspaceId ?? ws.id;
    const run = await createRun(database.db, { workspaceId, provider: "hubspot", kind: "contacts", trigger: input.trigger ?? "manual", triggeredBy: input.triggeredBy ?? null });
    const errors = Object.entries(input.errors ?? {}).flatMap(([code, n]) =>
      Array.from({ length: n }, (_, i) => ({ runId: run.id, workspaceId, code: code as SyncErrorCode, recordType: "contact" as const, recordId: `c${i}` })),
    );
    await recordSyncErrors(database.db, errors);
    if (input.status !== "queued") await transitionRun(database.db, run.id, input.status === "cancelled" ? "cancelled" : "running");
    if (input.status !== "running" && input.status !== "queued" && input.status !== "cancelled") await transitionRun(database.db, run.id, input.status);
    return run.id;
  }

  const notificationsOf = (userId: string) => database.db.selectFrom("notifications").selectAll().where("user_id", "=", userId).execute();
  const allNotifications = () => database.db.selectFrom("notifications").selectAll().orderBy("user_id").execute();

  it("emails the user who started the run through SMTP, with the counts per code, and lists it in-app", async () => {
    const runId = await finishedRun({ status: "partial", triggeredBy: ws.member.id, errors: { email_taken: 7, invalid_email: 3, phone_taken: 2 } });
    await notifyRunFinished({ db: database.db, mailer, appUrl, crmName }, runId);

    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.envelopeTo).toEqual(["member@alpha.test"]);
    expect(mail.envelopeFrom).toBe("noreply@crm.example.com");
    expect(mail.authUser).toBe("crm sync");
    expect(mail.headers.get("to")).toBe("member@alpha.test");
    expect(mail.subject).toBe("HubSpot contact sync finished with 12 errors");
    expect(mail.text).toContain("7 × email_taken: Another contact already uses this email.");
    expect(mail.text).toContain("Merge the two contacts, or change the email on one of them.");
    expect(mail.text).toContain("3 × invalid_email");
    expect(mail.text).toContain("2 × phone_taken");
    expect(mail.text).toContain(`${appUrl}/sync-activity/${runId}`);
    expect(mail.html).toContain(`<a href="${appUrl}/sync-activity/${runId}">`);
    expect(mail.html).toContain("<strong>7</strong>");

    const rows = await allNotifications();
    expect(rows).toHaveLength(1);
    const n = rows[0]!;
    expect(n).toMatchObject({
      workspace_id: ws.id,
      user_id: ws.member.id,
      kind: "sync_run_errors",
      run_id: runId,
      title: "HubSpot contact sync finished with 12 errors",
      body: "email_taken × 7, invalid_email × 3, phone_taken × 2.",
      link: `/sync-activity/${runId}`,
      read_at: null,
    });
    expect(n.emailed_at).not.toBeNull();
    expect(JSON.parse(n.data)).toEqual({
      runId,
      kind: "contacts",
      status: "partial",
      errorCount: 12,
      errorsByCode: [
        { code: "email_taken", count: 7 },
        { code: "invalid_email", count: 3 },
        { code: "phone_taken", count: 2 },
      ],
    });
  });

  it("tells every admin, and no member, about a scheduled run", async () => {
    const runId = await finishedRun({ status: "failed", trigger: "schedule", triggeredBy: null, errors: { crm_auth_revoked: 1 } });
    await notifyRunFinished({ db: database.db, mailer, appUrl, crmName }, runId);

    expect(smtp.messages.map((m) => m.envelopeTo).flat().sort()).toEqual(["admin2@alpha.test", "admin@alpha.test"]);
    expect(smtp.messages.every((m) => m.subject === "HubSpot contact sync failed with 1 error")).toBe(true);
    expect(smtp.messages[0]!.text).toContain("Reconnect HubSpot from Integrations");
    expect((await allNotifications()).map((n) => n.user_id).sort()).toEqual([ws.admin.id, ws.admin2.id].sort());
    expect(await notificationsOf(ws.member.id)).toEqual([]);
    expect(await notificationsOf(other.admin.id)).toEqual([]);
  });

  it("tells the admins when the recorded starter is not a member of the run's workspace", async () => {
    const runId = await finishedRun({ status: "partial", triggeredBy: other.admin.id, errors: { email_taken: 1 } });
    await notifyRunFinished({ db: database.db, mailer, appUrl, crmName }, runId);
    expect((await allNotifications()).map((n) => n.user_id).sort()).toEqual([ws.admin.id, ws.admin2.id].sort());
    expect(await notificationsOf(other.admin.id)).toEqual([]);
  });

  it("stays silent for runs without errors, cancelled runs and runs still going", async () => {
    const cases = [
      await finishedRun({ status: "succeeded", triggeredBy: ws.member.id }),
      await finishedRun({ status: "partial", triggeredBy: ws.member.id }),
      await finishedRun({ status: "failed", triggeredBy: ws.member.id }),
      await finishedRun({ status: "cancelled", triggeredBy: ws.member.id, errors: { email_taken: 2 } }),
      await finishedRun({ status: "running", triggeredBy: ws.member.id, errors: { email_taken: 2 } }),
      "no-such-run",
    ];
    for (const runId of cases) await notifyRunFinished({ db: database.db, mailer, appUrl, crmName }, runId);
    expect(await allNotifications()).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it("notifies each recipient once however often and however concurrently it is called", async () => {
    const runId = await finishedRun({ status: "partial", trigger: "schedule", errors: { phone_taken: 4 } });
    const logger = recordingLogger();
    const deps = { db: database.db, mailer, appUrl, crmName, logger };
    await Promise.all([notifyRunFinished(deps, runId), notifyRunFinished(deps, runId), notifyRunFinished(deps, runId)]);
    await notifyRunFinished(deps, runId);
    expect(await allNotifications()).toHaveLength(2);
    expect(smtp.messages.map((m) => m.envelopeTo[0]).sort()).toEqual(["admin2@alpha.test", "admin@alpha.test"]);
    // A repeat is expected, not an incident: it must not surface as a failure in the logs.
    expect(logger.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  it("writes only the in-app notification when SMTP is not configured", async () => {
    expect(createMailer(null)).toBeNull();
    const runId = await finishedRun({ status: "partial", triggeredBy: ws.admin.id, errors: { invalid_email: 5 } });
    await notifyRunFinished({ db: database.db, mailer: null, appUrl, crmName }, runId);
    const rows = await allNotifications();
    expect(rows.map((n) => [n.user_id, n.title, n.emailed_at])).toEqual([[ws.admin.id, "HubSpot contact sync finished with 5 errors", null]]);
    expect(smtp.messages).toEqual([]);
  });

  it("keeps the notification and logs when the SMTP server cannot be reached", async () => {
    const logger = recordingLogger();
    const deadMailer = createMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from }, { timeoutMs: 2000 })!;
    const runId = await finishedRun({ status: "partial", triggeredBy: ws.member.id, errors: { email_taken: 1 } });
    await expect(notifyRunFinished({ db: database.db, mailer: deadMailer, appUrl, crmName, logger }, runId)).resolves.toBeUndefined();
    deadMailer.close();
    const rows = await allNotifications();
    expect(rows.map((n) => [n.user_id, n.emailed_at])).toEqual([[ws.member.id, null]]);
    const warn = logger.lines.find((l) => l.level === "warn");
    expect(warn?.msg).toBe("run error notification email failed");
    expect(warn?.obj).toMatchObject({ runId, userId: ws.member.id });
  });

  it("still emails the other admins when the server refuses one recipient", async () => {
    await smtp.close();
    mailer.close();
    smtp = await startTestSmtpServer({ refuse: ["admin@alpha.test"] });
    mailer = createMailer({ url: smtp.url, from })!;
    const logger = recordingLogger();
    const runId = await finishedRun({ status: "partial", trigger: "schedule", errors: { email_taken: 1 } });
    await notifyRunFinished({ db: database.db, mailer, appUrl, crmName, logger }, runId);
    expect(smtp.messages.map((m) => m.envelopeTo)).toEqual([["admin2@alpha.test"]]);
    const rows = await allNotifications();
    expect(rows.find((n) => n.user_id === ws.admin.id)?.emailed_at).toBeNull();
    expect(rows.find((n) => n.user_id === ws.admin2.id)?.emailed_at).not.toBeNull();
    expect(logger.lines.filter((l) => l.level === "warn")).toHaveLength(1);
  });

  it("refuses to deliver with wrong SMTP credentials, and says so in the log", async () => {
    const logger = recordingLogger();
    const wrong = createMailer({ url: `smtp://crm%20sync:nope@127.0.0.1:${smtp.port}`, from })!;
    const runId = await finishedRun({ status: "partial", triggeredBy: ws.member.id, errors: { email_taken: 1 } });
    await notifyRunFinished({ db: database.db, mailer: wrong, appUrl, crmName, logger }, runId);
    wrong.close();
    expect(smtp.messages).toEqual([]);
    expect(logger.lines.some((l) => l.level === "warn")).toBe(true);
    expect(await notificationsOf(ws.member.id)).toHaveLength(1);
  });
});
