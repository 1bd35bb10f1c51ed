// Save & Sync latency: PUT /api/v1/customers/:id/crm-link through the real Fastify app
// (inject: the full request lifecycle, schemas, auth, the route and the engine, without a
// socket), with HubSpot Sync on so every link also reads the company and deal and writes
// their values before answering. Customers are linked to companies that have deals, the
// usual case.
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../src/db/database.ts";
import { buildApp } from "../../src/server/app.ts";
import { openBenchContext, type BenchEnv } from "../lib/env.ts";
import { percentile } from "../lib/stats.ts";

export interface ManualLinkResult {
  links: number;
  warmup: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  wallMs: number;
  failures: number;
}

export async function runManualLinkScenario(env: BenchEnv, options: { links: number; warmup: number; companyIds: readonly string[] }): Promise<ManualLinkResult> {
  const database = openDatabase(env.target, { poolSize: 5 });
  const ctx = openBenchContext(database, env);
  const app = await buildApp(ctx);
  try {
    const total = options.links + options.warmup;
    // Unlinked customers first (what an admin links by hand); relinking linked ones tops up small sizes.
    const pick = (linked: boolean, limit: number) =>
      database.db
        .selectFrom("customers")
        .select("id")
        .where("workspace_id", "=", env.workspaceId)
        .where("crm_company_id", linked ? "is not" : "is", null)
        .orderBy("id")
        .limit(limit)
        .execute();
    const unlinked = await pick(false, total);
    const customers = unlinked.length < total ? [...unlinked, ...(await pick(true, total - unlinked.length))] : unlinked;
    if (customers.length < total) throw new Error(`only ${customers.length} customers for ${total} links`);
    if (options.companyIds.length === 0) throw new Error("no companies with deals to link to");
    const samples: number[] = [];
    let failures = 0;
    const started = performance.now();
    for (const [i, customer] of customers.entries()) {
      const companyId = options.companyIds[i % options.companyIds.length]!;
      const t0 = performance.now();
      const response = await app.inject({
        method: "PUT",
        url: `/api/v1/customers/${customer.id}/crm-link`,
        headers: { authorization: `Bearer ${env.adminToken}`, "content-type": "application/json" },
        payload: JSON.stringify({ companyId }),
      });
      const elapsed = performance.now() - t0;
      if (response.statusCode !== 200) {
        failures++;
        if (failures <= 3) console.error(`crm-link ${customer.id} -> ${companyId}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      }
      // The first requests compile schemas and warm the JIT: not what an admin waits for later.
      if (i >= options.warmup) samples.push(elapsed);
    }
    const wallMs = performance.now() - started;
    samples.sort((a, b) => a - b);
    return {
      links: samples.length,
      warmup: options.warmup,
      p50Ms: percentile(samples, 50),
      p95Ms: percentile(samples, 95),
      maxMs: samples[samples.length - 1] ?? Number.NaN,
      meanMs: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
      wallMs,
      failures,
    };
  } finally {
    await app.close();
    await database.close();
  }
}
