// A workspace's HubSpot connection: connect (service key, legacy private-app token or OAuth), open a client with
// fresh credentials and the portal's shared budget, disconnect. Credentials are sealed with
// AES-256-GCM before they reach the database and unsealed only here.
import type { Kysely } from "kysely";
import { z } from "zod";
import { AppError } from "../core/errors.ts";
import { decryptSecret, encryptSecret, generateToken, hashToken } from "../core/security.ts";
import { consumeOauthState, getConnection, saveConnection, saveOauthState, markDisconnected, updateConnectionCredentials } from "../db/repositories/connections.ts";
import type { CrmConnection, Database } from "../db/schema.ts";
import { createHubSpotAccountSource } from "../connectors/hubspot/account-source.ts";
import { portalBudgets, type BudgetRegistry, type PortalBudgetOptions } from "../connectors/hubspot/budget.ts";
import { createHubSpotClient, type HubSpotClient } from "../connectors/hubspot/client.ts";
import { isHubSpotError } from "../connectors/hubspot/errors.ts";
import { buildAuthorizeUrl, exchangeCode, introspectAccessToken, OAuthTokenProvider, readScopes, revokeRefreshToken, type OAuthClientConfig } from "../connectors/hubspot/oauth.ts";
import { staticTokenAuth, type RetryOptions } from "../connectors/hubspot/transport.ts";
import { CallCounter } from "../connectors/hubspot/types.ts";
import type { CrmSession } from "./account-sync-job.ts";

export const provider = "hubspot";

export interface HubSpotSettings {
  baseUrl: string;
  authorizeUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Where HubSpot sends the browser back after authorising. */
  redirectUri: string;
  /** Limits crmsync keeps to per portal; false turns budgeting off (tests against an unlimited emulator). */
  budget: PortalBudgetOptions | false;
  /** Calls per 10 s for private-app tokens (100 on Free/Starter, 190 on Professional/Enterprise). */
  privateAppLimit: number;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
}

const credentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("private_app"), token: z.string() }),
  z.object({ kind: z.literal("service_key"), token: z.string() }),
  z.object({ kind: z.literal("oauth"), accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number() }),
]);
type Credentials = z.infer<typeof credentialsSchema>;

export interface ConnectionView {
  status: "connected" | "disconnected" | "not_connected";
  authKind: KeyKind | "oauth" | null;
  portalId: string | null;
  scopes: string[];
  statusReason: string | null;
  connectedAt: string | null;
}

/** Static bearer credentials a portal admin pastes in: a Service Key, or a legacy private-app token. */
export type KeyKind = "service_key" | "private_app";

const keyLabel: Record<KeyKind, string> = { service_key: "service key", private_app: "private-app token" };

/** Key connections have their own burst limit (one per app), apart from an OAuth app's on the same portal. */
function budgetKey(row: CrmConnection): string {
  const portal = row.portal_id ?? row.id;
  return row.auth_kind === "oauth" ? portal : `${portal}:${row.auth_kind}`;
}

export interface OpenedClient {
  client: HubSpotClient;
  counter: CallCounter;
  connection: CrmConnection;
}

const oauthStateTtlMs = 15 * 60 * 1000;

