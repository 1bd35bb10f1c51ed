import type { FastifyInstance } from "fastify";
import { versionList } from "../api-versions.ts";
import { route, versionOf } from "../server.ts";
import type { SalesforceStore } from "../store.ts";

/** The versions list, a version's resource list and `/limits`. */
const FIXED_LIMITS: Record<string, [number, number]> = {
  ConcurrentAsyncGetReportInstances: [200, 200],
  ConcurrentSyncReportRuns: [20, 20],
  DailyAsyncApexExecutions: [250000, 250000],
  DailyBulkApiBatches: [15000, 15000],
  DailyBulkV2QueryFileStorageMB: [976562, 976562],
  DailyBulkV2QueryJobs: [10000, 10000],
  DailyDurableStreamingApiEvents: [200000, 200000],
  DailyStreamingApiEvents: [200000, 200000],
  DataStorageMB: [5, 5],
  FileStorageMB: [20, 20],
  HourlyODataCallout: [10000, 10000],
  HourlyTimeBasedWorkflow: [1000, 1000],
  MassEmail: [5000, 5000],
  SingleEmail: [5000, 5000],
};

export function registerLimitRoutes(app: FastifyInstance, store: SalesforceStore): void {
  app.get("/services/data", route({ endpoint: "versions", kind: "open" }), async () => versionList());

  app.get("/services/data/:version", route({ endpoint: "resources", kind: "data" }), async (req) => {
    const base = `/services/data/v${versionOf(req)}`;
    return {
      limits: `${base}/limits`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      sobjects: `${base}/sobjects`,
      composite: `${base}/composite`,
    };
  });

  app.get("/services/data/:version/limits", route({ endpoint: "limits", kind: "data" }), async () => {
    const now = store.now();
    const out: Record<string, { Max: number; Remaining: number }> = {
      DailyApiRequests: { Max: store.usage.max, Remaining: store.usage.remaining(now) },
    };
    for (const [name, [max, remaining]] of Object.entries(FIXED_LIMITS)) out[name] = { Max: max, Remaining: remaining };
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  });
}
