// Starting a scenario process and collecting its answer.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchEnv } from "./env.ts";

export type ScenarioRequest =
  | { kind: "account-sync"; env: BenchEnv; full: boolean }
  | { kind: "manual-link"; env: BenchEnv; options: { links: number; warmup: number; companyIds: string[] } }
  | { kind: "naive"; env: BenchEnv; sample: number | null }
  | { kind: "read"; env: BenchEnv; reader: "sdk" | "crmsync" };

export interface ScenarioAnswer<T> {
  result: T;
  /** Peak RSS of the scenario's process (getrusage), module loading included. */
  maxRssBytes: number;
  /** RSS once the modules were loaded, before the scenario ran. */
  baselineRssBytes: number;
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
