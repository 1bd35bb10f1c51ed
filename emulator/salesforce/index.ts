import { registerCompositeRoutes } from "./routes/composite.ts";
import { registerControlRoutes } from "./routes/control.ts";
import { registerLimitRoutes } from "./routes/limits.ts";
import { registerOAuthRoutes } from "./routes/oauth.ts";
import { registerQueryRoutes } from "./routes/query.ts";
import { registerSObjectRoutes } from "./routes/sobjects.ts";
import { listen } from "../listen.ts";
import { buildServer } from "./server.ts";
import { SalesforceStore } from "./store.ts";

/** Public entry point of the Salesforce emulator (login host and instance in one server). */
export interface SalesforceEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Generator seed used when sizes are given (default 42). */
  seed?: number;
  accounts?: number;
  opportunities?: number;
  contacts?: number;
  /** Daily API allocation (DailyApiRequests.Max); default 100_000. */
  dailyApiLimit?: number;
  /** Session lifetime; default 7200 (Salesforce's default session timeout of two hours). */
  accessTokenLifetimeSeconds?: number;
  /** Seed for probabilistic faults. */
  faultSeed?: number;
  /** Fastify logger options; false (default) for silence. */
  logger?: false | true | object;
}

export interface RunningSalesforceEmulator {
  /** http://127.0.0.1:PORT, no trailing slash; also the `instance_url` of every token. */
  url: string;
  port: number;
  store: SalesforceStore;
  close(): Promise<void>;
}

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<RunningSalesforceEmulator> {
  const storeOpts: ConstructorParameters<typeof SalesforceStore>[0] = {};
  if (options.dailyApiLimit !== undefined) storeOpts.dailyApiLimit = options.dailyApiLimit;
  if (options.accessTokenLifetimeSeconds !== undefined) storeOpts.accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds;
  if (options.faultSeed !== undefined) storeOpts.faultSeed = options.faultSeed;
  const store = new SalesforceStore(storeOpts);
  if (options.accounts !== undefined || options.opportunities !== undefined || options.contacts !== undefined) {
    store.seed(options.seed ?? 42, { accounts: options.accounts ?? 0, opportunities: options.opportunities ?? 0, contacts: options.contacts ?? 0 });
  }

  const app = buildServer(store, { logger: options.logger ?? false });
  const host = options.host ?? "127.0.0.1";
  let url = "";
  let port = 0;
  registerOAuthRoutes(app, store, () => url);
  registerLimitRoutes(app, store);
  registerQueryRoutes(app, store);
  registerSObjectRoutes(app, store);
  registerCompositeRoutes(app, store);
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

export { SalesforceStore, ORG_ID, USER_ID, USERNAME, DEFAULT_DAILY_API_LIMIT, DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS, DEFAULT_TRACKED_CONTACT_FIELDS, type SalesforceStoreOptions, type WriteTimes } from "./store.ts";
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./auth.ts";
export { generate, DEFAULT_ANCHOR, type GeneratorSizes } from "./generator.ts";
export { SIZE_PRESETS } from "./routes/seed-body.ts";
export { MIN_VERSION, MAX_VERSION } from "./api-versions.ts";
export { MAX_URI_BYTES } from "./server.ts";
export { MAX_COLLECTION_RECORDS } from "./routes/composite.ts";
export { OBJECT_NAMES, type ObjectName, type ObjectInfo } from "./schema.ts";
export { type FieldDef, type FieldType } from "./fields.ts";
export { type SfRecord } from "./records.ts";
export { formatDatetime } from "./values.ts";
