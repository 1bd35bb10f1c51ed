// The HubSpot connector as the rest of crmsync sees it: its Connector value (registered in
// src/connectors/registry.ts) and, for tests, tools and the bench, its client parts.
export { hubspotConnector } from "./connector.ts";
export type { HubSpotSession, HubSpotSettings } from "./auth.ts";
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
