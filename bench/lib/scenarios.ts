// Starting a scenario process and collecting its answer.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runNaiveBaseline } from "../naive-baseline.ts";
import { runAccountSyncScenario } from "../scenarios/account-sync.ts";
import { runContactSyncScenario } from "../scenarios/contact-sync.ts";
import { runManualLinkScenario } from "../scenarios/manual-link.ts";
import { runReadCompanies } from "../scenarios/read-companies.ts";
import { runSdkProgram } from "../sdk-program.ts";
import type { BenchEnv } from "./env.ts";
import { maxRssBytes } from "./stats.ts";

export type ScenarioRequest =
  | { kind: "account-sync"; env: BenchEnv; full: boolean; atLimits?: boolean }
  | { kind: "manual-link"; env: BenchEnv; options: { links: number; warmup: number; companyIds: string[] } }
  | { kind: "naive"; env: BenchEnv; sample: number | null }
  | { kind: "read"; env: BenchEnv; reader: "sdk" | "crmsync" }
  | { kind: "sdk-program"; env: BenchEnv }
  | { kind: "contact-sync"; env: BenchEnv; run: "contacts" | "reconcile"; full: boolean };

export interface ScenarioAnswer<T> {
  result: T;
  /** Peak RSS of the scenario's process (getrusage), module loading included. */
  maxRssBytes: number;
  /** RSS once the modules were loaded, before the scenario ran. */
  baselineRssBytes: number;
}

/** Runs a scenario in this process. */
export async function runScenario(request: ScenarioRequest): Promise<unknown> {
  switch (request.kind) {
    case "account-sync":
      return runAccountSyncScenario(request.env, { full: request.full, atLimits: request.atLimits });
    case "manual-link":
      return runManualLinkScenario(request.env, request.options);
    case "naive":
      return runNaiveBaseline(request.env, { sample: request.sample });
    case "read":
      return runReadCompanies(request.env, request.reader);
    case "sdk-program":
      return runSdkProgram(request.env);
    case "contact-sync":
      return runContactSyncScenario(request.env, { kind: request.run, full: request.full });
  }
}

type Message = { ok: true; result: unknown; maxRssBytes: number; baselineRssBytes: number } | { ok: false; error: string };

export function runScenarioProcess<T>(request: ScenarioRequest, options: { cpuProf?: string | undefined } = {}): Promise<ScenarioAnswer<T>> {
  const script = fileURLToPath(new URL("../scenario-process.ts", import.meta.url));
  const execArgv = ["--import", "tsx"];
  if (options.cpuProf) execArgv.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`);
  const child = fork(script, [JSON.stringify(request)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    let answer: Message | undefined;
    child.on("message", (raw) => (answer = raw as Message));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (!answer) return reject(new Error(`scenario ${request.kind} exited without an answer (${code ?? signal})`));
      if (!answer.ok) return reject(new Error(`scenario ${request.kind} failed: ${answer.error}`));
      resolve({ result: answer.result as T, maxRssBytes: answer.maxRssBytes, baselineRssBytes: answer.baselineRssBytes });
    });
  });
}

/** Runs a scenario in this process: no process to start, but its peak RSS is the process's so far. */
export async function runScenarioInProcess<T>(request: ScenarioRequest): Promise<ScenarioAnswer<T>> {
  const baselineRssBytes = process.memoryUsage().rss;
  const result = (await runScenario(request)) as T;
  return { result, maxRssBytes: maxRssBytes(), baselineRssBytes };
}
