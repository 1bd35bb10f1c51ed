import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRun, transitionRun } from "../../src/db/repositories/sync-runs.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

describe("metrics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("sqlite");
  });
  afterAll(async () => {
    await t.close();
  });

  it("exposes request durations by route pattern and sync runs by kind and status", async () => {
    const run = await createRun(t.database.db, { workspaceId: t.a.id, provider: "hubspot", kind: "accounts", trigger: "manual" });
    await transitionRun(t.database.db, run.id, "running");
    await transitionRun(t.database.db, run.id, "failed");
    await t.request(t.a.adminToken, "GET", `/api/v1/sync-runs/${run.id}`);

    const res = await t.request(null, "GET", "/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toMatch(/crmsync_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/sync-runs\/:id",status="200"\} 1/);
    expect(res.body).not.toContain(run.id);
    expect(res.body).toMatch(/crmsync_sync_runs\{kind="accounts",status="failed"\} 1/);
    expect(res.body).toContain("crmsync_process_cpu_user_seconds_total");
  });
});
