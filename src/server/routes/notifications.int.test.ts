import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/support/app.ts";
import { dialects } from "../../../test/support/databases.ts";
import { issueApiToken } from "../../accounts.ts";
import type { Dialect } from "../../db/database.ts";
import { insertNotifications } from "../../db/repositories/notifications.ts";
import { createRun, recordSyncErrors, transitionRun } from "../../db/repositories/sync-runs.ts";
import { findUserByEmail } from "../../db/repositories/users.ts";

interface NotificationJson {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  runId: string | null;
  data: Record<string, unknown>;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}
interface ListJson {
  items: NotificationJson[];
  nextCursor: string | null;
  unreadCount: number;
}

describe.each(dialects)("notifications API on %s", (dialect: Dialect) => {
  let t: TestApp;
  let ids: { aAdmin: string; aMember: string; bAdmin: string };
  let userlessToken: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const id = async (email: string) => (await findUserByEmail(t.ctx.db, email))!.id;
    ids = { aAdmin: await id(t.a.adminEmail), aMember: await id(t.a.memberEmail), bAdmin: await id(t.b.adminEmail) };
    userlessToken = (await issueApiToken(t.ctx.db, { workspaceId: t.a.id, name: "ci", role: "admin", createdBy: null })).token;
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.ctx.db.deleteFrom("notifications").execute();
  });

  const list = async (token: string, query = "") => {
    const res = await t.request(token, "GET", `/api/v1/notifications${query}`);
    expect(res.statusCode).toBe(200);
    return res.json<ListJson>();
  };

  /** A finished run with errors, notified the way the sync engine does it at the end of a run. */
  async function runWithErrors(workspaceId: string, triggeredBy: string | null, emailTaken: number): Promise<string> {
    const run = await createRun(t.ctx.db, { workspaceId, provider: "hubspot", kind: "contacts", trigger: triggeredBy ? "manual" : "schedule", triggeredBy });
    await recordSyncErrors(t.ctx.db, Array.from({ length: emailTaken }, () => ({ runId: run.id, workspaceId, code: "email_taken" as const })));
    await transitionRun(t.ctx.db, run.id, "running");
    await transitionRun(t.ctx.db, run.id, "partial");
    await t.ctx.notifyRunFinished(run.id);
    return run.id;
  }

  it("shows a run's notification to the user who started it, with its link and counts", async () => {
    const runId = await runWithErrors(t.a.id, ids.aMember, 4);
    const body = await list(t.a.memberToken);
    expect(body.unreadCount).toBe(1);
    expect(body.nextCursor).toBeNull();
    expect(body.items).toEqual([
      {
        id: expect.any(String) as string,
        kind: "sync_run_errors",
        title: "HubSpot contact sync finished with 4 errors",
        body: "email_taken × 4.",
        link: `/sync-activity/${runId}`,
        runId,
        data: { runId, kind: "contacts", status: "partial", errorCount: 4, errorsByCode: [{ code: "email_taken", count: 4 }] },
        read: false,
        readAt: null,
        createdAt: expect.any(String) as string,
      },
    ]);
    // The admin did not start it and so was not told.
    expect(await list(t.a.adminToken)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it("never shows another user's or another workspace's notifications", async () => {
    await runWithErrors(t.a.id, ids.aMember, 1);
    await runWithErrors(t.a.id, null, 2);
    await runWithErrors(t.b.id, null, 3);
    expect((await list(t.a.memberToken)).items.map((n) => n.title)).toEqual(["HubSpot contact sync finished with 1 error"]);
    expect((await list(t.a.adminToken)).items.map((n) => n.title)).toEqual(["HubSpot contact sync finished with 2 errors"]);
    expect((await list(t.b.adminToken)).items.map((n) => n.title)).toEqual(["HubSpot contact sync finished with 3 errors"]);
    expect((await list(t.b.memberToken)).items).toEqual([]);

    const others = await list(t.b.adminToken);
    const foreignId = others.items[0]!.id;
    for (const token of [t.a.adminToken, t.a.memberToken, t.b.memberToken]) {
      const res = await t.request(token, "POST", `/api/v1/notifications/${foreignId}/read`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect((await list(t.b.adminToken)).unreadCount).toBe(1);
  });

  it("marks one read, then all, and counts unread along the way", async () => {
    await runWithErrors(t.a.id, null, 1);
    await runWithErrors(t.a.id, null, 2);
    await runWithErrors(t.a.id, null, 3);
    await runWithErrors(t.a.id, ids.aMember, 9);
    const before = await list(t.a.adminToken);
    expect(before.unreadCount).toBe(3);
    const target = before.items[1]!;

    const res = await t.request(t.a.adminToken, "POST", `/api/v1/notifications/${target.id}/read`);
    expect(res.statusCode).toBe(200);
    const read = res.json<NotificationJson>();
    expect(read).toMatchObject({ id: target.id, read: true });
    expect(read.readAt).not.toBeNull();
    const again = (await t.request(t.a.adminToken, "POST", `/api/v1/notifications/${target.id}/read`)).json<NotificationJson>();
    expect(again.readAt).toBe(read.readAt);

    const after = await list(t.a.adminToken);
    expect(after.unreadCount).toBe(2);
    expect(after.items.map((n) => n.read)).toEqual([false, true, false]);
    expect((await list(t.a.adminToken, "?unread=true")).items.map((n) => n.id)).toEqual([before.items[0]!.id, before.items[2]!.id]);

    // With a {} body, as the web client sends every POST.
    const all = await t.request(t.a.adminToken, "POST", "/api/v1/notifications/read-all", {});
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ updated: 2, unreadCount: 0 });
    expect((await list(t.a.adminToken)).items.every((n) => n.read)).toBe(true);
    // The member's notification is untouched by the admin's read-all.
    expect((await list(t.a.memberToken)).unreadCount).toBe(1);
  });

  it("pages newest first with a cursor and keeps unreadCount for the whole list", async () => {
    const owner = { workspaceId: t.a.id, userId: ids.aAdmin };
    for (let i = 0; i < 5; i++) {
      await insertNotifications(t.ctx.db, [{ ...owner, kind: "sync_run_errors", runId: null, title: `n${i}`, body: "", link: null, data: {} }]);
      // Distinct timestamps so "newest first" has one right answer to check against.
      await new Promise((r) => setTimeout(r, 3));
    }
    const first = await list(t.a.adminToken, "?limit=2");
    expect(first.items.map((n) => n.title)).toEqual(["n4", "n3"]);
    expect(first.unreadCount).toBe(5);
    const second = await list(t.a.adminToken, `?limit=2&cursor=${first.nextCursor!}`);
    expect(second.items.map((n) => n.title)).toEqual(["n2", "n1"]);
    const third = await list(t.a.adminToken, `?limit=2&cursor=${second.nextCursor!}`);
    expect(third.items.map((n) => n.title)).toEqual(["n0"]);
    expect(third.nextCursor).toBeNull();

    const bad = await t.request(t.a.adminToken, "GET", "/api/v1/notifications?cursor=nonsense");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "invalid_cursor" } });
    expect((await t.request(t.a.adminToken, "GET", "/api/v1/notifications?limit=0")).statusCode).toBe(400);
  });

  it("works with the UI's session cookie as with the user's own API token", async () => {
    await runWithErrors(t.a.id, ids.aMember, 2);
    const login = await t.request(null, "POST", "/api/v1/session", { email: t.a.memberEmail, password: t.password });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === "crmsync_session")!;
    const res = await t.request(null, "GET", "/api/v1/notifications", undefined, { cookie: `crmsync_session=${cookie.value}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<ListJson>().items).toHaveLength(1);
  });

  it("refuses API tokens that belong to no user, and anonymous callers", async () => {
    await runWithErrors(t.a.id, null, 1);
    const id = (await list(t.a.adminToken)).items[0]!.id;
    for (const [method, url] of [
      ["GET", "/api/v1/notifications"],
      ["POST", "/api/v1/notifications/read-all"],
      ["POST", `/api/v1/notifications/${id}/read`],
    ] as const) {
      const userless = await t.request(userlessToken, method, url);
      expect(userless.statusCode).toBe(403);
      expect(userless.json()).toMatchObject({ error: { code: "forbidden" } });
      expect((await t.request(null, method, url)).statusCode).toBe(401);
    }
    expect((await list(t.a.adminToken)).unreadCount).toBe(1);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/docs/json" })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/notifications", "/api/v1/notifications/read-all", "/api/v1/notifications/{id}/read"]),
    );
  });
});
