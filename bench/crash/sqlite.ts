// SQLite as `crmsync start` runs it: one file, the SQL job queue, and the sync worker in a
// process of its own (test/account-sync/crash-worker.ts) that is killed and started again on the
// same machine, as a restart after a crash would.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PRIVATE_APP_TOKEN, startEmulator, type EmulatorOptions } from "../../emulator/index.ts";
import { issueApiToken, provisionWorkspace } from "../../src/accounts.ts";
import { startTestApp } from "../../test/support/app.ts";
import type { CrashDeployment } from "./deployment.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export async function sqliteDeployment(emulator: Omit<EmulatorOptions, "port" | "host">): Promise<CrashDeployment> {
  const emu = await startEmulator({ ...emulator, rateLimits: false, port: 0, host: "127.0.0.1" });
  const t = await startTestApp("sqlite", { hubspotBaseUrl: emu.url });
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const ok = async (token: string, method: string, url: string, body?: unknown) => {
    const res = await t.request(token, method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  };
  return {
    name: "sqlite",
    db: t.database.db,
    emu,
    async workspaces(n) {
      const out = [];
      for (let i = 0; i < n; i++) {
        const name = `crash-${String(i).padStart(3, "0")}`;
        const { workspaceId, admin } = await provisionWorkspace(t.database.db, { name, adminEmail: `admin@${name}.test`, adminName: "Admin", adminPassword: t.password });
        const token = (await issueApiToken(t.database.db, { workspaceId, name: "admin", role: "admin", createdBy: admin.id })).token;
        await ok(token, "POST", "/api/v1/crm/hubspot/connection/private-app", { token: PRIVATE_APP_TOKEN });
        await ok(token, "POST", "/api/v1/crm/hubspot/import-fields", {
          properties: [
            { object: "company", name: "annualrevenue" },
            { object: "company", name: "industry" },
            { object: "deal", name: "amount" },
          ],
        });
        out.push({ id: workspaceId, token });
      }
      return out;
    },
    enable: (ws) => ok(ws.token, "PUT", "/api/v1/crm/hubspot/account-sync", { enabled: true }),
    async dueJobs(workspaceId) {
      const jobs = await t.ctx.queue.listJobs({ workspaceId, status: ["pending", "running"] });
      return jobs.filter((j) => j.runAt.getTime() < Date.now() + 60_000).length;
    },
    async startWorker() {
      const config = { target: t.database.target, secretKey: t.ctx.secretKey, hubspotBaseUrl: emu.url };
      const started = spawn(process.execPath, ["--import", "tsx", "test/account-sync/crash-worker.ts", JSON.stringify(config)], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
      child = started;
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: started.stdout! }).on("line", (line) => line === "ready" && resolve());
        void exited.then(() => reject(new Error("the worker exited before it was ready")));
      });
    },
    async killWorker() {
      child?.kill("SIGKILL");
      await exited;
      child = null;
    },
    // One process runs the schedule on SQLite, and it is the one killed: nothing lands meanwhile.
    afterKill: async () => undefined,
    cleanUp: async () => undefined,
    async close() {
      child?.kill("SIGKILL");
      await exited;
      await t.close();
      await emu.close();
    },
  };
}
