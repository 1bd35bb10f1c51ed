// Published Salesforce answers (test/fixtures/salesforce, sources in its SOURCES.md) replayed
// through crmsync's client: a local HTTP server answers the calls crmsync makes with the
// recorded body, status and Sforce-Limit-Info header.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallCounter } from "../hubspot/types.ts";
import { dataPath } from "./api-version.ts";
import { RunBudget } from "./budget.ts";
import { toCatalogProperty } from "./catalog.ts";
import { createSalesforceClient, type SalesforceClient, type SalesforceRecord } from "./client.ts";
import { failureOf } from "./contact-writer.ts";
import { readErrorEntries, SalesforceError } from "./errors.ts";
import { parseLimitInfo } from "./limit-info.ts";
import { toCrmCompany } from "./mappers.ts";
import type { SessionAuth } from "./transport.ts";

interface Recorded {
  status: number;
  sforceLimitInfo?: string | null;
  body: unknown;
}

const folder = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/salesforce");
const recorded = (name: string): Recorded => JSON.parse(readFileSync(resolve(folder, name), "utf8")) as Recorded;

let server: Server;
let url: string;
/** Answers by "METHOD path" (path without query); each is taken in turn, the last one repeats. */
let routes: Map<string, Recorded[]>;
let seen: { method: string; path: string; query: string; authorization: string | undefined }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const [path = "", query = ""] = (req.url ?? "").split("?");
    seen.push({ method: req.method ?? "", path, query, authorization: req.headers.authorization });
    const queue = routes.get(`${req.method} ${path}`);
    const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (!answer) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify([{ errorCode: "NOT_FOUND", message: `no recording for ${req.method} ${path}` }]));
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json", ...(answer.sforceLimitInfo ? { "sforce-limit-info": answer.sforceLimitInfo } : {}) }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

beforeEach(() => {
  routes = new Map();
  seen = [];
});

function fixedAuth(tokens: string[] = ["token-1"]): SessionAuth & { refreshes: number } {
  let current = 0;
  const auth = {
    refreshes: 0,
    current: () => Promise.resolve({ accessToken: tokens[current]!, instanceUrl: url }),
    refresh: () => {
      auth.refreshes++;
      current = Math.min(current + 1, tokens.length - 1);
      return Promise.resolve(true);
    },
  };
  return auth;
}

function client(options: { budget?: RunBudget; tokens?: string[] } = {}): { client: SalesforceClient; counter: CallCounter; auth: ReturnType<typeof fixedAuth> } {
  const counter = new CallCounter();
  const auth = fixedAuth(options.tokens);
  return { client: createSalesforceClient({ auth, counter, budget: options.budget, retry: { maxAttempts: 1 } }), counter, auth };
}

