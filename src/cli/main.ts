// `crmsync` command line. Each command parses its flags, reads config once, and calls the
// same functions the server and tests use.
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { issueApiToken, provisionUser, provisionWorkspace } from "../accounts.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { AppError } from "../core/errors.ts";
import { listFields, removeSyncMapping } from "../db/repositories/custom-fields.ts";
import { getWorkspace, listWorkspaces } from "../db/repositories/workspaces.ts";
import type { Role } from "../db/schema.ts";
import type { GraphileWorker } from "../jobs/graphile-queue.ts";
import { findUserByEmail } from "../db/repositories/users.ts";
import { demoConfig, ensureDemoWorkspace, seedDemo } from "./demo.ts";
import { createLogger, type Logger } from "./logging.ts";
import { promptPassword, readPasswordFromStdin } from "./read-password.ts";
import { closeOnSignal, openMigratedDatabase, startServer } from "./runtime.ts";
import { syncAccounts } from "./sync-command.ts";
import { syncContacts } from "./sync-contacts-command.ts";
import { startWorkerProcess } from "./worker-command.ts";

/** The configuration and the process's logger, made once per command. */
function setup(): { cfg: Config; logger: Logger } {
  const cfg = loadConfig();
  return { cfg, logger: createLogger(cfg) };
}

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const roleOption = new Option("--role <role>", "admin or member").choices(["admin", "member"]).default("member");

async function resolveWorkspaceId(cfg: Config, logger: Logger, given: string | undefined): Promise<string> {
  const database = await openMigratedDatabase(cfg, logger);
  try {
    if (given) {
      if (!(await getWorkspace(database.db, given))) throw new Error(`No workspace with id ${given}.`);
      return given;
    }
    const all = await listWorkspaces(database.db);
    if (all.length === 1 && all[0]) return all[0].id;
    throw new Error(all.length === 0 ? "There is no workspace yet: pass --workspace-name to create one." : "Several workspaces exist: pass --workspace <id>.");
  } finally {
    await database.close();
  }
}

const program = new Command("crmsync")
  .description("Keeps customers and contacts in step with HubSpot.")
  .version(`crmsync ${version}`, "-V, --version", "print the version")
  .showHelpAfterError();

program
  .command("serve")
  .description("Run the HTTP API (and web UI) on PORT; on SQLite it also runs the sync worker")
  .option("--with-worker", "on PostgreSQL, also run a sync worker in this process (default: API only; run `crmsync worker`)")
  .action(async (opts: { withWorker?: boolean }) => {
    const { cfg, logger } = setup();
    const database = await openMigratedDatabase(cfg, logger);
    const running = await startServer(cfg, database, logger, { withWorker: opts.withWorker === true });
    console.log(`crmsync listening on ${running.url} (API docs at ${running.url}/docs)`);
    if (cfg.database.dialect === "postgres" && !running.background) console.log("API only: sync jobs run in `crmsync worker` processes.");
    closeOnSignal(() => running.close());
    const worker = running.background?.worker;
    if (worker && "lost" in worker) {
      // As for `crmsync worker`: a worker without its database session exits for a fresh start.
      void (worker as GraphileWorker).lost.then(async (error) => {
        console.error(`crmsync serve: the sync worker stopped (${error.message}); exiting.`);
        await running.close().catch(() => undefined);
        process.exit(1);
      });
    }
  });

program
  .command("worker")
  .description("Run sync jobs and schedules (PostgreSQL: any number of processes on any machines)")
  .option("--concurrency <n>", "jobs this process runs at once", integer("--concurrency"), 2)
  .option("--no-schedules", "do not fire the periodic schedules from this process")
  .action(async (opts: { concurrency: number; schedules: boolean }) => {
    const { cfg, logger } = setup();
    if (opts.concurrency < 1) throw new InvalidArgumentError("--concurrency must be at least 1");
    const running = await startWorkerProcess(cfg, { concurrency: opts.concurrency, schedules: opts.schedules, logger });
    const id = running.background.worker.workerId;
    console.log(`crmsync worker ${id || "(embedded queue)"} running ${opts.concurrency} job(s) at once on ${cfg.database.dialect === "postgres" ? "PostgreSQL (graphile-worker)" : `SQLite (${cfg.database.file})`}`);
    closeOnSignal(() => running.close());
    // Without its database session the worker cannot prove it is alive, and other workers take
    // its runs over: exit, and let the supervisor start a fresh one.
    void running.lost.then(async (error) => {
      console.error(`crmsync worker: ${error.message}; exiting.`);
      await running.close().catch(() => undefined);
      process.exit(1);
    });
  });

