// Runs one scenario in a process of its own, so its peak RSS is its own (not the emulator's,
// not an earlier scenario's). Started by bench/lib/scenarios.ts; answers once over IPC.
import { runScenario, type ScenarioRequest } from "./lib/scenarios.ts";
import { maxRssBytes } from "./lib/stats.ts";

const request = JSON.parse(process.argv[2] ?? "{}") as ScenarioRequest;

const baselineRss = process.memoryUsage().rss;
try {
  const result = await runScenario(request);
  process.send?.({ ok: true, result, maxRssBytes: maxRssBytes(), baselineRssBytes: baselineRss });
} catch (error) {
  process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
