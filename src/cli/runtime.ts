// Turns a Config into running parts (database, app context, HTTP server, background sync);
// shared by the commands.
import type { Config } from "../config.ts";
import { migrateToLatest, openDatabase, type Db } from "../db/database.ts";
import { createMailer } from "../notify/mailer.ts";
import { buildApp, type App } from "../server/app.ts";
import { buildAppContext, type AppContext } from "../server/context.ts";
import { startBackground, type Background } from "../sync/background.ts";
import { resolveSecretKey } from "./secret-key.ts";

export async function openMigratedDatabase(config: Config): Promise<Db> {
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  return database;
}

export function publicUrlOf(config: Config, port: number): string {
  return config.publicUrl ?? `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
}

export function contextFor(config: Config, database: Db, port: number, overrides: { hubspotBaseUrl?: string } = {}) {
  return buildAppContext(database, {
    secretKey: resolveSecretKey(config),
    publicUrl: publicUrlOf(config, port),
    hubspot: {
      baseUrl: overrides.hubspotBaseUrl ?? config.hubspot.baseUrl,
      authorizeUrl: config.hubspot.authorizeUrl,
      clientId: config.hubspot.clientId,
      clientSecret: config.hubspot.clientSecret,
      budget: { reservedShare: config.hubspot.reservedShare },
      privateAppLimit: config.hubspot.privateAppLimit,
    },
    mailer: createMailer(config.smtp),
  });
}

export interface Running {
  app: App;
  url: string;
  ctx: AppContext;
  background: Background;
  close(): Promise<void>;
}

/** Serves the API and runs the sync worker and scheduler in this process (embedded mode). */
export async function startServer(config: Config, database: Db, overrides: { hubspotBaseUrl?: string } = {}): Promise<Running> {
  const ctx = contextFor(config, database, config.port, overrides);
  const app = await buildApp(ctx, {
    logger: {
      level: config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const background = startBackground({ db: database.db, queue: ctx.queue, hubspot: ctx.hubspot, onRunFinished: ctx.notifyRunFinished, logger: app.log });
  return {
    app,
    url: publicUrlOf(config, port),
    ctx,
    background,
    async close() {
      await background.stop();
      await app.close();
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
