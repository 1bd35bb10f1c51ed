// API tokens and UI sessions: both are bearer secrets stored only as hashes.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Role } from "../schema.ts";

export interface Principal {
  workspaceId: string;
  userId: string | null;
  role: Role;
  via: "session" | "token";
}

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
    .select(["workspace_id", "role", "created_by"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return row && { workspaceId: row.workspace_id, userId: row.created_by, role: row.role, via: "token" };
}

export async function createSession(
  db: Kysely<Database>,
  input: { tokenHash: string; userId: string; workspaceId: string; ttlMs: number },
): Promise<{ expiresAt: string }> {
  const now = Date.now();
  const expiresAt = new Date(now + input.ttlMs).toISOString();
  await db
    .insertInto("sessions")
    .values({
      token_hash: input.tokenHash,
      user_id: input.userId,
      workspace_id: input.workspaceId,
      expires_at: expiresAt,
      created_at: new Date(now).toISOString(),
    })
    .execute();
  return { expiresAt };
}

export async function findPrincipalBySessionHash(db: Kysely<Database>, tokenHash: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.workspace_id", "sessions.user_id", "sessions.expires_at", "users.role"])
    .where("sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= new Date().toISOString()) return undefined;
  return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, via: "session" };
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}
