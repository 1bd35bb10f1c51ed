// Turns a Config into running parts (database, app context, HTTP server); shared by the commands.
import type { Config } from "../config.ts";
import { migrateToLatest, openDatabase, type Db } from "../db/database.ts";
import { buildApp, type App } from "../server/app.ts";
import type { AppContext } from "../server/context.ts";
import { resolveSecretKey } from "./secret-key.ts";

export async function openMigratedDatabase(config: Config): Promise<Db> {
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  return database;
}

export function publicUrlOf(config: Config, port: number): string {
  return config.publicUrl ?? `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
}

export async function startServer(config: Config, database: Db): Promise<{ app: App; url: string; ctx: AppContext }> {
  const ctx: AppContext = {
    db: database.db,
    dialect: database.dialect,
    secretKey: resolveSecretKey(config),
    publicUrl: publicUrlOf(config, config.port),
    secureCookies: (config.publicUrl ?? "").startsWith("https://"),
  };
  const app = await buildApp(ctx, {
    logger: {
      level: config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  return { app, url: publicUrlOf(config, port), ctx };
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
