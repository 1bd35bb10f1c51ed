// A workspace's CRM connections, for any provider: connect (key/token or OAuth), open the
// engine's views of the CRM with fresh credentials, disconnect, mark a revoked grant.
// Credentials are the connector's own JSON, sealed with AES-256-GCM before they reach the
// database and unsealed only here; this module never reads inside them.
import type { Kysely } from "kysely";
import { z } from "zod";
import { AppError } from "../core/errors.ts";
import { decryptSecret, encryptSecret } from "../core/security.ts";
import { forgetCrmLinks } from "../db/repositories/customers.ts";
import { connectionsOfWorkspace, getConnection, markDisconnected, saveConnection, updateConnectionCredentials } from "../db/repositories/connections.ts";
import type { CrmConnection, Database } from "../db/schema.ts";
import type { CrmProvider, Grant, OpenedCrm, ProviderRegistry, StoredGrant } from "../sync/connector.ts";
import { OAuthStates, type OAuthStart } from "./oauth-state.ts";

export interface ConnectionView {
  provider: string;
  displayName: string;
  capabilities: CrmProvider["capabilities"];
  authMethods: readonly string[];
  /** Kinds of key/token the CRM takes (HubSpot: service_key, private_app), the usual one first. */
  tokenKinds: readonly string[];
  status: "connected" | "disconnected" | "not_connected";
  authKind: string | null;
  /** The CRM account (HubSpot portal, Salesforce org). */
  portalId: string | null;
  scopes: string[];
  statusReason: string | null;
  connectedAt: string | null;
}

export interface OpenedConnection extends OpenedCrm {
  connection: CrmConnection;
}

const sealedSchema = z.record(z.string(), z.unknown());

