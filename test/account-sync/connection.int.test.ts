// Connecting HubSpot (product spec §2): private-app token and OAuth against the emulator,
// encrypted credentials, refresh before expiry, a revoked grant, reconnecting, disconnecting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTAL_ID, PRIVATE_APP_TOKEN } from "../../emulator/index.ts";
import { workspacesWithAccountSync } from "../../src/db/repositories/sync-settings.ts";
import { HubSpotHarness, type CustomerJson, type FieldJson } from "../support/hubspot.ts";

interface ConnectionJson {
  status: "connected" | "disconnected" | "not_connected";
  authKind: "oauth" | "private_app" | null;
  portalId: string | null;
  scopes: string[];
  statusReason: string | null;
  connectedAt: string | null;
}

describe("account sync: the HubSpot connection", () => {
  let h: HubSpotHarness;
  let customer: CustomerJson;
  let companyId: string;
  let revenue: FieldJson;

  const connection = (token = h.ws.adminToken) => h.ok<ConnectionJson>("GET", "/api/v1/crm/hubspot/connection", undefined, token);
  const connectionRow = (workspaceId = h.ws.id) => h.t.ctx.db.selectFrom("crm_connections").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
  /** Live OAuth tokens the emulator issued (access and refresh). */
  const emulatorTokens = () => {
    const auth = h.emu.store.auth;
    return [...auth.refreshTokens.values()].filter((r) => !r.revoked).flatMap((r) => [r.token, ...r.accessTokens]);
  };

  /** The browser's trip: start, HubSpot's authorize page (approves at once), back to the callback. */
  async function oauthRoundTrip(): Promise<{ code: string; state: string; callback: string }> {
    const { authorizeUrl } = await h.ok<{ authorizeUrl: string }>("POST", "/api/v1/crm/hubspot/oauth/start");
    expect(authorizeUrl.startsWith(`${h.emu.url}/oauth/authorize?`)).toBe(true);
    // Only what syncing needs: reads of companies, deals, contacts, their schemas and lists.
    expect(new URL(authorizeUrl).searchParams.get("scope")?.split(" ").sort()).toEqual(
      ["crm.lists.read", "crm.objects.companies.read", "crm.objects.contacts.read", "crm.objects.deals.read", "crm.schemas.companies.read", "crm.schemas.contacts.read", "crm.schemas.deals.read", "oauth"].sort(),
    );
    const res = await fetch(authorizeUrl, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:3000/api/v1/crm/hubspot/oauth/callback");
    return { code: location.searchParams.get("code")!, state: location.searchParams.get("state")!, callback: `${location.pathname}${location.search}` };
  }

  async function callback(path: string): Promise<string> {
    const res = await h.t.request(null, "GET", path);
    expect(res.statusCode).toBe(302);
    return String(res.headers["location"]);
  }

  beforeAll(async () => {
    h = await HubSpotHarness.start("sqlite");
  });
  afterAll(async () => {
    await h?.close();
  });

  it("connects with a private-app token, stored encrypted, and refuses a bad one", async () => {
    const b = h.t.b;
    expect((await connection(b.adminToken)).status).toBe("not_connected");
    const bad = await h.api<{ error: { code: string } }>("POST", "/api/v1/crm/hubspot/connection/private-app", { token: "pat-na1-not-a-real-token" }, b.adminToken);
    expect(bad.status).toBe(400);
    expect((await connection(b.adminToken)).status).toBe("not_connected");
    expect((await h.api("POST", "/api/v1/crm/hubspot/connection/private-app", { token: PRIVATE_APP_TOKEN }, b.memberToken)).status).toBe(403);

    await h.connect(b);
    expect(await connection(b.adminToken)).toMatchObject({ status: "connected", authKind: "private_app", statusReason: null });
    const row = await connectionRow(b.id);
    expect(JSON.stringify(row)).not.toContain(PRIVATE_APP_TOKEN);
    expect(row.credentials).not.toContain("pat-");
  });

  it("connects through OAuth with a checked, single-use state, and stores the tokens encrypted", async () => {
    const wrong = await oauthRoundTrip();
    expect(await callback(`/api/v1/crm/hubspot/oauth/callback?code=${encodeURIComponent(wrong.code)}&state=st_forged`)).toBe("/integrations/hubspot?error=oauth_state_invalid");
    expect((await connection()).status).toBe("not_connected");

    const trip = await oauthRoundTrip();
    expect(await callback(trip.callback)).toBe("/integrations/hubspot?connected=1");
    const view = await connection();
    expect(view).toMatchObject({ status: "connected", authKind: "oauth", portalId: String(PORTAL_ID) });
    expect(view.scopes).toEqual(expect.arrayContaining(["crm.objects.companies.read", "crm.objects.deals.read", "crm.schemas.companies.read"]));
    expect(view.scopes).not.toContain("crm.objects.contacts.write");

    // The same state again (a replayed redirect) is refused.
    expect(await callback(trip.callback)).toBe("/integrations/hubspot?error=oauth_state_invalid");
    // A denied consent comes back as an error, not a connection change.
    expect(await callback("/api/v1/crm/hubspot/oauth/callback?error=access_denied")).toBe("/integrations/hubspot?error=access_denied");
    expect((await connection()).status).toBe("connected");

    const row = JSON.stringify(await connectionRow());
    const tokens = emulatorTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const token of tokens) expect(row).not.toContain(token);
  });

  it("syncs over OAuth and refreshes the access token before it expires", async () => {
    await h.importFields([{ object: "company", name: "annualrevenue" }]).then(([f]) => (revenue = f!));
    const d = "oauth-sync.com";
    companyId = await h.addCompany({ name: "OAuth Co", domain: d, annualrevenue: "10" });
    customer = await h.createCustomer("OAuth Co", [d]);
    const run = await h.enableSync();
    expect(run.status).toBe("succeeded");
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(10);

    // Tokens now live 301 s; crmsync refreshes 5 minutes before expiry, so the next call refreshes.
    h.emu.store.auth.accessTokenLifetimeSeconds = 301;
    try {
      const trip = await oauthRoundTrip();
      expect(await callback(trip.callback)).toBe("/integrations/hubspot?connected=1");
      const before = await connectionRow();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await h.patchRecord("companies", companyId, { annualrevenue: "11" });
      h.resetCounters();
      const refreshed = await h.runSync();
      const counted = h.counters();
      expect(refreshed.status).toBe("succeeded");
      expect(counted.endpoints["oauth.token"]).toBeGreaterThanOrEqual(1);
      // Refreshed before, not after being refused.
      expect(counted.statuses["401"]).toBeUndefined();
      const after = await connectionRow();
      expect(after.credentials).not.toBe(before.credentials);
      expect(Date.parse(after.access_expires_at!)).toBeGreaterThan(Date.parse(before.access_expires_at!));
      expect((await h.customer(customer.id)).fields[revenue.key]).toBe(11);
    } finally {
      h.emu.store.auth.accessTokenLifetimeSeconds = 1800;
    }
    // A normal lifetime again, for the tests below.
    const trip = await oauthRoundTrip();
    expect(await callback(trip.callback)).toBe("/integrations/hubspot?connected=1");
  });

  it("a revoked grant disconnects, stops every sync and hides links and synced values until reconnected", async () => {
    for (const token of [...h.emu.store.auth.refreshTokens.keys()]) h.emu.store.auth.revokeRefreshToken(token);
    const runsBefore = (await h.runs()).length;
    const run = await h.runSync();
    expect(run.status).toBe("failed");
    const errors = await h.runErrors(run.id);
    expect(errors.map((e) => e.code)).toEqual(["crm_auth_revoked"]);
    expect(errors[0]?.hint).toMatch(/Reconnect HubSpot/);

    const view = await connection();
    expect(view.status).toBe("disconnected");
    expect(view.statusReason).toMatch(/revoked/i);
    expect(await workspacesWithAccountSync(h.t.ctx.db, "hubspot")).not.toContain(h.ws.id);

    // Every sync stops by itself: "run now" says why and runs nothing.
    const refused = await h.api<{ error: { code: string } }>("POST", "/api/v1/crm/hubspot/account-sync/run");
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("crm_not_connected");
    await h.drain();
    expect(await h.runs()).toHaveLength(runsBefore + 1);
    // The toggle is not switched off: reconnecting resumes.
    expect((await h.ok<{ enabled: boolean }>("GET", "/api/v1/crm/hubspot/account-sync")).enabled).toBe(true);

    // Kept in storage...
    const row = await h.t.ctx.db.selectFrom("customers").selectAll().where("id", "=", customer.id).executeTakeFirstOrThrow();
    expect(row.crm_company_id).toBe(companyId);
    expect(await h.t.ctx.db.selectFrom("field_values").select("entity_id").where("field_id", "=", revenue.id).execute()).toHaveLength(1);
    // ...but hidden from the API until HubSpot is connected again.
    const hidden = await h.customer(customer.id);
    expect(hidden.crmLink).toBeNull();
    expect(hidden.fields).not.toHaveProperty(revenue.key);
    const listed = await h.ok<{ items: CustomerJson[] }>("GET", "/api/v1/customers");
    expect(listed.items.find((c) => c.id === customer.id)?.fields).not.toHaveProperty(revenue.key);
  });

  it("reconnecting resumes syncing with no reconfiguration", async () => {
    await h.patchRecord("companies", companyId, { annualrevenue: "12" });
    const trip = await oauthRoundTrip();
    expect(await callback(trip.callback)).toBe("/integrations/hubspot?connected=1");
    expect((await connection()).status).toBe("connected");
    const shown = await h.customer(customer.id);
    expect(shown.crmLink).toMatchObject({ companyId });
    expect(shown.fields[revenue.key]).toBe(11);

    const run = await h.runSync();
    expect(run.status).toBe("succeeded");
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(12);
    expect((await h.fields()).find((f) => f.id === revenue.id)?.readOnly).toBe(true);
  });

  it("disconnecting by hand revokes the token, cancels queued runs and keeps every link and value", async () => {
    await h.stopWorker();
    await h.ok("POST", "/api/v1/crm/hubspot/account-sync/run");
    const live = emulatorTokens();
    h.resetCounters();
    const res = await h.api("DELETE", "/api/v1/crm/hubspot/connection");
    expect(res.status).toBe(204);
    expect(h.counters().endpoints["oauth.revoke"]).toBe(1);
    expect(emulatorTokens().filter((t) => live.includes(t))).toEqual([]);
    expect((await connection()).status).toBe("disconnected");
    expect(await h.t.ctx.queue.listJobs({ workspaceId: h.ws.id, status: "pending" })).toEqual([]);

    h.startWorker();
    await h.drain();
    const row = await h.t.ctx.db.selectFrom("customers").selectAll().where("id", "=", customer.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ crm_company_id: companyId, crm_link_source: "auto" });
    expect(await h.t.ctx.db.selectFrom("field_values").select("entity_id").where("field_id", "=", revenue.id).execute()).toHaveLength(1);
    expect((await h.fields()).map((f) => f.id)).toContain(revenue.id);
    // Nothing was deleted in HubSpot either.
    expect(h.emu.store.objects.companies.get(Number(companyId))?.live).toBe(true);
    // Unlike a revoked grant, a manual disconnect leaves the data visible as ordinary data.
    const visible = await h.customer(customer.id);
    expect(visible.crmLink).toMatchObject({ companyId });
    expect(visible.fields[revenue.key]).toBe(12);

    await h.connect();
    expect((await h.customer(customer.id)).fields[revenue.key]).toBe(12);
  });
});
