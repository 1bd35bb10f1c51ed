// What `npm start` sets up so a newcomer sees synced data at once: a demo workspace connected
// to the bundled HubSpot emulator, customers that exercise every linking rule (a match, an
// ambiguous domain, no domain, no match, companies with several deals), a few imported
// fields, and HubSpot Sync turned on (which queues the first full run).
import type { Kysely } from "kysely";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from "../../emulator/auth.ts";
import type { EmulatorStore } from "../../emulator/index.ts";
import { provisionWorkspace } from "../accounts.ts";
import type { Config } from "../config.ts";
import { tryNormalizeDomain } from "../core/domains.ts";
import { createCustomer } from "../db/repositories/customers.ts";
import { countUsers, findUserByEmail } from "../db/repositories/users.ts";
import type { Database } from "../db/schema.ts";
import { setAccountSync } from "../sync/account-sync-toggle.ts";
import { importFields } from "../sync/field-import.ts";
import type { AppContext } from "../server/context.ts";

export const demoCredentials = { email: "admin@demo.crmsync.test", password: "crmsync-demo" } as const;
export const emulatorPrivateAppToken = "pat-emulator-0000";

/**
 * The configuration `crmsync start` runs with: HubSpot is the bundled emulator, for the API and
 * for OAuth (its authorize page approves at once and knows this client), so both the connected
 * private app and "Connect with HubSpot" work in the demo.
 */
export function demoConfig(config: Config, emulatorUrl: string): Config {
  return {
    ...config,
    hubspot: { ...config.hubspot, baseUrl: emulatorUrl, authorizeUrl: `${emulatorUrl}/oauth/authorize`, clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET },
  };
}

/** Creates the demo workspace when the database has no user yet; returns the demo login if it exists. */
export async function ensureDemoWorkspace(db: Kysely<Database>): Promise<{ email: string; password: string; workspaceId: string; created: boolean } | null> {
  if ((await countUsers(db)) === 0) {
    const { workspaceId } = await provisionWorkspace(db, {
      name: "Demo workspace",
      adminEmail: demoCredentials.email,
      adminName: "Demo Admin",
      adminPassword: demoCredentials.password,
    });
    return { ...demoCredentials, workspaceId, created: true };
  }
  const existing = await findUserByEmail(db, demoCredentials.email);
  return existing ? { ...demoCredentials, workspaceId: existing.workspace_id, created: false } : null;
}

interface DemoCompany {
  id: number;
  name: string;
  domain: string;
  deals: number;
}

/** Picks companies from the emulator's generated data for each linking case. */
function pickDemoCompanies(store: EmulatorStore): { unique: DemoCompany[]; ambiguous: string[] } {
  const byDomain = new Map<string, DemoCompany[]>();
  for (const record of store.collection("companies").records) {
    if (!record.live) continue;
    const domain = tryNormalizeDomain(record.props["domain"] ?? "");
    if (!domain) continue;
    const deals = store.associations.list("companies", record.id, "deals").length;
    const company = { id: record.id, name: record.props["name"] ?? `Company ${record.id}`, domain, deals };
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), company]);
  }
  const unique = [...byDomain.values()].filter((list) => list.length === 1).map((list) => list[0]!);
  const ambiguous = [...byDomain.entries()].filter(([, list]) => list.length > 1).map(([domain]) => domain);
  // Companies with several deals first: they show the "most recently created deal" rule.
  unique.sort((a, b) => b.deals - a.deals || a.id - b.id);
  return { unique: unique.slice(0, 40), ambiguous: ambiguous.slice(0, 3) };
}

/** Connects the demo workspace to the emulator and fills it; does nothing once connected. */
export async function seedDemo(ctx: AppContext, store: EmulatorStore, workspaceId: string, adminId: string | null): Promise<void> {
  const hubspot = ctx.crm.provider("hubspot");
  if (await ctx.crm.isConnected(workspaceId, hubspot.id)) return;
  await ctx.crm.connectWithToken(workspaceId, hubspot.id, emulatorPrivateAppToken, adminId);
  const { unique, ambiguous } = pickDemoCompanies(store);
  for (const company of unique) await createCustomer(ctx.db, workspaceId, { name: company.name, domains: [company.domain] });
  for (const [i, domain] of ambiguous.entries()) await createCustomer(ctx.db, workspaceId, { name: `Shared-domain customer ${i + 1}`, domains: [domain] });
  await createCustomer(ctx.db, workspaceId, { name: "Walk-in customer (no domain)" });
  await createCustomer(ctx.db, workspaceId, { name: "Corner bakery (no domain)" });
  await createCustomer(ctx.db, workspaceId, { name: "Not in HubSpot Ltd", domains: ["not-in-hubspot.example.com"] });

  const opened = await ctx.crm.open(workspaceId, hubspot.id);
  if (opened) {
    await importFields(ctx.db, workspaceId, { ...hubspot, catalog: opened.catalog }, [
      { object: "company", name: "annualrevenue" },
      { object: "company", name: "industry" },
      { object: "company", name: "numberofemployees" },
      { object: "deal", name: "amount" },
      { object: "deal", name: "closedate" },
    ]);
  }
  await setAccountSync(ctx, hubspot, { workspaceId, enabled: true, userId: adminId });
}