export class CrmConnections {
  readonly oauthStates: OAuthStates;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretKey: string,
    readonly providers: ProviderRegistry,
    /** Where users reach crmsync: the CRM sends the browser back under it after authorising. */
    private readonly publicUrl: string,
  ) {
    this.oauthStates = new OAuthStates(db);
  }

  private redirectUriOf(provider: string): string {
    return `${this.publicUrl.replace(/\/+$/, "")}/api/v1/crm/${provider}/oauth/callback`;
  }

  /** The registered provider, or provider_unknown (404). */
  provider(id: string): CrmProvider {
    const provider = this.providers.get(id);
    if (!provider) throw new AppError("provider_unknown", `crmsync has no CRM connector "${id}".`, { provider: id, known: this.providers.list().map((p) => p.id) });
    return provider;
  }

  /** The CRM a workspace with no connection yet is offered first (the first registered). */
  defaultProvider(): CrmProvider {
    return this.providers.list()[0]!;
  }

  /**
   * The workspace's CRM (decision 0036: one at a time): the connected one; else the one it was
   * last connected to, so a disconnected workspace keeps its CRM's name and links; else the default.
   */
  async workspaceProvider(workspaceId: string): Promise<CrmProvider> {
    return (await this.workspaceCrm(workspaceId)).provider;
  }

  /** The workspace's CRM with its connection row (none when it never connected one). */
  async workspaceCrm(workspaceId: string): Promise<{ provider: CrmProvider; connection: CrmConnection | undefined }> {
    const row = this.workspaceRow(await connectionsOfWorkspace(this.db, workspaceId));
    return { provider: row ? this.provider(row.provider) : this.defaultProvider(), connection: row };
  }

  /** Of a workspace's connection rows (newest first), the one naming its CRM, if any. */
  private workspaceRow(rows: readonly CrmConnection[]): CrmConnection | undefined {
    const known = rows.filter((row) => this.providers.get(row.provider) !== undefined);
    return known.find((r) => r.status === "connected") ?? known[0];
  }

  /**
   * A workspace syncs with one CRM at a time: connecting another while one is connected is
   * refused. Returns the workspace's connection rows, newest first, for the caller to reuse.
   */
  private async assertNoOtherCrm(workspaceId: string, provider: CrmProvider): Promise<CrmConnection[]> {
    const rows = await connectionsOfWorkspace(this.db, workspaceId);
    const other = rows.find((row) => row.status === "connected" && row.provider !== provider.id);
    if (!other) return rows;
    const otherName = this.providers.get(other.provider)?.displayName ?? other.provider;
    throw new AppError("crm_other_connected", `This workspace is connected to ${otherName}; disconnect ${otherName} before connecting ${provider.displayName}.`, { connected: other.provider });
  }

  async view(workspaceId: string, providerId: string): Promise<ConnectionView> {
    const provider = this.provider(providerId);
    const about = { provider: provider.id, displayName: provider.displayName, capabilities: provider.capabilities, authMethods: provider.authMethods, tokenKinds: provider.tokenKinds };
    const row = await getConnection(this.db, workspaceId, provider.id);
    if (!row) return { ...about, status: "not_connected", authKind: null, portalId: null, scopes: [], statusReason: null, connectedAt: null };
    return {
      ...about,
      status: row.status,
      authKind: row.auth_kind,
      portalId: row.portal_id,
      scopes: JSON.parse(row.scopes) as string[],
      statusReason: row.status_reason,
      connectedAt: row.updated_at,
    };
  }

  async isConnected(workspaceId: string, providerId: string): Promise<boolean> {
    return (await getConnection(this.db, workspaceId, providerId))?.status === "connected";
  }

  private seal(credentials: Record<string, unknown>): string {
    return encryptSecret(JSON.stringify(credentials), this.secretKey);
  }

  private grantOf(row: CrmConnection): StoredGrant {
    return { authKind: row.auth_kind, credentials: sealedSchema.parse(JSON.parse(decryptSecret(row.credentials, this.secretKey))), accountId: row.portal_id ?? row.id };
  }

  private async save(workspaceId: string, provider: CrmProvider, grant: Grant, userId: string | null): Promise<void> {
    const rows = await this.assertNoOtherCrm(workspaceId, provider);
    // A workspace that moves to another CRM keeps its values, but its links name the old CRM's records.
    if (rows.length > 0 && (this.workspaceRow(rows)?.provider ?? this.defaultProvider().id) !== provider.id) await forgetCrmLinks(this.db, workspaceId);
    await saveConnection(this.db, workspaceId, provider.id, {
      authKind: grant.authKind,
      sealedCredentials: this.seal(grant.credentials),
      portalId: grant.accountId,
      scopes: grant.scopes,
      accessExpiresAt: grant.accessExpiresAt,
      connectedBy: userId,
    });
  }

  /** Connects with a key or token the connector checks first; `kind` defaults to the CRM's usual kind. */
  async connectWithToken(workspaceId: string, providerId: string, token: string, userId: string | null, kind?: string): Promise<ConnectionView> {
    const provider = this.provider(providerId);
    const tokenKind = kind ?? provider.tokenKinds[0];
    if (!provider.authMethods.includes("token") || tokenKind === undefined || !provider.tokenKinds.includes(tokenKind)) {
      throw new AppError("capability_missing", `${provider.displayName} cannot be connected with a ${kind ?? "token"}.`, { tokenKinds: provider.tokenKinds });
    }
    await this.assertNoOtherCrm(workspaceId, provider);
    await this.save(workspaceId, provider, await provider.connectWithToken(tokenKind, token), userId);
    return this.view(workspaceId, provider.id);
  }

  private oauthOf(provider: CrmProvider): NonNullable<CrmProvider["oauth"]> {
    const why = provider.oauth ? provider.oauth.unavailable() : `${provider.displayName} cannot be connected through OAuth.`;
    if (!provider.oauth || why) throw new AppError("crm_not_connected", why ?? "OAuth is not available.");
    return provider.oauth;
  }

  /** Starts OAuth: a one-time state bound to the browser session that started it. */
  async startOAuth(start: OAuthStart): Promise<string> {
    const provider = this.provider(start.provider);
    const oauth = this.oauthOf(provider);
    await this.assertNoOtherCrm(start.workspaceId, provider);
    const environment = start.environment ?? oauth.environments[0];
    if (environment !== undefined && !oauth.environments.includes(environment)) {
      throw new AppError("validation_failed", `${provider.displayName} connects to ${oauth.environments.length > 0 ? oauth.environments.join(" or ") : "one place only"}, not "${environment}".`, { field: "environment", environments: oauth.environments });
    }
    const state = await this.oauthStates.issue({ ...start, environment });
    return oauth.authorizeUrl({ state, redirectUri: this.redirectUriOf(provider.id), environment });
  }

  /** Finishes OAuth: the state must come back in the session that started it; then the code is exchanged. */
  async completeOAuth(providerId: string, code: string, state: string, sessionToken: string | undefined): Promise<{ workspaceId: string }> {
    const provider = this.provider(providerId);
    const oauth = this.oauthOf(provider);
    const pending = await this.oauthStates.consume(provider.id, state, sessionToken);
    const grant = await oauth.exchange({ code, redirectUri: this.redirectUriOf(provider.id), environment: pending.environment ?? undefined });
    await this.save(pending.workspaceId, provider, grant, pending.userId);
    return { workspaceId: pending.workspaceId };
  }

  /** Revokes what can be revoked and keeps every link and value (product spec §2). */
  async disconnect(workspaceId: string, providerId: string, reason = "Disconnected by an admin."): Promise<void> {
    const provider = this.provider(providerId);
    const row = await getConnection(this.db, workspaceId, provider.id);
    if (!row) return;
    if (row.status === "connected" && provider.oauth && provider.oauth.unavailable() === null) {
      // Best effort: a grant the CRM already dropped cannot be revoked, and that must not block the disconnect.
      await provider.oauth.revoke(this.grantOf(row)).catch(() => undefined);
    }
    await markDisconnected(this.db, row.id, "manual", reason);
    provider.releaseBudget({ authKind: row.auth_kind, credentials: {}, accountId: row.portal_id ?? row.id });
  }

  /** The grant is gone (invalid_grant, revoked): the connection stops until a person reconnects. */
  async markRevoked(workspaceId: string, providerId: string, message: string): Promise<void> {
    const provider = this.provider(providerId);
    const row = await getConnection(this.db, workspaceId, provider.id);
    if (row && row.status === "connected") await markDisconnected(this.db, row.id, "revoked", `${provider.displayName} revoked access: ${message}`);
  }

  /** The engine's views of a connected workspace's CRM, or null. Refreshed credentials are sealed and stored. */
  async open(workspaceId: string, providerId: string): Promise<OpenedConnection | null> {
    const provider = this.provider(providerId);
    const row = await getConnection(this.db, workspaceId, provider.id);
    if (!row || row.status !== "connected") return null;
    const opened = provider.open(this.grantOf(row), {
      onCredentials: (credentials, accessExpiresAt) => updateConnectionCredentials(this.db, row.id, this.seal(credentials), accessExpiresAt),
    });
    return { ...opened, connection: row };
  }
}
