// The real CLI (node bin/crmsync.js) as a child process on a data directory of its own: what a
// user typing `crmsync …` gets back (exit code, stdout, stderr). PostgreSQL from the test
// environment is left out, so the CLI uses the SQLite file in that directory.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface CliAnswer {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { dataDir: string; stdin?: string }): Promise<CliAnswer> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _url, ...env } = process.env;
    const child = spawn(process.execPath, ["bin/crmsync.js", ...args], { cwd: repoRoot, env: { ...env, DATA_DIR: options.dataDir }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
