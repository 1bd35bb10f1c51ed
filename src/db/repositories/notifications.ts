// In-app notifications. Every read and write is scoped to (workspace, user): a notification is
// only ever visible to the one user it was written for.
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { decodeCursor, encodeCursor, type Page } from "../pagination.ts";
import type { Database, NotificationKind, NotificationsTable, Role } from "../schema.ts";

export type Notification = Selectable<NotificationsTable>;

export interface NewNotification {
  workspaceId: string;
  userId: string;
  kind: NotificationKind;
  runId: string | null;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
}

/**
 * Inserts the notifications that do not exist yet and returns only those, so the caller
 * emails exactly the users this call notified. Two concurrent callers for the same run split
 * the rows between them; the unique (run_id, user_id) index decides, not a prior read.
 */
export async function insertNotifications(db: Kysely<Database>, items: NewNotification[]): Promise<Notification[]> {
  if (items.length === 0) return [];
  const now = new Date().toISOString();
  const rows: Notification[] = items.map((n) => ({
    id: randomUUID(),
    workspace_id: n.workspaceId,
    user_id: n.userId,
    kind: n.kind,
    run_id: n.runId,
    title: n.title,
    body: n.body,
    link: n.link,
    data: JSON.stringify(n.data),
    created_at: now,
    read_at: null,
    emailed_at: null,
  }));
  const inserted: Notification[] = [];
  // Chunked: SQLite caps bound parameters per statement (12 columns x 500 stays well under).
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = await db
      .insertInto("notifications")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(["run_id", "user_id"]).doNothing())
      
      
      .returningAll()
      .execute();
    inserted.push(...chunk);
  }
  return inserted;
}

export async function markEmailed(db: Kysely<Database>, id: string, at: string = new Date().toISOString()): Promise<void> {
  await db.updateTable("notifications").set({ emailed_at: at }).where("id", "=", id).execute();
}

export async function listNotifications(
  db: Kysely<Database>,
  owner: { workspaceId: string; userId: string },
  options: { limit: number; cursor?: string | undefined; unreadOnly?: boolean | undefined },
): Promise<Page<Notification>> {
  let query = db.selectFrom("notifications").selectAll().where("workspace_id", "=", owner.workspaceId).where("user_id", "=", owner.userId);
  if (options.unreadOnly) query = query.where("read_at", "is", null);
  if (options.cursor) {
    const [createdAt, id] = decodeCursor(options.cursor);
    query = query.where((eb) => eb.or([eb("created_at", "<", String(createdAt)), eb.and([eb("created_at", "=", String(createdAt)), eb("id", "<", id)])]));
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(options.limit + 1).execute();
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

export async function countUnread(db: Kysely<Database>, owner: { workspaceId: string; userId: string }): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", owner.workspaceId)
    .where("user_id", "=", owner.userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Marks one of the owner's notifications read and returns it; undefined when it is not
 * theirs, so another user's id is indistinguishable from a missing one. Reading twice keeps
 * the first read time.
 */
export async function markRead(db: Kysely<Database>, owner: { workspaceId: string; userId: string }, id: string): Promise<Notification | undefined> {
  await db
    .updateTable("notifications")
    .set({ read_at: new Date().toISOString() })
    .where("workspace_id", "=", owner.workspaceId)
    .where("user_id", "=", owner.userId)
    .where("id", "=", id)
    .where("read_at", "is", null)
    .execute();
  return db
    .selectFrom("notifications")
    .selectAll()
    .where("workspace_id", "=", owner.workspaceId)
    .where("user_id", "=", owner.userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Marks every unread notification of the owner read; returns how many changed. */
export async function markAllRead(db: Kysely<Database>, owner: { workspaceId: string; userId: string }): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: new Date().toISOString() })
    .where("workspace_id", "=", owner.workspaceId)
    .where("user_id", "=", owner.userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ErrorCodeCount {
  code: string;
  count: number;
}

/** A run's recorded errors counted per code, most frequent first (ties by code, for stable text). */
export async function countRunErrorsByCode(db: Kysely<Database>, runId: string): Promise<ErrorCodeCount[]> {
  const rows = await db
    .selectFrom("sync_errors")
    .select(["code", (eb) => eb.fn.countAll<number>().as("n")])
    .where("run_id", "=", runId)
    .groupBy("code")
    .execute();
  return rows.map((r) => ({ code: r.code, count: Number(r.n) })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export interface Recipient {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Everyone in the workspace, for the recipient rule to choose from. */
export async function listWorkspaceRecipients(db: Kysely<Database>, workspaceId: string): Promise<Recipient[]> {
  return db.selectFrom("users").select(["id", "email", "name", "role"]).where("workspace_id", "=", workspaceId).orderBy("email").execute();
}
