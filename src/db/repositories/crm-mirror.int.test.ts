// The whole-mirror reads linking depends on, on both databases: what they return, page after
// page, and (PostgreSQL) how they are planned on a freshly loaded mirror that has no planner
// statistics yet, as on a new database with autovacuum off. Not timed: the plan is read.
import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickDeal } from "../../core/linking.ts";
import { createTestDatabase, dialects, type TestDatabase } from "../../../test/support/databases.ts";
import type { Database } from "../schema.ts";
import { archiveRecords, latestDealsByCompany, loadCompanyDomainIndex, upsertCompanies, upsertDeals } from "./crm-mirror.ts";
import { createWorkspace } from "./workspaces.ts";

type Company = Parameters<typeof upsertCompanies>[3][number];
type Deal = Parameters<typeof upsertDeals>[3][number];

const provider = "crm";
const mirrorTables = ["crm_companies", "crm_company_domains", "crm_deals", "crm_deal_companies"] as const;

// Ids of every length, so key order ("10" < "9") differs from numeric order.
const companyId = (i: number) => String((i * 7_919) % 100_003);
const companies: Company[] = Array.from({ length: 2_500 }, (_, i) => ({
  id: companyId(i),
  name: `Company ${i}`,
  // Every 20th has no domain; every 10th shares one with others.
  domains: i % 20 === 0 ? [] : i % 10 === 0 ? [`c${i}.example.com`, `shared-${i % 7}.example.com`] : [`c${i}.example.com`],
  createdAt: "2026-01-01T00:00:00.000Z",
  modifiedAt: "2026-01-01T00:00:00.000Z",
  properties: { name: `Company ${i}` },
}));
const archivedCompanies = companies.filter((_, i) => i % 25 === 3).map((c) => c.id);
const deals: Deal[] = Array.from({ length: 3_000 }, (_, i) => ({
  id: String(500_000 + ((i * 104_729) % 1_000_003)),
  name: null,
  companyIds: i % 9 === 0 ? [companyId(i % 2_500), companyId((i + 1) % 2_500)] : [companyId(i % 2_500)],
  // Several deals of a company share a creation time now and then: the highest id wins those.
  createdAt: new Date(Date.UTC(2026, 0, 1) + (i % 400) * 3_600_000).toISOString(),
  modifiedAt: "2026-01-01T00:00:00.000Z",
  properties: { amount: String(i) },
}));
const archivedDeals = deals.filter((_, i) => i % 13 === 5).map((d) => d.id);

/** What the index should say for every domain: the live companies holding it. */
function expectedCompaniesByDomain(): Map<string, string[]> {
  const archived = new Set(archivedCompanies);
  const byDomain = new Map<string, string[]>();
  for (const company of companies) {
    if (archived.has(company.id)) continue;
    for (const domain of company.domains) byDomain.set(domain, [...(byDomain.get(domain) ?? []), company.id]);
  }
  return byDomain;
}

function expectedLatestDeals(): Map<string, string> {
  const archived = new Set(archivedDeals);
  const byCompany = new Map<string, { id: string; createdAt: string }[]>();
  for (const deal of deals) {
    if (archived.has(deal.id)) continue;
    for (const id of deal.companyIds ?? []) byCompany.set(id, [...(byCompany.get(id) ?? []), { id: deal.id, createdAt: deal.createdAt ?? "" }]);
  }
  return new Map([...byCompany].map(([id, list]) => [id, pickDeal(list)!]));
}

/** Node types of a plan in EXPLAIN's JSON form, with the relation each scan reads. */
function planNodes(plan: Record<string, unknown>): string[] {
  const self = `${String(plan["Node Type"])}${plan["Relation Name"] ? ` on ${String(plan["Relation Name"])}` : ""}`;
  const children = (plan["Plans"] as Record<string, unknown>[] | undefined) ?? [];
  return [self, ...children.flatMap(planNodes)];
}

describe.each(dialects)("the mirror's whole-workspace reads on %s", (dialect) => {
  let database: TestDatabase;
  let workspaceId: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // No statistics may appear behind the test's back, whatever the server's autovacuum setting.
    if (dialect === "postgres") for (const table of mirrorTables) await sql`ALTER TABLE ${sql.table(table)} SET (autovacuum_enabled = false)`.execute(database.db);
    workspaceId = (await createWorkspace(database.db, "mirror")).id;
    // Written as a full pass writes them: a page of 100 at a time.
    const seenAt = new Date().toISOString();
    for (let i = 0; i < companies.length; i += 100) await upsertCompanies(database.db, workspaceId, provider, companies.slice(i, i + 100), seenAt);
    for (let i = 0; i < deals.length; i += 100) await upsertDeals(database.db, workspaceId, provider, deals.slice(i, i + 100), seenAt);
    await archiveRecords(database.db, "crm_companies", workspaceId, provider, archivedCompanies);
    await archiveRecords(database.db, "crm_deals", workspaceId, provider, archivedDeals);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it.each([10_000, 700])("indexes every live company's domains, and no archived company's (pages of %i)", async (pageSize) => {
    const index = await loadCompanyDomainIndex(database.db, workspaceId, provider, pageSize);
    const expected = expectedCompaniesByDomain();
    const live = companies.filter((c) => !archivedCompanies.includes(c.id) && c.domains.length > 0);
    expect(index.size).toBe(live.length);
    for (const [domain, ids] of expected) expect(index.companiesFor(domain).sort(), domain).toEqual(ids.sort());
    for (const id of archivedCompanies) {
      const domain = companies.find((c) => c.id === id)!.domains[0];
      if (domain && !domain.startsWith("shared-")) expect(index.companiesFor(domain)).toEqual([]);
    }
  });

  it.each([10_000, 700])("finds each company's most recently created live deal (pages of %i)", async (pageSize) => {
    const latest = await latestDealsByCompany(database.db, workspaceId, provider, pageSize);
    expect(Object.fromEntries([...latest].sort())).toEqual(Object.fromEntries([...expectedLatestDeals()].sort()));
  });

  it.runIf(dialect === "postgres")("plans every read as index scans without a nested loop while the mirror has no statistics", async () => {
    const never = await sql<{ relname: string; reltuples: number }>`
      SELECT relname, reltuples FROM pg_class WHERE relname = ANY(${[...mirrorTables]}) AND relkind = 'r'`.execute(database.db);
    expect(never.rows.map((r) => [r.relname, r.reltuples]).sort()).toEqual(mirrorTables.map((t) => [t, -1]).sort());

    // The statements the reads send, recorded and then EXPLAINed with their own parameters.
    const statements: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: (database.target as { url: string }).url, max: 1 });
    const recording = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === "query") statements.push(event.query);
      },
    });
    try {
      await loadCompanyDomainIndex(recording, workspaceId, provider, 700);
      await latestDealsByCompany(recording, workspaceId, provider, 700);
    } finally {
      await recording.destroy();
    }
    expect(statements.length).toBeGreaterThan(1);
    for (const statement of statements) {
      const explained = await database.db.executeQuery<{ "QUERY PLAN": [{ Plan: Record<string, unknown> }] }>(
        CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]),
      );
      const nodes = planNodes(explained.rows[0]!["QUERY PLAN"][0].Plan);
      expect(nodes, statement.sql).not.toContain("Nested Loop");
      // A sequential scan per page would read the whole table again at every page.
      expect(nodes.filter((n) => n.startsWith("Seq Scan")), statement.sql).toEqual([]);
    }
  });
});
