// Account sync against the HubSpot emulator: an emulator started in-process (real HTTP, no
// rate limits), a test app pointed at it, a background worker that runs the queued sync jobs,
// and helpers that speak to both sides the way a user and a HubSpot admin would.
import {
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PRIVATE_APP_TOKEN,
  startEmulator,
  type CounterSnapshot,
  type EmulatorOptions,
  type EmulatorStore,
  type RunningEmulator,
} from "../../emulator/index.ts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Kysely } from "kysely";
import { tryNormalizeDomain } from "../../src/core/domains.ts";
import type { Dialect } from "../../src/db/database.ts";
import { newCustomerRow } from "../../src/db/repositories/customers.ts";
import type { Database } from "../../src/db/schema.ts";
import { startBackground, type Background } from "../../src/sync/background.ts";
import { startTestApp, type TestApp, type TestWorkspace } from "./app.ts";

export interface CustomerJson {
  id: string;
  name: string;
  domains: string[];
  fields: Record<string, unknown>;
  crmLink: null | { provider: string; companyId: string; dealId: string | null; source: "auto" | "manual"; linkedAt: string; companyUrl: string | null; dealUrl: string | null };
  linkStatus: { state: "linked" | "unlinked" | "not_checked"; reason?: string; candidates?: string[]; checkedAt?: string };
  createdAt: string;
  updatedAt: string;
}

export interface RunJson {
  id: string;
  provider: string;
  kind: string;
  trigger: string;
  status: string;
  triggeredBy: string | null;
  counters: { read: number; linked: number; updated: number; created: number; skipped: number; failed: number };
  crmCalls: { total: number; byEndpoint: Record<string, number> };
  message: string | null;
  pause: { limit: string; resumesAt: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  errorCount?: number;
}

export interface RunErrorJson {
  id: string;
  code: string;
  message: string;
  hint: string;
  recordType: string | null;
  recordId: string | null;
  crmId: string | null;
  crmUrl: string | null;
  details: Record<string, unknown>;
}

export interface FieldJson {
  id: string;
  key: string;
  label: string;
  type: string;
  options: { value: string; label: string }[];
  syncMapping: null | { provider: string; object: string; property: string };
  readOnly: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export interface HubSpotHarnessOptions {
  emulator?: Omit<EmulatorOptions, "port" | "rateLimits">;
  /** Start the background worker (default true). */
  worker?: boolean;
  /** Also register a second CRM, "other" (see startTestApp). */
  secondCrm?: boolean;
}

export class HubSpotHarness {
  private constructor(
    readonly dialect: Dialect,
    readonly emu: RunningEmulator,
    readonly t: TestApp,
    public background: Background | null,
  ) {}

  static async start(dialect: Dialect, options: HubSpotHarnessOptions = {}): Promise<HubSpotHarness> {
    const emu = await startEmulator({ ...options.emulator, port: 0, host: "127.0.0.1", rateLimits: false });
    try {
      const t = await startTestApp(dialect, { hubspotBaseUrl: emu.url, oauthClient: { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET }, ...(options.secondCrm ? { secondCrm: true } : {}) });
      const harness = new HubSpotHarness(dialect, emu, t, null);
      if (options.worker !== false) harness.startWorker();
      return harness;
    } catch (error) {
      await emu.close();
      throw error;
    }
  }

  /** Workspace "alpha", the one most tests use. */
  get ws(): TestWorkspace {
    return this.t.a;
  }

  startWorker(): Background {
    this.background = startBackground({ db: this.t.ctx.db, queue: this.t.ctx.queue, connections: this.t.ctx.crm, schedules: false, pollIntervalMs: 20 });
    return this.background;
  }

  async stopWorker(): Promise<void> {
    await this.background?.stop();
    this.background = null;
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.t.close();
    await this.emu.close();
  }

  // ---- crmsync's API ---------------------------------------------------------------------

  async api<T = unknown>(method: string, url: string, body?: unknown, token: string = this.ws.adminToken): Promise<ApiResponse<T>> {
    const res = await this.t.request(token, method, url, body);
    return { status: res.statusCode, body: (res.body === "" ? null : res.json()) as T };
  }

