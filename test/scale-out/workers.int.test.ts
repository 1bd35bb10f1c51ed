// Three crmsync worker processes share twenty workspaces through graphile-worker on PostgreSQL,
// against an emulator with HubSpot's rate limits on. Every workspace uses the same private-app
// token, so all twenty share one portal budget: the processes must stay under its limit
// together, which only the shared (PostgreSQL) budget store makes possible.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCustomers, snapshotWorkspace, uniquelyMatchableCompanies, type CompanyMatch } from "../support/hubspot.ts";
import { overlappingJobs, ScaleOut, waitFor, type Workspace } from "./fixture.ts";

describe("scale-out: three worker processes, twenty workspaces, one shared portal budget", () => {
  let s: ScaleOut;
  let workspaces: Workspace[];
  let matches: CompanyMatch[];

  beforeAll(async () => {
    s = await ScaleOut.start({
      emulator: { seed: 5, companies: 300, deals: 300, contacts: 0, rateLimits: true },
      budget: { reservedShare: 0.1 },
    });
    workspaces = await s.workspaces(20);
    matches = uniquelyMatchableCompanies(s.emu.store).slice(0, 60);
    // Connecting probes HubSpot outside any budget; twenty at once would meet the portal's
    // search limit. The limits apply from the moment the workers start.
    s.emu.store.rateLimiter.config.enabled = false;
    await Promise.all(
      workspaces.map(async (ws) => {
        await s.setUp(ws);
        await insertCustomers(s.database.db, ws.id, [
          ...matches.map((m, i) => ({ name: `M${i}`, domains: [m.domain] })),
          ...Array.from({ length: 5 }, (_, i) => ({ name: `U${i}`, domains: [`nowhere-${i}.example.org`] })),
        ]);
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it("syncs every workspace correctly, never runs one workspace twice at once, and stays under HubSpot's limits", { timeout: 150_000 }, async () => {
    await Promise.all([s.spawnWorker(), s.spawnWorker(), s.spawnWorker()]);
    s.emu.store.rateLimiter.config.enabled = true;
    s.emu.store.rateLimiter.resetWindows();
    s.emu.store.counters.reset();
    for (const ws of workspaces) await s.enable(ws);

    // "Run now" while each workspace's first run is going: one follow-up run each (§3.4).
    const followedUp = new Set<string>();
    await waitFor(
      "a follow-up trigger for every workspace",
      async () => {
        for (const ws of workspaces) {
          if (followedUp.has(ws.id)) continue;
          const [first] = await s.runs(ws.id);
          if (first?.status === "running") {
            followedUp.add(ws.id);
            await s.runNow(ws);
          } else if (first && ["succeeded", "partial", "failed"].includes(first.status)) {
            followedUp.add(ws.id); // finished before we looked: nothing to overlap with
          }
        }
        return followedUp.size === workspaces.length ? true : undefined;
      },
      120_000,
      20,
    );
    await waitFor(
      "every run to finish",
      async () => {
        const jobs = await s.queue.listJobs({ limit: 1 });
        if (jobs.length > 0) return undefined;
        for (const ws of workspaces) {
          const runs = await s.runs(ws.id);
          if (runs.length === 0 || runs.some((r) => !["succeeded", "partial", "failed"].includes(r.status))) return undefined;
        }
        return true;
      },
      120_000,
      200,
    );

    // Every run succeeded, and the follow-ups did happen for most workspaces.
    const allRuns = (await Promise.all(workspaces.map((ws) => s.runs(ws.id)))).flat();
    expect(allRuns.filter((r) => r.status !== "succeeded").map((r) => `${r.workspace_id}: ${r.status} ${r.message}`)).toEqual([]);
    expect(allRuns.length).toBeGreaterThanOrEqual(workspaces.length + 10);

    // Never two jobs of one workspace at once, across the three processes...
    expect(overlappingJobs(s.events)).toEqual([]);
    // ...and never two runs of one workspace at once.
    for (const ws of workspaces) {
      const runs = allRuns.filter((r) => r.workspace_id === ws.id).sort((a, b) => a.started_at!.localeCompare(b.started_at!));
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at! >= runs[i - 1]!.finished_at!).toBe(true);
    }
    // The work was shared.
    const pids = new Set(s.events.filter((e) => e.kind === "start").map((e) => e.pid));
    expect(pids.size).toBeGreaterThanOrEqual(2);

    // Every workspace ends with the same, right links and values.
    const reference = await snapshotWorkspace(s.database.db, workspaces[0]!.id);
    matches.forEach((m, i) => {
      const c = reference.get(`M${i}`);
      expect(c?.companyId).toBe(m.companyId);
      const revenue = s.emu.store.objects.companies.records.find((r) => String(r.id) === m.companyId)?.props["annualrevenue"];
      expect(c?.fields["annual_revenue"]?.number).toBe(revenue ? Number(revenue) : undefined);
    });
    for (const ws of workspaces.slice(1)) expect(await snapshotWorkspace(s.database.db, ws.id)).toEqual(reference);

    // HubSpot's view: at most 1% of its answers were 429s.
    const counters = s.emu.store.counters.snapshot();
    const answered = Object.values(counters.statuses).reduce((a, b) => a + b, 0);
    const limited = counters.statuses["429"] ?? 0;
    console.log(`scale-out: ${answered} CRM answers, ${limited} were 429; ${allRuns.length} runs on ${pids.size} processes`);
    expect(answered).toBeGreaterThanOrEqual(120);
    expect(limited / answered).toBeLessThanOrEqual(0.01);
  });
});
