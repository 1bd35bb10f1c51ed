// `crmsync sync accounts` and `crmsync sync contacts` as a user runs them: the real CLI
// (node bin/crmsync.js) as a child process, on a SQLite file in a temp dir, against the HubSpot
// emulator listening on 127.0.0.1. The workspace is prepared the way the product prepares one:
// `crmsync user create --workspace-name`, HubSpot connected with the emulator's private-app token
// through CrmConnections (sealed with the key the CLI gets as CRMSYNC_SECRET), customers and
// sync settings through their repositories. The tests check what a user notices: the exit code,
// the progress and summary printed, the data written, and one clear line for each refusal.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN, startEmulator, type RunningEmulator } from "../../emulator/index.ts";
import { crmPhone } from "../../src/core/contact-matching.ts";
import { provisionWorkspace } from "../../src/accounts.ts";
import { generateSecretKey } from "../../src/core/security.ts";
import { listContactsByExternalIds } from "../../src/db/repositories/contacts.ts";
import { createCustomer } from "../../src/db/repositories/customers.ts";
import { createRun, transitionRun } from "../../src/db/repositories/sync-runs.ts";
import { setAccountSyncEnabled } from "../../src/db/repositories/sync-settings.ts";
import { accountSyncJob } from "../../src/jobs/scheduler.ts";
import { SqlJobQueue } from "../../src/jobs/sql-queue.ts";
import { defaultSettings as initialContactSettings, saveContactSyncSettings, type ContactSyncSettings } from "../../src/sync/contact-sync/settings.ts";
import { CrmConnections } from "../../src/connections/connections.ts";
import { connectorRegistry } from "../../src/connectors/registry.ts";
import { hubspotConnector } from "../../src/connectors/hubspot/connector.ts";

const provider = hubspotConnector.id;
const defaultSettings = initialContactSettings(hubspotConnector.contactModel.defaultMapping);
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { endpointCounts, uniquelyMatchableCompanies } from "../support/hubspot.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** A CLI start costs 1–2 s on an idle machine; other test runs and benchmarks share these cores. */
const childTimeoutMs = 120_000;
const testTimeoutMs = 240_000;

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Runs `crmsync <args>` to its end (killed after childTimeoutMs) with exactly this environment. */
function crmsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/crmsync.js", ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), childTimeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** f over items, at most `size` at a time (each CLI start is a full Node process on shared cores). */
async function inBatches<T, R>(items: readonly T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return out;
}