program
  .command("start")
  .description("Quick start: the app with the bundled HubSpot emulator and a demo workspace")
  .option("--emulator-port <port>", "port of the bundled HubSpot emulator (0 picks a free one)", integer("--emulator-port"), 0)
  .action(async (opts: { emulatorPort: number }) => {
    const { cfg, logger } = setup();
    const { startEmulator } = await import("../../emulator/index.ts");
    const emulator = await startEmulator({ port: opts.emulatorPort, seed: 42, companies: 500, deals: 800, contacts: 2000 });
    const database = await openMigratedDatabase(cfg, logger);
    const demo = await ensureDemoWorkspace(database.db);
    const running = await startServer(demoConfig(cfg, emulator.url), database, logger);
    if (demo) {
      const admin = await findUserByEmail(database.db, demo.email);
      await seedDemo(running.ctx, emulator.store, demo.workspaceId, admin?.id ?? null);
    }
    console.log("");
    console.log(`  crmsync is running at ${running.url}`);
    console.log(`  API docs:            ${running.url}/docs`);
    if (demo) {
      console.log(`  Log in as            ${demo.email}`);
      console.log(`  Password             ${demo.password}`);
    }
    console.log(`  HubSpot emulator:    ${emulator.url} (demo data, seed 42)`);
    console.log(`  Data:                ${cfg.database.dialect === "sqlite" ? cfg.database.file : "PostgreSQL"}`);
    console.log("");
    closeOnSignal(async () => {
      await running.close();
      await emulator.close();
    });
  });

program
  .command("migrate")
  .description("Apply pending database migrations and exit")
  .action(async () => {
    const { cfg, logger } = setup();
    const database = await openMigratedDatabase(cfg, logger);
    await database.close();
    console.log("Database is up to date.");
  });

const user = program.command("user").description("Manage users");
user
  .command("create")
  .description("Create a user (and a workspace with --workspace-name)")
  .requiredOption("--email <email>")
  .option("--password-stdin", "read the password from the first line of stdin")
  .option("--password <password>", "at least 8 characters; visible to other users of the machine, prefer --password-stdin or the prompt")
  .option("--name <name>", "display name", "")
  .addOption(roleOption)
  .option("--workspace <id>", "workspace id (default: the only one)")
  .option("--workspace-name <name>", "create a new workspace with this user as its admin")
  .action(async (opts: { email: string; password?: string; passwordStdin?: boolean; name: string; role: Role; workspace?: string; workspaceName?: string }) => {
    const { cfg, logger } = setup();
    if (opts.password !== undefined && opts.passwordStdin) throw new InvalidArgumentError("give --password or --password-stdin, not both");
    const password = opts.password ?? (opts.passwordStdin ? await readPasswordFromStdin() : await promptPassword(`Password for ${opts.email}: `));
    if (opts.workspaceName) {
      const database = await openMigratedDatabase(cfg, logger);
      try {
        const { workspaceId, admin } = await provisionWorkspace(database.db, {
          name: opts.workspaceName,
          adminEmail: opts.email,
          adminName: opts.name || opts.email,
          adminPassword: password,
        });
        console.log(`Created workspace ${workspaceId} with admin ${admin.email} (${admin.id}).`);
      } finally {
        await database.close();
      }
      return;
    }
    const workspaceId = await resolveWorkspaceId(cfg, logger, opts.workspace);
    const database = await openMigratedDatabase(cfg, logger);
    try {
      const created = await provisionUser(database.db, { workspaceId, email: opts.email, name: opts.name || opts.email, role: opts.role, password });
      console.log(`Created ${created.role} ${created.email} (${created.id}) in workspace ${workspaceId}.`);
    } finally {
      await database.close();
    }
  });

const token = program.command("token").description("Manage API tokens");
token
  .command("create")
  .description("Create an API token; it is printed once")
  .requiredOption("--name <name>", "what the token is for")
  .addOption(roleOption)
  .option("--workspace <id>", "workspace id (default: the only one)")
  .action(async (opts: { name: string; role: Role; workspace?: string }) => {
    const { cfg, logger } = setup();
    const workspaceId = await resolveWorkspaceId(cfg, logger, opts.workspace);
    const database = await openMigratedDatabase(cfg, logger);
    try {
      const issued = await issueApiToken(database.db, { workspaceId, name: opts.name, role: opts.role });
      console.log(issued.token);
      console.error(`Token ${issued.id} (${opts.role}) for workspace ${workspaceId}. Store it now: it is not shown again.`);
    } finally {
      await database.close();
    }
  });

