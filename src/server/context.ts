// What route handlers get from the process: handles and options, never process.env.
import type { Kysely } from "kysely";
import type { Dialect } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { SqlJobQueue } from "../jobs/sql-queue.ts";
import type { Mailer } from "../notify/mailer.ts";
import { notifyRunFinished, type NotifyLogger } from "../notify/run-notifications.ts";
import { CrmConnections } from "../connections/connections.ts";
import { connectorRegistry, type ConnectorSettings } from "../connectors/registry.ts";
import type { ProviderRegistry } from "../sync/connector.ts";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle.ts";

export interface AppContext {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Hex AES-256-GCM key for CRM credentials. */
  secretKey: string;
  /** Where the app is reached, for OAuth redirect URIs and links. */
  publicUrl: string;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  /** Where triggers enqueue sync runs. */
  queue: JobQueue;
  /** Every registered CRM's connections, by provider. */
  crm: CrmConnections;
  /** Tells people about a finished run's errors (in-app, and by email when SMTP is set). */
  notifyRunFinished(runId: string): Promise<void>;
  /** Counts sign-in attempts and bounds password checks (this process's share). */
  loginThrottle: LoginThrottle;
  /** A session unused this long ends. */
  sessionIdleMs: number;
}

export interface ContextOptions {
  secretKey: string;
  publicUrl: string;
  /** Each connector's settings (src/config.ts). */
  connectors: ConnectorSettings;
  /** The CRMs offered; by default every registered connector bound to `connectors`. */
  providers?: ProviderRegistry;
  mailer?: Mailer | null;
  logger?: NotifyLogger;
  /** Where triggers go; default the SQL queue on this database (embedded mode). PostgreSQL deployments pass graphile-worker's. */
  queue?: JobQueue;
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Default 12 hours. */
  sessionIdleMs?: number;
}

/** Wires the process's parts (queue, CRM connections) around one database. */
export function buildAppContext<Q extends JobQueue = SqlJobQueue>(
  database: { db: Kysely<Database>; dialect: Dialect },
  options: ContextOptions & { queue?: Q },
): AppContext & { queue: Q } {
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  const crm = new CrmConnections(database.db, options.secretKey, options.providers ?? connectorRegistry(options.connectors), publicUrl);
  return {
    db: database.db,
    dialect: database.dialect,
    secretKey: options.secretKey,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    // Without a queue given, Q is its default, SqlJobQueue.
    queue: options.queue ?? (new SqlJobQueue({ db: database.db, dialect: database.dialect }) as JobQueue as Q),
    crm,
    loginThrottle: new LoginThrottle(options.loginThrottle),
    sessionIdleMs: options.sessionIdleMs ?? 12 * 3600 * 1000,
    notifyRunFinished: (runId) =>
      notifyRunFinished({ db: database.db, mailer: options.mailer ?? null, appUrl: publicUrl, crmName: (id) => crm.providers.get(id)?.displayName ?? id, ...(options.logger ? { logger: options.logger } : {}) }, runId),
  };
}
