// CRM connections. Credentials arrive here already sealed (AES-256-GCM) and leave sealed:
// this module never sees a token in clear text.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { CrmConnection, Database } from "../schema.ts";

export async function getConnection(db: Kysely<Database>, workspaceId: string, provider: string): Promise<CrmConnection | undefined> {
  return db.selectFrom("crm_connections").selectAll().where("workspace_id", "=", workspaceId).where("provider", "=", provider).executeTakeFirst();
}

/** Every CRM connection row of a workspace, the most recently changed first. */
export async function connectionsOfWorkspace(db: Kysely<Database>, workspaceId: string): Promise<CrmConnection[]> {
  return db.selectFrom("crm_connections").selectAll().where("workspace_id", "=", workspaceId).orderBy("updated_at", "desc").orderBy("provider").execute();
}

export interface ConnectionInput {
  authKind: string;
  sealedCredentials: string;
  portalId: string | null;
  scopes: string[];
  accessExpiresAt: string | null;
  connectedBy: string | null;
}

/** Connects (or reconnects) the workspace's CRM; the row, and so every link and value, stays. */
export async function saveConnection(db: Kysely<Database>, workspaceId: string, provider: string, input: ConnectionInput): Promise<CrmConnection> {
  const now = new Date().toISOString();
  const values = {
    auth_kind: input.authKind,
    status: "connected" as const,
    credentials: input.sealedCredentials,
    portal_id: input.portalId,
    scopes: JSON.stringify(input.scopes),
    access_expires_at: input.accessExpiresAt,
    status_reason: null,
    disconnect_cause: null,
    connected_by: input.connectedBy,
    updated_at: now,
  };
  await db
    .insertInto("crm_connections")
    .values({ id: randomUUID(), workspace_id: workspaceId, provider, created_at: now, ...values })
    .onConflict((oc) => oc.columns(["workspace_id", "provider"]).doUpdateSet(values))
    .execute();
  return (await getConnection(db, workspaceId, provider))!;
}

export async function updateConnectionCredentials(db: Kysely<Database>, id: string, sealedCredentials: string, accessExpiresAt: string | null): Promise<void> {
  await db
    .updateTable("crm_connections")
    .set({ credentials: sealedCredentials, access_expires_at: accessExpiresAt, updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

export async function markDisconnected(db: Kysely<Database>, id: string, cause: "manual" | "revoked", reason: string): Promise<void> {
  await db
    .updateTable("crm_connections")
    .set({ status: "disconnected", status_reason: reason, disconnect_cause: cause, updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

export interface OauthStateInput {
  stateHash: string;
  provider: string;
  workspaceId: string;
  userId: string | null;
  sessionHash: string;
  expiresAt: string;
  environment: string | null;
}

export async function saveOauthState(db: Kysely<Database>, input: OauthStateInput): Promise<void> {
  // Expired states of anyone go on the way: nothing else reads them.
  await db.deleteFrom("oauth_states").where("expires_at", "<=", new Date().toISOString()).execute();
  await db
    .insertInto("oauth_states")
    .values({
      state_hash: input.stateHash,
      workspace_id: input.workspaceId,
      user_id: input.userId,
      redirect_after: null,
      expires_at: input.expiresAt,
      provider: input.provider,
      session_hash: input.sessionHash,
      environment: input.environment,
    })
    .execute();
}

export interface PendingOauthState {
  provider: string | null;
  workspaceId: string;
  userId: string | null;
  sessionHash: string | null;
  expiresAt: string;
  environment: string | null;
}

/** Takes a state once (deleted whatever the caller then decides); undefined when unknown or already taken. */
export async function consumeOauthState(db: Kysely<Database>, stateHash: string): Promise<PendingOauthState | undefined> {
  const row = await db.selectFrom("oauth_states").selectAll().where("state_hash", "=", stateHash).executeTakeFirst();
  if (!row) return undefined;
  const deleted = await db.deleteFrom("oauth_states").where("state_hash", "=", stateHash).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) return undefined;
  return { provider: row.provider, workspaceId: row.workspace_id, userId: row.user_id, sessionHash: row.session_hash, expiresAt: row.expires_at, environment: row.environment };
}