  /** Like api(), but fails the test with the answer when the status is not the expected one. */
  async ok<T = unknown>(method: string, url: string, body?: unknown, token?: string, expected?: number): Promise<T> {
    const res = await this.api<T>(method, url, body, token);
    const want = expected ?? (method === "POST" ? [200, 201, 202] : method === "DELETE" ? [200, 204] : [200]);
    const allowed = Array.isArray(want) ? want : [want];
    if (!allowed.includes(res.status)) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async connect(ws: TestWorkspace = this.ws): Promise<void> {
    await this.ok("POST", "/api/v1/crm/hubspot/connection/private-app", { token: PRIVATE_APP_TOKEN }, ws.adminToken);
  }

  async setSync(enabled: boolean, ws: TestWorkspace = this.ws): Promise<void> {
    await this.ok("PUT", "/api/v1/crm/hubspot/account-sync", { enabled }, ws.adminToken);
  }

  /** Turns HubSpot Sync on and waits for the full run it starts; returns that run. */
  async enableSync(ws: TestWorkspace = this.ws): Promise<RunJson> {
    await this.setSync(true, ws);
    await this.drain();
    return this.latestRun(ws);
  }

  /** "Run now", then waits for the worker; returns the newest accounts run. */
  async runSync(ws: TestWorkspace = this.ws): Promise<RunJson> {
    await this.ok("POST", "/api/v1/crm/hubspot/account-sync/run", undefined, ws.adminToken);
    await this.drain();
    return this.latestRun(ws);
  }

  async drain(): Promise<void> {
    if (!this.background) throw new Error("no worker running");
    await this.background.worker.drain();
  }

  async runs(ws: TestWorkspace = this.ws, kind = "accounts"): Promise<RunJson[]> {
    return (await this.ok<{ items: RunJson[] }>("GET", `/api/v1/sync-runs?kind=${kind}&limit=100`, undefined, ws.adminToken)).items;
  }

  async latestRun(ws: TestWorkspace = this.ws, kind = "accounts"): Promise<RunJson> {
    const [run] = await this.runs(ws, kind);
    if (!run) throw new Error(`no ${kind} run`);
    return this.ok<RunJson>("GET", `/api/v1/sync-runs/${run.id}`, undefined, ws.adminToken);
  }

  async runErrors(runId: string, ws: TestWorkspace = this.ws): Promise<RunErrorJson[]> {
    return (await this.ok<{ items: RunErrorJson[] }>("GET", `/api/v1/sync-runs/${runId}/errors?limit=200`, undefined, ws.adminToken)).items;
  }

  async createCustomer(name: string, domains: string[] = [], ws: TestWorkspace = this.ws): Promise<CustomerJson> {
    return this.ok<CustomerJson>("POST", "/api/v1/customers", { name, domains }, ws.adminToken);
  }

  async customer(id: string, ws: TestWorkspace = this.ws): Promise<CustomerJson> {
    return this.ok<CustomerJson>("GET", `/api/v1/customers/${id}`, undefined, ws.adminToken);
  }

  async setDomains(id: string, domains: string[], ws: TestWorkspace = this.ws): Promise<CustomerJson> {
    return this.ok<CustomerJson>("PATCH", `/api/v1/customers/${id}`, { domains }, ws.adminToken);
  }

  async importFields(properties: { object: "company" | "deal"; name: string }[], ws: TestWorkspace = this.ws): Promise<FieldJson[]> {
    return (await this.ok<{ fields: FieldJson[] }>("POST", "/api/v1/crm/hubspot/import-fields", { properties }, ws.adminToken)).fields;
  }

  async fields(ws: TestWorkspace = this.ws): Promise<FieldJson[]> {
    return (await this.ok<{ items: FieldJson[] }>("GET", "/api/v1/custom-fields", undefined, ws.adminToken)).items;
  }

  // ---- the emulator, as a HubSpot user would change it (control API) ----------------------

  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emu.url}/_emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${text}`);
    return (text === "" ? null : JSON.parse(text)) as T;
  }

  /** Creates a company as a HubSpot user would; returns its id. */
  async addCompany(properties: Record<string, string>): Promise<string> {
    return (await this.control<{ id: string }>("POST", "/objects/companies", { properties })).id;
  }

  /** Creates a deal of a company (primary association); `createdate` may be given. */
  async addDeal(companyId: string, properties: Record<string, string>): Promise<string> {
    return (await this.control<{ id: string }>("POST", "/objects/deals", { properties, companyId })).id;
  }

  async patchRecord(type: "companies" | "deals", id: string, properties: Record<string, string>): Promise<void> {
    await this.control("PATCH", `/objects/${type}/${id}`, { properties });
  }

  async deleteRecord(type: "companies" | "deals", id: string): Promise<void> {
    await this.control("DELETE", `/objects/${type}/${id}`);
  }

  counters(): CounterSnapshot {
    return this.emu.store.counters.snapshot();
  }

  resetCounters(): void {
    this.emu.store.counters.reset();
  }
}

/** CRM calls the emulator counted, without the control API (never counted) and without zeros. */
export function endpointCounts(snapshot: CounterSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.endpoints).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
}

export function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

// ---- generated data: matching customers, and snapshots to compare runs ----------------------

export interface CompanyMatch {
  companyId: string;
  /** Normalised, and held by no other live company (primary or additional): an exact match. */
  domain: string;
}

/** Live generated companies whose primary domain no other company claims, in id order. */
export function uniquelyMatchableCompanies(store: EmulatorStore): CompanyMatch[] {
  const owners = new Map<string, number>();
  const live = store.objects.companies.records.filter((r) => r.live);
  for (const r of live) {
    const seen = new Set<string>();
    for (const raw of [r.props["domain"] ?? "", ...(r.props["hs_additional_domains"] ?? "").split(";")]) {
      const domain = tryNormalizeDomain(raw);
      if (domain && !seen.has(domain)) {
        seen.add(domain);
        owners.set(domain, (owners.get(domain) ?? 0) + 1);
      }
    }
  }
  const out: CompanyMatch[] = [];
  for (const r of live) {
    const domain = tryNormalizeDomain(r.props["domain"] ?? "");
    if (domain && owners.get(domain) === 1) out.push({ companyId: String(r.id), domain });
  }
  return out;
}

/** Inserts customers directly (one transaction), for volumes the API would make slow. */
export async function insertCustomers(db: Kysely<Database>, workspaceId: string, customers: readonly { name: string; domains: string[] }[]): Promise<void> {
  const now = new Date().toISOString();
  const rows = customers.map((c) => ({ id: randomUUID(), name: c.name, domains: c.domains }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      await trx
        .insertInto("customers")
        .values(
          part.map((c) => newCustomerRow(workspaceId, c.name, { id: c.id, now })),
        )
        .execute();
      const domainRows = part.flatMap((c) => c.domains.map((domain, position) => ({ workspace_id: workspaceId, customer_id: c.id, domain, position })));
      for (let j = 0; j < domainRows.length; j += 500) await trx.insertInto("customer_domains").values(domainRows.slice(j, j + 500)).execute();
    }
  });
}

export interface CustomerSnapshot {
  companyId: string | null;
  dealId: string | null;
  source: string | null;
  unlinkedReason: string | null;
  candidates: string | null;
  fields: Record<string, { text: string | null; number: number | null }>;
}

/** Every customer of a workspace by name, with its link and its values by field key. */
export async function snapshotWorkspace(db: Kysely<Database>, workspaceId: string): Promise<Map<string, CustomerSnapshot>> {
  const customers = await db
    .selectFrom("customers")
    .select(["id", "name", "crm_company_id", "crm_deal_id", "crm_link_source", "unlinked_reason", "link_candidates"])
    .where("workspace_id", "=", workspaceId)
    .execute();
  const values = await db
    .selectFrom("field_values as v")
    .innerJoin("custom_fields as f", "f.id", "v.field_id")
    .select(["v.entity_id", "f.key", "v.text_value", "v.number_value"])
    .where("v.workspace_id", "=", workspaceId)
    .execute();
  const byId = new Map<string, CustomerSnapshot>();
  const out = new Map<string, CustomerSnapshot>();
  for (const c of customers) {
    const snap: CustomerSnapshot = {
      companyId: c.crm_company_id,
      dealId: c.crm_deal_id,
      source: c.crm_link_source,
      unlinkedReason: c.unlinked_reason,
      candidates: c.link_candidates,
      fields: {},
    };
    byId.set(c.id, snap);
    out.set(c.name, snap);
  }
  for (const v of values) {
    const snap = byId.get(v.entity_id);
    if (snap) snap.fields[v.key] = { text: v.text_value, number: v.number_value === null ? null : Number(v.number_value) };
  }
  return out;
}

/**
 * For a describe block: a harness started before its tests with HubSpot connected and HubSpot
 * Sync on (its first run done), closed after them. Returns the getter the tests use.
 */
export function connectedHarness(dialect: Dialect, options: HubSpotHarnessOptions = {}): () => HubSpotHarness {
  let h: HubSpotHarness | undefined;
  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect, options);
    await h.connect();
    await h.enableSync();
  });
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error("the harness did not start");
    return h;
  };
}
