// HubSpot's 2026 connection methods end to end against the emulator, on both databases: a
// workspace connected with a service key, and one through OAuth 2026-03 (30-minute tokens
// refreshed before expiry, rotated refresh tokens kept), each syncing accounts and contacts.
// Every CRM call must land on the 2026 paths: the emulator counts legacy paths as `legacy.*`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PORTAL_ID } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { HubSpotHarness } from "../support/hubspot.ts";

interface ConnectionJson {
  status: string;
  authKind: string | null;
  portalId: string | null;
  scopes: string[];
}

interface ContactJson {
  id: string;
  name: string;
  emails: string[];
  externalId: string | null;
}

const serviceKey = "sk-emulator-2026-service-key";

describe.each(dialects)("HubSpot 2026 connections on %s", (dialect: Dialect) => {
  let h: HubSpotHarness;

  beforeAll(async () => {
    h = await HubSpotHarness.start(dialect, { emulator: { seed: 26, companies: 20, deals: 10, contacts: 30 } });
    // A HubSpot admin creates the service key (Development › Keys › Service keys).
    await h.control("POST", "/service-keys", { key: serviceKey });
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.emu.store.auth.accessTokenLifetimeSeconds = 1800;
    h.emu.store.auth.rotateRefreshTokens = false;
  });

  const connection = (token: string) => h.ok<ConnectionJson>("GET", "/api/v1/crm/hubspot/connection", undefined, token);
  const legacyCalls = () => Object.entries(h.counters().endpoints).filter(([key, n]) => n > 0 && key.startsWith("legacy."));

  /** A customer whose domain one emulator company holds, and that company's HubSpot contact. */
  async function seedAccount(label: string, token: string): Promise<{ customerId: string; companyId: string; email: string }> {
    const domain = `${label}-${dialect}.com`;
    const companyId = await h.addCompany({ name: `${label} Co`, domain });
    const email = `${label}-${dialect}@${domain}`;
    await h.control("POST", "/objects/contacts", { properties: { firstname: "Pat", lastname: label, email, lifecyclestage: "customer" }, companyId });
    const customer = await h.ok<{ id: string }>("POST", "/api/v1/customers", { name: `${label} Co`, domains: [domain] }, token);
    return { customerId: customer.id, companyId, email };
  }

  /** Account sync on, then inbound contact sync from the synced companies; both must succeed. */
  async function syncBoth(ws: typeof h.ws, seeded: { customerId: string; companyId: string; email: string }): Promise<void> {
    const run = await h.enableSync(ws);
    expect(run.status).toBe("succeeded");
    const customer = await h.customer(seeded.customerId, ws);
    expect(customer.crmLink).toMatchObject({ companyId: seeded.companyId, source: "auto" });

    await h.ok("PUT", "/api/v1/crm/hubspot/contact-sync", { mode: "inbound", source: { kind: "synced_companies" }, lifecycleStages: [] }, ws.adminToken);
    await h.drain();
    const contacts = await h.latestRun(ws, "contacts");
    expect(contacts.status).toBe("succeeded");
    const page = await h.ok<{ items: ContactJson[] }>("GET", `/api/v1/contacts?limit=200&q=${encodeURIComponent(seeded.email)}`, undefined, ws.adminToken);
    expect(page.items.find((c) => c.emails.includes(seeded.email))).toMatchObject({ name: expect.stringContaining("Pat") as string, externalId: expect.any(String) as string });
  }

  it("connects with a service key, shows HubSpot's real portal id, and syncs accounts and contacts", async () => {
    const ws = h.t.a;
    const bad = await h.api<{ error: { code: string; message: string } }>("POST", "/api/v1/crm/hubspot/connection/service-key", { token: "sk-not-a-real-key-0000" }, ws.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "validation_failed", message: expect.stringContaining("service key") as string });

    h.resetCounters();
    const view = await h.ok<ConnectionJson>("POST", "/api/v1/crm/hubspot/connection/service-key", { token: serviceKey }, ws.adminToken);
    expect(view).toMatchObject({ status: "connected", authKind: "service_key", portalId: String(PORTAL_ID) });
    // The connect check is the account-info call, which also names the portal.
    expect(h.counters().endpoints["accountInfo.details"]).toBe(1);
    const row = await h.t.ctx.db.selectFrom("crm_connections").selectAll().where("workspace_id", "=", ws.id).executeTakeFirstOrThrow();
    expect(row.auth_kind).toBe("service_key");
    expect(row.credentials).not.toContain(serviceKey);

    await syncBoth(ws, await seedAccount("keyed", ws.adminToken));
    expect(legacyCalls()).toEqual([]);
  });

  it("still accepts a legacy private-app token, with the same real portal id", async () => {
    const ws = h.t.b;
    await h.connect(ws);
    expect(await connection(ws.adminToken)).toMatchObject({ status: "connected", authKind: "private_app", portalId: String(PORTAL_ID) });
  });

  it("connects through OAuth 2026-03, refreshes 30-minute tokens before expiry, keeps rotated refresh tokens, and syncs", async () => {
    const ws = h.t.b;
    await h.ok("DELETE", "/api/v1/crm/hubspot/connection", undefined, ws.adminToken, 204);
    // Tokens that live 301 s are refreshed about a second after they are issued (5 minutes
    // early); each refresh rotates the refresh token, so a later run works only if the one
    // before stored the new one.
    h.emu.store.auth.accessTokenLifetimeSeconds = 301;
    h.emu.store.auth.rotateRefreshTokens = true;
    const { authorizeUrl } = await h.ok<{ authorizeUrl: string }>("POST", "/api/v1/crm/hubspot/oauth/start", undefined, ws.adminToken);
    const approved = await fetch(authorizeUrl, { redirect: "manual" });
    const location = new URL(approved.headers.get("location") ?? "");
    h.resetCounters();
    const back = await h.t.request(null, "GET", `${location.pathname}${location.search}`);
    expect(back.headers["location"]).toBe("/integrations/hubspot?connected=1");
    expect(h.counters().endpoints).toMatchObject({ "oauth.token": 1, "oauth.introspect": 1 });
    const view = await connection(ws.adminToken);
    expect(view).toMatchObject({ status: "connected", authKind: "oauth", portalId: String(PORTAL_ID) });
    expect(view.scopes).toEqual(expect.arrayContaining(["crm.objects.companies.read", "crm.lists.read"]));

    await syncBoth(ws, await seedAccount("oauthed", ws.adminToken));

    h.resetCounters();
    for (let i = 0; i < 2; i++) {
      // Past the second of life left before crmsync's 5-minute margin.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const run = await h.runSync(ws);
      expect(run.status).toBe("succeeded");
    }
    const counted = h.counters();
    expect(counted.endpoints["oauth.token"]).toBeGreaterThanOrEqual(2);
    expect(counted.statuses["401"]).toBeUndefined();
    expect(legacyCalls()).toEqual([]);

    // Disconnecting revokes on the 2026-03 endpoint.
    h.resetCounters();
    await h.ok("DELETE", "/api/v1/crm/hubspot/connection", undefined, ws.adminToken, 204);
    expect(h.counters().endpoints["oauth.revoke"]).toBe(1);
    expect([...h.emu.store.auth.refreshTokens.values()].filter((r) => !r.revoked)).toEqual([]);
  });
});
