// A real app on a real database with two workspaces, each with an admin and a member, and
// tokens for all four: the fixture every API test starts from. Requests go through Fastify's
// full stack with inject(); nothing listens on a port.
import type { LightMyRequestResponse } from "fastify";
import { issueApiToken, provisionUser, provisionWorkspace } from "../../src/accounts.ts";
import type { SalesforceSettings } from "../../src/connectors/salesforce/auth.ts";
import { generateSecretKey } from "../../src/core/security.ts";
import type { Dialect } from "../../src/db/database.ts";
import { buildApp, type App } from "../../src/server/app.ts";
import { buildAppContext, type AppContext } from "../../src/server/context.ts";
import type { LoginThrottleOptions } from "../../src/server/login-throttle.ts";
import type { SqlJobQueue } from "../../src/jobs/sql-queue.ts";
import { createTestDatabase, type TestDatabase } from "./databases.ts";
import type { HubSpotSettings } from "../../src/connectors/hubspot/auth.ts";
import { hubspotConnector } from "../../src/connectors/hubspot/connector.ts";
import { bindConnector, providerRegistry } from "../../src/sync/connector.ts";

export interface TestWorkspace {
  id: string;
  adminToken: string;
  memberToken: string;
  adminEmail: string;
  memberEmail: string;
}

export interface TestApp {
  app: App;
  ctx: AppContext & { queue: SqlJobQueue };
  database: TestDatabase;
  a: TestWorkspace;
  b: TestWorkspace;
  password: string;
  /** JSON request with a Bearer token; body is sent as JSON unless a string is given. */
  request(token: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The HubSpot the app talks to (an emulator's URL); by default an address where nothing answers. */
  hubspotBaseUrl?: string;
  oauthClient?: { clientId: string; clientSecret: string };
  /** Registers Salesforce (after HubSpot) with these settings. */
  salesforce?: SalesforceSettings;
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Also offer a second CRM, "other" ("Other CRM"): HubSpot's connector under another id, at the same emulator. */
  secondCrm?: boolean;
}

export async function startTestApp(dialect: Dialect, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const hubspot: HubSpotSettings = {
    baseUrl: options.hubspotBaseUrl ?? "http://127.0.0.1:9",
    authorizeUrl: `${options.hubspotBaseUrl ?? "http://127.0.0.1:9"}/oauth/authorize`,
    clientId: options.oauthClient?.clientId,
    clientSecret: options.oauthClient?.clientSecret,
    // The emulator runs without limits in tests; budgeting would only slow them down.
    budget: false,
    privateAppLimit: 100,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  };
  const ctx = buildAppContext(database, {
    secretKey: generateSecretKey(),
    publicUrl: "http://127.0.0.1:3000",
    connectors: { hubspot, ...(options.salesforce ? { salesforce: options.salesforce } : {}) },
    ...(options.secondCrm
      ? { providers: providerRegistry([bindConnector(hubspotConnector, hubspot), bindConnector({ ...hubspotConnector, id: "other", displayName: "Other CRM" }, hubspot)]) }
      : {}),
    ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
  });
  const app = await buildApp(ctx);
  const password = "correct horse battery";
  const workspace = async (name: string): Promise<TestWorkspace> => {
    const adminEmail = `admin@${name}.test`;
    const memberEmail = `member@${name}.test`;
    const { workspaceId, admin } = await provisionWorkspace(database.db, { name, adminEmail, adminName: "Admin", adminPassword: password });
    const member = await provisionUser(database.db, { workspaceId, email: memberEmail, name: "Member", role: "member", password });
    const adminToken = (await issueApiToken(database.db, { workspaceId, name: "admin", role: "admin", createdBy: admin.id })).token;
    const memberToken = (await issueApiToken(database.db, { workspaceId, name: "member", role: "member", createdBy: member.id })).token;
    return { id: workspaceId, adminToken, memberToken, adminEmail, memberEmail };
  };
  const a = await workspace("alpha");
  const b = await workspace("beta");
  return {
    app,
    ctx,
    database,
    a,
    b,
    password,
    request(token, method, url, body, headers = {}) {
      const allHeaders: Record<string, string> = { ...headers };
      if (token) allHeaders["authorization"] = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        allHeaders["content-type"] ??= "application/json";
      }
      return app.inject({ method: method as "GET", url, headers: allHeaders, ...(payload !== undefined ? { payload } : {}) });
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
