// Connecting HubSpot: a service key or legacy private-app token checked with one cheap call that
// also names the portal, or OAuth (authorize URL, code exchange with introspection, revoke); and
// opening a client with the stored credentials, refreshed OAuth tokens handed back to be sealed
// and stored. The credentials are this connector's own JSON:
// the neutral connections module seals them without reading them.
import { z } from "zod";
import { ConnectorError } from "../../core/errors.ts";
import type { Grant, OpenHooks, StoredGrant } from "../../sync/connector.ts";
import { portalBudgets, type BudgetRegistry, type PortalBudgetOptions } from "./budget.ts";
import { createHubSpotClient, type HubSpotClient } from "./client.ts";
import { isHubSpotError } from "./errors.ts";
import { buildAuthorizeUrl, exchangeCode, introspectAccessToken, OAuthTokenProvider, readScopes, revokeRefreshToken, type OAuthClientConfig } from "./oauth.ts";
import { toConnectorError } from "./source-errors.ts";
import { staticTokenAuth, type RetryOptions } from "./transport.ts";
import { CallCounter } from "./types.ts";

/** The deployment's HubSpot settings (src/config.ts reads them). */
export interface HubSpotSettings {
  baseUrl: string;
  authorizeUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Limits crmsync keeps to per portal; false turns budgeting off (tests against an unlimited emulator). */
  budget: PortalBudgetOptions | false;
  /** Calls per 10 s for private-app tokens (100 on Free/Starter, 190 on Professional/Enterprise). */
  privateAppLimit: number;
  /** The portals' shared budgets; one per process unless a test wants its own. */
  budgets?: BudgetRegistry;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
}

const credentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("private_app"), token: z.string() }),
  z.object({ kind: z.literal("service_key"), token: z.string() }),
  z.object({ kind: z.literal("oauth"), accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number() }),
]);

/** Static bearer credentials a portal admin pastes in: a Service Key, or a legacy private-app token. */
export const keyKinds = ["service_key", "private_app"] as const;
export type KeyKind = (typeof keyKinds)[number];

const keyLabel: Record<KeyKind, string> = { service_key: "service key", private_app: "private-app token" };

/** Key connections have their own burst limit (one per app), apart from an OAuth app's on the same portal. */
export function budgetKey(grant: Pick<StoredGrant, "authKind" | "accountId">): string | null {
  if (grant.accountId === null) return null;
  return grant.authKind === "oauth" ? grant.accountId : `${grant.accountId}:${grant.authKind}`;
}

/** An opened HubSpot connection: the client and the calls it spent. */
export interface HubSpotSession {
  client: HubSpotClient;
  counter: CallCounter;
}

function oauthConfig(settings: HubSpotSettings): OAuthClientConfig {
  const { clientId, clientSecret } = settings;
  if (!clientId || !clientSecret) throw new Error(oauthUnavailable(settings) ?? "OAuth is not configured.");
  return { clientId, clientSecret, baseUrl: settings.baseUrl, ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}) };
}

export function oauthUnavailable(settings: HubSpotSettings): string | null {
  return settings.clientId && settings.clientSecret ? null : "OAuth is not configured: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET, or connect with a service key.";
}

/** Checks a service key or private-app token with one call that also names its portal (account-info details). */
export async function connectKey(settings: HubSpotSettings, kind: string, token: string): Promise<Grant> {
  const keyKind = keyKinds.find((k) => k === kind);
  if (!keyKind) throw new ConnectorError("credentials_refused", `HubSpot has no key kind "${kind}".`, null, { field: "kind" });
  const probe = createHubSpotClient({ baseUrl: settings.baseUrl, auth: staticTokenAuth(token), retry: { maxAttempts: 2 } });
  let portalId: string;
  try {
    portalId = (await probe.getAccountDetails()).portalId;
  } catch (error) {
    if (isHubSpotError(error) && (error.kind === "auth_revoked" || error.status === 401 || error.status === 403)) {
      throw new ConnectorError("credentials_refused", `HubSpot did not accept this ${keyLabel[keyKind]}.`, null, { field: "token" });
    }
    throw new ConnectorError("unavailable", `HubSpot could not be reached to check the ${keyLabel[keyKind]}: ${String(error instanceof Error ? error.message : error)}`);
  }
  return {
    authKind: keyKind,
    credentials: { kind: keyKind, token },
    accountId: portalId,
    // A key cannot be introspected: its scopes are whatever the portal admin granted.
    scopes: [...readScopes],
    accessExpiresAt: null,
  };
}

export function authorizeUrl(settings: HubSpotSettings, o: { state: string; redirectUri: string }): string {
  const config = oauthConfig(settings);
  return buildAuthorizeUrl({ authorizeUrl: settings.authorizeUrl, clientId: config.clientId, redirectUri: o.redirectUri, scopes: readScopes, state: o.state });
}

/** Exchanges the code and reads the portal id and the granted scopes. */
export async function exchange(settings: HubSpotSettings, o: { code: string; redirectUri: string }): Promise<Grant> {
  try {
    const config = oauthConfig(settings);
    const tokens = await exchangeCode(config, o);
    const info = await introspectAccessToken(config, tokens.accessToken);
    const { accessToken, refreshToken, expiresAt } = tokens;
    return {
      authKind: "oauth",
      credentials: { kind: "oauth", accessToken, refreshToken, expiresAt },
      accountId: String(info.hub_id),
      scopes: info.scopes,
      accessExpiresAt: new Date(expiresAt).toISOString(),
    };
  } catch (error) {
    throw toConnectorError(error);
  }
}

export async function revoke(settings: HubSpotSettings, grant: StoredGrant): Promise<void> {
  const credentials = credentialsSchema.parse(grant.credentials);
  if (credentials.kind === "oauth") await revokeRefreshToken(oauthConfig(settings), credentials.refreshToken);
}

export function openHubSpot(settings: HubSpotSettings, grant: StoredGrant, hooks: OpenHooks): HubSpotSession {
  const credentials = credentialsSchema.parse(grant.credentials);
  const counter = new CallCounter();
  const auth =
    credentials.kind !== "oauth"
      ? staticTokenAuth(credentials.token)
      : new OAuthTokenProvider({
          config: oauthConfig(settings),
          tokens: credentials,
          onTokens: ({ accessToken, refreshToken, expiresAt }) => hooks.onCredentials({ kind: "oauth", accessToken, refreshToken, expiresAt }, new Date(expiresAt).toISOString()),
        });
  const key = budgetKey(grant);
  const budget =
    settings.budget === false || key === null
      ? undefined
      : (settings.budgets ?? portalBudgets).forPortal(key, {
          ...settings.budget,
          // Service keys have the same limits as privately distributed apps.
          ...(credentials.kind !== "oauth" ? { limit: settings.privateAppLimit } : {}),
        });
  const client = createHubSpotClient({
    baseUrl: settings.baseUrl,
    auth,
    counter,
    ...(budget ? { budget } : {}),
    ...(settings.retry ? { retry: settings.retry } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  return { client, counter };
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
