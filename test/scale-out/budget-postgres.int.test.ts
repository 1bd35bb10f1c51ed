// The PostgreSQL budget store: portal budgets in several "processes" (separate registries and
// pools) take from one counter, so together they stay within the limit minus the reserved share,
// and a process does not mistake its peers' calls (in HubSpot's headers) for other integrations'.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresBudgetStore, type PostgresBudgetStore } from "../../src/connectors/hubspot/budget-postgres.ts";
import { BudgetRegistry, memoryBudgetStore, PortalBudget, usableLimit } from "../../src/connectors/hubspot/budget.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

describe("PostgreSQL budget store", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const stores: PostgresBudgetStore[] = [];

  function processStore(): PostgresBudgetStore {
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    const pool = new pg.Pool({ connectionString: database.target.url, max: 3 });
    pools.push(pool);
    const store = createPostgresBudgetStore(pool);
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { migrate: false });
  });
  afterAll(async () => {
    for (const s of stores) s.close();
    await Promise.all(pools.map((p) => p.end()));
    await database?.drop();
  });

  it("keeps three processes together within the usable share of a rolling window", async () => {
    const limit = 30;
    const intervalMs = 1_000;
    const options = { limit, intervalMs, marginMs: 50, reservedShare: 0.2 };
    const budgets = [0, 1, 2].map(() => new BudgetRegistry().forPortal("portal-1", { ...options, store: processStore() }));
    const admitted: number[] = [];
    const until = Date.now() + 2_500;
    await Promise.all(
      budgets.map(async (b) => {
        while (Date.now() < until) {
          await b.acquire("standard");
          admitted.push(Date.now());
        }
      }),
    );
    admitted.sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < admitted.length; i++) {
      while (admitted[i]! - admitted[j]! >= intervalMs) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(usableLimit(limit, 0.2));
    // Each process alone would have taken up to the whole usable share: the counter is shared.
    expect(admitted.length).toBeLessThanOrEqual(Math.ceil((2_500 / intervalMs + 1) * usableLimit(limit, 0.2)));
    expect(admitted.length).toBeGreaterThan(usableLimit(limit, 0.2));
  });

  it("does not pause for its peers' calls, but still for other integrations beyond their share", () => {
    const headersAfterPeers = { max: 100, remaining: 100 - 85, intervalMs: 10_000 };
    const shared = new PortalBudget("p", { limit: 100, reservedShare: 0.1, store: processStore() });
    shared.observe("standard", headersAfterPeers);
    expect(shared.stats().slowdowns).toBe(0);
    // A lone process seeing the same headers must assume someone else spent them.
    const alone = new PortalBudget("p", { limit: 100, reservedShare: 0.1, store: memoryBudgetStore });
    alone.observe("standard", headersAfterPeers);
    expect(alone.stats().slowdowns).toBe(1);
    // Beyond crmsync's whole allowance plus the reserve, the shared budget backs off too.
    shared.observe("standard", { max: 100, remaining: 2, intervalMs: 10_000 });
    expect(shared.stats().slowdowns).toBe(1);
  });
});
