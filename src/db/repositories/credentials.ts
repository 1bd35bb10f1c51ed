// API tokens and UI sessions: both are bearer secrets stored only as hashes.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Role } from "../schema.ts";

export interface Principal {
  workspaceId: string;
  userId: string | null;
  role: Role;
  via: "session" | "token";
  /** The session's or the API token's id. */
  credentialId: string | null;
}

// Last use is written at most once a minute per credential, not on every request.
const touchEveryMs = 60_000;

export async function createApiToken(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; role: Role; tokenHash: string; createdBy: string | null },
): Promise<{ id: string }> {
  const id = randomUUID();
  await db
    .insertInto("api_tokens")
    .values({
      id,
      workspace_id: input.workspaceId,
      name: input.name,
      role: input.role,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      created_at: new Date().toISOString(),
      last_used_at: null,
    })
    .execute();
  return { id };
}

export async function findPrincipalByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom("api_tokens")
    .select(["id", "workspace_id", "role", "created_by", "last_used_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = new Date();
  if (!row.last_used_at || Date.parse(row.last_used_at) < now.getTime() - touchEveryMs) {
    await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", row.id).execute();
  }
  return { workspaceId: row.workspace_id, userId: row.created_by, role: row.role, via: "token", credentialId: row.id };
}

export async function createSession(
  db: Kysely<Database>,
  input: { tokenHash: string; userId: string; workspaceId: string; ttlMs: number; userAgent?: string | null },
): Promise<{ id: string; expiresAt: string }> {
  const now = Date.now();
  const expiresAt = new Date(now + input.ttlMs).toISOString();
  const id = randomUUID();
  await db
    .insertInto("sessions")
    .values({
      token_hash: input.tokenHash,
      id,
      user_id: input.userId,
      workspace_id: input.workspaceId,
      expires_at: expiresAt,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { id, expiresAt };
}

/**
 * The session's principal while it is neither expired nor idle for longer than idleMs; an
 * expired or idle session is deleted. Each use moves its last-seen time (at most once a minute).
 */
export async function findPrincipalBySessionHash(db: Kysely<Database>, tokenHash: string, idleMs: number): Promise<Principal | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id", "sessions.workspace_id", "sessions.user_id", "sessions.expires_at", "sessions.created_at", "sessions.last_seen_at", "users.role"])
    .where("sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = Date.now();
  const lastSeen = Date.parse(row.last_seen_at ?? row.created_at);
  if (Date.parse(row.expires_at) <= now || lastSeen + idleMs <= now) {
    await deleteSession(db, tokenHash);
    return undefined;
  }
  if (lastSeen < now - Math.min(touchEveryMs, idleMs / 2)) {
    await db.updateTable("sessions").set({ last_seen_at: new Date(now).toISOString() }).where("token_hash", "=", tokenHash).execute();
  }
  return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, via: "session", credentialId: row.id };
}

export interface SessionView {
  id: string;
  userId: string;
  userEmail: string;
  userName: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
}

/** The workspace's live sessions (only one user's when userId is given), most recently used first. */
export async function listSessions(db: Kysely<Database>, workspaceId: string, idleMs: number, userId?: string): Promise<SessionView[]> {
  const now = Date.now();
  let query = db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id", "sessions.user_id", "users.email", "users.name", "sessions.created_at", "sessions.last_seen_at", "sessions.expires_at", "sessions.user_agent"])
    .where("sessions.workspace_id", "=", workspaceId)
    .where("sessions.expires_at", ">", new Date(now).toISOString());
  if (userId !== undefined) query = query.where("sessions.user_id", "=", userId);
  const rows = await query.execute();
  return rows
    .map((r) => ({
      id: r.id ?? "",
      userId: r.user_id,
      userEmail: r.email,
      userName: r.name,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at ?? r.created_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
    }))
    .filter((s) => s.id !== "" && Date.parse(s.lastSeenAt) + idleMs > now)
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/** Ends one of the workspace's sessions (only one of this user's when userId is given); false when there is none with this id. */
export async function revokeSession(db: Kysely<Database>, workspaceId: string, id: string, userId?: string): Promise<boolean> {
  let query = db.deleteFrom("sessions").where("workspace_id", "=", workspaceId).where("id", "=", id);
  if (userId !== undefined) query = query.where("user_id", "=", userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  /** The user who created it; null for tokens made by the CLI without a user or whose creator was deleted. */
  createdBy: { id: string; name: string; email: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The workspace's API tokens, newest first (or only the one with this id). */
export async function listApiTokens(db: Kysely<Database>, workspaceId: string, id?: string): Promise<ApiTokenView[]> {
  let query = db
    .selectFrom("api_tokens")
    .leftJoin("users", "users.id", "api_tokens.created_by")
    .select(["api_tokens.id", "api_tokens.name", "api_tokens.role", "api_tokens.created_at", "api_tokens.last_used_at", "users.id as user_id", "users.name as user_name", "users.email as user_email"])
    .where("api_tokens.workspace_id", "=", workspaceId)
    .orderBy("api_tokens.created_at", "desc")
    .orderBy("api_tokens.id");
  if (id !== undefined) query = query.where("api_tokens.id", "=", id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    createdBy: r.user_id ? { id: r.user_id, name: r.user_name ?? "", email: r.user_email ?? "" } : null,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Revokes one of the workspace's API tokens; false when there is none with this id. */
export async function revokeApiToken(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("api_tokens").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}
