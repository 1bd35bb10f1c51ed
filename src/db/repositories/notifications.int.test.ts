import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, dialects, type TestDatabase } from "../../../test/support/databases.ts";
import { provisionUser, provisionWorkspace } from "../../accounts.ts";
import type { Dialect } from "../database.ts";
import type { User } from "../schema.ts";
import {
  countRunErrorsByCode,
  countUnread,
  insertNotifications,
  listNotifications,
  listWorkspaceRecipients,
  markAllRead,
  markEmailed,
  markRead,
  type NewNotification,
} from "./notifications.ts";
import { createRun, recordSyncErrors } from "./sync-runs.ts";

describe.each(dialects)("notifications repository on %s", (dialect: Dialect) => {
  let database: TestDatabase;
  let ws: string;
  let me: User;
  let colleague: User;
  let otherWs: string;
  let stranger: User;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const a = await provisionWorkspace(database.db, { name: "alpha", adminEmail: "me@alpha.test", adminName: "Me", adminPassword: "password-1" });
    ws = a.workspaceId;
    me = a.admin;
    colleague = await provisionUser(database.db, { workspaceId: ws, email: "colleague@alpha.test", name: "Col", role: "member", password: "password-1" });
    const b = await provisionWorkspace(database.db, { name: "beta", adminEmail: "stranger@beta.test", adminName: "Str", adminPassword: "password-1" });
    otherWs = b.workspaceId;
    stranger = b.admin;
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("notifications").execute();
  });

  const note = (userId: string, patch: Partial<NewNotification> = {}): NewNotification => ({
    workspaceId: ws,
    userId,
    kind: "sync_run_errors",
    runId: null,
    title: "t",
    body: "b",
    link: null,
    data: {},
    ...patch,
  });
  const mine = () => ({ workspaceId: ws, userId: me.id });

  it("inserts once per (run, user) and returns only what it inserted", async () => {
    const run = await createRun(database.db, { workspaceId: ws, provider: "crm", kind: "contacts", trigger: "schedule" });
    const first = await insertNotifications(database.db, [note(me.id, { runId: run.id }), note(colleague.id, { runId: run.id })]);
    expect(first.map((n) => n.user_id).sort()).toEqual([me.id, colleague.id].sort());
    const again = await insertNotifications(database.db, [note(me.id, { runId: run.id, title: "second" }), note(colleague.id, { runId: run.id })]);
    expect(again).toEqual([]);
    const rows = await database.db.selectFrom("notifications").selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.title === "t")).toBe(true);
    // Without a run nothing collides: those notifications are not deduplicated.
    expect(await insertNotifications(database.db, [note(me.id), note(me.id)])).toHaveLength(2);
  });

  it("lists newest first, page by page, with no row skipped or repeated", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(...(await insertNotifications(database.db, [note(me.id, { title: `n${i}` })])).map((n) => n.id));
    // Same-millisecond rows are ordered by id, so a page boundary inside a tie is still exact.
    await database.db.updateTable("notifications").set({ created_at: "2026-01-01T00:00:00.000Z" }).where("title", "in", ["n2", "n3", "n4"]).execute();
    const all = await database.db.selectFrom("notifications").selectAll().execute();
    const expected = all.sort((x, y) => (x.created_at === y.created_at ? (x.id < y.id ? 1 : -1) : x.created_at < y.created_at ? 1 : -1)).map((n) => n.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotifications(database.db, mine(), { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it("counts, lists and marks read only the owner's notifications in the owner's workspace", async () => {
    const [m1, m2] = await insertNotifications(database.db, [note(me.id), note(me.id)]);
    const [c1] = await insertNotifications(database.db, [note(colleague.id)]);
    const [s1] = await insertNotifications(database.db, [note(stranger.id, { workspaceId: otherWs })]);
    // My user id paired with the other workspace (a forged principal) sees nothing.
    expect((await listNotifications(database.db, { workspaceId: otherWs, userId: me.id }, { limit: 10 })).items).toEqual([]);

    expect(await countUnread(database.db, mine())).toBe(2);
    expect((await listNotifications(database.db, mine(), { limit: 10 })).items.map((n) => n.id).sort()).toEqual([m1!.id, m2!.id].sort());

    expect(await markRead(database.db, mine(), c1!.id)).toBeUndefined();
    expect(await markRead(database.db, mine(), s1!.id)).toBeUndefined();
    const read = await markRead(database.db, mine(), m1!.id);
    expect(read?.read_at).not.toBeNull();
    const again = await markRead(database.db, mine(), m1!.id);
    expect(again?.read_at).toBe(read?.read_at);

    expect(await countUnread(database.db, mine())).toBe(1);
    expect((await listNotifications(database.db, mine(), { limit: 10, unreadOnly: true })).items.map((n) => n.id)).toEqual([m2!.id]);
    expect(await markAllRead(database.db, mine())).toBe(1);
    expect(await markAllRead(database.db, mine())).toBe(0);
    expect(await countUnread(database.db, mine())).toBe(0);
    // The others' notifications stayed unread.
    expect(await countUnread(database.db, { workspaceId: ws, userId: colleague.id })).toBe(1);
    expect(await countUnread(database.db, { workspaceId: otherWs, userId: stranger.id })).toBe(1);
  });

  it("records when the email went out", async () => {
    const [n] = await insertNotifications(database.db, [note(me.id)]);
    await markEmailed(database.db, n!.id, "2026-11-23T05:00:00.000Z");
    const row = await database.db.selectFrom("notifications").select("emailed_at").where("id", "=", n!.id).executeTakeFirstOrThrow();
    expect(row.emailed_at).toBe("2026-11-23T05:00:00.000Z");
  });

  it("counts a run's errors per code, most frequent first, ties by code", async () => {
    const run = await createRun(database.db, { workspaceId: ws, provider: "crm", kind: "contacts", trigger: "manual" });
    const errors = (code: "email_taken" | "phone_taken" | "invalid_email", n: number) => Array.from({ length: n }, () => ({ runId: run.id, workspaceId: ws, code }));
    await recordSyncErrors(database.db, [...errors("phone_taken", 2), ...errors("email_taken", 5), ...errors("invalid_email", 2)]);
    expect(await countRunErrorsByCode(database.db, run.id)).toEqual([
      { code: "email_taken", count: 5 },
      { code: "invalid_email", count: 2 },
      { code: "phone_taken", count: 2 },
    ]);
    expect(await countRunErrorsByCode(database.db, "none")).toEqual([]);
  });

  it("lists a workspace's users as recipients, and only that workspace's", async () => {
    expect((await listWorkspaceRecipients(database.db, ws)).map((r) => [r.email, r.role])).toEqual([
      ["colleague@alpha.test", "member"],
      ["me@alpha.test", "admin"],
    ]);
  });

  it("removes a user's notifications with the user", async () => {
    const temp = await provisionUser(database.db, { workspaceId: ws, email: "temp@alpha.test", name: "T", role: "member", password: "password-1" });
    await insertNotifications(database.db, [note(temp.id)]);
    await database.db.deleteFrom("users").where("id", "=", temp.id).execute();
    expect(await database.db.selectFrom("notifications").selectAll().where("user_id", "=", temp.id).execute()).toEqual([]);
  });
});
