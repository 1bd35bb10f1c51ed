// Account sync against the Salesforce emulator: the emulator in-process (one server as login
// host and instance), a test app with Salesforce registered after HubSpot, connected through
// OAuth on the sandbox login host in a signed-in browser, and a worker for Salesforce's jobs.
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startSalesforceEmulator, type RunningSalesforceEmulator, type SalesforceEmulatorOptions } from "../../emulator/salesforce/index.ts";
import type { SalesforceSettings } from "../../src/connectors/salesforce/auth.ts";
import type { Dialect } from "../../src/db/database.ts";
import { startBackground, type Background } from "../../src/sync/background.ts";
import { startTestApp, type TestApp, type TestWorkspace } from "./app.ts";
import { signIn } from "./browser-session.ts";
import type { RunJson } from "./hubspot.ts";

export class SalesforceHarness {
  private constructor(
    readonly emu: RunningSalesforceEmulator,
    readonly t: TestApp,
    /** The app's Salesforce settings: a test may change the budget between runs. */
    readonly settings: SalesforceSettings,
    readonly background: Background,
  ) {}

  static async start(dialect: Dialect, emulator: Omit<SalesforceEmulatorOptions, "port">): Promise<SalesforceHarness> {
    const emu = await startSalesforceEmulator(emulator);
    try {
      const settings: SalesforceSettings = {
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: DEFAULT_CLIENT_SECRET,
        // Production answers nowhere: connecting works only through the sandbox host chosen at start.
        loginUrls: { production: "http://127.0.0.1:9", sandbox: emu.url },
        budget: { share: 0.25, ceiling: 0.8 },
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
      };
      const t = await startTestApp(dialect, { salesforce: settings });
      const background = startBackground({ db: t.ctx.db, queue: t.ctx.queue, connections: t.ctx.crm, schedules: false, pollIntervalMs: 20 });
      return new SalesforceHarness(emu, t, settings, background);
    } catch (error) {
      await emu.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.background.stop();
    await this.t.close();
    await this.emu.close();
  }

  async ok<T = unknown>(method: string, url: string, body: unknown, ws: TestWorkspace): Promise<T> {
    const res = await this.t.request(ws.adminToken, method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return (res.body === "" ? null : res.json()) as T;
  }

  /** The admin connects in the browser: start on the sandbox host, approve, come back. */
  async connect(ws: TestWorkspace): Promise<string> {
    const browser = await signIn(this.t, ws.adminEmail);
    const start = await browser.request("POST", "/api/v1/crm/salesforce/oauth/start?environment=sandbox");
    if (start.statusCode !== 200) throw new Error(`oauth/start answered ${start.statusCode}: ${start.body}`);
    const res = await fetch(start.json<{ authorizeUrl: string }>().authorizeUrl, { redirect: "manual" });
    const back = new URL(res.headers.get("location") ?? "");
    const callback = await browser.request("GET", `${back.pathname}${back.search}`);
    return callback.headers.location as string;
  }

  /** Turns Salesforce Sync on and waits for the runs it starts. */
  async enableSync(ws: TestWorkspace): Promise<void> {
    await this.ok("PUT", "/api/v1/crm/salesforce/account-sync", { enabled: true }, ws);
    await this.background.worker.drain();
  }

  async latestRun(ws: TestWorkspace): Promise<RunJson> {
    const [run] = (await this.ok<{ items: RunJson[] }>("GET", "/api/v1/sync-runs?kind=accounts&limit=1", undefined, ws)).items;
    if (!run) throw new Error("no accounts run");
    return run;
  }

  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emu.url}/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${text}`);
    return (text === "" ? null : JSON.parse(text)) as T;
  }
}
