// The Salesforce connector against the Salesforce emulator over HTTP: OAuth connect on the
// chosen login host, full and incremental reads with their call counts, Save & Sync's one
// call, session refresh and a revoked grant, the run's share of the daily allocation, list
// views, and contact writes refused by a validation rule.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startSalesforceEmulator, type RunningSalesforceEmulator } from "../../../emulator/salesforce/index.ts";
import { ConnectorError } from "../../core/errors.ts";
import { tryNormalizeDomain } from "../../core/domains.ts";
import type { Grant } from "../../sync/connector.ts";
import type { AccountSource, CrmCompany } from "../../sync/ports.ts";
import type { SalesforceCredentials, SalesforceSession, SalesforceSettings } from "./auth.ts";
import { salesforceConnector as sf } from "./connector.ts";

const redirectUri = "http://127.0.0.1:3000/api/v1/crm/salesforce/oauth/callback";
const accounts = 4_500;
const opportunities = 5_200;

let emu: RunningSalesforceEmulator;

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/_emulator${path}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? null : JSON.stringify(body) });
  if (!res.ok) throw new Error(`emulator control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

function settings(overrides: Partial<SalesforceSettings> = {}): SalesforceSettings {
  return {
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    // Production points where nothing answers: only the sandbox host can sign in.
    loginUrls: { production: "http://127.0.0.1:9", sandbox: emu.url },
    budget: false,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}

/** The browser's trip through the sandbox login host, then the code exchange. */
async function connect(s: SalesforceSettings = settings()): Promise<Grant> {
  const oauth = sf.auth.oauth!;
  const authorize = new URL(oauth.authorizeUrl(s, { state: "st_test", redirectUri, environment: "sandbox" }));
  expect(authorize.origin).toBe(emu.url);
  const res = await fetch(authorize, { redirect: "manual" });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("location")!);
  expect(back.searchParams.get("state")).toBe("st_test");
  return oauth.exchange(s, { code: back.searchParams.get("code")!, redirectUri, environment: "sandbox" });
}

interface Opened {
  session: SalesforceSession;
  source: AccountSource;
  calls: () => Record<string, number>;
  credentials: Record<string, unknown>[];
}

function open(grant: Grant, s: SalesforceSettings = settings()): Opened {
  const credentials: Record<string, unknown>[] = [];
  const session = sf.open(s, grant, { onCredentials: (c) => Promise.resolve(void credentials.push(c)) });
  return { session, source: sf.accountSource(session), calls: sf.takeCalls(session), credentials };
}

async function allCompanies(source: AccountSource, cursor?: string | null): Promise<{ records: CrmCompany[]; pages: number; cursors: (string | null)[] }> {
  const records: CrmCompany[] = [];
  const cursors: (string | null)[] = [];
  for await (const page of source.companies({ properties: ["Industry", "AnnualRevenue"], cursor: cursor ?? null })) {
    records.push(...page.records);
    cursors.push(page.cursor);
  }
  return { records, pages: cursors.length, cursors };
}

beforeAll(async () => {
  emu = await startSalesforceEmulator({ accounts, opportunities, contacts: 3_000, seed: 14 });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await control("PUT", "/limits", { used: 0 });
});

describe("connecting", () => {
  it("signs in on the sandbox login host; the grant names the org and keeps its instance URL", async () => {
    const grant = await connect();
    expect(grant.accountId).toBe(emu.store.orgId);
    expect(grant.scopes).toEqual(["api", "refresh_token"]);
    const credentials = grant.credentials as SalesforceCredentials;
    expect(credentials).toMatchObject({ kind: "oauth", instanceUrl: emu.url, orgId: emu.store.orgId, loginUrl: emu.url });
  });

  it("refreshes an expired session once and goes on, storing the rotated refresh token", async () => {
    await control("PUT", "/config", { rotateRefreshTokens: true });
    try {
      const grant = await connect();
      const { source, credentials, calls } = open(grant);
      await control("POST", "/tokens/expire", { token: (grant.credentials as SalesforceCredentials).accessToken });
      expect(await source.searchCompanies("", 2)).toHaveLength(2);
      expect(credentials).toHaveLength(1);
      const rotated = credentials[0] as SalesforceCredentials;
      expect(rotated.refreshToken).not.toBe((grant.credentials as SalesforceCredentials).refreshToken);
      expect(rotated.accessToken).not.toBe((grant.credentials as SalesforceCredentials).accessToken);
      // The refused call and its retry.
      expect(calls()).toEqual({ query: 2 });
    } finally {
      await control("PUT", "/config", { rotateRefreshTokens: false });
    }
  });

  it("turns a revoked grant into auth_revoked, which disconnects", async () => {
    const grant = await connect();
    const { source } = open(grant);
    const credentials = grant.credentials as SalesforceCredentials;
    await control("POST", "/tokens/revoke", { token: credentials.refreshToken });
    await control("POST", "/tokens/expire", { token: credentials.accessToken });
    const error = await source.searchCompanies("", 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: "auth_revoked" });
  });
});

describe("account reads", () => {
  it("reads every live Account in pages of 2,000, its Website as its domain, in ⌈n/2,000⌉ calls", async () => {
    const deleted = [...emu.store.all("Account")].find((r) => !r.values.IsDeleted)!;
    emu.store.softDelete(deleted);
    try {
      const { source, calls } = open(await connect());
      const { records, pages } = await allCompanies(source);
      const live = [...emu.store.all("Account")].filter((r) => !r.values.IsDeleted);
      expect(records).toHaveLength(live.length);
      expect(records.some((r) => r.id === deleted.id)).toBe(false);
      expect(pages).toBe(Math.ceil(live.length / 2_000));
      expect(calls()).toEqual({ query: Math.ceil(live.length / 2_000) });
      const byId = new Map(live.map((r) => [r.id, r]));
      for (const company of records) {
        const website = byId.get(company.id)?.values["Website"];
        const expected = typeof website === "string" ? tryNormalizeDomain(website) : null;
        expect(company.domains).toEqual(expected ? [expected] : []);
      }
      expect(records.some((r) => r.properties["Industry"] !== null)).toBe(true);
    } finally {
      emu.store.undelete(deleted);
    }
  });

  it("resumes a full pass after the last Id of a page", async () => {
    const { source } = open(await connect());
    const full = await allCompanies(source);
    const firstCursor = full.cursors[0]!;
    const resumed = await allCompanies(source, firstCursor);
    expect(resumed.records.map((r) => r.id)).toEqual(full.records.slice(2_000).map((r) => r.id));
    expect(full.cursors.at(-1)).toBeNull();
  });

  it("reads every Opportunity with its Account as its company", async () => {
    const { source, calls } = open(await connect());
    let count = 0;
    for await (const page of source.deals({ properties: ["Amount", "StageName"] })) {
      for (const deal of page.records) {
        const accountId = emu.store.get("Opportunity", deal.id)?.values["AccountId"];
        expect(deal.companyIds).toEqual(typeof accountId === "string" ? [accountId] : []);
        count++;
      }
    }
    expect(count).toBe(opportunities);
    expect(calls()).toEqual({ query: Math.ceil(opportunities / 2_000) });
  });

  it("reads only what changed since the watermark, once each, oldest change first, in one call", async () => {
    // SOQL datetimes are whole seconds: start on one, so nothing changed earlier in that second
    // (by the generator or an earlier test) counts as changed since.
    emu.store.clock.advance(1000 - (emu.store.now() % 1000));
    const since = emu.store.now();
    const changed = [...emu.store.all("Account")].slice(100, 145);
    for (const [i, rec] of changed.entries()) {
      emu.store.clock.advance(1);
      emu.store.update(rec, { Description: `changed ${i}` });
    }
    const { source, calls } = open(await connect());
    const seen: CrmCompany[] = [];
    for await (const batch of source.companiesModifiedSince({ sinceMs: since, properties: ["Description"] })) seen.push(...batch);
    expect(seen.map((c) => c.id)).toEqual(changed.map((r) => r.id));
    expect(seen[0]?.properties["Description"]).toBe("changed 0");
    expect(calls()).toEqual({ query: 1 });
  });

  it("reads an Account and its Opportunity ids in one call (Save & Sync)", async () => {
    const withDeals = [...emu.store.all("Opportunity")].map((o) => o.values["AccountId"]).find((id): id is string => typeof id === "string")!;
    const expected = [...emu.store.all("Opportunity")].filter((o) => o.values["AccountId"] === withDeals && !o.values.IsDeleted).map((o) => o.id).sort();
    const { source, calls } = open(await connect());
    const found = await source.getCompanyWithDeals(withDeals, ["Industry"]);
    expect(found?.company.id).toBe(withDeals);
    expect([...(found?.dealIds ?? [])].sort()).toEqual(expected);
    expect(calls()).toEqual({ query: 1 });
    expect(await source.getCompanyWithDeals("001000000000000AAA", [])).toBeNull();
    expect(await source.getCompanyWithDeals("'; DROP", [])).toBeNull();
  });

  it("finds Accounts by name or website, quotes and wildcards taken literally", async () => {
    const rec = [...emu.store.all("Account")][7]!;
    const { source } = open(await connect());
    const byName = await source.searchCompanies(String(rec.values["Name"]), 5);
    expect(byName.map((c) => c.id)).toContain(rec.id);
    expect(await source.searchCompanies("nobody's_100%", 5)).toEqual([]);
  });
});

describe("the daily allocation", () => {
  it("stops a run at its share of what remained, as a daily pause of an hour", async () => {
    await control("PUT", "/limits", { max: 24, used: 0 });
    try {
      const { source, calls } = open(await connect(), settings({ budget: { share: 0.25, ceiling: 0.8 } }));
      // /limits answers 23 left (it counts itself): a quarter is five calls. The Accounts take
      // three, the Opportunities two of their three pages before the run pauses.
      await allCompanies(source);
      const error = await (async () => {
        for await (const page of source.deals({ properties: [] })) void page;
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: "rate_limited", limit: "daily", retryAfterMs: 3_600_000 });
      expect(calls()).toEqual({ limits: 1, query: 5 });
    } finally {
      await control("PUT", "/limits", { max: 100_000, used: 0 });
    }
  });

  it("never takes the org past the ceiling, whoever spent the rest", async () => {
    await control("PUT", "/limits", { max: 1_000, used: 799 });
    try {
      const { source } = open(await connect(), settings({ budget: { share: 0.25, ceiling: 0.8 } }));
      const error = await source.searchCompanies("", 1).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "rate_limited", limit: "daily" });
      expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(60 * 60_000);
    } finally {
      await control("PUT", "/limits", { max: 100_000, used: 0 });
    }
  });

  it("pauses on REQUEST_LIMIT_EXCEEDED with a resume time", async () => {
    await control("PUT", "/limits", { max: 1_000, used: 1_000 });
    try {
      const { source } = open(await connect());
      const error = await source.searchCompanies("", 1).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "rate_limited", limit: "daily" });
      expect((error as ConnectorError).retryAfterMs).toBeGreaterThanOrEqual(15 * 60_000);
    } finally {
      await control("PUT", "/limits", { max: 100_000, used: 0 });
    }
  });
});

describe("contacts", () => {
  it("offers Contact list views as lists and reads their members", async () => {
    const view = (await control("POST", "/list-views", { label: "Customers in Europe", where: "MailingCountry = 'Germany'" })) as { id: string };
    const { session } = open(await connect());
    const contacts = sf.contactSource(session);
    const lists = await contacts.searchContactLists("europe", 10);
    expect(lists).toEqual([{ id: view.id, name: "Customers in Europe", size: null, processingType: "DYNAMIC" }]);
    const members: string[] = [];
    for await (const page of contacts.listMembers(view.id, null)) members.push(...page.records);
    const expected = [...emu.store.all("Contact")].filter((c) => !c.values.IsDeleted && c.values["MailingCountry"] === "Germany").map((c) => c.id);
    expect(members.sort()).toEqual(expected.sort());
    expect(await contacts.listExists(view.id)).toBe(true);
    await control("DELETE", `/list-views/${view.id}`);
    expect(await contacts.listExists(view.id)).toBe(false);
    const gone = await (async () => {
      for await (const page of contacts.listMembers(view.id, null)) void page;
    })().catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: "list_not_found" });
  });

  it("writes 200 contacts a call; a validation rule's refusal is that record's failure, with its field", async () => {
    await control("PUT", "/validation-rules/Contact", { rules: [{ name: "No_test_titles", condition: "Title = 'Test'", message: "Title cannot be Test", field: "Title" }] });
    try {
      const { session, calls } = open(await connect());
      const writer = sf.writer(session);
      const accountId = [...emu.store.all("Account")][0]!.id;
      const inputs = Array.from({ length: 250 }, (_, i) => ({ properties: { LastName: `Writer ${i}`, Email: `writer${i}@example.com`, Title: i === 3 ? "Test" : "CTO" }, companyId: accountId }));
      const results = await writer.createContacts(inputs);
      expect(results).toHaveLength(250);
      expect(results[3]).toEqual({ reason: "validation", message: "Title cannot be Test", property: "Title" });
      const created = results.filter((r) => !("reason" in r));
      expect(created).toHaveLength(249);
      expect(created[0]).toMatchObject({ email: "writer0@example.com", properties: { LastName: "Writer 0", AccountId: accountId } });
      // Two collection calls, and the created contacts read back.
      expect(calls()["composite.create"]).toBe(2);

      const first = created[0] as { id: string };
      const updated = await writer.updateContacts([{ id: first.id, properties: { Title: "Test" } }, { id: first.id, properties: { Title: "CEO" } }]);
      expect(updated[0]).toEqual({ reason: "validation", message: "Title cannot be Test", property: "Title" });
      expect(updated[1]).toMatchObject({ id: first.id, properties: { Title: "CEO" } });
    } finally {
      await control("DELETE", "/validation-rules/Contact");
    }
  });

  it("reads contacts by Account, by id (missing ones named) and by email", async () => {
    const { session } = open(await connect());
    const contacts = sf.contactSource(session);
    const withContacts = [...emu.store.all("Contact")].find((c) => typeof c.values["AccountId"] === "string" && typeof c.values["Email"] === "string")!;
    const accountId = withContacts.values["AccountId"] as string;
    const ofAccount = await contacts.contactIdsOfCompanies([accountId]);
    expect(ofAccount.get(accountId)).toContain(withContacts.id);
    const got = await contacts.getContacts([withContacts.id, "003000000000000AAA"], ["Title"]);
    expect(got.records.map((r) => r.id)).toEqual([withContacts.id]);
    expect(got.missing).toEqual(["003000000000000AAA"]);
    const byEmail = await contacts.findByEmails([String(withContacts.values["Email"])], []);
    expect(byEmail.map((r) => r.id)).toContain(withContacts.id);
  });
});