export class HubSpotConnections {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretKey: string,
    private readonly settings: HubSpotSettings,
    private readonly budgets: BudgetRegistry = portalBudgets,
  ) {}

  async view(workspaceId: string): Promise<ConnectionView> {
    const row = await getConnection(this.db, workspaceId, provider);
    if (!row) return { status: "not_connected", authKind: null, portalId: null, scopes: [], statusReason: null, connectedAt: null };
    return {
      status: row.status,
      authKind: row.auth_kind,
      portalId: row.portal_id,
      scopes: JSON.parse(row.scopes) as string[],
      statusReason: row.status_reason,
      connectedAt: row.updated_at,
    };
  }

  async isConnected(workspaceId: string): Promise<boolean> {
    return (await getConnection(this.db, workspaceId, provider))?.status === "connected";
  }

  private seal(credentials: Credentials): string {
    return encryptSecret(JSON.stringify(credentials), this.secretKey);
  }

  private unseal(row: CrmConnection): Credentials {
    return credentialsSchema.parse(JSON.parse(decryptSecret(row.credentials, this.secretKey)));
  }

  private oauthConfig(): OAuthClientConfig {
    const { clientId, clientSecret } = this.settings;
    if (!clientId || !clientSecret) {
      throw new AppError("crm_not_connected", "OAuth is not configured: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET, or connect with a private-app token.");
    }
    return { clientId, clientSecret, baseUrl: this.settings.baseUrl, ...(this.settings.timeoutMs ? { timeoutMs: this.settings.timeoutMs } : {}) };
  }

  /**
   * Checks a service key or private-app token with one cheap call that also names its portal
   * (account-info details), then stores it.
   */
  async connectKey(workspaceId: string, kind: KeyKind, token: string, userId: string | null): Promise<ConnectionView> {
    const probe = createHubSpotClient({ baseUrl: this.settings.baseUrl, auth: staticTokenAuth(token), retry: { maxAttempts: 2 } });
    let portalId: string;
    try {
      portalId = (await probe.getAccountDetails()).portalId;
    } catch (error) {
      if (isHubSpotError(error) && (error.kind === "auth_revoked" || error.status === 401 || error.status === 403)) {
        throw new AppError("validation_failed", `HubSpot did not accept this ${keyLabel[kind]}.`, { field: "token" });
      }
      throw new AppError("crm_error", `HubSpot could not be reached to check the ${keyLabel[kind]}: ${String(error instanceof Error ? error.message : error)}`);
    }
    await saveConnection(this.db, workspaceId, provider, {
      authKind: kind,
      sealedCredentials: this.seal({ kind, token }),
      portalId,
      // A key cannot be introspected: its scopes are whatever the portal admin granted.
      scopes: [...readScopes],
      accessExpiresAt: null,
      connectedBy: userId,
    });
    return this.view(workspaceId);
  }

  connectPrivateApp(workspaceId: string, token: string, userId: string | null): Promise<ConnectionView> {
    return this.connectKey(workspaceId, "private_app", token, userId);
  }

  /** Starts OAuth: a one-time state, stored hashed, checked on callback. */
  async startOAuth(workspaceId: string, userId: string | null, scopes: readonly string[] = readScopes): Promise<string> {
    const config = this.oauthConfig();
    const state = generateToken("st_");
    await saveOauthState(this.db, { stateHash: hashToken(state), workspaceId, userId, ttlMs: oauthStateTtlMs });
    return buildAuthorizeUrl({ authorizeUrl: this.settings.authorizeUrl, clientId: config.clientId, redirectUri: this.settings.redirectUri, scopes, state });
  }

  /** Finishes OAuth: checks the state, exchanges the code, reads the portal id and scopes. */
  async completeOAuth(code: string, state: string): Promise<{ workspaceId: string }> {
    const config = this.oauthConfig();
    const pending = await consumeOauthState(this.db, hashToken(state));
    if (!pending) throw new AppError("oauth_state_invalid", "This HubSpot authorisation link expired or was already used; start connecting again.");
    const tokens = await exchangeCode(config, { code, redirectUri: this.settings.redirectUri });
    const info = await introspectAccessToken(config, tokens.accessToken);
    const { accessToken, refreshToken, expiresAt } = tokens;
    await saveConnection(this.db, pending.workspaceId, provider, {
      authKind: "oauth",
      sealedCredentials: this.seal({ kind: "oauth", accessToken, refreshToken, expiresAt }),
      portalId: String(info.hub_id),
      scopes: info.scopes,
      accessExpiresAt: new Date(tokens.expiresAt).toISOString(),
      connectedBy: pending.userId,
    });
    return { workspaceId: pending.workspaceId };
  }

  /** Revokes what can be revoked and keeps every link and value (product spec §2). */
  async disconnect(workspaceId: string, reason = "Disconnected by an admin."): Promise<void> {
    const row = await getConnection(this.db, workspaceId, provider);
    if (!row) return;
    const credentials = this.unseal(row);
    if (credentials.kind === "oauth" && row.status === "connected") {
      // Best effort: a grant HubSpot already dropped cannot be revoked, and that must not block the disconnect.
      await revokeRefreshToken(this.oauthConfig(), credentials.refreshToken).catch(() => undefined);
    }
    await markDisconnected(this.db, row.id, "manual", reason);
    this.budgets.forget(budgetKey(row));
  }

  /** The grant is gone (invalid_grant, revoked): the connection stops until a person reconnects. */
  async markRevoked(workspaceId: string, message: string): Promise<void> {
    const row = await getConnection(this.db, workspaceId, provider);
    if (row && row.status === "connected") await markDisconnected(this.db, row.id, "revoked", `HubSpot revoked access: ${message}`);
  }

  /** A client for a connected workspace, or null. Refreshed OAuth tokens are sealed and stored. */
  async open(workspaceId: string): Promise<OpenedClient | null> {
    const row = await getConnection(this.db, workspaceId, provider);
    if (!row || row.status !== "connected") return null;
    const credentials = this.unseal(row);
    const counter = new CallCounter();
    const auth =
      credentials.kind !== "oauth"
        ? staticTokenAuth(credentials.token)
        : new OAuthTokenProvider({
            config: this.oauthConfig(),
            tokens: credentials,
            onTokens: (tokens) => updateConnectionCredentials(this.db, row.id, this.seal({ kind: "oauth", ...tokens }), new Date(tokens.expiresAt).toISOString()),
          });
    const budget =
      this.settings.budget === false
        ? undefined
        : this.budgets.forPortal(budgetKey(row), {
            ...this.settings.budget,
            // Service keys have the same limits as privately distributed apps.
            ...(row.auth_kind !== "oauth" ? { limit: this.settings.privateAppLimit } : {}),
          });
    const client = createHubSpotClient({
      baseUrl: this.settings.baseUrl,
      auth,
      counter,
      ...(budget ? { budget } : {}),
      ...(this.settings.retry ? { retry: this.settings.retry } : {}),
      ...(this.settings.timeoutMs ? { timeoutMs: this.settings.timeoutMs } : {}),
    });
    return { client, counter, connection: row };
  }

  /** The sync engine's view of an opened client: an AccountSource and the calls it spent. */
  async session(workspaceId: string): Promise<CrmSession | null> {
    const opened = await this.open(workspaceId);
    if (!opened) return null;
    return { source: createHubSpotAccountSource(opened.client), takeCalls: callTaker(opened.counter) };
  }
}

/** Calls spent since the previous take, from a counter that only grows. */
export function callTaker(counter: CallCounter): () => Record<string, number> {
  let previous: Record<string, number> = {};
  return () => {
    const now = counter.snapshot();
    const delta: Record<string, number> = {};
    for (const [endpoint, n] of Object.entries(now)) {
      const d = n - (previous[endpoint] ?? 0);
      if (d > 0) delta[endpoint] = d;
    }
    previous = now;
    return delta;
  };
}
