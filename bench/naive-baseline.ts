// NAIVE BASELINE — not crmsync's engine. What many CRM integrations do on a first sync, so the
// benchmark can show what crmsync's mirror-and-match design saves:
//   - for each customer with a domain, one company search by domain (HubSpot's search API);
//   - for each matched company, one association call for its deals;
//   - the deals' values (and creation times, to pick the newest) read in batches of 100, which
//     is kinder to the baseline than the one GET per deal many integrations make.
// It uses crmsync's HTTP client only as a transport (the calls, not the client, are the point)
// and writes nothing: local work is not what it is compared on.
import { performance } from "node:perf_hooks";
import { createHubSpotClient, limits } from "../src/connectors/hubspot/client.ts";
import { staticTokenAuth } from "../src/connectors/hubspot/transport.ts";
import { openDatabase } from "../src/db/database.ts";
import { companyBaseProperties, dealBaseProperties } from "../src/connectors/hubspot/mappers.ts";
import type { BenchEnv } from "./lib/env.ts";
import { importedFields } from "./lib/setup.ts";

export interface NaiveResult {
  /** Customers with at least one domain, all of which a real naive sync would search for. */
  customersWithDomains: number;
  /** How many of them this run searched for (all of them unless sampled). */
  sampled: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  dealsRead: number;
  wallMs: number;
}

/** HubSpot allows 5 filter groups a search; a customer's domains beyond that are not searched. */
const maxGroups = 5;

export async function runNaiveBaseline(env: BenchEnv, options: { sample: number | null }): Promise<NaiveResult> {
  const database = openDatabase(env.target, { poolSize: 2 });
  try {
    const rows = await database.db
      .selectFrom("customer_domains")
      .select(["customer_id", "domain"])
      .where("workspace_id", "=", env.workspaceId)
      .orderBy("customer_id")
      .orderBy("position")
      .execute();
    const domainsByCustomer = new Map<string, string[]>();
    for (const row of rows) {
      const list = domainsByCustomer.get(row.customer_id);
      if (list) list.push(row.domain);
      else domainsByCustomer.set(row.customer_id, [row.domain]);
    }
    const customers = [...domainsByCustomer.values()];
    // Customer ids are random UUIDs, so the first N in id order are a random sample.
    const chosen = options.sample === null ? customers : customers.slice(0, options.sample);

    const client = createHubSpotClient({ baseUrl: env.emulatorUrl, auth: staticTokenAuth(env.emulatorToken), retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    const companyProperties = [...companyBaseProperties, ...importedFields.filter((f) => f.object === "company").map((f) => f.name)];
    const dealProperties = [...dealBaseProperties, ...importedFields.filter((f) => f.object === "deal").map((f) => f.name)];
    const result: NaiveResult = { customersWithDomains: customers.length, sampled: chosen.length, matched: 0, ambiguous: 0, unmatched: 0, dealsRead: 0, wallMs: 0 };
    let pendingDeals: string[] = [];
    const flushDeals = async (): Promise<void> => {
      if (pendingDeals.length === 0) return;
      result.dealsRead += (await client.batchRead("deals", pendingDeals, { properties: dealProperties })).results.length;
      pendingDeals = [];
    };

    const started = performance.now();
    for (const domains of chosen) {
      const search = await client.searchObjects("companies", {
        filterGroups: domains.slice(0, maxGroups).map((domain) => ({ filters: [{ propertyName: "domain", operator: "EQ", value: domain }] })),
        properties: companyProperties,
        limit: 10,
      });
      if (search.results.length === 0) {
        result.unmatched++;
        continue;
      }
      if (search.results.length > 1) {
        result.ambiguous++;
        continue;
      }
      result.matched++;
      const deals = await client.listAssociations("companies", search.results[0]!.id, "deals");
      pendingDeals.push(...deals.map((d) => d.toObjectId));
      if (pendingDeals.length >= limits.batch) await flushDeals();
    }
    await flushDeals();
    result.wallMs = performance.now() - started;
    return result;
  } finally {
    await database.close();
  }
}
