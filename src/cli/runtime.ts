// Turns a Config into running parts (database, app context, HTTP server, background sync);
// shared by the commands.
import pg from "pg";
import type { Config } from "../config.ts";
import { createPostgresBudgetStore, type PostgresBudgetStore } from "../connectors/hubspot/budget-postgres.ts";
import { postgresLoginCounters, type LoginCounters } from "../server/login-counters.ts";
import { assertReachable, unreachable } from "../db/connection-check.ts";
import { migrateToLatest, openDatabase, type Db } from "../db/database.ts";
import { GraphileJobQueue } from "../jobs/graphile-queue.ts";
import type { SqlJobQueue } from "../jobs/sql-queue.ts";
import { createMailer } from "../notify/mailer.ts";
import { buildApp, type App } from "../server/app.ts";
import { buildAppContext, type AppContext } from "../server/context.ts";
import { startBackground, type Background } from "../sync/background.ts";
import { warnAboutExposedDataFiles } from "./data-file-check.ts";
import type { Logger } from "./logging.ts";
import { resolveSecretKey } from "./secret-key.ts";

export async function openMigratedDatabase(config: Config, logger: Logger): Promise<Db> {
  // DATABASE_URL when set; otherwise the SQLite file lives in DATA_DIR.
  const variable = config.databaseUrlGiven ? "DATABASE_URL" : "DATA_DIR";
  let database: Db;
  try {
    // The pool drops and replaces a connection the server closed; say so, it explains slow requests.
    database = openDatabase(config.database, { onIdleError: (err) => logger.error({ err }, "database pool: an idle PostgreSQL connection failed and was dropped") });
  } catch (error) {
    throw unreachable(config.database, variable, error);
  }
  warnAboutExposedDataFiles(config, (message) => logger.warn(message));
  try {
    await assertReachable(database, config.database, variable);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  await migrateToLatest(database.db);
  return database;
}

export function publicUrlOf(config: Config, port: number): string {
  return config.publicUrl ?? `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
}

/**
 * What a PostgreSQL deployment shares between processes: graphile-worker's queue and the portals'
 * CRM budgets, on a pool of their own (graphile-worker wants a plain pg pool, not Kysely's).
 */
export interface ScaleOutParts {
  pool: pg.Pool;
  queue: GraphileJobQueue;
  budgetStore: PostgresBudgetStore;
  loginCounters: LoginCounters & { close(): void };
  close(): Promise<void>;
}

export function scaleOutParts(url: string, logger: Logger, poolSize = 10): ScaleOutParts {
  // allowExitOnIdle: one-shot commands (crmsync sync) end without closing the pool explicitly.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, allowExitOnIdle: true });
  // A listener is required (an unhandled pool error ends the process); the pool replaces the client.
  pool.on("error", (err) => logger.error({ err }, "queue pool: an idle PostgreSQL connection failed and was dropped"));
  const budgetStore = createPostgresBudgetStore(pool);
  const loginCounters = postgresLoginCounters(pool);
  return {
    pool,
    queue: new GraphileJobQueue({ pool }),
    budgetStore,
    loginCounters,
    async close() {
      loginCounters.close();
      budgetStore.close();
      await pool.end();
    },
  };
}

export type ProcessContext = AppContext & { queue: SqlJobQueue | GraphileJobQueue; scaleOut: ScaleOutParts | null };

/** On PostgreSQL triggers go to graphile-worker and budgets are shared; on SQLite both stay in the process. */
export function contextFor(config: Config, database: Db, port: number, logger: Logger, overrides: { hubspotBaseUrl?: string; poolSize?: number } = {}): ProcessContext {
  const scaleOut = config.database.dialect === "postgres" ? scaleOutParts(config.database.url, logger, overrides.poolSize) : null;
  const ctx = buildAppContext<SqlJobQueue | GraphileJobQueue>(database, {
    secretKey: resolveSecretKey(config),
    publicUrl: publicUrlOf(config, port),
    connectors: {
      hubspot: {
        baseUrl: overrides.hubspotBaseUrl ?? config.hubspot.baseUrl,
        authorizeUrl: config.hubspot.authorizeUrl,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        budget: { reservedShare: config.hubspot.reservedShare, ...(scaleOut ? { store: scaleOut.budgetStore } : {}) },
        privateAppLimit: config.hubspot.privateAppLimit,
      },
      salesforce: {
        clientId: config.salesforce.clientId,
        clientSecret: config.salesforce.clientSecret,
        loginUrls: config.salesforce.loginUrls,
        budget: { share: config.salesforce.runShare, ceiling: config.salesforce.usageCeiling },
      },
    },
    mailer: createMailer(config.smtp),
    sessionIdleMs: config.sessionIdleMinutes * 60_000,
    // Every API process counts sign-in attempts in one place (decision 0055).
    ...(scaleOut ? { queue: scaleOut.queue, loginThrottle: { counters: scaleOut.loginCounters } } : {}),
  });
  return { ...ctx, scaleOut };
}

export interface Running {
  app: App;
  url: string;
  ctx: ProcessContext;
  /** Null for an API-only process on PostgreSQL (workers run elsewhere). */
  background: Background | null;
  close(): Promise<void>;
}

/**
 * Serves the API. On SQLite (embedded) it also runs the sync worker and scheduler; on PostgreSQL
 * it is stateless and leaves them to `crmsync worker` processes unless withWorker is set.
 */
export async function startServer(config: Config, database: Db, logger: Logger, overrides: { hubspotBaseUrl?: string; withWorker?: boolean } = {}): Promise<Running> {
  const ctx = contextFor(config, database, config.port, logger, overrides.hubspotBaseUrl ? { hubspotBaseUrl: overrides.hubspotBaseUrl } : {});
  // Fail at start, not at the first trigger, when graphile-worker's schema cannot be installed.
  await ctx.scaleOut?.queue.migrate();
  const app = await buildApp(ctx, { loggerInstance: logger });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const background =
    ctx.scaleOut === null || overrides.withWorker === true
      ? startBackground({ db: database.db, queue: ctx.queue, connections: ctx.crm, onRunFinished: ctx.notifyRunFinished, logger: app.log })
      : null;
  return {
    app,
    url: publicUrlOf(config, port),
    ctx,
    background,
    async close() {
      await background?.stop();
      await app.close();
      await ctx.scaleOut?.close();
      await database.close();
    },
  };
}

/** Closes the server and database on SIGINT/SIGTERM so in-flight requests finish. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const handler = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}