describe("recorded Salesforce answers", () => {
  it("reads /limits at the run's first call, then follows nextRecordsUrl, learning the org's usage from every answer", async () => {
    const more = recorded("query-more.json");
    const first = recorded("query-page-with-next.json");
    const nextUrl = (first.body as { nextRecordsUrl: string }).nextRecordsUrl;
    routes.set(`GET ${dataPath("/limits")}`, [recorded("limits.json")]);
    routes.set(`GET ${dataPath("/query")}`, [first]);
    routes.set(`GET ${nextUrl}`, [more]);
    const budget = new RunBudget({ share: 0.25, ceiling: 0.8 });
    const { client: c, counter } = client({ budget });

    const pages = [];
    for await (const page of c.queryPages("SELECT Id, Name FROM Account ORDER BY Id")) pages.push(page);

    expect(pages.map((p) => [p.done, p.records.length])).toEqual([[false, 3], [true, 86]]);
    expect(seen.map((s) => s.path)).toEqual([dataPath("/limits"), dataPath("/query"), nextUrl]);
    expect(new URLSearchParams(seen[1]!.query).get("q")).toBe("SELECT Id, Name FROM Account ORDER BY Id");
    // The share is a quarter of the 14,976 calls left at the start; usage then read from the headers.
    expect(budget.stats()).toEqual({ spent: 2, start: { used: 24, max: 15000 }, latest: { used: 873, max: 15000 } });
    expect(counter.snapshot()).toEqual({ limits: 1, query: 2 });
    expect(parseLimitInfo(more.sforceLimitInfo ?? null)).toEqual({ used: 873, max: 15000 });
  });

  it("starts the budget from the first answer when the user may not read /limits", async () => {
    routes.set(`GET ${dataPath("/limits")}`, [{ status: 403, body: [{ errorCode: "INSUFFICIENT_ACCESS", message: "insufficient access rights on object id" }] }]);
    routes.set(`GET ${dataPath("/queryAll")}`, [recorded("query-all.json")]);
    const budget = new RunBudget({ share: 0.25, ceiling: 0.8 });
    const { client: c, counter } = client({ budget });
    for await (const page of c.queryPages("SELECT Id, Name FROM Account LIMIT 5", { all: true })) expect(page.records).toHaveLength(5);
    for await (const page of c.queryPages("SELECT Id, Name FROM Account LIMIT 5", { all: true })) expect(page.done).toBe(true);
    // /limits is asked once per run, not before every call.
    expect(counter.snapshot()).toEqual({ limits: 1, queryAll: 2 });
    expect(budget.stats()).toEqual({ spent: 2, start: { used: 8, max: 15000 }, latest: { used: 8, max: 15000 } });
  });

  it("makes companies of a recorded Account page: Website → domain, Salesforce datetimes readable", async () => {
    routes.set(`GET ${dataPath("/queryAll")}`, [recorded("query-all.json")]);
    routes.set(`GET ${dataPath("/query")}`, [recorded("query-page-with-next.json")]);
    const { client: c } = client();
    const all = [];
    for await (const page of c.queryPages("SELECT Id, Name FROM Account LIMIT 5", { all: true })) all.push(...page.records);
    expect(all.map((r) => r["Name"])).toEqual(["Edge Communications", "Burlington Textiles Corp of America", "Pyramid Construction Inc.", "Dickenson plc", "Grand Hotels & Resorts Ltd"]);

    const rows = [];
    for await (const page of c.queryPages("SELECT Id, Name, Website, CreatedDate, SystemModstamp FROM Account")) {
      rows.push(...page.records);
      break;
    }
    const companies = rows.map((r) => toCrmCompany(r as SalesforceRecord));
    expect(companies.map((c) => [c.id, c.domains])).toEqual([
      ["001dM00003jU9GyQAK", ["burlington.com"]],
      ["001dM00003jU9H7QAK", ["genepoint.com"]],
      ["001dM00003jU9H8QAK", ["sforce.com"]],
    ]);
    expect(companies[0]).toMatchObject({ name: "Burlington Textiles Corp of America", createdAt: "2026-05-01T07:25:37.000+00:00", modifiedAt: "2026-05-01T07:25:37.000+00:00" });
    expect(companies[0]?.properties["Industry"]).toBe("Apparel");
  });

  it("maps the recorded Account describe onto crmsync field types", async () => {
    routes.set(`GET ${dataPath("/sobjects/Account/describe")}`, [recorded("describe-account.json")]);
    const { client: c } = client();
    const describe = await c.describe("Account");
    const byName = new Map(describe.fields.map((f) => [f.name, toCatalogProperty(f)]));
    expect(describe.fields).toHaveLength(70);
    expect(byName.get("Website")?.mapping).toEqual({ supported: true, type: "text", options: [] });
    expect(byName.get("AnnualRevenue")?.mapping).toMatchObject({ supported: true, type: "number" });
    expect(byName.get("NumberOfEmployees")?.mapping).toMatchObject({ supported: true, type: "number" });
    expect(byName.get("BillingCity")?.mapping).toMatchObject({ supported: true, type: "text" });
    expect(byName.get("BillingCity")?.groupName).toBe("BillingAddress");
    expect(byName.get("BillingAddress")?.mapping).toMatchObject({ supported: false, reason: expect.stringContaining("compound") as unknown });
    expect(byName.get("ParentId")?.mapping.supported).toBe(false);
    expect(byName.get("Id")?.mapping.supported).toBe(false);
    const industry = byName.get("Industry")?.mapping;
    expect(industry?.supported && industry.type).toBe("select");
    expect(industry?.supported && industry.options.length).toBeGreaterThan(10);
    expect(industry?.supported && industry.options).toContainEqual({ value: "Apparel", label: "Apparel" });
  });

  it("reads sObject Collection results: a created id, a per-record refusal", async () => {
    routes.set(`POST ${dataPath("/composite/sobjects")}`, [recorded("composite-create.json")]);
    routes.set(`PATCH ${dataPath("/composite/sobjects")}`, [recorded("composite-update-refused.json")]);
    const { client: c } = client();
    const [created] = await c.saveCollection("POST", [{ attributes: { type: "Contact" }, LastName: "Lovelace" }]);
    expect(created).toMatchObject({ id: "001dM00003kS2ndQAC", success: true });
    const [refused] = await c.saveCollection("PATCH", [{ attributes: { type: "Contact" }, id: "003xx000003DHP0AAO", LastName: "Byron" }]);
    expect(failureOf(refused!)).toEqual({ reason: "invalid", message: "invalid cross reference id" });
  });

  it("reads Salesforce's error arrays", () => {
    expect(readErrorEntries(recorded("error-validation-rules.json").body)).toEqual([
      { errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Invalid value passed to CloseDate", fields: ["CloseDate"] },
      { errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Invalid value passed to Amount", fields: ["Amount"] },
    ]);
    const refusal = failureOf({ success: false, errors: [{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Invalid value passed to CloseDate", fields: ["CloseDate"] }] });
    expect(refusal).toEqual({ reason: "validation", message: "Invalid value passed to CloseDate", property: "CloseDate" });
  });

  it("refreshes once on INVALID_SESSION_ID and retries the call with the new token", async () => {
    routes.set(`GET ${dataPath("/sobjects/Account/describe")}`, [recorded("error-invalid-session.json"), recorded("describe-account.json")]);
    const { client: c, auth } = client({ tokens: ["expired", "fresh"] });
    await c.describe("Account");
    expect(auth.refreshes).toBe(1);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer expired", "Bearer fresh"]);
  });

  it("stops on REQUEST_LIMIT_EXCEEDED with a resume estimate, without retrying", async () => {
    routes.set(`GET ${dataPath("/sobjects/Account/describe")}`, [recorded("error-request-limit.json")]);
    const { client: c } = client();
    const error = await c.describe("Account").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ kind: "rate_limited", errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." });
    // No usage known: the allocation taken as spent, back under 72% in 28% of a day.
    expect(Math.abs((error as SalesforceError).retryAfterMs! - 24_192_000)).toBeLessThanOrEqual(1);
    expect(seen).toHaveLength(1);
  });
});
