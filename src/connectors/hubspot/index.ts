// The HubSpot connector as the rest of crmsync sees it: a declaration and its client.
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient, HubSpotClientOptions } from "./client.ts";

export const hubspotConnector = {
  name: "hubspot",
  capabilities: {
    objects: ["companies", "deals", "contacts"],
    accountSync: true,
    contactSync: { inbound: true, twoWay: true },
    contactSources: ["companies", "list"],
    /** Field values carry their own change times, for per-field conflict rules. */
    propertyHistory: true,
    merges: true,
    /** Incremental reads by last-modified time. */
    modifiedSince: true,
    auth: ["oauth", "service_key", "private_app"],
    webhooks: false,
  },
  createClient: (options: HubSpotClientOptions): HubSpotClient => createHubSpotClient(options),
} as const;

export type HubSpotConnector = typeof hubspotConnector;

export { BudgetRegistry, PortalBudget, memoryBudgetStore, planSlots, portalBudgets, readRateLimitHeaders, usableLimit } from "./budget.ts";
export type { Budget, BudgetClass, BudgetStats, BudgetStore, LimiterOptions, PortalBudgetOptions, RateLimiterLike, RateLimitHeaders, SlotPlan } from "./budget.ts";
export { chunk, createHubSpotClient, limits } from "./client.ts";
export type {
  BatchReadOptions,
  GetObjectOptions,
  HubSpotClient,
  HubSpotClientOptions,
  ListObjectsOptions,
  ModifiedSinceOptions,
  SearchOptions,
} from "./client.ts";
export { HubSpotError, isHubSpotError, kindForStatus, syncErrorCodeFor } from "./errors.ts";
export type { HubSpotErrorInit, HubSpotErrorKind } from "./errors.ts";
export {
  OAuthTokenProvider,
  buildAuthorizeUrl,
  defaultAuthorizeUrl,
  exchangeCode,
  introspectAccessToken,
  missingScopes,
  readScopes,
  refreshAccessToken,
  requiredScopes,
  revokeRefreshToken,
  twoWayScopes,
} from "./oauth.ts";
export type { AuthorizeUrlOptions, GrantInfo, OAuthClientConfig, OAuthTokenProviderOptions, OAuthTokens } from "./oauth.ts";
export { apiVersion, hubspotPaths, oauthVersion } from "./api-paths.ts";
export { parseTimestamp, windowRequest, windowStep, windowedSearch } from "./search-window.ts";
export type { ModifiedCursor, WindowedPage } from "./search-window.ts";
export { backoffDelay, createTransport, defaultBaseUrl, defaultRetry, parseRetryAfter, staticTokenAuth } from "./transport.ts";
export type { AuthProvider, RequestSpec, RetryOptions, Transport, TransportLogger, TransportOptions, TransportResponse } from "./transport.ts";
export { CallCounter, lastModifiedProperty, objectTypes } from "./types.ts";
export type * from "./types.ts";
