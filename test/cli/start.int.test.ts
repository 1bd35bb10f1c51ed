// `crmsync start` (what `npm start` runs) as a newcomer meets it: the real CLI in a child
// process on a fresh data folder. It prints its banner among readable log lines (no raw JSON),
// and "Connect with HubSpot" works against the bundled emulator: the OAuth round trip ends with
// the workspace connected through OAuth. Also `crmsync --version` and a bad configuration.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCredentials } from "../../src/cli/demo.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** A start migrates, generates the emulator's data and seeds the demo: seconds, more on busy cores. */
const startTimeoutMs = 120_000;

/** n distinct free ports: all held until all are known, so none is handed out twice. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer().once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Only what a user's shell would pass on; no test runner variables. */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? tmpdir(), ...extra };
}

function runToEnd(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/crmsync.js", ...args], { cwd: repoRoot, env, encoding: "utf8", timeout: startTimeoutMs });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("crmsync start", () => {
  let dataDir: string;
  let child: ChildProcessWithoutNullStreams;
  let stdout = "";
  let url: string;
  let cookie: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "crmsync-start-"));
    // The app's port is fixed up front: the OAuth redirect URL is built from it.
    const [port, emulatorPort] = await freePorts(2);
    // LOG_FORMAT=pretty: what a terminal gets (auto picks it when stdout is a TTY; here it is a pipe).
    child = spawn(process.execPath, ["bin/crmsync.js", "start", "--emulator-port", String(emulatorPort)], { cwd: repoRoot, env: baseEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: "pretty" }) });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${startTimeoutMs} ms:\n${stdout}`)), startTimeoutMs);
      child.once("exit", (code) => reject(new Error(`crmsync start exited with ${code}:\n${stdout}`)));
      child.stdout.on("data", () => {
        const match = /crmsync is running at (\S+)/.exec(stdout);
        if (match && stdout.includes("HubSpot emulator:")) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const login = await fetch(`${url}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify(demoCredentials) });
    expect(login.status).toBe(200);
    cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  }, startTimeoutMs + 30_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints its banner with the login, and its log lines are readable, not JSON", () => {
    expect(stdout).toContain(`Log in as            ${demoCredentials.email}`);
    expect(stdout).toContain(`Password             ${demoCredentials.password}`);
    const lines = stdout.split("\n").filter((line) => line.trim() !== "");
    expect(lines.filter((line) => line.trimStart().startsWith("{"))).toEqual([]);
    // The server's start is logged, as a person reads it.
    expect(lines.some((line) => /^\d\d:\d\d:\d\d INFO {2}Server listening at http:\/\/127\.0\.0\.1:\d+/.test(line))).toBe(true);
  });

  it("connects the demo workspace with HubSpot through OAuth (the emulator's authorize page and token endpoint)", async () => {
    const headers = { cookie, origin: url, "content-type": "application/json" };
    const started = await fetch(`${url}/api/v1/crm/hubspot/oauth/start`, { method: "POST", headers, body: "{}" });
    expect(started.status, await started.clone().text()).toBe(200);
    const { authorizeUrl } = (await started.json()) as { authorizeUrl: string };
    const emulatorUrl = /HubSpot emulator: +(\S+)/.exec(stdout)![1]!;
    expect(authorizeUrl.startsWith(`${emulatorUrl}/oauth/authorize?`)).toBe(true);

    const approved = await fetch(authorizeUrl, { redirect: "manual" });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get("location")!);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${url}/api/v1/crm/hubspot/oauth/callback`);

    const landed = await fetch(callback, { redirect: "manual", headers: { cookie } });
    expect(landed.status).toBe(302);
    // The server logs why a callback failed: show it with the failure.
    expect(landed.headers.get("location"), stdout).toBe("/integrations/hubspot?connected=1");
    const connection = (await (await fetch(`${url}/api/v1/crm/hubspot/connection`, { headers: { cookie } })).json()) as { status: string; authKind: string };
    expect(connection).toMatchObject({ status: "connected", authKind: "oauth" });
  });
});

describe("crmsync --version and a bad configuration", () => {
  it("prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const result = runToEnd(["--version"], baseEnv({}));
    expect(result).toEqual({ code: 0, stdout: `crmsync ${version}\n`, stderr: "" });
  });

  it("names every bad variable at once and exits 1", () => {
    const result = runToEnd(["migrate"], baseEnv({ PORT: "seventy", LOG_LEVEL: "loud", DATABASE_URL: "mysql://db" }));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("crmsync: Invalid configuration: 3 variables are wrong");
    expect(lines.slice(1).map((line) => line.trim().split(" ")[0])).toEqual(["DATABASE_URL", "PORT", "LOG_LEVEL"]);
  });
});
