// What a scenario process needs to reach the bench workspace: the database, the workspace and
// its admin token, the key that seals the HubSpot credentials, and the emulator.
import { productionBudget } from "./limits.ts";
import type { DatabaseTarget } from "../../src/config.ts";
import type { Db } from "../../src/db/database.ts";
import { buildAppContext, type ContextOptions } from "../../src/server/context.ts";

export interface BenchEnv {
  target: DatabaseTarget;
  workspaceId: string;
  adminToken: string;
  secretKey: string;
  emulatorUrl: string;
  emulatorToken: string;
}

/**
 * HubSpot settings for an emulator with its limits off: crmsync's budget off too, as in the
 * tests; with `atLimits`, the budget and retries as in production.
 */
export function hubspotSettings(env: BenchEnv, atLimits = false): ContextOptions["connectors"]["hubspot"] {
  return {
    baseUrl: env.emulatorUrl,
    authorizeUrl: `${env.emulatorUrl}/oauth/authorize`,
    clientId: undefined,
    clientSecret: undefined,
    budget: atLimits ? { reservedShare: productionBudget.reservedShare } : false,
    privateAppLimit: productionBudget.privateAppLimit,
    ...(atLimits ? {} : { retry: { baseDelayMs: 5, maxDelayMs: 20 } }),
  };
}

export function openBenchContext(database: Pick<Db, "db" | "dialect">, env: BenchEnv, atLimits = false) {
  return buildAppContext(database, { secretKey: env.secretKey, publicUrl: "http://127.0.0.1:3000", connectors: { hubspot: hubspotSettings(env, atLimits) } });
}