const field = program.command("field").description("Support actions on custom fields");
field
  .command("unmap")
  .description("Remove only a synced field's CRM mapping: the field and its values stay and become editable; the CRM no longer writes it")
  .argument("<field>", "the field's key (as in the API's fields) or id")
  .option("--workspace <id>", "workspace id (default: the only one)")
  .action(async (keyOrId: string, opts: { workspace?: string }) => {
    const { cfg, logger } = setup();
    const workspaceId = await resolveWorkspaceId(cfg, logger, opts.workspace);
    const database = await openMigratedDatabase(cfg, logger);
    try {
      const all = [...(await listFields(database.db, workspaceId, "customer")), ...(await listFields(database.db, workspaceId, "contact"))];
      const found = all.find((f) => f.id === keyOrId) ?? all.find((f) => f.key === keyOrId);
      if (!found) throw new AppError("not_found", `No custom field with the key or id "${keyOrId}" in workspace ${workspaceId}.`);
      if (!found.syncMapping) {
        console.log(`The field "${found.label}" (${found.key}) is not synced from a CRM; nothing to remove.`);
        return;
      }
      const { provider, object, property } = found.syncMapping;
      await removeSyncMapping(database.db, workspaceId, found.id);
      console.log(`The field "${found.label}" (${found.key}) no longer syncs from ${provider} ${object} property ${property}; its values stay and can be edited.`);
    } finally {
      await database.close();
    }
  });

const sync = program.command("sync").description("Run syncs by hand");
sync
  .command("accounts")
  .description("Run account sync (HubSpot companies and deals into customers) now, with progress")
  .requiredOption("--workspace <id>", "workspace id")
  .option("--full", "read every company and deal again instead of only the changes")
  .option("--no-progress", "no progress bar (for logs)")
  .action(async (opts: { workspace: string; full?: boolean; progress: boolean }) => {
    const run = await syncAccounts(loadConfig(), opts.workspace, { full: opts.full === true, progress: opts.progress });
    const calls = Object.entries(JSON.parse(run.crm_calls_by_endpoint) as Record<string, number>)
      .map(([endpoint, n]) => `${endpoint} ${n}`)
      .join(", ");
    console.log(`Run ${run.id}: ${run.status}${run.message ? ` (${run.message})` : ""}`);
    console.log(`  read ${run.records_read}, linked ${run.records_linked}, updated ${run.records_updated}, skipped ${run.records_skipped}`);
    console.log(`  CRM calls: ${run.crm_calls}${calls ? ` (${calls})` : ""}`);
    if (run.status === "partial") console.log(`  Errors: GET /api/v1/sync-runs/${run.id}/errors`);
    if (run.status === "failed") process.exitCode = 1;
  });
sync
  .command("contacts")
  .description("Run contact sync now (inbound run, or the two-way reconcile), with progress")
  .requiredOption("--workspace <id>", "workspace id")
  .option("--full", "read every contact of the source again instead of only the changes")
  .option("--no-progress", "no progress bar (for logs)")
  .action(async (opts: { workspace: string; full?: boolean; progress: boolean }) => {
    const run = await syncContacts(loadConfig(), opts.workspace, { full: opts.full === true, progress: opts.progress });
    const calls = Object.entries(JSON.parse(run.crm_calls_by_endpoint) as Record<string, number>)
      .map(([endpoint, n]) => `${endpoint} ${n}`)
      .join(", ");
    console.log(`Run ${run.id} (${run.kind}): ${run.status}${run.message ? ` (${run.message})` : ""}`);
    console.log(`  read ${run.records_read}, created ${run.records_created}, updated ${run.records_updated}, linked ${run.records_linked}, skipped ${run.records_skipped}`);
    console.log(`  CRM calls: ${run.crm_calls}${calls ? ` (${calls})` : ""}`);
    if (run.status === "partial") console.log(`  Errors: GET /api/v1/sync-runs/${run.id}/errors`);
    if (run.status === "failed") process.exitCode = 1;
  });

program
  .command("emulator")
  .description("Run a local CRM emulator (HubSpot, or Salesforce with --crm salesforce)")
  .option("--crm <crm>", "hubspot or salesforce", "hubspot")
  .option("--port <port>", "port", integer("--port"), 4010)
  .option("--seed <seed>", "generator seed", integer("--seed"), 42)
  .option("--companies <n>", "companies (Salesforce: accounts) to generate", integer("--companies"), 500)
  .option("--deals <n>", "deals (Salesforce: opportunities) to generate", integer("--deals"), 800)
  .option("--contacts <n>", "contacts to generate", integer("--contacts"), 2000)
  .option("--no-rate-limits", "turn HubSpot's rate limits off")
  .action(async (opts: { crm: string; port: number; seed: number; companies: number; deals: number; contacts: number; rateLimits: boolean }) => {
    if (opts.crm === "salesforce") {
      const { runSalesforceEmulatorCli } = await import("../../emulator/salesforce/cli.ts");
      await runSalesforceEmulatorCli({ port: opts.port, seed: opts.seed, accounts: opts.companies, opportunities: opts.deals, contacts: opts.contacts });
      return;
    }
    if (opts.crm !== "hubspot") throw new Error(`--crm must be hubspot or salesforce (got ${opts.crm})`);
    const { runEmulatorCli } = await import("../../emulator/cli.ts");
    await runEmulatorCli(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppError || error instanceof Error) {
    console.error(`crmsync: ${error.message}`);
    // A failed command has nothing left to do; whatever it had started (the demo's emulator, a
    // database pool) must not keep the process alive.
    process.exit(1);
  } else {
    throw error;
  }
}
