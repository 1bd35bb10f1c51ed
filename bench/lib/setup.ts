// A benchmark workspace: a fresh database, a workspace with an admin API token, a HubSpot
// connection to the emulator (private-app token), imported fields, HubSpot Sync on, and the
// size's customers inserted in bulk with domains taken from the generated portal.
import { performance } from "node:perf_hooks";
import type { Insertable } from "kysely";
import { issueApiToken, provisionWorkspace } from "../../src/accounts.ts";
import { generateSecretKey } from "../../src/core/security.ts";
import { newId } from "../../src/db/ids.ts";
import type { Dialect } from "../../src/db/database.ts";
import { newCustomerRow } from "../../src/db/repositories/customers.ts";
import { inTransaction } from "../../src/db/repositories/field-values.ts";
import { setAccountSyncEnabled } from "../../src/db/repositories/sync-settings.ts";
import type { CustomerDomainsTable, CustomersTable } from "../../src/db/schema.ts";
import { importFields } from "../../src/sync/field-import.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/databases.ts";
import { hubspotSettings, openBenchContext, type BenchEnv } from "./env.ts";
import type { PortalCatalog } from "./emulator-protocol.ts";
import { rng } from "./stats.ts";

/** Share of customers of each kind; the rest have a domain no company holds. */
export const customerMix = { unique: 0.85, ambiguous: 0.05, noDomain: 0.05 } as const;

/** The fields Save & Sync and runs write: three company properties and two deal properties. */
export const importedFields = [
  { object: "company", name: "annualrevenue" },
  { object: "company", name: "industry" },
  { object: "company", name: "numberofemployees" },
  { object: "deal", name: "amount" },
  { object: "deal", name: "closedate" },
] as const;

export interface CustomerCounts {
  total: number;
  unique: number;
  ambiguous: number;
  noDomain: number;
  unmatched: number;
}

export interface BenchSetup {
  env: BenchEnv;
  database: TestDatabase;
  customers: CustomerCounts;
  insertMs: number;
}

async function insertCustomers(database: TestDatabase, workspaceId: string, count: number, catalog: PortalCatalog): Promise<CustomerCounts> {
  const random = rng(7);
  const counts: CustomerCounts = { total: count, unique: 0, ambiguous: 0, noDomain: 0, unmatched: 0 };
  const per = 5_000;
  for (let offset = 0; offset < count; offset += per) {
    const n = Math.min(per, count - offset);
    const now = new Date().toISOString();
    const customers: Insertable<CustomersTable>[] = [];
    const domains: Insertable<CustomerDomainsTable>[] = [];
    for (let i = 0; i < n; i++) {
      const index = offset + i;
      const id = newId();
      const name = `Customer ${index}`;
      customers.push(newCustomerRow(workspaceId, name, { id, now }));
      const roll = random();
      let domain: string | null;
      if (roll < customerMix.unique && counts.unique < catalog.unique.length) {
        domain = catalog.unique[counts.unique++]!;
      } else if (roll < customerMix.unique + customerMix.ambiguous && counts.ambiguous < catalog.ambiguous.length) {
        // A domain belongs to one customer of a workspace (customer_domains' key), so each is used once.
        domain = catalog.ambiguous[counts.ambiguous++]!;
      } else if (roll < customerMix.unique + customerMix.ambiguous + customerMix.noDomain) {
        domain = null;
        counts.noDomain++;
      } else {
        domain = `customer-${index}.bench.example.com`;
        counts.unmatched++;
      }
      if (domain) domains.push({ workspace_id: workspaceId, customer_id: id, domain, position: 0 });
    }
    await inTransaction(database.db, async (trx) => {
      // 13 columns a customer row: 500 rows keep a statement under SQLite's bound-parameter limit.
      for (let i = 0; i < customers.length; i += 500) await trx.insertInto("customers").values(customers.slice(i, i + 500)).execute();
      for (let i = 0; i < domains.length; i += 1_000) await trx.insertInto("customer_domains").values(domains.slice(i, i + 1_000)).execute();
    });
  }
  return counts;
}

export async function setUpBench(options: { dialect: Dialect; customers: number; catalog: PortalCatalog; emulatorUrl: string; token: string }): Promise<BenchSetup> {
  const database = await createTestDatabase(options.dialect);
  const { workspaceId, admin } = await provisionWorkspace(database.db, {
    name: "bench",
    adminEmail: "admin@bench.test",
    adminName: "Bench Admin",
    adminPassword: "bench password 123",
  });
  const adminToken = (await issueApiToken(database.db, { workspaceId, name: "bench", role: "admin", createdBy: admin.id })).token;
  const env: BenchEnv = { target: database.target, workspaceId, adminToken, secretKey: generateSecretKey(), emulatorUrl: options.emulatorUrl, emulatorToken: options.token };
  const ctx = openBenchContext(database, env);
  const hubspot = ctx.crm.provider("hubspot");
  await ctx.crm.connectWithToken(workspaceId, hubspot.id, options.token, admin.id);
  const opened = await ctx.crm.open(workspaceId, hubspot.id);
  if (!opened) throw new Error("the bench workspace did not connect to the emulator");
  await importFields(database.db, workspaceId, { ...hubspot, catalog: opened.catalog }, importedFields);
  await setAccountSyncEnabled(database.db, workspaceId, hubspot.id, true);
  const started = performance.now();
  const customers = await insertCustomers(database, workspaceId, options.customers, options.catalog);
  return { env, database, customers, insertMs: performance.now() - started };
}

export { hubspotSettings };
