// Salesforce's OAuth 2.0 web server flow on the login host chosen at connect (production or
// sandbox): authorize URL, code exchange, refresh (with refresh-token rotation when the
// connected app turns it on), revoke. Token calls do not count against the org's API
// allocation, so they bypass the budget.
import { z } from "zod";
import { kindOf, readErrorEntries, SalesforceError } from "./errors.ts";
import { readBody } from "./transport.ts";

/**
 * Salesforce has no read-only scopes for records: `api` is all REST access the user has, and
 * `refresh_token` lets crmsync keep working without the admin. Nothing finer can be asked for.
 */
export const salesforceScopes = ["api", "refresh_token"] as const;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The login host: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
  loginUrl: string;
  timeoutMs?: number | undefined;
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  id: z.string().url(),
  scope: z.string().optional(),
  issued_at: z.string().optional(),
});
export type TokenAnswer = z.infer<typeof tokenSchema>;

export function buildAuthorizeUrl(client: Pick<OAuthClient, "clientId" | "loginUrl">, o: { state: string; redirectUri: string }): string {
  const url = new URL(`${client.loginUrl.replace(/\/+$/, "")}/services/oauth2/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", o.redirectUri);
  url.searchParams.set("scope", salesforceScopes.join(" "));
  url.searchParams.set("state", o.state);
  return url.toString();
}

/** The org id in the identity URL `https://login.salesforce.com/id/<orgId>/<userId>`. */
export function orgIdOf(identityUrl: string): string {
  const match = /\/id\/([a-zA-Z0-9]{15,18})\/[a-zA-Z0-9]{15,18}\/?$/.exec(new URL(identityUrl).pathname);
  if (!match) throw new SalesforceError({ kind: "bad_request", status: 200, endpoint: "oauth.token", message: `Salesforce's identity URL ${identityUrl} names no org.` });
  return match[1]!;
}

async function postToken(client: OAuthClient, endpoint: string, path: string, form: Record<string, string>): Promise<unknown> {
  const url = `${client.loginUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(client.timeoutMs ?? 30_000),
    });
    text = await response.text();
  } catch (cause) {
    throw new SalesforceError({ kind: "unavailable", status: 0, endpoint, message: `Salesforce's login host could not be reached: ${String(cause)}`, cause });
  }
  const { body } = readBody(text);
  if (response.ok) return body;
  const [first] = readErrorEntries(body);
  throw new SalesforceError({ kind: kindOf(response.status, first?.errorCode), status: response.status, endpoint, message: first?.message ?? `Salesforce answered ${response.status}.`, errorCode: first?.errorCode });
}

function parseTokens(body: unknown, endpoint: string): TokenAnswer {
  const parsed = tokenSchema.safeParse(body);
  if (!parsed.success) throw new SalesforceError({ kind: "unavailable", status: 200, endpoint, message: "Salesforce's token answer lacks an access token, instance URL or identity URL." });
  return parsed.data;
}

export async function exchangeCode(client: OAuthClient, o: { code: string; redirectUri: string }): Promise<TokenAnswer> {
  const body = await postToken(client, "oauth.token", "/services/oauth2/token", {
    grant_type: "authorization_code",
    code: o.code,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uri: o.redirectUri,
  });
  return parseTokens(body, "oauth.token");
}

/** A fresh access token; `refresh_token` is present only when the app rotates refresh tokens. */
export async function refreshTokens(client: OAuthClient, refreshToken: string): Promise<TokenAnswer> {
  const body = await postToken(client, "oauth.refresh", "/services/oauth2/token", {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  return parseTokens(body, "oauth.refresh");
}

export async function revokeToken(client: OAuthClient, token: string): Promise<void> {
  await postToken(client, "oauth.revoke", "/services/oauth2/revoke", { token });
}
