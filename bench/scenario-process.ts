// Runs one scenario in a process of its own, so its peak RSS is its own (not the emulator's,
// not an earlier scenario's). Started by bench/lib/scenarios.ts; answers once over IPC.
import { runAccountSyncScenario } from "./scenarios/account-sync.ts";
import { runManualLinkScenario } from "./scenarios/manual-link.ts";
import { runReadCompanies } from "./scenarios/read-companies.ts";
import { runNaiveBaseline } from "./naive-baseline.ts";
import type { ScenarioRequest } from "./lib/scenarios.ts";
import { maxRssBytes } from "./lib/stats.ts";

const request = JSON.parse(process.argv[2] ?? "{}") as ScenarioRequest;

async function run(): Promise<unknown> {
  switch (request.kind) {
    case "account-sync":
      return runAccountSyncScenario(request.env, { full: request.full });
    case "manual-link":
      return runManualLinkScenario(request.env, request.options);
    case "naive":
      return runNaiveBaseline(request.env, { sample: request.sample });
    case "read":
      return runReadCompanies(request.env, request.reader);
  }
}

const baselineRss = process.memoryUsage().rss;
try {
  const result = await run();
  process.send?.({ ok: true, result, maxRssBytes: maxRssBytes(), baselineRssBytes: baselineRss });
} catch (error) {
  process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