function transcript(result: CliResult): string {
  return `exit ${result.code ?? result.signal}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/** The summary a finished `crmsync sync …` prints on stdout. */
interface Summary {
  runId: string;
  kind: string | undefined;
  status: string;
  counters: Record<string, number>;
  crmCalls: number;
  callsByEndpoint: Record<string, number>;
}

function summaryOf(stdout: string): Summary {
  const head = /^Run (\S+?)(?: \((\w+)\))?: (\w+)/m.exec(stdout);
  const counters = /^ {2}(read \d+.*)$/m.exec(stdout);
  const calls = /^ {2}CRM calls: (\d+)(?: \((.*)\))?$/m.exec(stdout);
  if (!head || !counters || !calls) throw new Error(`no summary in:\n${stdout}`);
  return {
    runId: head[1]!,
    kind: head[2],
    status: head[3]!,
    counters: Object.fromEntries(counters[1]!.split(", ").map((part) => [part.split(" ")[0]!, Number(part.split(" ")[1])])),
    crmCalls: Number(calls[1]),
    callsByEndpoint: Object.fromEntries((calls[2] ?? "").split(", ").filter(Boolean).map((part) => [part.split(" ")[0]!, Number(part.split(" ")[1])])),
  };
}

function expectSucceeded(result: CliResult, options: { progress: boolean } = { progress: true }): Summary {
  expect(result.code, transcript(result)).toBe(0);
  const summary = summaryOf(result.stdout);
  expect(summary.status, transcript(result)).toBe("succeeded");
  // The progress bar is on stderr, drawn line by line when stderr is not a terminal; it ends on "done".
  if (options.progress) expect(result.stderr, transcript(result)).toMatch(/^queued\s+\|-+\| read 0 [^\n]*\n(?:[^\n]*\n)*done\s+\|=+\| read \d+ [^\n]*\n+$/);
  else expect(result.stderr, transcript(result)).toBe("");
  return summary;
}

/** A refusal: exit 1, nothing on stdout, and on stderr one line, no stack trace, that says what to do. */
function expectRefused(result: CliResult, message: string): void {
  expect(result.code, transcript(result)).toBe(1);
  expect(result.stdout, transcript(result)).toBe("");
  expect(result.stderr, transcript(result)).toMatch(/^crmsync: [^\n]+\n$/);
  expect(result.stderr.startsWith(`crmsync: ${message}`), transcript(result)).toBe(true);
}

// The tests run in order on one workspace, each starting from what the one before left.
describe("crmsync sync (the CLI in a child process, the emulator on 127.0.0.1, a SQLite file)", () => {
  let emu: RunningEmulator;
  let database: TestDatabase;
  let connections: CrmConnections;
  let env: Record<string, string>;
  let workspaceId: string;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, host: "127.0.0.1", seed: 11, companies: 30, deals: 20, contacts: 40, lists: 0, rateLimits: false });
    database = await createTestDatabase("sqlite");
    if (database.target.dialect !== "sqlite") throw new Error("expected a SQLite file");
    const secret = generateSecretKey();
    // Exactly what the CLI sees: no variable of the machine or of this test run leaks in.
    env = {
      DATABASE_URL: database.target.file,
      DATA_DIR: dirname(database.target.file),
      CRMSYNC_SECRET: secret,
      HUBSPOT_BASE_URL: emu.url,
      LOG_LEVEL: "warn",
    };
    connections = new CrmConnections(
      database.db,
      secret,
      connectorRegistry({ hubspot: { baseUrl: emu.url, authorizeUrl: `${emu.url}/oauth/authorize`, clientId: undefined, clientSecret: undefined, budget: false, privateAppLimit: 100 } }),
      "http://127.0.0.1",
    );
    const created = await crmsync(["user", "create", "--email", "admin@cli.test", "--password", "correct horse battery", "--workspace-name", "CLI"], env);
    expect(created.code, transcript(created)).toBe(0);
    workspaceId = /^Created workspace (\S+) with admin admin@cli\.test/m.exec(created.stdout)?.[1] ?? "";
    expect(workspaceId, transcript(created)).not.toBe("");
    await connections.connectWithToken(workspaceId, provider, PRIVATE_APP_TOKEN, null);
  }, testTimeoutMs);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await database?.drop();
    await emu?.close();
  });

  const customersByName = async (ws: string) =>
    new Map(
      (await database.db.selectFrom("customers").select(["name", "crm_company_id", "crm_link_source", "unlinked_reason"]).where("workspace_id", "=", ws).execute()).map((c) => [
        c.name,
        c,
      ]),
    );

  const runsOf = (ws: string) => database.db.selectFrom("sync_runs").selectAll().where("workspace_id", "=", ws).orderBy("created_at").execute();

  it(
    "sync accounts links the customers whose domains match HubSpot companies, with progress and a summary",
    async () => {
      const matches = uniquelyMatchableCompanies(emu.store).slice(0, 6);
      expect(matches).toHaveLength(6);
      for (const [i, match] of matches.entries()) await createCustomer(database.db, workspaceId, { name: `Matched ${i}`, domains: [match.domain] });
      await createCustomer(database.db, workspaceId, { name: "Late Corp", domains: ["late-corp-crmsync.com"] });
      await createCustomer(database.db, workspaceId, { name: "No Domain Co" });
      await setAccountSyncEnabled(database.db, workspaceId, provider, true);
      emu.store.counters.reset();

      const result = await crmsync(["sync", "accounts", "--workspace", workspaceId], env);

      const summary = expectSucceeded(result);
      // Every company and deal read; the customer without a match and the one without a domain skipped.
      const { companies, deals } = emu.store.stats();
      expect(summary.counters).toEqual({ read: companies! + deals!, linked: 6, updated: 0, skipped: 2 });
      // The calls it reports are the calls HubSpot saw.
      const seen = endpointCounts(emu.store.counters.snapshot());
      expect(summary.callsByEndpoint).toEqual(seen);
      expect(summary.crmCalls).toBe(Object.values(seen).reduce((a, b) => a + b, 0));

      const [run, ...others] = await runsOf(workspaceId);
      expect(others).toEqual([]);
      expect(run).toMatchObject({ id: summary.runId, kind: "accounts", trigger: "manual", status: "succeeded", records_linked: 6, crm_calls: summary.crmCalls });

      const customers = await customersByName(workspaceId);
      for (const [i, match] of matches.entries()) expect(customers.get(`Matched ${i}`)).toMatchObject({ crm_company_id: match.companyId, crm_link_source: "auto" });
      expect(customers.get("Late Corp")).toMatchObject({ crm_company_id: null, unlinked_reason: expect.any(String) });
      expect(customers.get("No Domain Co")).toMatchObject({ crm_company_id: null });
      // The local mirror holds every HubSpot company.
      const mirrored = await database.db.selectFrom("crm_companies").select("id").where("workspace_id", "=", workspaceId).execute();
      expect(mirrored).toHaveLength(emu.store.objects.companies.liveCount());
    },
    testTimeoutMs,
  );

  it(
    "sync accounts reads only what changed; --full reads everything again",
    async () => {
      const late = emu.store.addRecord("companies", { name: "Late Corp", domain: "late-corp-crmsync.com" });

      const incremental = expectSucceeded(await crmsync(["sync", "accounts", "--workspace", workspaceId], env));
      // One search per object type since the last run: the new company, linked; "No Domain Co" still skipped.
      expect(incremental.counters).toEqual({ read: 1, linked: 1, updated: 0, skipped: 1 });
      expect(incremental.callsByEndpoint).toEqual({ "companies.search": 1, "deals.search": 1 });
      expect((await customersByName(workspaceId)).get("Late Corp")).toMatchObject({ crm_company_id: String(late.id), crm_link_source: "auto" });

      const full = expectSucceeded(await crmsync(["sync", "accounts", "--workspace", workspaceId, "--full"], env));
      const { companies, deals } = emu.store.stats();
      expect(full.counters).toEqual({ read: companies! + deals!, linked: 0, updated: 0, skipped: 1 });
      expect(full.callsByEndpoint).toEqual({ "companies.list": 1, "deals.list": 1 });
      expect((await runsOf(workspaceId)).map((r) => [r.id, r.status])).toEqual([
        [expect.any(String), "succeeded"],
        [incremental.runId, "succeeded"],
        [full.runId, "succeeded"],
      ]);
    },
    testTimeoutMs,
  );

  it(
    "sync accounts finishes a run that was waiting (paused on HubSpot's limit) instead of waiting for a new one",
    async () => {
      // A run paused on HubSpot's rate limit: back to queued, its job due again in an hour.
      const paused = await createRun(database.db, { workspaceId, provider: "hubspot", kind: "accounts", trigger: "schedule" });
      await transitionRun(database.db, paused.id, "running");
      await transitionRun(database.db, paused.id, "queued", { message: "Paused: HubSpot's API limit was reached; resumes by itself." });
      const queue = new SqlJobQueue({ db: database.db, dialect: "sqlite" });
      await queue.enqueue(accountSyncJob({ workspaceId, provider: "hubspot", trigger: "schedule", runAt: new Date(Date.now() + 3_600_000) }));

      const result = await crmsync(["sync", "accounts", "--workspace", workspaceId, "--no-progress"], env);

      const summary = expectSucceeded(result, { progress: false });
      expect(summary.runId).toBe(paused.id);
      const runs = await runsOf(workspaceId);
      expect(runs).toHaveLength(4);
      expect(runs.at(-1)).toMatchObject({ id: paused.id, status: "succeeded" });
      expect(await queue.listJobs({ workspaceId, status: ["pending", "running"] })).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    "sync contacts imports the members of the source list with their HubSpot ids",
    async () => {
      // Members whose phone crmsync can read without a default country: the others are reported (phone_invalid).
      const live = emu.store.objects.contacts.records.filter((r) => r.live && r.props["email"] && (!r.props["phone"] || crmPhone(r.props["phone"]) !== null));
      const members = live.slice(0, 12);
      const list = emu.store.createList("CLI import", "contacts", members.map((r) => r.id));
      const settings: ContactSyncSettings = { ...defaultSettings, mode: "inbound", source: { kind: "list", listId: String(list.listId) }, lifecycleStages: [] };
      await saveContactSyncSettings(database.db, workspaceId, provider, settings);
      emu.store.counters.reset();

      const result = await crmsync(["sync", "contacts", "--workspace", workspaceId], env);

      const summary = expectSucceeded(result);
      expect(result.stderr).toMatch(/^done\s+\|=+\| read 12 · created 12 · updated 0 · \d+ CRM calls$/m);
      expect(summary.kind).toBe("contacts");
      expect(summary.counters).toMatchObject({ read: 12, created: 12, updated: 0 });
      const seen = endpointCounts(emu.store.counters.snapshot());
      expect(summary.callsByEndpoint).toEqual(seen);

      const imported = await listContactsByExternalIds(database.db, workspaceId, members.map((r) => String(r.id)));
      expect([...imported.keys()].sort()).toEqual(members.map((r) => String(r.id)).sort());
      for (const record of members) {
        const contact = imported.get(String(record.id))!;
        expect(contact.emails[0]).toBe(record.props["email"]!.toLowerCase());
        expect(contact.firstName).toBe(record.props["firstname"] ?? null);
        expect(contact.lastName).toBe(record.props["lastname"] ?? null);
        expect(contact.lastSyncedAt).not.toBeNull();
      }
      const all = await database.db.selectFrom("contacts").select("external_id").where("workspace_id", "=", workspaceId).execute();
      expect(all).toHaveLength(12);
      const [run] = (await runsOf(workspaceId)).filter((r) => r.kind === "contacts");
      expect(run).toMatchObject({ id: summary.runId, trigger: "manual", status: "succeeded", records_created: 12 });
    },
    testTimeoutMs,
  );

  it(
    "refuses, with one line that says what to do, what cannot sync; it queues nothing",
    async () => {
      const provision = async (name: string) =>
        (await provisionWorkspace(database.db, { name, adminEmail: `admin@${name}.test`, adminName: "Admin", adminPassword: "correct horse battery" })).workspaceId;
      const connected = async (name: string) => {
        const ws = await provision(name);
        await connections.connectWithToken(ws, provider, PRIVATE_APP_TOKEN, null);
        return ws;
      };
      const contactSync = (ws: string, changes: Partial<ContactSyncSettings>) =>
        saveContactSyncSettings(database.db, ws, provider, { ...defaultSettings, source: { kind: "list", listId: "1" }, lifecycleStages: [], ...changes });

      const notConnected = await provision("unconnected");
      const revoked = await connected("revoked");
      await setAccountSyncEnabled(database.db, revoked, provider, true);
      await connections.markRevoked(revoked, provider, "the token was deleted");
      const allOff = await connected("off");
      const paused = await connected("paused");
      await contactSync(paused, { mode: "inbound", paused: true });
      const unconfirmed = await connected("unconfirmed");
      await contactSync(unconfirmed, { mode: "two_way", previewedAt: new Date().toISOString() });
      const brokenList = await connected("broken");
      await contactSync(brokenList, { mode: "inbound", sourceError: { code: "crm_list_not_found", listId: "1", at: new Date().toISOString() } });
      const otherKey = await connected("other-key");
      await setAccountSyncEnabled(database.db, otherKey, provider, true);
      const refusing = [notConnected, revoked, allOff, paused, unconfirmed, brokenList, otherKey];

      const web = "Integrations → HubSpot in the web app";
      const cases: [string[], string, Record<string, string>?][] = [
        [["accounts", "--workspace", "no-such-workspace"], "No workspace with id no-such-workspace: pass the id of an existing workspace"],
        [["contacts", "--workspace", "no-such-workspace"], "No workspace with id no-such-workspace: pass the id of an existing workspace"],
        [["accounts", "--workspace", notConnected], `HubSpot is not connected for workspace ${notConnected}: connect it first (${web}, with OAuth or a key; or POST /api/v1/crm/hubspot/connection/service-key with {"token": "…"}).`],
        [["contacts", "--workspace", notConnected], `HubSpot is not connected for workspace ${notConnected}: connect it first`],
        [["accounts", "--workspace", revoked], `HubSpot was disconnected for workspace ${revoked} (HubSpot revoked access: the token was deleted): connect it again first (${web}).`],
        [["accounts", "--workspace", allOff], `HubSpot Sync is off for workspace ${allOff}: turn it on first (the HubSpot Sync switch on the Customers page, or PUT /api/v1/crm/hubspot/account-sync).`],
        [["contacts", "--workspace", allOff], `Contact sync is off for workspace ${allOff}: choose a mode first (${web}, or PUT /api/v1/crm/hubspot/contact-sync).`],
        [["contacts", "--workspace", paused], `Contact sync is paused for workspace ${paused}: resume it first (${web}, or PUT /api/v1/crm/hubspot/contact-sync with "paused": false).`],
        [["contacts", "--workspace", unconfirmed], `Two-way contact sync is not confirmed for workspace ${unconfirmed}: preview and confirm it first (${web}, or POST /api/v1/crm/hubspot/contact-sync/preview`],
        [["contacts", "--workspace", brokenList], `The HubSpot list 1 that contact sync reads was deleted: choose another list first (${web}, or PUT /api/v1/crm/hubspot/contact-sync).`],
        [["accounts", "--workspace", otherKey], `The stored HubSpot credentials of workspace ${otherKey} do not open with this secret key: run the command with the server's CRMSYNC_SECRET`, { CRMSYNC_SECRET: generateSecretKey() }],
      ];
      const results = await inBatches(cases, 4, ([args, , extra]) => crmsync(["sync", ...args], { ...env, ...extra }));
      for (const [i, [, message]] of cases.entries()) expectRefused(results[i]!, message);

      const queued = await database.db.selectFrom("jobs").select("id").where("workspace_id", "in", refusing).execute();
      expect(queued).toEqual([]);
      const runs = await database.db.selectFrom("sync_runs").select("id").where("workspace_id", "in", refusing).execute();
      expect(runs).toEqual([]);
    },
    testTimeoutMs,
  );
});
