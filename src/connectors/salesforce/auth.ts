// Connecting Salesforce (OAuth web server flow on the production or sandbox login host) and
// opening a client with the stored grant. The credentials are this connector's own JSON:
// tokens, the org's instance URL, its id and the login host the grant belongs to.
import { z } from "zod";
import { ConnectorError } from "../../core/errors.ts";
import type { Grant, OpenHooks, StoredGrant } from "../../sync/connector.ts";
import type { RetryOptions } from "../hubspot/transport.ts";
import { CallCounter } from "../hubspot/types.ts";
import { RunBudget, type BudgetOptions } from "./budget.ts";
import { createSalesforceClient, type SalesforceClient } from "./client.ts";
import { isSalesforceError, SalesforceError } from "./errors.ts";
import { buildAuthorizeUrl, exchangeCode, orgIdOf, refreshTokens, revokeToken, type OAuthClient } from "./oauth.ts";
import { toConnectorError } from "./source-errors.ts";
import type { SessionAuth } from "./transport.ts";

/** The login hosts an admin chooses between at connect. */
export const salesforceEnvironments = ["production", "sandbox"] as const;
export type SalesforceEnvironment = (typeof salesforceEnvironments)[number];

/** The deployment's Salesforce settings (src/config.ts reads them). */
export interface SalesforceSettings {
  clientId: string | undefined;
  clientSecret: string | undefined;
  loginUrls: Record<SalesforceEnvironment, string>;
  /** A run's share of the org's daily allocation; false turns budgeting off. */
  budget: BudgetOptions | false;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
}

const credentialsSchema = z.object({
  kind: z.literal("oauth"),
  accessToken: z.string(),
  refreshToken: z.string(),
  instanceUrl: z.string().url(),
  orgId: z.string(),
  loginUrl: z.string().url(),
});
export type SalesforceCredentials = z.infer<typeof credentialsSchema>;

/** An opened Salesforce connection: the client, the calls it spent, its budget. */
export interface SalesforceSession {
  client: SalesforceClient;
  counter: CallCounter;
  budget: RunBudget | undefined;
}

export function oauthUnavailable(settings: SalesforceSettings): string | null {
  return settings.clientId && settings.clientSecret ? null : "OAuth is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app's consumer key and secret).";
}

function environmentOf(environment: string | undefined): SalesforceEnvironment {
  return salesforceEnvironments.find((e) => e === environment) ?? "production";
}

function oauthClient(settings: SalesforceSettings, loginUrl: string): OAuthClient {
  const { clientId, clientSecret } = settings;
  if (!clientId || !clientSecret) throw new ConnectorError("credentials_refused", oauthUnavailable(settings) ?? "OAuth is not configured.");
  return { clientId, clientSecret, loginUrl, ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}) };
}

export function authorizeUrl(settings: SalesforceSettings, o: { state: string; redirectUri: string; environment?: string | undefined }): string {
  return buildAuthorizeUrl(oauthClient(settings, settings.loginUrls[environmentOf(o.environment)]), o);
}

export async function exchange(settings: SalesforceSettings, o: { code: string; redirectUri: string; environment?: string | undefined }): Promise<Grant> {
  try {
    const loginUrl = settings.loginUrls[environmentOf(o.environment)];
    const tokens = await exchangeCode(oauthClient(settings, loginUrl), o);
    if (tokens.refresh_token === undefined) {
      throw new ConnectorError("credentials_refused", "Salesforce granted no refresh token: add the refresh_token scope to the connected app's OAuth scopes.");
    }
    const orgId = orgIdOf(tokens.id);
    const credentials: SalesforceCredentials = { kind: "oauth", accessToken: tokens.access_token, refreshToken: tokens.refresh_token, instanceUrl: tokens.instance_url, orgId, loginUrl };
    return {
      authKind: "oauth",
      credentials,
      accountId: orgId,
      scopes: (tokens.scope ?? "").split(/\s+/).filter((s) => s !== ""),
      // Salesforce does not say when an access token expires (the org's session timeout does).
      accessExpiresAt: null,
    };
  } catch (error) {
    throw toConnectorError(error);
  }
}

export async function revoke(settings: SalesforceSettings, grant: StoredGrant): Promise<void> {
  const credentials = credentialsSchema.parse(grant.credentials);
  await revokeToken(oauthClient(settings, credentials.loginUrl), credentials.refreshToken);
}

/** Keeps the current tokens; refreshes once per refused token, even when calls run in parallel. */
export function refreshingAuth(settings: SalesforceSettings, initial: SalesforceCredentials, hooks: OpenHooks): SessionAuth {
  let credentials = initial;
  let inFlight: Promise<boolean> | null = null;
  return {
    current: () => Promise.resolve({ accessToken: credentials.accessToken, instanceUrl: credentials.instanceUrl }),
    refresh(rejectedToken) {
      if (rejectedToken !== credentials.accessToken) return Promise.resolve(true);
      inFlight ??= (async () => {
        try {
          const tokens = await refreshTokens(oauthClient(settings, credentials.loginUrl), credentials.refreshToken);
          // With rotation on, the old refresh token stops working once the new one is issued.
          credentials = { ...credentials, accessToken: tokens.access_token, instanceUrl: tokens.instance_url, refreshToken: tokens.refresh_token ?? credentials.refreshToken };
          await hooks.onCredentials({ ...credentials }, null);
          return true;
        } catch (error) {
          if (isSalesforceError(error, "auth_revoked") || (isSalesforceError(error) && error.errorCode === "invalid_grant")) {
            throw new SalesforceError({ kind: "auth_revoked", status: error.status, endpoint: "oauth.refresh", message: `Salesforce refused to refresh the grant: ${error.message}`, errorCode: error.errorCode });
          }
          throw error;
        } finally {
          inFlight = null;
        }
      })();
      return inFlight;
    },
  };
}

export function openSalesforce(settings: SalesforceSettings, grant: StoredGrant, hooks: OpenHooks): SalesforceSession {
  const credentials = credentialsSchema.parse(grant.credentials);
  const counter = new CallCounter();
  const budget = settings.budget === false ? undefined : new RunBudget(settings.budget);
  const client = createSalesforceClient({
    auth: refreshingAuth(settings, credentials, hooks),
    counter,
    budget,
    ...(settings.budget === false ? {} : { ceiling: settings.budget.ceiling }),
    ...(settings.retry ? { retry: settings.retry } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  return { client, counter, budget };
}
