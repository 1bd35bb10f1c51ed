import type { PrivateAppTier } from "./auth.ts";
import { type GeneratorSizes } from "./generator.ts";
import { registerAccountInfoRoutes } from "./routes/account-info.ts";
import { registerAssociationRoutes } from "./routes/associations.ts";
import { registerControlRoutes } from "./routes/control.ts";
import { registerListRoutes } from "./routes/lists.ts";
import { registerOAuthRoutes } from "./routes/oauth.ts";
import { registerOAuth2026Routes } from "./routes/oauth-2026.ts";
import { registerObjectRoutes } from "./routes/objects.ts";
import { registerPropertyRoutes } from "./routes/properties.ts";
import { registerSearchRoutes } from "./routes/search.ts";
import { listen } from "./listen.ts";
import { buildServer } from "./server.ts";
import { EmulatorStore } from "./store.ts";

/** Public entry point of the HubSpot emulator. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Generator seed used when sizes are given (default 42). */
  seed?: number;
  companies?: number;
  deals?: number;
  contacts?: number;
  lists?: number;
  /** false turns every rate limit off (fast tests). Default true. */
  rateLimits?: boolean;
  /** Delay before created/changed records show in search results. Default 0. */
  searchDelayMs?: number;
  accessTokenLifetimeSeconds?: number;
  /** Limits for private-app tokens: starter 100/10s + 250k/day (default), professional/enterprise 190/10s. */
  privateAppTier?: PrivateAppTier;
  /** Seed for probabilistic faults. */
  faultSeed?: number;
  /** Fastify logger options; false (default) for silence. */
  logger?: false | true | object;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  port: number;
  store: EmulatorStore;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const storeOpts: ConstructorParameters<typeof EmulatorStore>[0] = {};
  if (options.searchDelayMs !== undefined) storeOpts.searchDelayMs = options.searchDelayMs;
  if (options.accessTokenLifetimeSeconds !== undefined) storeOpts.accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds;
  if (options.rateLimits !== undefined) storeOpts.rateLimits = options.rateLimits;
  if (options.privateAppTier !== undefined) storeOpts.privateAppTier = options.privateAppTier;
  if (options.faultSeed !== undefined) storeOpts.faultSeed = options.faultSeed;
  const store = new EmulatorStore(storeOpts);

  if (options.companies !== undefined || options.deals !== undefined || options.contacts !== undefined) {
    const sizes: GeneratorSizes = { companies: options.companies ?? 0, deals: options.deals ?? 0, contacts: options.contacts ?? 0 };
    if (options.lists !== undefined) sizes.lists = options.lists;
    store.seed(options.seed ?? 42, sizes);
  }

  const app = buildServer(store, { logger: options.logger ?? false });
  const host = options.host ?? "127.0.0.1";
  let url = "";
  let port = 0;
  registerObjectRoutes(app, store);
  registerSearchRoutes(app, store);
  registerPropertyRoutes(app, store);
  registerAssociationRoutes(app, store);
  registerListRoutes(app, store);
  registerOAuthRoutes(app, store);
  registerOAuth2026Routes(app, store);
  registerAccountInfoRoutes(app, store);
  registerControlRoutes(app, store, () => ({ url }));

  ({ url, port } = await listen(app, host, options.port ?? 0));

  return {
    url,
    port,
    store,
    close: async () => {
      store.faults.releaseHung();
      await app.close();
    },
  };
}

export { EmulatorStore, UI_SOURCE, type AssociationInput, type StoreOptions } from "./store.ts";
export { generate, SIZE_PRESETS, FIRST_IDS, DEFAULT_ANCHOR, type GeneratorSizes, type GeneratedData, type SizePreset } from "./generator.ts";
export {
  PRIVATE_APP_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  OAUTH_APP_ID,
  PORTAL_ID,
  ALL_SCOPES,
  type PrivateAppTier,
  type AccessToken,
} from "./auth.ts";
export { type FaultKind, type FaultRuleInput, type FaultRule } from "./faults.ts";
export { type RateLimitConfig, TIER_LIMITS } from "./rate-limiter.ts";
export { type CounterSnapshot } from "./counters.ts";
export { OBJECT_TYPES, OBJECT_INFO, type ObjectType } from "./object-types.ts";
export { type PropertyDefinition } from "./properties.ts";
export { StoredRecord, type Props } from "./records.ts";
export { SEARCH_LIMITS } from "./search.ts";
export { API_VERSIONS, DATE_VERSION, endpointKey, type ApiVersion } from "./api-versions.ts";
export { type ValidationRule } from "./validation-rules.ts";
